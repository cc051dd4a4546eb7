//! All SQL lives here. `Store` is the only code that knows it talks to SQLite; methods take
//! and return domain types, so a PostgreSQL store can later stand beside it.
//!
//! Writes go through one connection and take the write lock up front (`BEGIN IMMEDIATE`),
//! so concurrent writers queue instead of failing with SQLITE_BUSY mid-transaction; writers
//! queued together share one commit (`writer`). Reads use a small pool of their own and
//! never wait for a writer (WAL).

mod approvals;
mod attachments;
mod bulk;
mod canned;
mod catalog;
mod directory;
mod incidents;
mod links;
mod notifications;
mod queue;
mod records;
mod requests;
mod sessions;
mod sla;
mod throttle;
mod users;
mod views;
mod writer;

pub use approvals::{ApprovalRow, PendingRow};
pub use attachments::{NewAttachment, StoredFile};
pub use bulk::BulkRecord;
pub use catalog::{FoundItem, ItemChanges, NewCatalogItem};
pub use directory::UserChanges;
pub use incidents::{Fields, Moving};
pub use links::ChildRow;
pub use records::{EventNames, NewRecord};
pub use sla::{AttainmentRow, ClockBadgeRow, ClockEvent, ClockMoments, ClockRow, ClockedRecord, DueClockRow};
pub use users::NewUser;
pub use writer::Tx;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::sync::Arc;

use sqlx::SqlitePool;

use crate::domain::record::RecordState;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("conflicts with {constraint}")]
    Conflict { constraint: String },
    #[error("refers to a row that does not exist")]
    MissingReference,
    #[error(transparent)]
    Db(sqlx::Error),
    /// The group of writes this one joined did not commit (the cause is logged once).
    #[error("not committed: {0}")]
    NotCommitted(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) if db.kind() == sqlx::error::ErrorKind::UniqueViolation => {
                StoreError::Conflict { constraint: db.constraint().unwrap_or("a unique value").to_owned() }
            }
            sqlx::Error::Database(db) if db.kind() == sqlx::error::ErrorKind::ForeignKeyViolation => {
                StoreError::MissingReference
            }
            _ => StoreError::Db(error),
        }
    }
}

/// `column IN ('new', …)` for the states that pass `keep`, in the domain's order.
fn states_in(column: &str, keep: impl Fn(RecordState) -> bool) -> String {
    let codes: Vec<String> =
        RecordState::ALL.into_iter().filter(|s| keep(*s)).map(|s| format!("'{}'", s.as_str())).collect();
    format!("{column} IN ({})", codes.join(", "))
}

/// The open states of the life cycles (`RecordState::is_open`) as SQL, exactly as the
/// partial indexes and the open-count triggers list them, so SQLite uses those indexes.
/// `tests::the_schema_lists_the_open_states_of_the_domain` holds the two together.
fn open_states(column: &str) -> String {
    states_in(column, RecordState::is_open)
}

/// `LIKE` pattern for "contains `text`", with `\` escaping `%`, `_` and itself.
fn like_pattern(text: &str) -> String {
    format!("%{}%", text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"))
}

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

#[derive(Clone, Debug)]
pub struct Store {
    read: SqlitePool,
    write: SqlitePool,
    writer: Arc<writer::Writer>,
}

impl Store {
    /// Opens (creating if missing) the database file at `path`.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // The log is on disk before a commit returns: an acknowledged write survives a
            // power cut, not only a crash. Group commit (`writer`) pays for it.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5))
            .pragma("temp_store", "memory");
        let write = SqlitePoolOptions::new().max_connections(1).connect_with(options.clone()).await?;
        let read = SqlitePoolOptions::new().max_connections(4).connect_with(options.read_only(true)).await?;
        Ok(Self { read, writer: writer::Writer::new(write.clone()), write })
    }

    /// Applies the embedded migrations that this database has not seen yet.
    /// Then folds the write-ahead log into the database file: a migration that rewrote a
    /// large table leaves it in the log, and every read would look it up there (at a
    /// million records the queue pages answered 20–30 % slower until it was folded in).
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        MIGRATOR.run(&self.write).await?;
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&self.write).await?;
        Ok(())
    }

    /// Applies the embedded migrations up to `version` only: a database as an earlier
    /// release left it, for testing what the later migrations do to it.
    pub async fn migrate_to(&self, version: i64) -> Result<(), sqlx::migrate::MigrateError> {
        MIGRATOR.run_to(version, &self.write).await
    }

    /// The newest migration this binary knows.
    pub fn schema_version() -> i64 {
        MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
    }

    /// Refreshes the statistics the query planner chooses indexes by (SQLite's recommended
    /// `PRAGMA optimize` at start, and a full `ANALYZE` after bulk loads). Without them it may
    /// sort a whole state's records instead of reading the queue's partial indexes in order.
    pub async fn optimize(&self, full: bool) -> Result<(), StoreError> {
        let sql = if full { "ANALYZE" } else { "PRAGMA optimize = 0x10002" };
        sqlx::query(sql).execute(&self.write).await?;
        Ok(())
    }

    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.read).await?;
        Ok(())
    }

    /// A write transaction holding the database's write lock from its first statement; its
    /// `commit` returns once it is on disk, committed with the writers queued with it.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        self.writer.begin().await
    }

    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
    }
}
