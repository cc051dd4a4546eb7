//! The agents' queue: one page of a view, narrowed and sorted, by keyset, and the counts of
//! every view from `open_counts`.

use chrono::{DateTime, Duration, Utc};
use sqlx::{QueryBuilder, Sqlite};

use super::{Store, StoreError};
use crate::domain::ids::{GroupId, UserId};
use crate::domain::queue::{Cursor, PAGE_SIZE, QueueQuery, Sort, View, ViewCounts};
use crate::domain::record::RecordSummary;
use crate::ssr::store::portable::records::{SUMMARY_SELECT, SummaryRow};

#[derive(sqlx::FromRow)]
struct QueueRow {
    #[sqlx(flatten)]
    summary: SummaryRow,
    opened_at: DateTime<Utc>,
}

/// The index that reads `query` in its order and stops after one page. Named, because the
/// bundled SQLite's planner otherwise seeks each open state and sorts them all: 70 ms at a
/// million records instead of well under one. Every index named here is usable for the
/// query it is named for (the partial ones by the open-states term the query always carries).
fn index_for(query: &QueueQuery) -> &'static str {
    match (query.state, query.view, query.sort) {
        (Some(_), _, Sort::Priority) => "records_state_priority",
        (Some(_), _, Sort::Created) => "records_state_created",
        (Some(_), _, Sort::Updated) => "records_open",
        (None, View::Mine, Sort::Priority) => "records_open_mine_priority",
        (None, View::Mine, Sort::Created) => "records_open_mine_created",
        (None, View::Mine, Sort::Updated) => "records_open_mine_updated",
        (None, _, Sort::Priority) => "records_open_priority",
        (None, _, Sort::Created) => "records_open_created",
        (None, _, Sort::Updated) => "records_open_updated",
    }
}

impl Store {
    /// One page of `query` for agent `me` in `my_groups`, and the cursor of the next page.
    pub async fn queue(
        &self,
        query: &QueueQuery,
        me: UserId,
        my_groups: &[GroupId],
    ) -> Result<(Vec<RecordSummary>, Option<Cursor>), StoreError> {
        let index = index_for(query);
        let select = SUMMARY_SELECT.replacen("SELECT ", "SELECT r.opened_at, ", 1).replacen(
            "FROM records r",
            &format!("FROM records r INDEXED BY {index}"),
            1,
        );
        let mut sql: QueryBuilder<Sqlite> = QueryBuilder::new(select);
        sql.push(" WHERE ");
        match query.state {
            Some(state) => {
                sql.push("r.state = ").push_bind(state);
            }
            None => {
                sql.push(super::open_states("r.state"));
            }
        }
        match query.view {
            View::Mine => {
                sql.push(" AND r.assignee_id = ").push_bind(me);
            }
            // `IN (NULL)` matches nothing without being a constant SQLite folds away, which
            // would leave the named index unusable.
            View::MyGroups if my_groups.is_empty() => {
                sql.push(" AND r.assignment_group_id IN (NULL)");
            }
            View::MyGroups => {
                sql.push(" AND r.assignment_group_id IN (");
                let mut ids = sql.separated(", ");
                for group in my_groups {
                    ids.push_bind(*group);
                }
                sql.push(")");
            }
            View::Unassigned => {
                sql.push(" AND r.assignee_id IS NULL");
            }
            View::AllOpen => {}
        }
        if let Some(kind) = query.kind {
            sql.push(" AND r.kind = ").push_bind(kind);
        }
        if let Some(priority) = query.priority {
            sql.push(" AND r.priority = ").push_bind(i64::from(priority));
        }
        if let Some(group) = query.group {
            sql.push(" AND r.assignment_group_id = ").push_bind(group);
        }
        if let Some(assignee) = query.assignee {
            sql.push(" AND r.assignee_id = ").push_bind(assignee);
        }
        let midnight = |date: chrono::NaiveDate| date.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
        if let Some(from) = query.created_from.and_then(midnight) {
            sql.push(" AND r.opened_at >= ").push_bind(from);
        }
        if let Some(to) = query.created_to.and_then(midnight) {
            sql.push(" AND r.opened_at < ").push_bind(to + Duration::days(1));
        }
        if !query.text.is_empty() {
            let pattern = super::like_pattern(&query.text);
            sql.push(" AND (r.title LIKE ").push_bind(pattern.clone()).push(" ESCAPE '\\'");
            sql.push(" OR r.number LIKE ").push_bind(pattern).push(" ESCAPE '\\')");
        }
        if let Some(after) = query.after {
            match query.sort {
                Sort::Priority => {
                    sql.push(" AND (r.priority, r.opened_at, r.id) > (").push_bind(after.priority);
                    sql.push(", ").push_bind(after.at).push(", ").push_bind(after.id).push(")");
                }
                Sort::Created => {
                    sql.push(" AND (r.opened_at, r.id) < (").push_bind(after.at);
                    sql.push(", ").push_bind(after.id).push(")");
                }
                Sort::Updated => {
                    sql.push(" AND (r.updated_at, r.id) < (").push_bind(after.at);
                    sql.push(", ").push_bind(after.id).push(")");
                }
            }
        }
        sql.push(match query.sort {
            Sort::Priority => " ORDER BY r.priority, r.opened_at, r.id",
            Sort::Created => " ORDER BY r.opened_at DESC, r.id DESC",
            Sort::Updated => " ORDER BY r.updated_at DESC, r.id DESC",
        });
        sql.push(" LIMIT ").push_bind(PAGE_SIZE + 1);
        let mut rows: Vec<QueueRow> = sql.build_query_as().fetch_all(&mut *self.reader().await?).await?;
        let more = rows.len() > PAGE_SIZE as usize;
        rows.truncate(PAGE_SIZE as usize);
        let next = rows.last().filter(|_| more).map(|last| {
            let summary = &last.summary;
            Cursor {
                priority: summary.priority,
                at: if query.sort == Sort::Updated { summary.updated_at } else { last.opened_at },
                id: summary.id.0,
            }
        });
        Ok((rows.into_iter().map(|r| r.summary.into()).collect(), next))
    }

    /// Open records in each view for agent `me` in `my_groups`.
    pub async fn view_counts(&self, me: UserId, my_groups: &[GroupId]) -> Result<ViewCounts, StoreError> {
        let rows: Vec<(i64, i64, i64)> =
            sqlx::query_as("SELECT group_id, assignee_id, n FROM open_counts WHERE n > 0")
                .fetch_all(&mut *self.reader().await?)
                .await?;
        let sum =
            |keep: &dyn Fn(i64, i64) -> bool| rows.iter().filter(|(g, a, _)| keep(*g, *a)).map(|r| r.2).sum();
        Ok(ViewCounts {
            mine: sum(&|_, a| a == me.0),
            my_groups: sum(&|g, _| my_groups.iter().any(|m| m.0 == g)),
            unassigned: sum(&|_, a| a == 0),
            all_open: sum(&|_, _| true),
        })
    }
}
