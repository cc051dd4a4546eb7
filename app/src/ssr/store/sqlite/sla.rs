//! Calendars, service-level policies and the clocks records run.

use chrono::{DateTime, Utc};
use leptos::serde_json;

use super::{Store, StoreError, Tx};
use crate::domain::calendar::CalendarDef;
use crate::domain::ids::CatalogItemId;
use crate::domain::ids::{GroupId, RecordId, UserId};
use crate::domain::sla_policy::SlaPolicy;
use crate::ssr::store::{
    AttainmentRow, ClockBadgeRow, ClockEvent, ClockMoments, ClockRow, ClockedRecord, DueClockRow,
};

fn decode<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Db(sqlx::Error::Decode(Box::new(e))))
}

fn encode<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Db(sqlx::Error::Encode(Box::new(e))))
}

impl Store {
    /// Every calendar, by id.
    pub async fn calendars(&self) -> Result<Vec<(i64, CalendarDef)>, StoreError> {
        let rows: Vec<(i64, String)> = sqlx::query_as("SELECT id, definition FROM calendars ORDER BY id")
            .fetch_all(&mut *self.reader().await?)
            .await?;
        rows.into_iter().map(|(id, json)| Ok((id, decode(&json)?))).collect()
    }

    pub async fn insert_calendar(tx: &mut Tx, calendar: &CalendarDef) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("INSERT INTO calendars (name, definition) VALUES (?, ?) RETURNING id")
            .bind(&calendar.name)
            .bind(encode(calendar)?)
            .fetch_one(&mut **tx)
            .await?)
    }

    /// Adds a calendar (`id` none) or replaces one; false when there is none with `id`.
    pub async fn save_calendar(&self, id: Option<i64>, calendar: &CalendarDef) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let id = match id {
            None => Self::insert_calendar(&mut tx, calendar).await?,
            Some(id) => {
                let changed = sqlx::query("UPDATE calendars SET name = ?, definition = ? WHERE id = ?")
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

    /// Adds a policy after the others (`id` none) or replaces one in its place.
    pub async fn save_policy(&self, id: Option<i64>, policy: &SlaPolicy) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let id = match id {
            None => Self::insert_policy(&mut tx, policy).await?,
            Some(id) => {
                let changed = sqlx::query(
                    "UPDATE sla_policies SET name = ?, calendar_id = ?, definition = ? WHERE id = ?",
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

    /// Swaps policy `id` with the one tried before (`up`) or after it.
    pub async fn move_policy(&self, id: i64, up: bool) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let ordered: Vec<i64> = sqlx::query_scalar("SELECT id FROM sla_policies ORDER BY position, id")
            .fetch_all(&mut *tx)
            .await?;
        super::catalog::reorder(&mut tx, "sla_policies", ordered, id, up).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The ids a policy may refer to: groups and catalog items.
    pub async fn policy_references(&self) -> Result<(Vec<GroupId>, Vec<CatalogItemId>), StoreError> {
        let groups = sqlx::query_scalar("SELECT id FROM groups ORDER BY id")
            .fetch_all(&mut *self.reader().await?)
            .await?;
        let items = sqlx::query_scalar("SELECT id FROM catalog_items ORDER BY id")
            .fetch_all(&mut *self.reader().await?)
            .await?;
        Ok((groups, items))
    }

    /// Every catalog item by name, for a policy's conditions.
    pub async fn catalog_item_names(&self) -> Result<Vec<(CatalogItemId, String)>, StoreError> {
        Ok(sqlx::query_as("SELECT id, name FROM catalog_items ORDER BY name")
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }

    /// The e-mail of each of `people`.
    pub async fn emails_of(&self, people: &[UserId]) -> Result<Vec<(UserId, String)>, StoreError> {
        let mut out = Vec::new();
        for person in people {
            let email: Option<String> = sqlx::query_scalar("SELECT email FROM users WHERE id = ?")
                .bind(person)
                .fetch_optional(&mut *self.reader().await?)
                .await?;
            out.extend(email.map(|e| (*person, e)));
        }
        Ok(out)
    }

    /// An active user's id by e-mail.
    pub async fn active_user_by_email(&self, email: &str) -> Result<Option<UserId>, StoreError> {
        Ok(sqlx::query_scalar("SELECT id FROM users WHERE email = ? COLLATE NOCASE AND active")
            .bind(email.trim())
            .fetch_optional(&mut *self.reader().await?)
            .await?)
    }

    /// Every policy, in the order they are tried.
    pub async fn sla_policies(&self) -> Result<Vec<SlaPolicy>, StoreError> {
        read_sla_policies(&mut *self.reader().await?).await
    }

    /// Every policy inside `tx`: a write never waits for a reader's connection while it
    /// holds the write lock.
    pub async fn sla_policies_in(tx: &mut Tx) -> Result<Vec<SlaPolicy>, StoreError> {
        read_sla_policies(&mut **tx).await
    }

    /// Adds a policy after the others.
    pub async fn insert_policy(tx: &mut Tx, policy: &SlaPolicy) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(
            "INSERT INTO sla_policies (position, name, calendar_id, definition)
             VALUES ((SELECT coalesce(max(position), 0) + 1 FROM sla_policies), ?, ?, ?) RETURNING id",
        )
        .bind(&policy.name)
        .bind(policy.calendar_id)
        .bind(encode(policy)?)
        .fetch_one(&mut **tx)
        .await?)
    }

    /// Sets a record's clock of `kind` to `policy` and `target_minutes`. A clock that
    /// already runs keeps its start, so what has passed stays counted; moved to another
    /// policy or target, it is due for the job to compute again.
    pub async fn set_clock(
        tx: &mut Tx,
        record: RecordId,
        kind: &str,
        policy: i64,
        started_at: DateTime<Utc>,
        target_minutes: u32,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO record_clocks (record_id, kind, policy_id, started_at, target_minutes) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (record_id, kind) DO UPDATE
             SET policy_id = excluded.policy_id, target_minutes = excluded.target_minutes,
                 computed_at = CASE WHEN policy_id = excluded.policy_id AND target_minutes = excluded.target_minutes
                                    THEN computed_at END",
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

    /// Removes a record's clocks other than `keep`.
    pub async fn drop_clocks_except(tx: &mut Tx, record: RecordId, keep: &[&str]) -> Result<(), StoreError> {
        let (response, resolution) = (keep.contains(&"response"), keep.contains(&"resolution"));
        sqlx::query(
            "DELETE FROM record_clocks WHERE record_id = ?
             AND NOT ((kind = 'response' AND ?) OR (kind = 'resolution' AND ?))",
        )
        .bind(record)
        .bind(response)
        .bind(resolution)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    pub async fn record_clocks(&self, record: RecordId) -> Result<Vec<ClockRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT kind, policy_id, started_at, target_minutes FROM record_clocks WHERE record_id = ? ORDER BY kind DESC",
        )
        .bind(record)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }

    /// Records whose clocks were computed before their last change (or never): the job
    /// brings their warning and due times up to date. At most `limit` at a time.
    pub async fn stale_clock_records(&self, limit: i64) -> Result<Vec<ClockedRecord>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT DISTINCT r.id, r.number, r.kind, r.priority, r.catalog_item_id, r.state, r.opened_at,
                    r.requester_id, r.assignee_id,
                    r.assignment_group_id
             FROM record_clocks c JOIN records r ON r.id = c.record_id
             WHERE c.computed_at IS NULL OR c.computed_at < r.updated_at
             LIMIT ?",
        )
        .bind(limit)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }

    /// Records whose clock has reached its warning or its target and hasn't said so yet.
    pub async fn due_clock_records(&self, now: DateTime<Utc>) -> Result<Vec<ClockedRecord>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT DISTINCT r.id, r.number, r.kind, r.priority, r.catalog_item_id, r.state, r.opened_at,
                    r.requester_id, r.assignee_id,
                    r.assignment_group_id
             FROM record_clocks c JOIN records r ON r.id = c.record_id
             WHERE (c.warned_at IS NULL AND c.warn_at <= ?1) OR (c.breached_at IS NULL AND c.due_at <= ?1)",
        )
        .bind(now)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }

    /// Keeps where a clock stands, as computed at `now`: when it will warn and fall due
    /// (none unless it runs), its state, and when it stopped.
    pub async fn set_clock_moments(
        tx: &mut Tx,
        record: RecordId,
        kind: &str,
        moments: &ClockMoments,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE record_clocks SET warn_at = ?, due_at = ?, state = ?, stopped_at = ?, computed_at = ?
             WHERE record_id = ? AND kind = ?",
        )
        .bind(moments.warn_at)
        .bind(moments.due_at)
        .bind(moments.state)
        .bind(moments.stopped_at)
        .bind(now)
        .bind(record)
        .bind(kind)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Marks a clock's warning (`breach` false) or breach as raised at `at`; false when it
    /// already was, so each is raised once however many times the job looks.
    pub async fn mark_clock(
        tx: &mut Tx,
        record: RecordId,
        kind: &str,
        breach: bool,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let sql = if breach {
            "UPDATE record_clocks SET breached_at = ?, warned_at = coalesce(warned_at, ?)
             WHERE record_id = ? AND kind = ? AND breached_at IS NULL"
        } else {
            "UPDATE record_clocks SET warned_at = ?, computed_at = coalesce(computed_at, ?)
             WHERE record_id = ? AND kind = ? AND warned_at IS NULL"
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

    /// A record's events as its clocks read them, oldest first.
    pub async fn clock_events(&self, record: RecordId) -> Result<Vec<ClockEvent>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT at, kind, field, from_value, to_value, actor_id, visibility FROM record_events WHERE record_id = ? ORDER BY at, id",
        )
        .bind(record)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }

    /// The clocks of `records`, as the job last computed them.
    pub async fn clock_badges(&self, records: &[RecordId]) -> Result<Vec<ClockBadgeRow>, StoreError> {
        if records.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql: sqlx::QueryBuilder<sqlx::Sqlite> = sqlx::QueryBuilder::new(
            "SELECT record_id, state, due_at, warned_at IS NOT NULL AS warned FROM record_clocks WHERE record_id IN (",
        );
        let mut ids = sql.separated(", ");
        for id in records {
            ids.push_bind(*id);
        }
        sql.push(")");
        Ok(sql.build_query_as().fetch_all(&mut *self.reader().await?).await?)
    }

    /// Running clocks of open records, soonest due first (those already past it first of
    /// all), for agents in `groups` or every group (`None`); at most `limit`.
    pub async fn breaching_soon(
        &self,
        groups: Option<&[GroupId]>,
        limit: i64,
    ) -> Result<Vec<DueClockRow>, StoreError> {
        let mut sql: sqlx::QueryBuilder<sqlx::Sqlite> = sqlx::QueryBuilder::new(format!(
            "SELECT r.id, r.number, r.kind, r.title, r.state, r.priority, g.name AS group_name,
                    a.name AS assignee_name, c.kind AS clock, c.due_at,
                    c.warned_at IS NOT NULL AS warned, c.breached_at IS NOT NULL AS breached
             FROM record_clocks c INDEXED BY record_clocks_running_due
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
        Ok(sql.build_query_as().fetch_all(&mut *self.reader().await?).await?)
    }

    /// Clocks met (stopped in time) or breached in `[from, to)`, by policy, group and clock.
    pub async fn attainment(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<AttainmentRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT p.name AS policy, g.name AS group_name, d.kind AS clock,
                    sum(d.met) AS met, sum(d.breached) AS breached
             FROM (
                 SELECT record_id, kind, policy_id, 1 AS met, 0 AS breached FROM record_clocks
                 WHERE stopped_at >= ?1 AND stopped_at < ?2 AND state = 'met'
                 UNION ALL
                 SELECT record_id, kind, policy_id, 0, 1 FROM record_clocks
                 WHERE breached_at >= ?1 AND breached_at < ?2
             ) d
             JOIN sla_policies p ON p.id = d.policy_id
             JOIN records r ON r.id = d.record_id
             LEFT JOIN groups g ON g.id = r.assignment_group_id
             GROUP BY p.position, p.name, g.name, d.kind
             ORDER BY p.position, p.name, g.name IS NULL, g.name, d.kind DESC",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }
}

async fn read_sla_policies<'e>(db: impl sqlx::SqliteExecutor<'e>) -> Result<Vec<SlaPolicy>, StoreError> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, definition FROM sla_policies ORDER BY position, id").fetch_all(db).await?;
    rows.into_iter()
        .map(|(id, json)| {
            let mut policy: SlaPolicy = decode(&json)?;
            policy.id = id;
            Ok(policy)
        })
        .collect()
}
