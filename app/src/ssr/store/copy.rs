//! `switchboard copy`: a SQLite deployment's data into an empty PostgreSQL database, table by
//! table, from one snapshot of the SQLite file (the portal may keep serving from it) into
//! one PostgreSQL transaction: the copy is whole, or nothing is written.
//!
//! Values travel as text and PostgreSQL casts each to its column's type, so one loop serves
//! every table: SQLite's 0 and 1 become booleans, its timestamps `timestamptz`, its JSON
//! `jsonb`.

use futures_util::TryStreamExt;
use sqlx::{Postgres, QueryBuilder, Row};

use super::{Backend, Store, StoreError};

/// Every table, in an order its references allow. `open_counts` is not among them:
/// PostgreSQL's triggers count the records as they arrive, and the counts are compared.
const TABLES: &[&str] = &[
    "departments",
    "users",
    "user_roles",
    "groups",
    "group_members",
    "sessions",
    "login_failures",
    "catalog_categories",
    "services",
    "ci_classes",
    "cis",
    "ci_relations",
    "ci_events",
    "catalog_items",
    "catalog_forms",
    "settings",
    "record_counters",
    "calendars",
    "sla_policies",
    "records",
    "record_events",
    "record_watchers",
    "record_links",
    "record_cis",
    "problem_analyses",
    "request_answers",
    "submissions",
    "form_drafts",
    "report_drafts",
    "approvals",
    "notifications",
    "saved_views",
    "attachments",
    "canned_responses",
    "record_clocks",
];

/// Bound values per INSERT, under PostgreSQL's 65,535.
const VALUES_PER_STATEMENT: usize = 30_000;

/// One table copied: its rows in the SQLite file and in PostgreSQL afterwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub table: &'static str,
    pub from: i64,
    pub to: i64,
    /// Left out on purpose (sessions, unless asked for).
    pub skipped: bool,
}

/// Copies everything in `from` (SQLite) into `to` (PostgreSQL, migrated and empty);
/// `sessions` keeps people signed in across the move. `progress` hears each table's rows as
/// they are copied.
pub async fn copy(
    from: &Store,
    to: &Store,
    sessions: bool,
    mut progress: impl FnMut(&str, i64),
) -> Result<Vec<Copied>, StoreError> {
    let (Backend::Sqlite(source), Backend::Postgres(target)) = (&from.backend, &to.backend) else {
        return Err(StoreError::Refused(
            "a copy goes from a SQLite data dir to a PostgreSQL database".into(),
        ));
    };
    let mut tx = target.pool.begin().await?;
    let present: i64 = sqlx::query_scalar(
        "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM records) + (SELECT count(*) FROM cis)",
    )
    .fetch_one(&mut *tx)
    .await?;
    if present > 0 {
        return Err(StoreError::Refused(
            "the PostgreSQL database already holds people, records or CIs; copy into an empty one".into(),
        ));
    }
    // What the migrations put in, the copy brings as it was.
    sqlx::raw_sql("DELETE FROM record_counters; DELETE FROM calendars; DELETE FROM ci_classes")
        .execute(&mut *tx)
        .await?;

    let mut reader = source.reader().await?;
    // One read transaction: every table as it was at one moment, whatever the portal writes.
    sqlx::raw_sql("BEGIN").execute(&mut *reader).await?;
    let mut copied = Vec::with_capacity(TABLES.len());
    for &table in TABLES {
        let count = format!("SELECT count(*) FROM {table}");
        let from_rows: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(count.clone())).fetch_one(&mut *reader).await?;
        if table == "sessions" && !sessions {
            copied.push(Copied { table, from: from_rows, to: 0, skipped: true });
            continue;
        }
        let columns: Vec<(String, String)> = sqlx::query_as(
            "SELECT column_name::text, data_type::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
        )
        .bind(table)
        .fetch_all(&mut *tx)
        .await?;
        let names: Vec<&str> = columns.iter().map(|(name, _)| name.as_str()).collect();
        let texts: Vec<String> = names.iter().map(|name| format!("CAST({name} AS TEXT)")).collect();
        let order = if names.contains(&"id") { " ORDER BY id" } else { "" };
        let select = format!("SELECT {} FROM {table}{order}", texts.join(", "));
        let per_statement = (VALUES_PER_STATEMENT / columns.len()).max(1);
        let mut rows = sqlx::query(sqlx::AssertSqlSafe(select)).fetch(&mut *reader);
        let mut batch: Vec<Vec<Option<String>>> = Vec::with_capacity(per_statement);
        let mut done = 0;
        loop {
            let row = rows.try_next().await?;
            if let Some(row) = &row {
                batch.push((0..columns.len()).map(|i| row.try_get(i)).collect::<Result<_, _>>()?);
            }
            if batch.len() == per_statement || (row.is_none() && !batch.is_empty()) {
                insert(&mut tx, table, &columns, &batch).await?;
                done += batch.len() as i64;
                batch.clear();
                progress(table, done);
            }
            if row.is_none() {
                break;
            }
        }
        drop(rows);
        let to_rows: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(count)).fetch_one(&mut *tx).await?;
        copied.push(Copied { table, from: from_rows, to: to_rows, skipped: false });
        if names.contains(&"id") {
            let next = format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 0) + 1, false) FROM {table}"
            );
            sqlx::query(sqlx::AssertSqlSafe(next)).execute(&mut *tx).await?;
        }
    }
    let counts =
        "SELECT group_id, assignee_id, n FROM open_counts WHERE n > 0 ORDER BY group_id, assignee_id";
    let open_before: Vec<(i64, i64, i64)> = sqlx::query_as(counts).fetch_all(&mut *reader).await?;
    let open_after: Vec<(i64, i64, i64)> = sqlx::query_as(counts).fetch_all(&mut *tx).await?;
    sqlx::raw_sql("COMMIT").execute(&mut *reader).await?;
    if let Some(short) = copied.iter().find(|c| !c.skipped && c.from != c.to) {
        return Err(StoreError::Refused(format!(
            "{} has {} rows in SQLite but {} in PostgreSQL; nothing was kept",
            short.table, short.from, short.to
        )));
    }
    if open_before != open_after {
        return Err(StoreError::Refused(
            "the open records per group and agent differ; nothing was kept".into(),
        ));
    }
    tx.commit().await?;
    Ok(copied)
}

async fn insert(
    tx: &mut sqlx::PgConnection,
    table: &str,
    columns: &[(String, String)],
    rows: &[Vec<Option<String>>],
) -> Result<(), StoreError> {
    let names: Vec<&str> = columns.iter().map(|(name, _)| name.as_str()).collect();
    let mut sql: QueryBuilder<Postgres> =
        QueryBuilder::new(format!("INSERT INTO {table} ({}) ", names.join(", ")));
    sql.push_values(rows, |mut values, row| {
        for (value, (_, kind)) in row.iter().zip(columns) {
            values.push_bind(value.clone()).push_unseparated(format!("::{kind}"));
        }
    });
    sql.build().execute(tx).await?;
    Ok(())
}
