//! Calendars, service-level policies and the clocks records run.

use chrono::{DateTime, Utc};
use leptos::serde_json;

use crate::domain::ids::CatalogItemId;
use crate::domain::ids::{GroupId, RecordId, UserId};
use crate::ssr::store::StoreError;
use crate::ssr::store::{AttainmentRow, ClockEvent, ClockMoments, ClockRow, ClockedRecord};

pub(in crate::ssr::store) fn decode<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Db(sqlx::Error::Decode(Box::new(e))))
}

pub(in crate::ssr::store) fn encode<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Db(sqlx::Error::Encode(Box::new(e))))
}

on_both_backends! {    pub async fn policy_references(&self) -> Result<(Vec<GroupId>, Vec<CatalogItemId>), StoreError> {
        let groups = sqlx::query_scalar("SELECT id FROM groups ORDER BY id").fetch_all(&mut *self.reader().await?).await?;
        let items =
            sqlx::query_scalar("SELECT id FROM catalog_items ORDER BY id").fetch_all(&mut *self.reader().await?).await?;
        Ok((groups, items))
    }

    pub async fn catalog_item_names(&self) -> Result<Vec<(CatalogItemId, String)>, StoreError> {
        Ok(sqlx::query_as("SELECT id, name FROM catalog_items ORDER BY name").fetch_all(&mut *self.reader().await?).await?)
    }

    pub async fn emails_of(&self, people: &[UserId]) -> Result<Vec<(UserId, String)>, StoreError> {
        let mut out = Vec::new();
        for person in people {
            let email: Option<String> = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
                .bind(person)
                .fetch_optional(&mut *self.reader().await?)
                .await?;
            out.extend(email.map(|e| (*person, e)));
        }
        Ok(out)
    }

    pub async fn drop_clocks_except(tx: &mut Tx, record: RecordId, keep: &[&str]) -> Result<(), StoreError> {
        let (response, resolution) = (keep.contains(&"response"), keep.contains(&"resolution"));
        sqlx::query(
            "DELETE FROM record_clocks WHERE record_id = $1
             AND NOT ((kind = 'response' AND $2) OR (kind = 'resolution' AND $3))",
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
            "SELECT kind, policy_id, started_at, target_minutes FROM record_clocks WHERE record_id = $1 ORDER BY kind DESC",
        )
        .bind(record)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }

    pub async fn stale_clock_records(&self, limit: i64) -> Result<Vec<ClockedRecord>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT DISTINCT r.id, r.number, r.kind, r.priority, r.catalog_item_id, r.state, r.opened_at,
                    r.requester_id, r.assignee_id,
                    r.assignment_group_id
             FROM record_clocks c JOIN records r ON r.id = c.record_id
             WHERE c.computed_at IS NULL OR c.computed_at < r.updated_at
             LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }

    pub async fn due_clock_records(&self, now: DateTime<Utc>) -> Result<Vec<ClockedRecord>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT DISTINCT r.id, r.number, r.kind, r.priority, r.catalog_item_id, r.state, r.opened_at,
                    r.requester_id, r.assignee_id,
                    r.assignment_group_id
             FROM record_clocks c JOIN records r ON r.id = c.record_id
             WHERE (c.warned_at IS NULL AND c.warn_at <= $1) OR (c.breached_at IS NULL AND c.due_at <= $1)",
        )
        .bind(now)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }

    pub async fn set_clock_moments(
        tx: &mut Tx,
        record: RecordId,
        kind: &str,
        moments: &ClockMoments,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE record_clocks SET warn_at = $1, due_at = $2, state = $3, stopped_at = $4, computed_at = $5
             WHERE record_id = $6 AND kind = $7",
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

    pub async fn clock_events(&self, record: RecordId) -> Result<Vec<ClockEvent>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT at, kind, field, from_value, to_value, actor_id, visibility FROM record_events WHERE record_id = $1 ORDER BY at, id",
        )
        .bind(record)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }

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
                 WHERE stopped_at >= $1 AND stopped_at < $2 AND state = 'met'
                 UNION ALL
                 SELECT record_id, kind, policy_id, 0, 1 FROM record_clocks
                 WHERE breached_at >= $1 AND breached_at < $2
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
