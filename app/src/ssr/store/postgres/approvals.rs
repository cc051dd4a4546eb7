//! Approval plans, approvers' decisions and fulfilment tasks.

use crate::ssr::store::portable::approvals::*;
use leptos::serde_json;

use super::{Store, StoreError, Tx};
use crate::domain::approval::{ApprovalStep, FulfilmentPlan};
use crate::domain::ids::{CatalogItemId, GroupId, RecordId, UserId};
use crate::ssr::store::PendingRow;

impl Store {
    pub async fn item_plan(
        &self,
        item: CatalogItemId,
    ) -> Result<(Vec<ApprovalStep>, FulfilmentPlan), StoreError> {
        let (approval, fulfilment): (String, String) =
            sqlx::query_as("SELECT approval::text, fulfilment::text FROM catalog_items WHERE id = $1")
                .bind(item)
                .fetch_one(&self.pool)
                .await?;
        Ok((
            serde_json::from_str(&approval).map_err(json_error)?,
            serde_json::from_str(&fulfilment).map_err(json_error)?,
        ))
    }

    pub async fn set_item_plan(
        tx: &mut Tx,
        item: CatalogItemId,
        approval: &[ApprovalStep],
        fulfilment: &FulfilmentPlan,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE catalog_items SET approval = $1::jsonb, fulfilment = $2::jsonb WHERE id = $3")
            .bind(serde_json::to_string(approval).map_err(json_error)?)
            .bind(serde_json::to_string(fulfilment).map_err(json_error)?)
            .bind(item)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    pub async fn set_request_plan(
        tx: &mut Tx,
        record: RecordId,
        approval: &[ApprovalStep],
        fulfilment: &FulfilmentPlan,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE request_answers SET approval = $1::jsonb, fulfilment = $2::jsonb WHERE record_id = $3",
        )
        .bind(serde_json::to_string(approval).map_err(json_error)?)
        .bind(serde_json::to_string(fulfilment).map_err(json_error)?)
        .bind(record)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    pub async fn request_plan(
        tx: &mut Tx,
        record: RecordId,
    ) -> Result<(Vec<ApprovalStep>, FulfilmentPlan), StoreError> {
        let (approval, fulfilment): (String, String) = sqlx::query_as(
            "SELECT approval::text, fulfilment::text FROM request_answers WHERE record_id = $1",
        )
        .bind(record)
        .fetch_one(&mut **tx)
        .await?;
        Ok((
            serde_json::from_str(&approval).map_err(json_error)?,
            serde_json::from_str(&fulfilment).map_err(json_error)?,
        ))
    }

    pub async fn manager_of(tx: &mut Tx, user: UserId) -> Result<Option<UserId>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT m.id FROM users u JOIN users m ON m.id = u.manager_id WHERE u.id = $1 AND m.active",
        )
        .bind(user)
        .fetch_optional(&mut **tx)
        .await?)
    }

    pub async fn admin_ids(tx: &mut Tx) -> Result<Vec<UserId>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id
             WHERE r.role = 'admin' AND u.active ORDER BY u.id",
        )
        .fetch_all(&mut **tx)
        .await?)
    }

    pub async fn approval_progress(tx: &mut Tx, record: RecordId) -> Result<(Option<i64>, i64), StoreError> {
        Ok(sqlx::query_as(
            "SELECT MAX(step), count(*) FILTER (WHERE decision IS NULL) FROM approvals WHERE record_id = $1",
        )
        .bind(record)
        .fetch_one(&mut **tx)
        .await?)
    }

    pub async fn group_member_ids(tx: &mut Tx, group: GroupId) -> Result<Vec<UserId>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT u.id FROM group_members m JOIN users u ON u.id = m.user_id
             WHERE m.group_id = $1 AND u.active ORDER BY u.id",
        )
        .bind(group)
        .fetch_all(&mut **tx)
        .await?)
    }

    pub async fn list_pending_approvals(&self, user: UserId) -> Result<Vec<PendingRow>, StoreError> {
        let rows: Vec<PendingSql> = sqlx::query_as(
            "SELECT a.id AS approval_id, r.id AS record_id, r.number, r.title, req.name AS requester_name,
                    a.asked_at, coalesce(f.schema::text, '{\"fields\":[]}') AS schema, ans.answers::text AS answers
             FROM approvals a JOIN records r ON r.id = a.record_id JOIN users req ON req.id = r.requester_id
             LEFT JOIN request_answers ans ON ans.record_id = r.id
             LEFT JOIN catalog_forms f ON f.item_id = ans.item_id AND f.version = ans.form_version
             WHERE a.approver_id = $1 AND a.decision IS NULL AND r.state = 'awaiting_approval'
             ORDER BY a.asked_at, a.id",
        )
        .bind(user)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                let answered = match (r.schema, r.answers) {
                    (Some(schema), Some(answers)) => Some((
                        serde_json::from_str(&schema).map_err(json_error)?,
                        serde_json::from_str(&answers).map_err(json_error)?,
                    )),
                    _ => None,
                };
                Ok(PendingRow {
                    approval_id: r.approval_id,
                    record_id: r.record_id,
                    number: r.number,
                    title: r.title,
                    requester_name: r.requester_name,
                    asked_at: r.asked_at,
                    answered,
                })
            })
            .collect()
    }

    pub async fn task_counts(tx: &mut Tx, parent: RecordId) -> Result<(i64, i64), StoreError> {
        let sql = format!(
            "SELECT count(*), count(*) FILTER (WHERE {}) FROM records WHERE parent_id = $1",
            super::open_states("state")
        );
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(parent).fetch_one(&mut **tx).await?)
    }
}
