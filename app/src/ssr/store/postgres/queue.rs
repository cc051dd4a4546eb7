//! The agents' queue: one page of a view, narrowed and sorted, by keyset, and the counts of
//! every view from `open_counts`. PostgreSQL's planner picks the open states' partial
//! indexes by itself.

use chrono::{DateTime, Duration, Utc};
use sqlx::{Postgres, QueryBuilder};

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

impl Store {
    /// One page of `query` for agent `me` in `my_groups`, and the cursor of the next page.
    pub async fn queue(
        &self,
        query: &QueueQuery,
        me: UserId,
        my_groups: &[GroupId],
    ) -> Result<(Vec<RecordSummary>, Option<Cursor>), StoreError> {
        let select = SUMMARY_SELECT.replacen("SELECT ", "SELECT r.opened_at, ", 1);
        let mut sql: QueryBuilder<Postgres> = QueryBuilder::new(select);
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
            View::MyGroups => {
                let ids: Vec<i64> = my_groups.iter().map(|g| g.0).collect();
                sql.push(" AND r.assignment_group_id = ANY(").push_bind(ids).push(")");
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
            sql.push(" AND (r.title ILIKE ").push_bind(pattern.clone()).push(" ESCAPE '\\'");
            sql.push(" OR r.number ILIKE ").push_bind(pattern).push(" ESCAPE '\\')");
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
        let mut rows: Vec<QueueRow> = sql.build_query_as().fetch_all(&self.pool).await?;
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
                .fetch_all(&self.pool)
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
