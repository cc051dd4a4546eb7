//! All SQL lives behind `Store`: services call its operations with domain types and get
//! domain types back, and never learn which database answers. An operation whose SQL both
//! engines read alike is written once, in `portable/`; the others keep each backend's own
//! SQL, tuned to its planner. This module hands every operation to the backend the store
//! was opened on. The list of operations below is the store's whole interface.

/// Operations written once for both backends, in SQL both read alike (`$1` placeholders,
/// which SQLite takes too): the items are pasted into the `impl Store` of each, with that
/// backend's `Store` and `Tx` in scope. Reads take `self.reader()`, single statements
/// outside a transaction `self.autocommit()`, writes a `Tx`.
macro_rules! on_both_backends {
    ($($items:tt)*) => {
        mod on_sqlite {
            #[allow(unused_imports)]
            use super::*;
            #[allow(unused_imports)]
            use crate::ssr::store::sqlite::{Store, Tx};
            impl Store {
                $($items)*
            }
        }
        mod on_postgres {
            #[allow(unused_imports)]
            use super::*;
            #[allow(unused_imports)]
            use crate::ssr::store::postgres::{Store, Tx};
            impl Store {
                $($items)*
            }
        }
    };
}

pub mod copy;
mod portable;
mod postgres;
mod sqlite;
mod types;

pub use types::{
    ApprovalRow, AttainmentRow, BulkRecord, ChildRow, CiQuery, ClockBadgeRow, ClockEvent, ClockMoments,
    ClockRow, ClockedRecord, DueClockRow, EventNames, Fields, FoundItem, ItemChanges, LoginRow, Moving,
    NewAttachment, NewCatalogItem, NewRecord, NewUser, Offering, PendingRow, StoredFile, UserChanges,
};

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};
use hashlink::LruCache;

use crate::domain::approval::{ApprovalStep, ApprovalView, Decision, FulfilmentPlan};
use crate::domain::attachment::AttachmentView;
use crate::domain::calendar::CalendarDef;
use crate::domain::canned::CannedResponse;
use crate::domain::catalog::{Audience, CatalogItem, Category};
use crate::domain::ci_graph::{CiNode, Neighbourhood, Outage, Spreading};
use crate::domain::cmdb::{CiClass, CiEvent, CiFields, CiView, Edge, RelationKind, RelationView};
use crate::domain::event::{NewEvent, TimelineEvent};
use crate::domain::form::{Answers, FormSchema, RawAnswers};
use crate::domain::ids::{
    CatalogItemId, CategoryId, CiClassId, CiId, DepartmentId, EventId, GroupId, RecordId, UserId,
};
use crate::domain::incident::{PriorityMatrix, ReportDraft};
use crate::domain::lifecycle::MoveDetails;
use crate::domain::link::{LinkKind, LinkView};
use crate::domain::notification::Inbox;
use crate::domain::people::{Department, GroupDetail, GroupSummary, UserDetail, UserSummary};
use crate::domain::policy::RecordAccess;
use crate::domain::queue::{Cursor, QueueQuery, SavedView, ViewCounts};
use crate::domain::record::{
    GroupChoice, Priority, RecordDetail, RecordKind, RecordNumber, RecordState, RecordSummary,
};
use crate::domain::sla_policy::SlaPolicy;
use crate::domain::throttle::Failures;
use crate::domain::user::CurrentUser;
use crate::error::FieldErrors;
use crate::ssr::auth::SessionConfig;

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
    /// Refused before anything was written, for the reason given.
    #[error("{0}")]
    Refused(String),
    /// No read connection came free in time, or the store is closing.
    #[error("no read connection: {0}")]
    NoReader(#[from] deadpool::unmanaged::PoolError),
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
/// partial indexes and the open-count triggers list them, so the planner uses those indexes.
/// `tests::the_schema_lists_the_open_states_of_the_domain` holds the two together.
fn open_states(column: &str) -> String {
    states_in(column, RecordState::is_open)
}

/// `text` with `\` escaping `%`, `_` and itself, for a `LIKE` pattern.
fn like_escaped(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// `LIKE` pattern for "contains `text`".
fn like_pattern(text: &str) -> String {
    format!("%{}%", like_escaped(text))
}

/// `LIKE` pattern for "starts with `text`".
fn like_prefix(text: &str) -> String {
    format!("{}%", like_escaped(text))
}

#[derive(Clone, Debug)]
pub struct Store {
    backend: Backend,
    outages: Arc<Outages>,
}

/// How many impact analyses a store keeps.
const OUTAGES_KEPT: usize = 256;

/// The impact analyses last run, each with the CMDB version it was run at.
struct Outages(Mutex<LruCache<CiId, (i64, Arc<Outage>)>>);

impl Default for Outages {
    fn default() -> Self {
        Self(Mutex::new(LruCache::new(OUTAGES_KEPT)))
    }
}

impl std::fmt::Debug for Outages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Outages")
    }
}

