//! Approval plans, approvers' decisions and fulfilment tasks.

use chrono::{DateTime, Utc};
use leptos::serde_json;

use crate::domain::approval::{ApprovalView, Decision};
use crate::domain::ids::{RecordId, UserId};
use crate::domain::record::RecordSummary;
use crate::ssr::store::ApprovalRow;
use crate::ssr::store::StoreError;
use crate::ssr::store::portable::records::SUMMARY_SELECT;

pub(in crate::ssr::store) fn json_error(e: serde_json::Error) -> StoreError {
    StoreError::Db(sqlx::Error::Decode(Box::new(e)))
}

#[derive(sqlx::FromRow)]
pub(in crate::ssr::store) struct PendingSql {
    pub(in crate::ssr::store) approval_id: i64,
    pub(in crate::ssr::store) record_id: RecordId,
    pub(in crate::ssr::store) number: String,
    pub(in crate::ssr::store) title: String,
    pub(in crate::ssr::store) requester_name: String,
    pub(in crate::ssr::store) asked_at: DateTime<Utc>,
    pub(in crate::ssr::store) schema: Option<String>,
    pub(in crate::ssr::store) answers: Option<String>,
}

on_both_backends! {    pub async fn insert_approval(
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

    pub async fn fulfilled_before(&self, cutoff: DateTime<Utc>) -> Result<Vec<RecordId>, StoreError> {
        let done = crate::ssr::store::states_in("state", |s| !s.is_open() && !crate::domain::lifecycle::is_final(s));
        let sql = format!("SELECT id FROM records WHERE {done} AND resolved_at <= $1 ORDER BY id LIMIT 1000");
        Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(cutoff).fetch_all(&mut *self.reader().await?).await?)
    }

    pub async fn open_task_ids(tx: &mut Tx, parent: RecordId) -> Result<Vec<RecordId>, StoreError> {
        let sql = format!(
            "SELECT id FROM records WHERE parent_id = $1 AND {} ORDER BY id",
            crate::ssr::store::open_states("state")
        );
        Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(parent).fetch_all(&mut **tx).await?)
    }

    pub async fn list_approvals(&self, record: RecordId) -> Result<Vec<ApprovalView>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT a.id, a.record_id AS record, a.step, a.approver_id AS approver, u.name AS approver_name,
                    a.decision, a.comment, a.asked_at, a.decided_at
             FROM approvals a JOIN users u ON u.id = a.approver_id WHERE a.record_id = $1 ORDER BY a.step, a.id",
        )
        .bind(record)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }

    pub async fn approvers_of(&self, record: RecordId) -> Result<Vec<UserId>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT DISTINCT approver_id FROM approvals WHERE record_id = $1 ORDER BY approver_id",
        )
        .bind(record)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }

    pub async fn list_tasks(&self, parent: RecordId) -> Result<Vec<RecordSummary>, StoreError> {
        let sql = format!("{SUMMARY_SELECT} WHERE r.parent_id = $1 ORDER BY r.id");
        let rows: Vec<crate::ssr::store::portable::records::SummaryRow> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(parent).fetch_all(&mut *self.reader().await?).await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    pub async fn list_group_tasks(&self, user: UserId, limit: i64) -> Result<Vec<RecordSummary>, StoreError> {
        let sql = format!(
            "{SUMMARY_SELECT} WHERE r.kind = 'task' AND {open}
               AND r.assignment_group_id IN (SELECT group_id FROM group_members WHERE user_id = $1)
             ORDER BY r.opened_at, r.id LIMIT $2",
            open = crate::ssr::store::open_states("r.state")
        );
        let rows: Vec<crate::ssr::store::portable::records::SummaryRow> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user).bind(limit).fetch_all(&mut *self.reader().await?).await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }
}
