//! What incidents add to records: the priority matrix, and
//! the state moves and field edits agents make, guarded by the record's version.

use chrono::{DateTime, Utc};

use crate::domain::ids::CatalogItemId;
use crate::domain::ids::{GroupId, RecordId, UserId};
use crate::domain::lifecycle::MoveDetails;
use crate::domain::record::{Impact, Priority, PriorityBasis, RecordKind, RecordState, Urgency};
use crate::ssr::store::StoreError;
use crate::ssr::store::{Fields, Moving};

#[derive(sqlx::FromRow)]
pub(in crate::ssr::store) struct FieldsRow {
    pub(in crate::ssr::store) impact: i64,
    pub(in crate::ssr::store) urgency: i64,
    pub(in crate::ssr::store) priority: i64,
    pub(in crate::ssr::store) priority_basis: PriorityBasis,
    pub(in crate::ssr::store) priority_reason: String,
    pub(in crate::ssr::store) assignment_group_id: Option<GroupId>,
    pub(in crate::ssr::store) assignee_id: Option<UserId>,
    pub(in crate::ssr::store) category: String,
    pub(in crate::ssr::store) major: bool,
    pub(in crate::ssr::store) version: i64,
}

pub(in crate::ssr::store) const MATRIX_KEY: &str = "priority_matrix";
pub(in crate::ssr::store) const TIME_ZONE_KEY: &str = "time_zone";

on_both_backends! {    pub async fn moving(tx: &mut Tx, record: RecordId) -> Result<Moving, StoreError> {
        Ok(sqlx::query_as(
            "SELECT number, kind, state, version, requester_id, parent_id FROM records WHERE id = $1",
        )
        .bind(record)
        .fetch_one(&mut **tx)
        .await?)
    }

    pub async fn clock_subject(
        tx: &mut Tx,
        record: RecordId,
    ) -> Result<(RecordKind, Option<CatalogItemId>, DateTime<Utc>), StoreError> {
        Ok(sqlx::query_as("SELECT kind, catalog_item_id, opened_at FROM records WHERE id = $1")
            .bind(record)
            .fetch_one(&mut **tx)
            .await?)
    }

    pub async fn people_to_tell(
        tx: &mut Tx,
        record: RecordId,
        actor: Option<UserId>,
    ) -> Result<Vec<UserId>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT requester_id FROM records WHERE id = $1
             UNION SELECT user_id FROM record_watchers WHERE record_id = $1
             EXCEPT SELECT $2 ORDER BY 1",
        )
        .bind(record)
        .bind(actor)
        .fetch_all(&mut **tx)
        .await?)
    }

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
            "UPDATE records SET hold_reason = $1, version = version + 1,
                 resolution_code = CASE WHEN $2 THEN NULL ELSE coalesce($3, resolution_code) END,
                 resolution_notes = CASE WHEN $4 THEN '' WHEN $5 != '' THEN $6 ELSE resolution_notes END,
                 resolved_at = CASE WHEN $7 THEN NULL ELSE resolved_at END
             WHERE id = $8",
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

    pub async fn record_fields(tx: &mut Tx, record: RecordId) -> Result<(Fields, i64), StoreError> {
        let row: FieldsRow = sqlx::query_as(
            "SELECT impact, urgency, priority, priority_basis, priority_reason, assignment_group_id,
                    assignee_id, category, major, version
             FROM records WHERE id = $1",
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
}
