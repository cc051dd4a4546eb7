//! Calendars, service-level policies and the clocks records run.

use crate::ssr::store::portable::sla::*;
use chrono::{DateTime, Utc};

use super::{Store, StoreError, Tx};
use crate::domain::calendar::CalendarDef;
use crate::domain::ids::{GroupId, RecordId, UserId};
use crate::domain::sla_policy::SlaPolicy;
use crate::ssr::store::{ClockBadgeRow, DueClockRow};

impl Store {
    pub async fn calendars(&self) -> Result<Vec<(i64, CalendarDef)>, StoreError> {
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, definition::text FROM calendars ORDER BY id")
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter().map(|(id, json)| Ok((id, decode(&json)?))).collect()
    }

    pub async fn insert_calendar(tx: &mut Tx, calendar: &CalendarDef) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("INSERT INTO calendars (name, definition) VALUES ($1, $2::jsonb) RETURNING id")
            .bind(&calendar.name)
            .bind(encode(calendar)?)
            .fetch_one(&mut **tx)
            .await?)
    }

    pub async fn save_calendar(&self, id: Option<i64>, calendar: &CalendarDef) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let id = match id {
            None => Self::insert_calendar(&mut tx, calendar).await?,
            Some(id) => {
                let changed =
                    sqlx::query("UPDATE calendars SET name = $1, definition = $2::jsonb WHERE id = $3")
                        .bind(&calendar.name)
                        .bind(encode(calendar)?)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                if changed == 0 {
                    return Err(StoreError::NotFound);
                }
                id
            }
        };
        tx.commit().await?;
        Ok(id)
    }

    pub async fn save_policy(&self, id: Option<i64>, policy: &SlaPolicy) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let id = match id {
            None => Self::insert_policy(&mut tx, policy).await?,
            Some(id) => {
                let changed = sqlx::query(
                    "UPDATE sla_policies SET name = $1, calendar_id = $2, definition = $3::jsonb WHERE id = $4",
                )
                .bind(&policy.name)
                .bind(policy.calendar_id)
                .bind(encode(policy)?)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if changed == 0 {
                    return Err(StoreError::NotFound);
                }
                id
            }
        };
        tx.commit().await?;
        Ok(id)
    }

    pub async fn move_policy(&self, id: i64, up: bool) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let ordered: Vec<i64> = sqlx::query_scalar("SELECT id FROM sla_policies ORDER BY position, id")
            .fetch_all(&mut *tx)
            .await?;
        super::catalog::reorder(&mut tx, "sla_policies", ordered, id, up).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn active_user_by_email(&self, email: &str) -> Result<Option<UserId>, StoreError> {
        Ok(sqlx::query_scalar("SELECT id FROM users WHERE lower(email) = lower($1) AND active")
            .bind(email.trim())
            .fetch_optional(&self.pool)
            .await?)
    }

    pub async fn sla_policies(&self) -> Result<Vec<SlaPolicy>, StoreError> {
        read_sla_policies(&self.pool).await
    }

    pub async fn sla_policies_in(tx: &mut Tx) -> Result<Vec<SlaPolicy>, StoreError> {
        read_sla_policies(&mut **tx).await
    }

    pub async fn insert_policy(tx: &mut Tx, policy: &SlaPolicy) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(
            "INSERT INTO sla_policies (position, name, calendar_id, definition)
             VALUES ((SELECT coalesce(max(position), 0) + 1 FROM sla_policies), $1, $2, $3::jsonb) RETURNING id",
        )
        .bind(&policy.name)
        .bind(policy.calendar_id)
        .bind(encode(policy)?)
        .fetch_one(&mut **tx)
        .await?)
    }

    pub async fn set_clock(
        tx: &mut Tx,
        record: RecordId,
        kind: &str,
        policy: i64,
        started_at: DateTime<Utc>,
        target_minutes: u32,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO record_clocks (record_id, kind, policy_id, started_at, target_minutes) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (record_id, kind) DO UPDATE
             SET policy_id = excluded.policy_id, target_minutes = excluded.target_minutes,
                 computed_at = CASE WHEN record_clocks.policy_id = excluded.policy_id
                                     AND record_clocks.target_minutes = excluded.target_minutes
                                    THEN record_clocks.computed_at END",
        )
        .bind(record)
        .bind(kind)
        .bind(policy)
        .bind(started_at)
        .bind(i64::from(target_minutes))
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    pub async fn mark_clock(
        tx: &mut Tx,
        record: RecordId,
        kind: &str,
        breach: bool,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let sql = if breach {
            "UPDATE record_clocks SET breached_at = $1, warned_at = coalesce(warned_at, $2)
             WHERE record_id = $3 AND kind = $4 AND breached_at IS NULL"
        } else {
            "UPDATE record_clocks SET warned_at = $1, computed_at = coalesce(computed_at, $2)
             WHERE record_id = $3 AND kind = $4 AND warned_at IS NULL"
        };
        let changed = sqlx::query(sql)
            .bind(at)
            .bind(at)
            .bind(record)
            .bind(kind)
            .execute(&mut **tx)
            .await?
            .rows_affected();
        Ok(changed == 1)
    }

    pub async fn clock_badges(&self, records: &[RecordId]) -> Result<Vec<ClockBadgeRow>, StoreError> {
        if records.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql: sqlx::QueryBuilder<sqlx::Postgres> = sqlx::QueryBuilder::new(
            "SELECT record_id, state, due_at, warned_at IS NOT NULL AS warned FROM record_clocks WHERE record_id IN (",
        );
        let mut ids = sql.separated(", ");
        for id in records {
            ids.push_bind(*id);
        }
        sql.push(")");
        Ok(sql.build_query_as().fetch_all(&self.pool).await?)
    }

    pub async fn breaching_soon(
        &self,
        groups: Option<&[GroupId]>,
        limit: i64,
    ) -> Result<Vec<DueClockRow>, StoreError> {
        let mut sql: sqlx::QueryBuilder<sqlx::Postgres> = sqlx::QueryBuilder::new(format!(
            "SELECT r.id, r.number, r.kind, r.title, r.state, r.priority, g.name AS group_name,
                    a.name AS assignee_name, c.kind AS clock, c.due_at,
                    c.warned_at IS NOT NULL AS warned, c.breached_at IS NOT NULL AS breached
             FROM record_clocks c
             JOIN records r ON r.id = c.record_id
             LEFT JOIN groups g ON g.id = r.assignment_group_id
             LEFT JOIN users a ON a.id = r.assignee_id
             WHERE c.due_at IS NOT NULL AND c.stopped_at IS NULL AND {}",
            super::open_states("r.state")
        ));
        if let Some(groups) = groups {
            sql.push(" AND r.assignment_group_id IN (NULL");
            for group in groups {
                sql.push(", ").push_bind(*group);
            }
            sql.push(")");
        }
        sql.push(" ORDER BY c.due_at, r.id LIMIT ").push_bind(limit);
        Ok(sql.build_query_as().fetch_all(&self.pool).await?)
    }
}

async fn read_sla_policies<'e>(db: impl sqlx::PgExecutor<'e>) -> Result<Vec<SlaPolicy>, StoreError> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, definition::text FROM sla_policies ORDER BY position, id")
            .fetch_all(db)
            .await?;
    rows.into_iter()
        .map(|(id, json)| {
            let mut policy: SlaPolicy = decode(&json)?;
            policy.id = id;
            Ok(policy)
        })
        .collect()
}
