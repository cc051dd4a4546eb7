//! Loading many records at once, for `switchboard generate`: multi-row inserts in large
//! transactions, with ids and numbers assigned up front.

use sqlx::{Postgres, QueryBuilder};

use super::{Store, StoreError};
use crate::domain::event::NewEvent;
use crate::domain::ids::{GroupId, UserId};
use crate::domain::record::{RecordKind, RecordState};
use crate::ssr::store::BulkRecord;

/// Rows per INSERT statement, well under PostgreSQL's limit of 65,535 bound values.
const ROWS_PER_STATEMENT: usize = 400;

impl Store {
    /// Inserts `records` and their events in one transaction. Numbers continue each kind's
    /// sequence.
    pub async fn bulk_insert(&self, records: &[BulkRecord]) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let first_id: i64 =
            sqlx::query_scalar("SELECT coalesce(max(id), 0) + 1 FROM records").fetch_one(&mut *tx).await?;
        let first_event: i64 = sqlx::query_scalar("SELECT coalesce(max(id), 0) + 1 FROM record_events")
            .fetch_one(&mut *tx)
            .await?;
        let mut next_seq = std::collections::HashMap::new();
        for kind in RecordKind::ALL {
            let next: i64 = sqlx::query_scalar("SELECT next FROM record_counters WHERE kind = $1")
                .bind(kind)
                .fetch_one(&mut *tx)
                .await?;
            next_seq.insert(kind, next);
        }
        let mut numbered = Vec::with_capacity(records.len());
        for (offset, record) in records.iter().enumerate() {
            let seq = next_seq.get_mut(&record.kind).map(|n| {
                *n += 1;
                *n - 1
            });
            let seq = seq.unwrap_or(1);
            let number = crate::domain::record::RecordNumber { kind: record.kind, seq }.to_string();
            numbered.push((first_id + offset as i64, seq, number, record));
        }
        for chunk in numbered.chunks(ROWS_PER_STATEMENT) {
            let mut sql: QueryBuilder<Postgres> = QueryBuilder::new(
                "INSERT INTO records (id, kind, seq, number, title, description, state, priority, impact, urgency,
                     category, requester_id, opened_by_id, assignment_group_id, assignee_id, opened_at, updated_at,
                     first_response_at, resolved_at, closed_at, hold_reason, resolution_code) ",
            );
            sql.push_values(chunk, |mut row, (id, seq, number, r)| {
                let responded = (r.state != RecordState::New)
                    .then_some(r.updated_at.min(r.opened_at + chrono::Duration::hours(1)));
                row.push_bind(*id)
                    .push_bind(r.kind)
                    .push_bind(*seq)
                    .push_bind(number.clone())
                    .push_bind(r.title.clone())
                    .push_bind("")
                    .push_bind(r.state)
                    .push_bind(i64::from(r.priority))
                    .push_bind(r.impact)
                    .push_bind(r.urgency)
                    .push_bind(r.category.clone())
                    .push_bind(r.requester)
                    .push_bind(r.requester)
                    .push_bind(r.group)
                    .push_bind(r.assignee)
                    .push_bind(r.opened_at)
                    .push_bind(r.updated_at)
                    .push_bind(responded)
                    .push_bind(r.resolved_at)
                    .push_bind(r.closed_at)
                    .push_bind(r.hold_reason)
                    .push_bind(r.resolution_code);
            });
            sql.build().execute(&mut *tx).await?;
        }
        let events: Vec<(i64, &NewEvent)> =
            numbered.iter().flat_map(|(id, _, _, r)| r.events.iter().map(move |e| (*id, e))).collect();
        for (n, chunk) in events.chunks(ROWS_PER_STATEMENT).enumerate() {
            let mut sql: QueryBuilder<Postgres> = QueryBuilder::new(
                "INSERT INTO record_events (id, record_id, actor_id, at, kind, field, from_value, to_value, body, visibility) ",
            );
            let base = first_event + (n * ROWS_PER_STATEMENT) as i64;
            sql.push_values(chunk.iter().enumerate(), |mut row, (i, (record, e))| {
                row.push_bind(base + i as i64)
                    .push_bind(*record)
                    .push_bind(e.actor)
                    .push_bind(e.at)
                    .push_bind(e.kind)
                    .push_bind(e.field.map(|f| f.as_str()))
                    .push_bind(e.from_value.clone())
                    .push_bind(e.to_value.clone())
                    .push_bind(e.body.clone())
                    .push_bind(e.visibility);
            });
            sql.build().execute(&mut *tx).await?;
        }
        // The rows came with their ids: the identities continue after them.
        for table in ["records", "record_events"] {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            );
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut *tx).await?;
        }
        for (kind, next) in next_seq {
            sqlx::query("UPDATE record_counters SET next = $1 WHERE kind = $2")
                .bind(next)
                .bind(kind)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// How many records there are.
    pub async fn count_records(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM records").fetch_one(&self.pool).await?)
    }

    /// Active agents and the groups they work in, for spreading generated work.
    pub async fn agents_and_groups(&self) -> Result<Vec<(UserId, GroupId)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT m.user_id, m.group_id FROM group_members m JOIN users u ON u.id = m.user_id
             JOIN user_roles r ON r.user_id = u.id AND r.role IN ('agent', 'admin')
             WHERE u.active GROUP BY m.user_id, m.group_id ORDER BY m.group_id, m.user_id",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// Every active person's id, for requesters of generated work.
    pub async fn active_user_ids(&self) -> Result<Vec<UserId>, StoreError> {
        Ok(sqlx::query_scalar("SELECT id FROM users WHERE active ORDER BY id").fetch_all(&self.pool).await?)
    }
}