#[derive(Clone, Debug)]
enum Backend {
    Sqlite(sqlite::Store),
    Postgres(postgres::Store),
}

/// A write transaction: `commit` keeps its work once it is durable, dropping it undoes it.
pub enum Tx {
    Sqlite(sqlite::Tx),
    Postgres(postgres::Tx),
}

impl Tx {
    pub async fn commit(self) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await,
            Tx::Postgres(tx) => tx.commit().await,
        }
    }

    pub async fn rollback(self) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(tx) => tx.rollback().await,
            Tx::Postgres(tx) => tx.rollback().await,
        }
    }

    /// The SQLite connection under a SQLite transaction, for tests of that backend's schema.
    pub fn sqlite(&mut self) -> Option<&mut sqlx::SqliteConnection> {
        match self {
            Tx::Sqlite(tx) => Some(tx),
            Tx::Postgres(_) => None,
        }
    }

    /// For tests that look under the store on either backend: runs `sql`, which selects one
    /// text column, and returns it row by row.
    pub async fn peek(&mut self, sql: &str) -> Result<Vec<String>, StoreError> {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        Ok(match self {
            Tx::Sqlite(tx) => sqlx::query_scalar(sql).fetch_all(&mut **tx).await?,
            Tx::Postgres(tx) => sqlx::query_scalar(sql).fetch_all(&mut **tx).await?,
        })
    }

    /// For tests that try what the store never does: runs `sql`, and returns the rows it
    /// changed.
    pub async fn run(&mut self, sql: &str) -> Result<u64, StoreError> {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        Ok(match self {
            Tx::Sqlite(tx) => sqlx::query(sql).execute(&mut **tx).await?.rows_affected(),
            Tx::Postgres(tx) => sqlx::query(sql).execute(&mut **tx).await?.rows_affected(),
        })
    }
}

impl Store {
    /// Opens (creating if missing) the SQLite database file at `path`.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        Ok(Self { backend: Backend::Sqlite(sqlite::Store::open(path).await?), outages: Arc::default() })
    }

    /// Connects to the PostgreSQL database at `url` (`postgres://…`).
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        Ok(Self { backend: Backend::Postgres(postgres::Store::connect(url).await?), outages: Arc::default() })
    }

    /// The impact analysis of CI `id`, if one was kept from CMDB version `version`.
    pub fn remembered_outage(&self, id: CiId, version: i64) -> Option<Arc<Outage>> {
        let mut kept = self.outages.0.lock().unwrap_or_else(PoisonError::into_inner);
        match kept.get(&id) {
            Some((at, outage)) if *at == version => Some(Arc::clone(outage)),
            _ => None,
        }
    }

    /// Keeps the impact analysis of CI `id` run at CMDB version `version`.
    pub fn remember_outage(&self, id: CiId, version: i64, outage: Arc<Outage>) {
        self.outages.0.lock().unwrap_or_else(PoisonError::into_inner).insert(id, (version, outage));
    }

    /// Applies the embedded migrations that this database has not seen yet.
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match &self.backend {
            Backend::Sqlite(db) => db.migrate().await,
            Backend::Postgres(db) => db.migrate().await,
        }
    }

    /// Applies the embedded migrations up to `version` only: a database as an earlier
    /// release left it, for testing what the later migrations do to it.
    pub async fn migrate_to(&self, version: i64) -> Result<(), sqlx::migrate::MigrateError> {
        match &self.backend {
            Backend::Sqlite(db) => db.migrate_to(version).await,
            Backend::Postgres(db) => db.migrate_to(version).await,
        }
    }

    /// The newest migration this binary knows for this store's database.
    pub fn schema_version(&self) -> i64 {
        match &self.backend {
            Backend::Sqlite(_) => sqlite::Store::schema_version(),
            Backend::Postgres(_) => postgres::Store::schema_version(),
        }
    }

    /// A write transaction; its `commit` returns once the work is durable.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => Ok(Tx::Sqlite(db.begin().await?)),
            Backend::Postgres(db) => Ok(Tx::Postgres(db.begin().await?)),
        }
    }

    pub async fn close(&self) {
        match &self.backend {
            Backend::Sqlite(db) => db.close().await,
            Backend::Postgres(db) => db.close().await,
        }
    }
}

