//! Work records, their numbers and their append-only event log.

use crate::ssr::store::portable::records::*;

use super::{Store, StoreError, Tx};
use crate::domain::event::{NewEvent, TimelineEvent};
use crate::domain::ids::{EventId, RecordId, UserId};
use crate::domain::policy::RecordAccess;
use crate::domain::record::{Priority, RecordDetail, RecordNumber, RecordState, RecordSummary};
use crate::ssr::markup;
use crate::ssr::store::EventNames;

impl Store {
    pub async fn append_event(
        tx: &mut Tx,
        record: RecordId,
        event: &NewEvent,
    ) -> Result<EventId, StoreError> {
        let id = sqlx::query_scalar(
            "INSERT INTO record_events (record_id, actor_id, at, kind, field, from_value, to_value, body, visibility)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(record)
        .bind(event.actor)
        .bind(event.at)
        .bind(event.kind)
        .bind(event.field.map(|f| f.as_str()))
        .bind(&event.from_value)
        .bind(&event.to_value)
        .bind(&event.body)
        .bind(event.visibility)
        .fetch_one(&mut **tx)
        .await?;
        sqlx::query("UPDATE records SET updated_at = greatest(updated_at, $1) WHERE id = $2")
            .bind(event.at)
            .bind(record)
            .execute(&mut **tx)
            .await?;
        Ok(id)
    }

    pub async fn list_records_for_requester(
        &self,
        user: UserId,
        states: &[RecordState],
        text: &str,
        limit: i64,
    ) -> Result<Vec<RecordSummary>, StoreError> {
        let state_list = states.iter().map(|s| format!("'{}'", s.as_str())).collect::<Vec<_>>().join(", ");
        let state_clause =
            if states.is_empty() { String::new() } else { format!("AND r.state IN ({state_list})") };
        let sql = format!(
            "{SUMMARY_SELECT} WHERE r.id IN (
                 SELECT id FROM records WHERE requester_id = $1
                 UNION SELECT id FROM records WHERE opened_by_id = $1
                 UNION SELECT record_id FROM record_watchers WHERE user_id = $1)
               AND r.kind != 'task' {state_clause}
               AND ($2 = '' OR r.title ILIKE $3 ESCAPE '\\' OR r.number ILIKE $3 ESCAPE '\\')
             ORDER BY r.opened_at DESC, r.id DESC LIMIT $4"
        );
        let pattern = super::like_pattern(text);
        let rows: Vec<SummaryRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(user)
            .bind(text)
            .bind(pattern)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    pub async fn find_record(
        &self,
        number: &RecordNumber,
    ) -> Result<Option<(RecordDetail, RecordAccess)>, StoreError> {
        let Some(row) = sqlx::query_as::<_, DetailRow>(
            "SELECT r.id, r.number, r.kind, r.title, r.description, r.state, r.priority, r.category,
                    r.requester_id, r.opened_by_id, r.opened_at, r.updated_at,
                    req.name AS requester_name, opener.name AS opened_by_name,
                    g.name AS group_name, a.name AS assignee_name, ci.name AS catalog_item_name, r.catalog_item_id,
                    r.impact, r.urgency, r.assignment_group_id, r.assignee_id,
                    r.hold_reason, r.resolution_code, r.resolution_notes, r.major, r.priority_basis, r.priority_reason, r.version
             FROM records r
             JOIN users req ON req.id = r.requester_id
             JOIN users opener ON opener.id = r.opened_by_id
             LEFT JOIN groups g ON g.id = r.assignment_group_id
             LEFT JOIN users a ON a.id = r.assignee_id
             LEFT JOIN catalog_items ci ON ci.id = r.catalog_item_id
             WHERE r.number = $1",
        )
        .bind(number.to_string())
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let watchers: Vec<UserId> =
            sqlx::query_scalar("SELECT user_id FROM record_watchers WHERE record_id = $1 ORDER BY user_id")
                .bind(row.id)
                .fetch_all(&self.pool)
                .await?;
        let approvers = self.approvers_of(row.id).await?;
        let access =
            RecordAccess { requester: row.requester_id, opened_by: row.opened_by_id, watchers, approvers };
        let detail = RecordDetail {
            id: row.id,
            number: row.number,
            kind: row.kind,
            title: row.title,
            description: markup::render(&row.description),
            state: row.state,
            priority: u8::try_from(row.priority).ok().and_then(Priority::new).unwrap_or(Priority::LOWEST),
            category: row.category,
            requester_name: row.requester_name,
            opened_by_name: row.opened_by_name,
            group_name: row.group_name,
            assignee_name: row.assignee_name,
            catalog_item_name: row.catalog_item_name,
            catalog_item_id: row.catalog_item_id,
            opened_at: row.opened_at,
            updated_at: row.updated_at,
            impact: row.impact,
            urgency: row.urgency,
            group_id: row.assignment_group_id,
            assignee_id: row.assignee_id,
            hold_reason: row.hold_reason,
            resolution_code: row.resolution_code,
            resolution_notes: row.resolution_notes,
            major: row.major,
            priority_basis: row.priority_basis,
            priority_reason: row.priority_reason,
            version: row.version,
        };
        Ok(Some((detail, access)))
    }

    pub async fn add_watcher(tx: &mut Tx, record: RecordId, user: UserId) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO record_watchers (record_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(record)
        .bind(user)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    pub async fn list_events(
        &self,
        record: RecordId,
    ) -> Result<Vec<(TimelineEvent, EventNames)>, StoreError> {
        let rows: Vec<EventRow> = sqlx::query_as(
            "SELECT e.id, u.name AS actor_name, e.at, e.kind, e.field, e.from_value, e.to_value, e.body, e.visibility,
                    CASE e.field WHEN 'group' THEN fg.name WHEN 'assignee' THEN fu.name WHEN 'watcher' THEN fu.name
                                 WHEN 'ci' THEN fc.name END AS from_name,
                    CASE e.field WHEN 'group' THEN tg.name WHEN 'assignee' THEN tu.name WHEN 'watcher' THEN tu.name
                                 WHEN 'attachment' THEN ta.file_name WHEN 'ci' THEN tc.name END AS to_name,
                    CASE e.field WHEN 'attachment' THEN ta.size END AS to_size
             FROM record_events e LEFT JOIN users u ON u.id = e.actor_id
             LEFT JOIN groups fg ON fg.id = CASE WHEN e.field = 'group' AND e.from_value ~ '^[0-9]+$' THEN e.from_value::bigint END
             LEFT JOIN groups tg ON tg.id = CASE WHEN e.field = 'group' AND e.to_value ~ '^[0-9]+$' THEN e.to_value::bigint END
             LEFT JOIN users fu ON fu.id = CASE WHEN e.field IN ('assignee', 'watcher') AND e.from_value ~ '^[0-9]+$' THEN e.from_value::bigint END
             LEFT JOIN users tu ON tu.id = CASE WHEN e.field IN ('assignee', 'watcher') AND e.to_value ~ '^[0-9]+$' THEN e.to_value::bigint END
             LEFT JOIN attachments ta ON ta.id = CASE WHEN e.field = 'attachment' AND e.to_value ~ '^[0-9]+$' THEN e.to_value::bigint END
             LEFT JOIN cis fc ON fc.id = CASE WHEN e.field = 'ci' AND e.from_value ~ '^[0-9]+$' THEN e.from_value::bigint END
             LEFT JOIN cis tc ON tc.id = CASE WHEN e.field = 'ci' AND e.to_value ~ '^[0-9]+$' THEN e.to_value::bigint END
             WHERE e.record_id = $1 ORDER BY e.at, e.id",
        )
        .bind(record)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let names = EventNames { from: r.from_name, to: r.to_name, to_size: r.to_size };
                let event = TimelineEvent {
                    id: r.id,
                    actor_name: r.actor_name,
                    at: r.at,
                    kind: r.kind,
                    field: r.field,
                    from_value: r.from_value,
                    to_value: r.to_value,
                    what: String::new(),
                    body: r.body.as_deref().map(markup::render),
                    visibility: r.visibility,
                };
                (event, names)
            })
            .collect())
    }
}
