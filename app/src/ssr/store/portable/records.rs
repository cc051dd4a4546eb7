//! Work records, their numbers and their append-only event log.

use chrono::{DateTime, Utc};

use crate::domain::event::{EventKind, NewEvent, Visibility};
use crate::domain::ids::{CatalogItemId, EventId, GroupId, RecordId, UserId};
use crate::domain::lifecycle::{HoldReason, ResolutionCode};
use crate::domain::record::{Priority, RecordKind, RecordNumber, RecordState, RecordSummary};
use crate::ssr::store::NewRecord;
use crate::ssr::store::StoreError;

#[derive(sqlx::FromRow)]
pub(in crate::ssr::store) struct SummaryRow {
    pub(in crate::ssr::store) id: RecordId,
    pub(in crate::ssr::store) number: String,
    pub(in crate::ssr::store) kind: RecordKind,
    pub(in crate::ssr::store) title: String,
    pub(in crate::ssr::store) state: RecordState,
    pub(in crate::ssr::store) priority: i64,
    pub(in crate::ssr::store) requester_name: String,
    pub(in crate::ssr::store) group_name: Option<String>,
    pub(in crate::ssr::store) assignee_name: Option<String>,
    pub(in crate::ssr::store) updated_at: DateTime<Utc>,
}

impl From<SummaryRow> for RecordSummary {
    fn from(r: SummaryRow) -> Self {
        RecordSummary {
            id: r.id,
            number: r.number,
            kind: r.kind,
            title: r.title,
            state: r.state,
            priority: u8::try_from(r.priority).ok().and_then(Priority::new).unwrap_or(Priority::LOWEST),
            requester_name: r.requester_name,
            group_name: r.group_name,
            assignee_name: r.assignee_name,
            updated_at: r.updated_at,
        }
    }
}

pub(in crate::ssr::store) const SUMMARY_SELECT: &str =
    "SELECT r.id, r.number, r.kind, r.title, r.state, r.priority, r.updated_at,
        req.name AS requester_name, g.name AS group_name, a.name AS assignee_name
     FROM records r
     JOIN users req ON req.id = r.requester_id
     LEFT JOIN groups g ON g.id = r.assignment_group_id
     LEFT JOIN users a ON a.id = r.assignee_id";

#[derive(sqlx::FromRow)]
pub(in crate::ssr::store) struct DetailRow {
    pub(in crate::ssr::store) id: RecordId,
    pub(in crate::ssr::store) number: String,
    pub(in crate::ssr::store) kind: RecordKind,
    pub(in crate::ssr::store) title: String,
    pub(in crate::ssr::store) description: String,
    pub(in crate::ssr::store) state: RecordState,
    pub(in crate::ssr::store) priority: i64,
    pub(in crate::ssr::store) category: String,
    pub(in crate::ssr::store) requester_id: UserId,
    pub(in crate::ssr::store) opened_by_id: UserId,
    pub(in crate::ssr::store) opened_at: DateTime<Utc>,
    pub(in crate::ssr::store) updated_at: DateTime<Utc>,
    pub(in crate::ssr::store) requester_name: String,
    pub(in crate::ssr::store) opened_by_name: String,
    pub(in crate::ssr::store) group_name: Option<String>,
    pub(in crate::ssr::store) assignee_name: Option<String>,
    pub(in crate::ssr::store) catalog_item_name: Option<String>,
    pub(in crate::ssr::store) catalog_item_id: Option<CatalogItemId>,
    pub(in crate::ssr::store) impact: i64,
    pub(in crate::ssr::store) urgency: i64,
    pub(in crate::ssr::store) assignment_group_id: Option<GroupId>,
    pub(in crate::ssr::store) assignee_id: Option<UserId>,
    pub(in crate::ssr::store) hold_reason: Option<HoldReason>,
    pub(in crate::ssr::store) resolution_code: Option<ResolutionCode>,
    pub(in crate::ssr::store) resolution_notes: String,
    pub(in crate::ssr::store) major: bool,
    pub(in crate::ssr::store) priority_basis: crate::domain::record::PriorityBasis,
    pub(in crate::ssr::store) priority_reason: String,
    pub(in crate::ssr::store) version: i64,
}