/// For the test suites: a fresh, empty database on the PostgreSQL server that
/// `SWITCHBOARD_TEST_POSTGRES` names (`postgres://user@host:port`, as `scripts/postgres`
/// prints it), or `None` when the tests run on SQLite.
pub async fn fresh_test_database() -> Result<Option<String>, StoreError> {
    use sqlx::Connection;
    static MADE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let Ok(server) = std::env::var("SWITCHBOARD_TEST_POSTGRES") else { return Ok(None) };
    let server = server.trim_end_matches('/');
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    let name = format!(
        "test_{}_{}_{nanos}",
        std::process::id(),
        MADE.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let mut admin = sqlx::PgConnection::connect(&format!("{server}/postgres")).await?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut admin).await?;
    admin.close().await?;
    Ok(Some(format!("{server}/{name}")))
}

/// The operations that read or write through the store itself, handed to its backend.
macro_rules! on_store {
    ($( $(#[$meta:meta])* fn $name:ident(&self $(, $arg:ident: $ty:ty)*) -> $ret:ty; )*) => {
        impl Store {
            $(
                $(#[$meta])*
                pub async fn $name(&self $(, $arg: $ty)*) -> $ret {
                    match &self.backend {
                        Backend::Sqlite(db) => db.$name($($arg),*).await,
                        Backend::Postgres(db) => db.$name($($arg),*).await,
                    }
                }
            )*
        }
    };
}

/// The operations that run inside a caller's transaction, handed to its backend.
macro_rules! in_tx {
    ($( $(#[$meta:meta])* fn $name:ident(tx $(, $arg:ident: $ty:ty)*) -> $ret:ty; )*) => {
        impl Store {
            $(
                $(#[$meta])*
                pub async fn $name(tx: &mut Tx $(, $arg: $ty)*) -> $ret {
                    match tx {
                        Tx::Sqlite(tx) => sqlite::Store::$name(tx $(, $arg)*).await,
                        Tx::Postgres(tx) => postgres::Store::$name(tx $(, $arg)*).await,
                    }
                }
            )*
        }
    };
}

on_store! {
    // the database
    fn optimize(&self, full: bool) -> Result<(), StoreError>;
    fn ping(&self) -> Result<(), StoreError>;

    // the CMDB
    fn ci_classes(&self) -> Result<Vec<CiClass>, StoreError>;
    fn find_ci(&self, id: CiId) -> Result<Option<CiView>, StoreError>;
    fn ci_relations(&self, id: CiId, skip: i64, limit: i64) -> Result<Vec<RelationView>, StoreError>;
    fn ci_relation_count(&self, id: CiId) -> Result<i64, StoreError>;
    fn ci_neighbourhood(&self, id: CiId, depth: u32) -> Result<Neighbourhood, StoreError>;
    fn cmdb_version(&self) -> Result<i64, StoreError>;
    fn search_cis(&self, query: &CiQuery) -> Result<Vec<CiNode>, StoreError>;
    fn ci_nodes(&self, ids: &[CiId]) -> Result<Vec<CiNode>, StoreError>;
    fn ci_attributes(&self, ids: &[CiId]) -> Result<Vec<(CiId, crate::domain::form::Answers)>, StoreError>;
    fn ci_events(&self, id: CiId, limit: i64) -> Result<Vec<CiEvent>, StoreError>;
    fn ci_spread_step(&self, failed: &[CiId], to_first: &[RelationKind], to_second: &[RelationKind]) -> Result<Vec<Spreading>, StoreError>;
    fn record_cis(&self, record: RecordId) -> Result<Vec<CiNode>, StoreError>;
    fn major_incident_cis(&self, limit: i64) -> Result<Vec<CiId>, StoreError>;
    fn export_cis(&self, classes: &[CiClassId], after: CiId, limit: i64) -> Result<Vec<crate::domain::cmdb_csv::CiExport>, StoreError>;
    fn records_naming(&self, cis: &[CiId], open_only: bool, limit: i64) -> Result<Vec<RecordSummary>, StoreError>;
    fn item_service(&self, item: CatalogItemId) -> Result<Option<CiId>, StoreError>;
    fn service_offerings(&self, service: CiId) -> Result<Vec<Offering>, StoreError>;

    // approvals
    fn item_plan(&self, item: CatalogItemId) -> Result<(Vec<ApprovalStep>, FulfilmentPlan), StoreError>;
    fn fulfilled_before(&self, cutoff: DateTime<Utc>) -> Result<Vec<RecordId>, StoreError>;
    fn list_approvals(&self, record: RecordId) -> Result<Vec<ApprovalView>, StoreError>;
    fn list_pending_approvals(&self, user: UserId) -> Result<Vec<PendingRow>, StoreError>;
    fn approvers_of(&self, record: RecordId) -> Result<Vec<UserId>, StoreError>;
    fn list_tasks(&self, parent: RecordId) -> Result<Vec<RecordSummary>, StoreError>;
    fn list_group_tasks(&self, user: UserId, limit: i64) -> Result<Vec<RecordSummary>, StoreError>;

    // attachments
    fn list_attachments(&self, record: RecordId) -> Result<Vec<AttachmentView>, StoreError>;
    fn find_attachment(&self, id: i64) -> Result<Option<StoredFile>, StoreError>;

    // bulk
    fn bulk_insert(&self, records: &[BulkRecord]) -> Result<(), StoreError>;
    fn count_records(&self) -> Result<i64, StoreError>;
    fn agents_and_groups(&self) -> Result<Vec<(UserId, GroupId)>, StoreError>;
    fn active_user_ids(&self) -> Result<Vec<UserId>, StoreError>;

    // canned
    fn canned_responses(&self) -> Result<Vec<CannedResponse>, StoreError>;
    fn save_canned(&self, id: Option<i64>, title: &str, body: &str, now: DateTime<Utc>) -> Result<bool, StoreError>;
    fn delete_canned(&self, id: i64) -> Result<bool, StoreError>;

    // catalog
    fn list_catalog(&self, with_unpublished: bool) -> Result<Vec<Category>, StoreError>;
    fn find_catalog_item(&self, slug: &str) -> Result<Option<FoundItem>, StoreError>;
    fn find_item_by_id(&self, id: CatalogItemId) -> Result<Option<(CatalogItem, Option<GroupId>)>, StoreError>;
    fn save_item(&self, id: Option<CatalogItemId>, item: &ItemChanges<'_>) -> Result<CatalogItemId, StoreError>;
    fn category_exists(&self, id: CategoryId) -> Result<bool, StoreError>;
    fn set_item_published(&self, id: CatalogItemId, published: bool) -> Result<(), StoreError>;
    fn set_item_audience(&self, id: CatalogItemId, audience: &Audience) -> Result<(), StoreError>;
    fn move_item(&self, id: CatalogItemId, up: bool) -> Result<(), StoreError>;
    fn move_category(&self, id: CategoryId, up: bool) -> Result<(), StoreError>;
    fn save_category(&self, id: Option<CategoryId>, slug: &str, name: &str, description: &str) -> Result<CategoryId, StoreError>;

    // directory
    fn list_users(&self, query: &str, limit: i64) -> Result<Vec<UserSummary>, StoreError>;
    fn find_user_detail(&self, id: UserId) -> Result<Option<UserDetail>, StoreError>;
    fn find_user_id_by_email(&self, email: &str) -> Result<Option<UserId>, StoreError>;
    fn find_password_hash(&self, id: UserId) -> Result<Option<String>, StoreError>;
    fn list_departments(&self) -> Result<Vec<Department>, StoreError>;
    fn set_user_active(&self, id: UserId, active: bool) -> Result<(), StoreError>;
    fn update_profile(&self, id: UserId, name: &str, time_zone: &str) -> Result<(), StoreError>;
    fn list_groups(&self) -> Result<Vec<GroupSummary>, StoreError>;
    fn find_group(&self, id: GroupId) -> Result<Option<GroupDetail>, StoreError>;
    fn update_group(&self, id: GroupId, name: &str, description: &str) -> Result<(), StoreError>;
    fn add_group_member(&self, group: GroupId, user: UserId) -> Result<(), StoreError>;
    fn remove_group_member(&self, group: GroupId, user: UserId) -> Result<(), StoreError>;

    // incidents
    fn priority_matrix(&self) -> Result<PriorityMatrix, StoreError>;
    fn organisation_time_zone(&self) -> Result<Option<String>, StoreError>;
    fn set_organisation_time_zone(&self, name: &str) -> Result<(), StoreError>;
    fn set_priority_matrix(&self, matrix: &PriorityMatrix) -> Result<(), StoreError>;
    fn save_report_draft(&self, user: UserId, token: &str, draft: &ReportDraft, now: DateTime<Utc>) -> Result<(), StoreError>;
    fn report_draft(&self, user: UserId, token: &str) -> Result<Option<ReportDraft>, StoreError>;
    fn assignment_choices(&self) -> Result<Vec<GroupChoice>, StoreError>;

    // links
    fn links_of(&self, record: RecordId) -> Result<Vec<LinkView>, StoreError>;
    fn watchers(&self, record: RecordId) -> Result<Vec<(UserId, String)>, StoreError>;

    // notifications
    fn unread_notifications(&self, user: UserId) -> Result<i64, StoreError>;
    fn inbox(&self, user: UserId, limit: i64) -> Result<Inbox, StoreError>;
    fn mark_notifications_read_but_latest(&self, keep: i64) -> Result<(), StoreError>;
    fn mark_notifications_read(&self, user: UserId, now: DateTime<Utc>) -> Result<(), StoreError>;

    // queue
    fn queue(&self, query: &QueueQuery, me: UserId, my_groups: &[GroupId]) -> Result<(Vec<RecordSummary>, Option<Cursor>), StoreError>;
    fn view_counts(&self, me: UserId, my_groups: &[GroupId]) -> Result<ViewCounts, StoreError>;

    // records
    fn list_records_for_requester(&self, user: UserId, states: &[RecordState], text: &str, limit: i64) -> Result<Vec<RecordSummary>, StoreError>;
    fn find_record(&self, number: &RecordNumber) -> Result<Option<(RecordDetail, RecordAccess)>, StoreError>;
    fn list_events(&self, record: RecordId) -> Result<Vec<(TimelineEvent, EventNames)>, StoreError>;

    // requests
    fn find_form(&self, item: CatalogItemId, version: i64) -> Result<Option<FormSchema>, StoreError>;
    fn find_answers(&self, record: RecordId) -> Result<Option<(FormSchema, Answers)>, StoreError>;
    fn find_submission(&self, user: UserId, key: &str) -> Result<Option<String>, StoreError>;
    fn insert_draft(&self, token: &str, user: UserId, item: CatalogItemId, answers: &RawAnswers, errors: &FieldErrors, now: DateTime<Utc>) -> Result<(), StoreError>;
    fn find_draft(&self, token: &str, user: UserId, item: CatalogItemId) -> Result<Option<(RawAnswers, FieldErrors)>, StoreError>;

    // sessions
    fn insert_session(&self, token_hash: &str, user: UserId, now: DateTime<Utc>, config: &SessionConfig) -> Result<(), StoreError>;
    fn find_session_user(&self, token_hash: &str, now: DateTime<Utc>, config: &SessionConfig) -> Result<Option<(CurrentUser, i64)>, StoreError>;
    fn delete_session(&self, token_hash: &str) -> Result<(), StoreError>;

    // sla
    fn calendars(&self) -> Result<Vec<(i64, CalendarDef)>, StoreError>;
    fn save_calendar(&self, id: Option<i64>, calendar: &CalendarDef) -> Result<i64, StoreError>;
    fn save_policy(&self, id: Option<i64>, policy: &SlaPolicy) -> Result<i64, StoreError>;
    fn move_policy(&self, id: i64, up: bool) -> Result<(), StoreError>;
    fn policy_references(&self) -> Result<(Vec<GroupId>, Vec<CatalogItemId>), StoreError>;
    fn catalog_item_names(&self) -> Result<Vec<(CatalogItemId, String)>, StoreError>;
    fn emails_of(&self, people: &[UserId]) -> Result<Vec<(UserId, String)>, StoreError>;
    fn active_user_by_email(&self, email: &str) -> Result<Option<UserId>, StoreError>;
    fn sla_policies(&self) -> Result<Vec<SlaPolicy>, StoreError>;
    fn record_clocks(&self, record: RecordId) -> Result<Vec<ClockRow>, StoreError>;
    fn stale_clock_records(&self, limit: i64) -> Result<Vec<ClockedRecord>, StoreError>;
    fn due_clock_records(&self, now: DateTime<Utc>) -> Result<Vec<ClockedRecord>, StoreError>;
    fn clock_events(&self, record: RecordId) -> Result<Vec<ClockEvent>, StoreError>;
    fn clock_badges(&self, records: &[RecordId]) -> Result<Vec<ClockBadgeRow>, StoreError>;
    fn breaching_soon(&self, groups: Option<&[GroupId]>, limit: i64) -> Result<Vec<DueClockRow>, StoreError>;
    fn attainment(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<AttainmentRow>, StoreError>;

    // throttle
    fn find_login_failures(&self, key: &str) -> Result<Option<Failures>, StoreError>;
    fn record_login_failure(&self, keys: &[&str], now: DateTime<Utc>) -> Result<(), StoreError>;
    fn clear_login_failures(&self, keys: &[&str]) -> Result<(), StoreError>;

    // users
    fn find_login(&self, email: &str) -> Result<Option<LoginRow>, StoreError>;
    fn find_user(&self, id: UserId) -> Result<Option<CurrentUser>, StoreError>;
    fn count_users(&self) -> Result<i64, StoreError>;
    fn update_password_hash(&self, email: &str, hash: &str) -> Result<(), StoreError>;

    // problems
    fn problem_analysis(&self, record: RecordId) -> Result<Option<(crate::domain::problem::Analysis, Option<DateTime<Utc>>)>, StoreError>;
    fn known_errors(&self, limit: i64) -> Result<Vec<crate::domain::problem::KnownError>, StoreError>;

    // views
    fn saved_views(&self, user: UserId) -> Result<Vec<SavedView>, StoreError>;
    fn save_view(&self, user: UserId, name: &str, query: &str, now: DateTime<Utc>) -> Result<i64, StoreError>;
    fn delete_view(&self, user: UserId, id: i64) -> Result<bool, StoreError>;
}

in_tx! {
    // the CMDB
    fn insert_ci_class(tx, class: &CiClass) -> Result<CiClassId, StoreError>;
    fn update_ci_class(tx, class: &CiClass) -> Result<(), StoreError>;
    fn cis_named(tx, name: &str) -> Result<Vec<(CiId, CiClassId, crate::domain::cmdb::CiStatus)>, StoreError>;
    fn ci_relation_exists(tx, edge: Edge) -> Result<bool, StoreError>;
    fn insert_ci(tx, class: CiClassId, fields: &CiFields, now: DateTime<Utc>) -> Result<CiId, StoreError>;
    fn ci_class_of(tx, id: CiId) -> Result<Option<CiClassId>, StoreError>;
    fn insert_ci_relation(tx, edge: Edge, by: Option<UserId>, now: DateTime<Utc>) -> Result<(), StoreError>;
    fn append_ci_event(tx, id: CiId, actor: Option<UserId>, at: DateTime<Utc>, change: (&str, Option<&str>, Option<&str>)) -> Result<(), StoreError>;
    fn ci_fields(tx, id: CiId) -> Result<Option<(CiClassId, CiFields, i64)>, StoreError>;
    fn update_ci(tx, id: CiId, fields: &CiFields, version: i64, now: DateTime<Utc>) -> Result<bool, StoreError>;
    fn delete_ci_relation(tx, edge: Edge) -> Result<bool, StoreError>;
    fn link_record_ci(tx, record: RecordId, ci: CiId, by: UserId, now: DateTime<Utc>) -> Result<bool, StoreError>;
    fn unlink_record_ci(tx, record: RecordId, ci: CiId) -> Result<bool, StoreError>;

    // problems
    fn save_problem_analysis(tx, record: RecordId, analysis: &crate::domain::problem::Analysis, now: DateTime<Utc>) -> Result<(), StoreError>;
    fn set_known_error(tx, record: RecordId, at: Option<DateTime<Utc>>) -> Result<bool, StoreError>;

    // approvals
    fn set_item_plan(tx, item: CatalogItemId, approval: &[ApprovalStep], fulfilment: &FulfilmentPlan) -> Result<(), StoreError>;
    fn set_request_plan(tx, record: RecordId, approval: &[ApprovalStep], fulfilment: &FulfilmentPlan) -> Result<(), StoreError>;
    fn request_plan(tx, record: RecordId) -> Result<(Vec<ApprovalStep>, FulfilmentPlan), StoreError>;
    fn manager_of(tx, user: UserId) -> Result<Option<UserId>, StoreError>;
    fn admin_ids(tx) -> Result<Vec<UserId>, StoreError>;
    fn approval_progress(tx, record: RecordId) -> Result<(Option<i64>, i64), StoreError>;
    fn group_member_ids(tx, group: GroupId) -> Result<Vec<UserId>, StoreError>;
    fn insert_approval(tx, record: RecordId, step: i64, approver: UserId, now: DateTime<Utc>) -> Result<(), StoreError>;
    fn find_approval(tx, id: i64) -> Result<Option<ApprovalRow>, StoreError>;
    fn decide_approval(tx, id: i64, decision: Decision, comment: &str, now: DateTime<Utc>) -> Result<(), StoreError>;
    fn step_decisions(tx, record: RecordId, step: i64) -> Result<Vec<Option<Decision>>, StoreError>;
    fn skip_pending(tx, record: RecordId, step: i64, now: DateTime<Utc>) -> Result<(), StoreError>;
    fn skip_all_pending(tx, record: RecordId, now: DateTime<Utc>) -> Result<(), StoreError>;
    fn open_task_ids(tx, parent: RecordId) -> Result<Vec<RecordId>, StoreError>;
    fn task_counts(tx, parent: RecordId) -> Result<(i64, i64), StoreError>;

    // attachments
    fn insert_attachment(tx, file: &NewAttachment<'_>) -> Result<i64, StoreError>;

    // canned
    fn insert_canned(tx, title: &str, body: &str, at: DateTime<Utc>) -> Result<(), StoreError>;

    // catalog
    fn set_item_keywords(tx, item: CatalogItemId, keywords: &str) -> Result<(), StoreError>;
    fn insert_category(tx, slug: &str, name: &str, description: &str, icon: &str, position: i64) -> Result<CategoryId, StoreError>;
    fn insert_catalog_item(tx, category: CategoryId, item: &NewCatalogItem<'_>, position: i64) -> Result<CatalogItemId, StoreError>;

    // directory
    fn update_user(tx, id: UserId, changes: &UserChanges<'_>) -> Result<(), StoreError>;
    fn set_user_groups(tx, id: UserId, groups: &[GroupId]) -> Result<(), StoreError>;
    fn set_password(tx, id: UserId, hash: &str, keep: Option<&str>) -> Result<(), StoreError>;

    // incidents
    fn priority_matrix_in(tx) -> Result<PriorityMatrix, StoreError>;
    fn moving(tx, record: RecordId) -> Result<Moving, StoreError>;
    fn clock_subject(tx, record: RecordId) -> Result<(RecordKind, Option<CatalogItemId>, DateTime<Utc>), StoreError>;
    fn people_to_tell(tx, record: RecordId, actor: Option<UserId>) -> Result<Vec<UserId>, StoreError>;
    fn apply_move(tx, record: RecordId, state: RecordState, kept: &MoveDetails, at: DateTime<Utc>) -> Result<(), StoreError>;
    fn record_fields(tx, record: RecordId) -> Result<(Fields, i64), StoreError>;
    fn set_fields(tx, record: RecordId, fields: &Fields, at: DateTime<Utc>) -> Result<(), StoreError>;

    // links
    fn link_exists(tx, from: RecordId, to: RecordId, kind: LinkKind) -> Result<bool, StoreError>;
    fn family(tx, record: RecordId) -> Result<(bool, bool), StoreError>;
    fn insert_link(tx, from: RecordId, to: RecordId, kind: LinkKind, by: UserId, at: DateTime<Utc>) -> Result<(), StoreError>;
    fn delete_link(tx, from: RecordId, to: RecordId, kind: LinkKind) -> Result<bool, StoreError>;
    fn children(tx, parent: RecordId) -> Result<Vec<ChildRow>, StoreError>;
    fn remove_watcher(tx, record: RecordId, user: UserId) -> Result<bool, StoreError>;

    // notifications
    fn notify(tx, user: UserId, record: RecordId, what: &str, now: DateTime<Utc>) -> Result<(), StoreError>;

    // records
    fn allocate_number(tx, kind: RecordKind) -> Result<RecordNumber, StoreError>;
    fn insert_record(tx, record: &NewRecord, priority: Priority) -> Result<(RecordId, RecordNumber), StoreError>;
    fn append_event(tx, record: RecordId, event: &NewEvent) -> Result<EventId, StoreError>;
    fn add_watcher(tx, record: RecordId, user: UserId) -> Result<(), StoreError>;

    // requests
    fn save_form(tx, item: CatalogItemId, schema: &FormSchema, now: DateTime<Utc>) -> Result<i64, StoreError>;
    fn insert_answers(tx, record: RecordId, item: CatalogItemId, version: i64, answers: &Answers) -> Result<(), StoreError>;
    fn find_submission_in(tx, user: UserId, key: &str) -> Result<Option<String>, StoreError>;
    fn insert_submission(tx, user: UserId, key: &str, record: RecordId, now: DateTime<Utc>) -> Result<(), StoreError>;

    // sla
    fn insert_calendar(tx, calendar: &CalendarDef) -> Result<i64, StoreError>;
    fn sla_policies_in(tx) -> Result<Vec<SlaPolicy>, StoreError>;
    fn insert_policy(tx, policy: &SlaPolicy) -> Result<i64, StoreError>;
    fn set_clock(tx, record: RecordId, kind: &str, policy: i64, started_at: DateTime<Utc>, target_minutes: u32) -> Result<(), StoreError>;
    fn drop_clocks_except(tx, record: RecordId, keep: &[&str]) -> Result<(), StoreError>;
    fn set_clock_moments(tx, record: RecordId, kind: &str, moments: &ClockMoments, now: DateTime<Utc>) -> Result<(), StoreError>;
    fn mark_clock(tx, record: RecordId, kind: &str, breach: bool, at: DateTime<Utc>) -> Result<bool, StoreError>;

    // users
    fn insert_department(tx, name: &str) -> Result<DepartmentId, StoreError>;
    fn insert_user(tx, user: &NewUser<'_>, now: DateTime<Utc>) -> Result<UserId, StoreError>;
    fn insert_group(tx, name: &str, description: &str) -> Result<GroupId, StoreError>;
    fn insert_group_member(tx, group: GroupId, user: UserId) -> Result<(), StoreError>;
}
