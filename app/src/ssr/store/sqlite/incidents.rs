//! What incidents add to records: the priority matrix, and
//! the state moves and field edits agents make, guarded by the record's version.

use crate::ssr::store::portable::incidents::*;
use chrono::{DateTime, Utc};
use leptos::serde_json;

use super::{Store, StoreError, Tx};
use crate::domain::ids::{GroupId, RecordId, UserId};
use crate::domain::incident::{PriorityMatrix, ReportDraft};
use crate::domain::record::GroupChoice;
use crate::ssr::store::Fields;

impl Store {
    pub async fn priority_matrix(&self) -> Result<PriorityMatrix, StoreError> {
        read_priority_matrix(&mut *self.reader().await?).await
    }

    pub async fn priority_matrix_in(tx: &mut Tx) -> Result<PriorityMatrix, StoreError> {
        read_priority_matrix(&mut **tx).await
    }

    pub async fn organisation_time_zone(&self) -> Result<Option<String>, StoreError> {
        let saved: Option<String> = sqlx::query_scalar("SELECT value ->> '$' FROM settings WHERE key = ?")
            .bind(TIME_ZONE_KEY)
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        Ok(saved)
    }

    pub async fn set_organisation_time_zone(&self, name: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES (?, json_quote(?)) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(TIME_ZONE_KEY)
        .bind(name)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    pub async fn set_priority_matrix(&self, matrix: &PriorityMatrix) -> Result<(), StoreError> {
        let json =
            serde_json::to_string(matrix).map_err(|e| StoreError::Db(sqlx::Error::Encode(Box::new(e))))?;
        let mut tx = self.begin().await?;
        sqlx::query("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(MATRIX_KEY)
            .bind(json)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn save_report_draft(
        &self,
        user: UserId,
        token: &str,
        draft: &ReportDraft,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let json =
            serde_json::to_string(draft).map_err(|e| StoreError::Db(sqlx::Error::Encode(Box::new(e))))?;
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM report_drafts WHERE created_at < ?")
            .bind(now - chrono::Duration::days(1))
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO report_drafts (token, user_id, draft, created_at) VALUES (?, ?, ?, ?)")
            .bind(token)
            .bind(user)
            .bind(json)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn report_draft(&self, user: UserId, token: &str) -> Result<Option<ReportDraft>, StoreError> {
        let json: Option<String> =
            sqlx::query_scalar("SELECT draft FROM report_drafts WHERE token = ? AND user_id = ?")
                .bind(token)
                .bind(user)
                .fetch_optional(&mut *self.reader().await?)
                .await?;
        Ok(json.and_then(|json| serde_json::from_str(&json).ok()))
    }

    pub async fn assignment_choices(&self) -> Result<Vec<GroupChoice>, StoreError> {
        let rows: Vec<(GroupId, String, Option<UserId>, Option<String>)> = sqlx::query_as(
            "SELECT g.id, g.name, u.id, u.name FROM groups g
             LEFT JOIN group_members m ON m.group_id = g.id
             LEFT JOIN users u ON u.id = m.user_id AND u.active = 1
             ORDER BY g.name, g.id, u.name",
        )
        .fetch_all(&mut *self.reader().await?)
        .await?;
        let mut groups: Vec<GroupChoice> = Vec::new();
        for (id, name, member, member_name) in rows {
            if groups.last().is_none_or(|g| g.id != id) {
                groups.push(GroupChoice { id, name, members: Vec::new() });
            }
            if let (Some(member), Some(member_name), Some(group)) = (member, member_name, groups.last_mut()) {
                group.members.push((member, member_name));
            }
        }
        Ok(groups)
    }

    pub async fn set_fields(
        tx: &mut Tx,
        record: RecordId,
        fields: &Fields,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE records SET impact = ?, urgency = ?, priority = ?, priority_basis = ?, priority_reason = ?,
                 assignment_group_id = ?, assignee_id = ?, category = ?, major = ?, version = version + 1,
                 updated_at = max(updated_at, ?)
             WHERE id = ?",
        )
        .bind(fields.impact as i64)
        .bind(fields.urgency as i64)
        .bind(i64::from(fields.priority.level()))
        .bind(fields.priority_basis)
        .bind(&fields.priority_reason)
        .bind(fields.assignment_group_id)
        .bind(fields.assignee_id)
        .bind(&fields.category)
        .bind(fields.major)
        .bind(at)
        .bind(record)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}

async fn read_priority_matrix<'e>(db: impl sqlx::SqliteExecutor<'e>) -> Result<PriorityMatrix, StoreError> {
    let saved: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
        .bind(MATRIX_KEY)
        .fetch_optional(db)
        .await?;
    Ok(saved.and_then(|json| serde_json::from_str(&json).ok()).unwrap_or_default())
}