#[derive(sqlx::FromRow)]
pub(in crate::ssr::store) struct EventRow {
    pub(in crate::ssr::store) id: EventId,
    pub(in crate::ssr::store) actor_name: Option<String>,
    pub(in crate::ssr::store) at: DateTime<Utc>,
    pub(in crate::ssr::store) kind: EventKind,
    pub(in crate::ssr::store) field: Option<String>,
    pub(in crate::ssr::store) from_value: Option<String>,
    pub(in crate::ssr::store) to_value: Option<String>,
    pub(in crate::ssr::store) body: Option<String>,
    pub(in crate::ssr::store) visibility: Visibility,
    pub(in crate::ssr::store) from_name: Option<String>,
    pub(in crate::ssr::store) to_name: Option<String>,
    pub(in crate::ssr::store) to_size: Option<i64>,
}

on_both_backends! {    pub async fn allocate_number(tx: &mut Tx, kind: RecordKind) -> Result<RecordNumber, StoreError> {
        let seq: i64 = sqlx::query_scalar(
            "UPDATE record_counters SET next = next + 1 WHERE kind = $1 RETURNING next - 1",
        )
        .bind(kind)
        .fetch_one(&mut **tx)
        .await?;
        RecordNumber::new(kind, seq)
            .map_err(|_| StoreError::Db(sqlx::Error::Protocol("record counter below 1".into())))
    }

    pub async fn insert_record(
        tx: &mut Tx,
        record: &NewRecord,
        priority: Priority,
    ) -> Result<(RecordId, RecordNumber), StoreError> {
        let number = Self::allocate_number(tx, record.kind).await?;
        let id: RecordId = sqlx::query_scalar(
            "INSERT INTO records (kind, seq, number, title, description, state, priority, impact, urgency,
                 category, requester_id, opened_by_id, assignment_group_id, assignee_id, catalog_item_id,
                 opened_at, updated_at, parent_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id",
        )
        .bind(record.kind)
        .bind(number.seq)
        .bind(number.to_string())
        .bind(record.title.as_str())
        .bind(&record.description)
        .bind(crate::domain::lifecycle::lifecycle(record.kind).initial)
        .bind(i64::from(priority.level()))
        .bind(record.impact as i64)
        .bind(record.urgency as i64)
        .bind(&record.category)
        .bind(record.requester)
        .bind(record.opened_by)
        .bind(record.assignment_group)
        .bind(record.assignee)
        .bind(record.catalog_item)
        .bind(record.opened_at)
        .bind(record.opened_at)
        .bind(record.parent)
        .fetch_one(&mut **tx)
        .await?;
        Self::append_event(tx, id, &NewEvent::created(Some(record.opened_by), record.opened_at)).await?;
        Ok((id, number))
    }

    pub(in crate::ssr::store) async fn update_record_state(
        tx: &mut Tx,
        record: RecordId,
        state: RecordState,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let (resolved, closed) = match state {
            RecordState::Resolved | RecordState::Fulfilled => (Some(at), None),
            RecordState::Closed | RecordState::Rejected | RecordState::Cancelled => (None, Some(at)),
            _ => (None, None),
        };
        sqlx::query(
            "UPDATE records SET state = $1,
                 resolved_at = coalesce($2, resolved_at),
                 closed_at = coalesce($3, closed_at),
                 first_response_at = coalesce(first_response_at, CASE WHEN $4 != 'new' THEN $5 END)
             WHERE id = $6",
        )
        .bind(state)
        .bind(resolved)
        .bind(closed)
        .bind(state)
        .bind(at)
        .bind(record)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}
