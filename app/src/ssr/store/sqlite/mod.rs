//! The SQLite backend: the embedded default, one file in the data dir.
//!
//! Writes go through one connection and take the write lock up front (`BEGIN IMMEDIATE`),
//! so concurrent writers queue instead of failing with SQLITE_BUSY mid-transaction; writers
//! queued together share one commit (`writer`). Reads use a few read-only connections of
//! their own and never wait for a writer (WAL).

mod approvals;
mod bulk;
mod catalog;
mod directory;
mod incidents;
mod queue;
mod records;
mod requests;
mod sla;
mod users;
mod writer;

pub use writer::Tx;

use std::path::Path;

use super::{StoreError, like_pattern, open_states};
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, SqliteConnection, SqlitePool};
use std::sync::Arc;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");

/// How many read-only connections serve reads at once, and how long a read waits for one.
const READERS: usize = 4;
const READER_WAIT: Duration = Duration::from_secs(30);

#[derive(Clone, Debug)]
pub struct Store {
    read: deadpool::unmanaged::Pool<SqliteConnection>,
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
        // A connection to a local file does not go stale: testing it before each use would
        // cost a round trip to its worker thread per statement.
        let write = SqlitePoolOptions::new()
            .test_before_acquire(false)
            .max_connections(1)
            .connect_with(options.clone())
            .await?;
        // Reads are single statements outside transactions, so a read connection is handed on
        // as it is. sqlx's pool would ping each one through its worker thread on every
        // release, a second round trip for every statement a page runs.
        let read = deadpool::unmanaged::Pool::from_config(&deadpool::unmanaged::PoolConfig {
            max_size: READERS,
            timeout: Some(READER_WAIT),
            runtime: Some(deadpool::Runtime::Tokio1),
        });
        let options = options.read_only(true);
        for _ in 0..READERS {
            read.add(options.connect().await?).await.map_err(|(_, error)| error)?;
        }
        Ok(Self { read, writer: writer::Writer::new(write.clone()), write })
    }

    /// A read-only connection, for one statement or a few in a row.
    pub(super) async fn reader(&self) -> Result<deadpool::unmanaged::Object<SqliteConnection>, StoreError> {
        Ok(self.read.get().await?)
    }

    /// For a single statement that commits by itself, outside the group commit.
    pub(super) fn autocommit(&self) -> &SqlitePool {
        &self.write
    }

    /// Parameter `n` holding JSON text, as this backend's SQL takes it.
    pub(super) fn json_param(n: usize) -> String {
        format!("${n}")
    }

    /// `column` starts with parameter `n` (a `LIKE` pattern), ignoring case, by its index.
    pub(super) fn starts_with(column: &str, n: usize) -> String {
        format!("{column} LIKE ${n} ESCAPE '\\'")
    }

    /// A JSON column read back as text.
    pub(super) fn json_text(column: &str) -> String {
        column.to_owned()
    }

    /// The rows of `query` as one JSON text, an array of arrays of `columns`, so that many
    /// rows come back as one ('[]' for none): sqlx hands each row across from the
    /// connection's thread by itself, which for a step of an impact analysis cost more than
    /// the query.
    pub(super) fn json_rows(columns: &str, query: &str) -> String {
        format!("SELECT json_group_array(json_array({columns})) FROM ({query}) AS found")
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
        sqlx::query("SELECT 1").execute(&mut *self.reader().await?).await?;
        Ok(())
    }

    /// A write transaction holding the database's write lock from its first statement; its
    /// `commit` returns once it is on disk, committed with the writers queued with it.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        self.writer.begin().await
    }

    pub async fn close(&self) {
        self.write.close().await;
        while let Ok(reader) = self.read.try_get() {
            let _ = sqlx::Connection::close(deadpool::unmanaged::Object::take(reader)).await;
        }
        self.read.close();
    }
}
