//! What incidents add to records: the services people can name, the priority matrix, and
//! the state moves and field edits agents make, guarded by the record's version.

use chrono::{DateTime, Utc};
use leptos::serde_json;

use super::{Store, StoreError, Tx};
use crate::domain::ids::CatalogItemId;
use crate::domain::ids::{GroupId, RecordId, ServiceId, UserId};
use crate::domain::incident::{PriorityMatrix, ReportDraft, Service};
use crate::domain::lifecycle::MoveDetails;
use crate::domain::record::{GroupChoice, Impact, Priority, PriorityBasis, RecordKind, RecordState, Urgency};
use crate::ssr::store::{Fields, Moving};

#[derive(sqlx::FromRow)]
struct FieldsRow {
    impact: i64,
    urgency: i64,
    priority: i64,
    priority_basis: PriorityBasis,
    priority_reason: String,
    assignment_group_id: Option<GroupId>,
    assignee_id: Option<UserId>,
    category: String,
    major: bool,
    version: i64,
}

const MATRIX_KEY: &str = "priority_matrix";
const TIME_ZONE_KEY: &str = "time_zone";

impl Store {
    pub async fn insert_service(tx: &mut Tx, name: &str, description: &str) -> Result<ServiceId, StoreError> {
        Ok(sqlx::query_scalar("INSERT INTO services (name, description) VALUES (?, ?) RETURNING id")
            .bind(name)
            .bind(description)
            .fetch_one(&mut **tx)
            .await?)
    }

    /// Active services, by name.
    pub async fn list_services(&self) -> Result<Vec<Service>, StoreError> {
        Ok(sqlx::query_as("SELECT id, name FROM services WHERE active = 1 ORDER BY name")
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    /// The priority matrix admins set, or the default one.
    pub async fn priority_matrix(&self) -> Result<PriorityMatrix, StoreError> {
        read_priority_matrix(&mut *self.reader().await?).await
    }

    /// The priority matrix inside `tx`: a write never waits for a reader's connection
    /// while it holds the write lock.
    pub async fn priority_matrix_in(tx: &mut Tx) -> Result<PriorityMatrix, StoreError> {
        read_priority_matrix(&mut **tx).await
    }

    /// The organisation's time zone: what people who have not chosen their own read dates in.
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

    /// Keeps a report that didn't go through under `token` for `user`; drafts older than a
    /// day go.
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

    /// `user`'s draft under `token`; nobody else's.
    pub async fn report_draft(&self, user: UserId, token: &str) -> Result<Option<ReportDraft>, StoreError> {
        let json: Option<String> =
            sqlx::query_scalar("SELECT draft FROM report_drafts WHERE token = ? AND user_id = ?")
                .bind(token)
                .bind(user)
                .fetch_optional(&mut *self.reader().await?)
                .await?;
        Ok(json.and_then(|json| serde_json::from_str(&json).ok()))
    }

    /// What the record engine needs of a record it moves, read inside its transaction.
    pub async fn moving(tx: &mut Tx, record: RecordId) -> Result<Moving, StoreError> {
        Ok(sqlx::query_as(
            "SELECT number, kind, state, version, requester_id, parent_id FROM records WHERE id = ?",
        )
        .bind(record)
        .fetch_one(&mut **tx)
        .await?)
    }

    /// What picks a record's service-level policy besides its priority and group.
    pub async fn clock_subject(
        tx: &mut Tx,
        record: RecordId,
    ) -> Result<(RecordKind, Option<CatalogItemId>, DateTime<Utc>), StoreError> {
        Ok(sqlx::query_as("SELECT kind, catalog_item_id, opened_at FROM records WHERE id = ?")
            .bind(record)
            .fetch_one(&mut **tx)
            .await?)
    }

    /// Who hears of a record's resolution: its requester and watchers, but not `actor`.
    pub async fn people_to_tell(
        tx: &mut Tx,
        record: RecordId,
        actor: Option<UserId>,
    ) -> Result<Vec<UserId>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT requester_id FROM records WHERE id = ?1
             UNION SELECT user_id FROM record_watchers WHERE record_id = ?1
             EXCEPT SELECT ?2 ORDER BY 1",
        )
        .bind(record)
        .bind(actor)
        .fetch_all(&mut **tx)
        .await?)
    }

    /// Moves a record to `state` with what the move keeps (hold reason, resolution), and
    /// counts a new version. The caller appends the events.
    pub async fn apply_move(
        tx: &mut Tx,
        record: RecordId,
        state: RecordState,
        kept: &MoveDetails,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        Self::update_record_state(tx, record, state, at).await?;
        let reopened = state == RecordState::InProgress;
        sqlx::query(
            "UPDATE records SET hold_reason = ?, version = version + 1,
                 resolution_code = CASE WHEN ? THEN NULL ELSE coalesce(?, resolution_code) END,
                 resolution_notes = CASE WHEN ? THEN '' WHEN ? != '' THEN ? ELSE resolution_notes END,
                 resolved_at = CASE WHEN ? THEN NULL ELSE resolved_at END
             WHERE id = ?",
        )
        .bind(kept.hold_reason)
        .bind(reopened)
        .bind(kept.resolution_code)
        .bind(reopened)
        .bind(&kept.resolution_notes)
        .bind(&kept.resolution_notes)
        .bind(reopened)
        .bind(record)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Every group with its active members, by name.
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

    /// A record's fields and version, read inside the writer's transaction.
    pub async fn record_fields(tx: &mut Tx, record: RecordId) -> Result<(Fields, i64), StoreError> {
        let row: FieldsRow = sqlx::query_as(
            "SELECT impact, urgency, priority, priority_basis, priority_reason, assignment_group_id,
                    assignee_id, category, major, version
             FROM records WHERE id = ?",
        )
        .bind(record)
        .fetch_one(&mut **tx)
        .await?;
        let fields = Fields {
            impact: Impact::from_level(row.impact).unwrap_or(Impact::Low),
            urgency: Urgency::from_level(row.urgency).unwrap_or(Urgency::Low),
            priority: u8::try_from(row.priority).ok().and_then(Priority::new).unwrap_or(Priority::LOWEST),
            priority_basis: row.priority_basis,
            priority_reason: row.priority_reason,
            assignment_group_id: row.assignment_group_id,
            assignee_id: row.assignee_id,
            category: row.category,
            major: row.major,
        };
        Ok((fields, row.version))
    }

    /// Sets a record's fields and counts a new version. The record engine appends the events.
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
