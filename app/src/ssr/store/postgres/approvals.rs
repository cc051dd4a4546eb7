//! Approval plans, approvers' decisions and fulfilment tasks.

use chrono::{DateTime, Utc};
use leptos::serde_json;

use super::records::SUMMARY_SELECT;
use super::{Store, StoreError, Tx};
use crate::domain::approval::{ApprovalStep, ApprovalView, Decision, FulfilmentPlan};
use crate::domain::ids::{CatalogItemId, GroupId, RecordId, UserId};
use crate::domain::record::RecordSummary;
use crate::ssr::store::{ApprovalRow, PendingRow};

fn json_error(e: serde_json::Error) -> StoreError {
    StoreError::Db(sqlx::Error::Decode(Box::new(e)))
}

#[derive(sqlx::FromRow)]
struct PendingSql {
    approval_id: i64,
    record_id: RecordId,
    number: String,
    title: String,
    requester_name: String,
    asked_at: DateTime<Utc>,
    schema: Option<String>,
    answers: Option<String>,
}

impl Store {
    /// How `item` is approved and fulfilled now.
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

    /// Gives a request the plan it follows.
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

    /// Active admins: they are told when a request has nobody to approve it.
    pub async fn admin_ids(tx: &mut Tx) -> Result<Vec<UserId>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id
             WHERE r.role = 'admin' AND u.active ORDER BY u.id",
        )
        .fetch_all(&mut **tx)
        .await?)
    }

    /// The last step anyone was asked about (if any), and how many approvers still have to decide.
    pub async fn approval_progress(tx: &mut Tx, record: RecordId) -> Result<(Option<i64>, i64), StoreError> {
        Ok(sqlx::query_as(
            "SELECT MAX(step), count(*) FILTER (WHERE decision IS NULL) FROM approvals WHERE record_id = $1",
        )
        .bind(record)
        .fetch_one(&mut **tx)
        .await?)
    }

    /// Active members of `group`.
    pub async fn group_member_ids(tx: &mut Tx, group: GroupId) -> Result<Vec<UserId>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT u.id FROM group_members m JOIN users u ON u.id = m.user_id
             WHERE m.group_id = $1 AND u.active ORDER BY u.id",
        )
        .bind(group)
        .fetch_all(&mut **tx)
        .await?)
    }

    pub async fn insert_approval(
        tx: &mut Tx,
        record: RecordId,
        step: i64,
        approver: UserId,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO approvals (record_id, step, approver_id, asked_at) VALUES ($1, $2, $3, $4)")
            .bind(record)
            .bind(step)
            .bind(approver)
            .bind(now)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    pub async fn find_approval(tx: &mut Tx, id: i64) -> Result<Option<ApprovalRow>, StoreError> {
        Ok(sqlx::query_as("SELECT id, record_id, step, approver_id, decision FROM approvals WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?)
    }

    pub async fn decide_approval(
        tx: &mut Tx,
        id: i64,
        decision: Decision,
        comment: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE approvals SET decision = $1, comment = $2, decided_at = $3 WHERE id = $4 AND decision IS NULL")
            .bind(decision)
            .bind(comment)
            .bind(now)
            .bind(id)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    pub async fn step_decisions(
        tx: &mut Tx,
        record: RecordId,
        step: i64,
    ) -> Result<Vec<Option<Decision>>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT decision FROM approvals WHERE record_id = $1 AND step = $2 ORDER BY id",
        )
        .bind(record)
        .bind(step)
        .fetch_all(&mut **tx)
        .await?)
    }

    /// Marks the step's undecided approvals as no longer needed.
    pub async fn skip_pending(
        tx: &mut Tx,
        record: RecordId,
        step: i64,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE approvals SET decision = 'skipped', decided_at = $1
             WHERE record_id = $2 AND step = $3 AND decision IS NULL",
        )
        .bind(now)
        .bind(record)
        .bind(step)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Marks every undecided approval of `record` as no longer needed.
    pub async fn skip_all_pending(
        tx: &mut Tx,
        record: RecordId,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE approvals SET decision = 'skipped', decided_at = $1 WHERE record_id = $2 AND decision IS NULL")
            .bind(now)
            .bind(record)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// Requests fulfilled at or before `cutoff`, still waiting to be closed.
    pub async fn fulfilled_before(&self, cutoff: DateTime<Utc>) -> Result<Vec<RecordId>, StoreError> {
        let done = super::states_in("state", |s| !s.is_open() && !crate::domain::lifecycle::is_final(s));
        let sql = format!("SELECT id FROM records WHERE {done} AND resolved_at <= $1 ORDER BY id LIMIT 1000");
        Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(cutoff).fetch_all(&self.pool).await?)
    }

    /// `parent`'s tasks that are still open.
    pub async fn open_task_ids(tx: &mut Tx, parent: RecordId) -> Result<Vec<RecordId>, StoreError> {
        let sql = format!(
            "SELECT id FROM records WHERE parent_id = $1 AND {} ORDER BY id",
            super::open_states("state")
        );
        Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(parent).fetch_all(&mut **tx).await?)
    }

    /// Everyone asked to approve `record`, in the order they were asked.
    pub async fn list_approvals(&self, record: RecordId) -> Result<Vec<ApprovalView>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT a.id, a.record_id AS record, a.step, a.approver_id AS approver, u.name AS approver_name,
                    a.decision, a.comment, a.asked_at, a.decided_at
             FROM approvals a JOIN users u ON u.id = a.approver_id WHERE a.record_id = $1 ORDER BY a.step, a.id",
        )
        .bind(record)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Requests waiting for `user`'s decision, oldest first.
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

    /// The people asked to approve `record`: they may read it.
    pub async fn approvers_of(&self, record: RecordId) -> Result<Vec<UserId>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT DISTINCT approver_id FROM approvals WHERE record_id = $1 ORDER BY approver_id",
        )
        .bind(record)
        .fetch_all(&self.pool)
        .await?)
    }

    /// `parent`'s tasks: (how many exist, how many are still open).
    pub async fn task_counts(tx: &mut Tx, parent: RecordId) -> Result<(i64, i64), StoreError> {
        let sql = format!(
            "SELECT count(*), count(*) FILTER (WHERE {}) FROM records WHERE parent_id = $1",
            super::open_states("state")
        );
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(parent).fetch_one(&mut **tx).await?)
    }

    /// A request's tasks in the order they were made.
    pub async fn list_tasks(&self, parent: RecordId) -> Result<Vec<RecordSummary>, StoreError> {
        let sql = format!("{SUMMARY_SELECT} WHERE r.parent_id = $1 ORDER BY r.id");
        let rows: Vec<super::records::SummaryRow> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(parent).fetch_all(&self.pool).await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Open tasks of the groups `user` belongs to, oldest first.
    pub async fn list_group_tasks(&self, user: UserId, limit: i64) -> Result<Vec<RecordSummary>, StoreError> {
        let sql = format!(
            "{SUMMARY_SELECT} WHERE r.kind = 'task' AND {open}
               AND r.assignment_group_id IN (SELECT group_id FROM group_members WHERE user_id = $1)
             ORDER BY r.opened_at, r.id LIMIT $2",
            open = super::open_states("r.state")
        );
        let rows: Vec<super::records::SummaryRow> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user).bind(limit).fetch_all(&self.pool).await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }
}
