//! The PostgreSQL backend: a database the organisation runs, shared by several app servers.
//!
//! Writes are serialised across every server by a transaction-scoped advisory lock taken
//! when a transaction begins, so that a write sees what the one before it committed, as a
//! write does on SQLite; reads run beside them on the pool's other connections. A server
//! that dies mid-transaction leaves nothing behind: the database rolls its transaction back
//! and releases the lock when the connection drops.

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

use std::ops::{Deref, DerefMut};
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgConnection, PgPool, Postgres, Transaction};

use super::{StoreError, like_pattern, open_states};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

/// The advisory lock every write transaction holds ("SWTCHBRD" as a number).
const WRITE_LOCK: i64 = 0x5357_5443_4842_5244;

/// Connections per app server, and how long a request waits for one.
const CONNECTIONS: u32 = 16;
const CONNECTION_WAIT: Duration = Duration::from_secs(30);

#[derive(Clone, Debug)]
pub struct Store {
    pub(super) pool: PgPool,
}

impl Store {
    /// Connects to the database at `url` (`postgres://…`).
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options = PgConnectOptions::from_str(url)?.application_name("switchboard");
        // One connection first, so a wrong address or password is told at once rather than
        // after the pool has retried for `CONNECTION_WAIT`.
        sqlx::Connection::close(sqlx::ConnectOptions::connect(&options).await?).await?;
        let pool = PgPoolOptions::new()
            .max_connections(CONNECTIONS)
            .acquire_timeout(CONNECTION_WAIT)
            .connect_with(options)
            .await?;
        Ok(Self { pool })
    }

    /// A connection of the pool for reads, as SQLite's readers are taken.
    pub(super) async fn reader(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Postgres>, StoreError> {
        Ok(self.pool.acquire().await?)
    }

    /// For a single statement that commits by itself.
    pub(super) fn autocommit(&self) -> &PgPool {
        &self.pool
    }

    /// Parameter `n` holding JSON text, as this backend's SQL takes it: into `jsonb`.
    pub(super) fn json_param(n: usize) -> String {
        format!("CAST(${n} AS jsonb)")
    }

    /// `column` starts with parameter `n` (a `LIKE` pattern), ignoring case, by its
    /// `lower()` index.
    pub(super) fn starts_with(column: &str, n: usize) -> String {
        format!("lower({column}) LIKE lower(${n}) ESCAPE '\\'")
    }

    /// A `jsonb` column read back as text.
    pub(super) fn json_text(column: &str) -> String {
        format!("CAST({column} AS text)")
    }

    /// The rows of `query` as one JSON text, an array of arrays of `columns`, so that many
    /// rows come back as one ('[]' for none).
    pub(super) fn json_rows(columns: &str, query: &str) -> String {
        format!(
            "SELECT CAST(COALESCE(json_agg(json_build_array({columns})), '[]') AS text) FROM ({query}) AS found"
        )
    }

    /// Applies the embedded migrations that this database has not seen yet. sqlx holds an
    /// advisory lock while it does, so of several servers starting at once one migrates and
    /// the others wait for it.
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        MIGRATOR.run(&self.pool).await
    }

    pub async fn migrate_to(&self, version: i64) -> Result<(), sqlx::migrate::MigrateError> {
        MIGRATOR.run_to(version, &self.pool).await
    }

    pub fn schema_version() -> i64 {
        MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
    }

    /// Refreshes the planner's statistics (autovacuum keeps them otherwise; a bulk load
    /// asks for them at once).
    pub async fn optimize(&self, full: bool) -> Result<(), StoreError> {
        if full {
            sqlx::query("ANALYZE").execute(&self.pool).await?;
        }
        Ok(())
    }

    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// A write transaction, holding the write lock from its first statement to its end.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(WRITE_LOCK).execute(&mut *tx).await?;
        Ok(Tx(tx))
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// One writer's transaction; reads and writes through it as a connection (`&mut **tx`).
pub struct Tx(Transaction<'static, Postgres>);

impl Tx {
    pub async fn commit(self) -> Result<(), StoreError> {
        Ok(self.0.commit().await?)
    }

    pub async fn rollback(self) -> Result<(), StoreError> {
        Ok(self.0.rollback().await?)
    }
}

impl Deref for Tx {
    type Target = PgConnection;

    fn deref(&self) -> &PgConnection {
        &self.0
    }
}

impl DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut PgConnection {
        &mut self.0
    }
}
