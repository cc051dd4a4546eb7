//! Store tests against a real database: a SQLite file in a temporary directory, or a fresh
//! PostgreSQL database when `SWITCHBOARD_TEST_POSTGRES` names a server.
#![cfg(feature = "ssr")]
#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use std::collections::BTreeSet;

use app::domain::event::{EventKind, NewEvent, Visibility};
use app::domain::ids::{RecordId, UserId};
use app::domain::lifecycle::Mover;
use app::domain::record::{Priority, RecordKind, RecordState, Title};
use app::error::AppError;
use app::ssr::service::engine::{self, Transition};
use app::ssr::service::records::create_record;
use app::ssr::store::{NewRecord, NewUser, Store, StoreError, fresh_test_database};
use chrono::{DateTime, Duration, Utc};

struct TestStore {
    store: Store,
    _dir: tempfile::TempDir,
}

/// A fresh store on the backend the tests run on (`fresh_test_database`).
async fn store() -> TestStore {
    let dir = tempfile::tempdir().unwrap();
    let store = match fresh_test_database().await.unwrap() {
        Some(url) => Store::connect(&url).await.unwrap(),
        None => Store::open(&dir.path().join("test.db")).await.unwrap(),
    };
    store.migrate().await.unwrap();
    TestStore { store, _dir: dir }
}

/// Whether the tests run on PostgreSQL; SQLite's own tests (its file, its pragmas, its
/// migrations from earlier releases) then have nothing to check.
fn on_postgres() -> bool {
    std::env::var_os("SWITCHBOARD_TEST_POSTGRES").is_some()
}

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_795_511_100, 0).unwrap()
}

async fn user(store: &Store, email: &str) -> UserId {
    let mut tx = store.begin().await.unwrap();
    let new = NewUser {
        email,
        name: "Test Person",
        password_hash: None,
        department: None,
        manager: None,
        time_zone: "UTC",
        roles: &[],
    };
    let id = Store::insert_user(&mut tx, &new, now()).await.unwrap();
    tx.commit().await.unwrap();
    id
}

fn record(kind: RecordKind, requester: UserId, title: &str, at: DateTime<Utc>) -> NewRecord {
    NewRecord::new(kind, requester, Title::parse(title).unwrap(), at)
}

#[tokio::test]
async fn the_database_uses_wal_full_sync_and_foreign_keys() {
    if on_postgres() {
        return;
    }
    let t = store().await;
    let mut tx = t.store.begin().await.unwrap();
    let mode: String =
        sqlx::query_scalar("PRAGMA journal_mode").fetch_one(tx.sqlite().unwrap()).await.unwrap();
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(tx.sqlite().unwrap()).await.unwrap();
    let synchronous: i64 =
        sqlx::query_scalar("PRAGMA synchronous").fetch_one(tx.sqlite().unwrap()).await.unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(fk, 1);
    assert_eq!(synchronous, 2, "FULL: the log is on disk before a commit returns");
}

#[tokio::test]
async fn numbers_count_up_per_kind() {
    let t = store().await;
    let who = user(&t.store, "a@example.com").await;
    let (_, inc1) = create_record(&t.store, &record(RecordKind::Incident, who, "One", now())).await.unwrap();
    let (_, req1) = create_record(&t.store, &record(RecordKind::Request, who, "Two", now())).await.unwrap();
    let (_, inc2) =
        create_record(&t.store, &record(RecordKind::Incident, who, "Three", now())).await.unwrap();
    assert_eq!(inc1.to_string(), "INC0000001");
    assert_eq!(req1.to_string(), "REQ0000001");
    assert_eq!(inc2.to_string(), "INC0000002");
}

#[tokio::test]
async fn concurrent_allocation_has_no_gaps_and_no_duplicates() {
    let t = store().await;
    let who = user(&t.store, "a@example.com").await;
    let mut tasks = Vec::new();
    for i in 0..60 {
        let store = t.store.clone();
        tasks.push(tokio::spawn(async move {
            let kind = if i % 2 == 0 { RecordKind::Incident } else { RecordKind::Request };
            create_record(&store, &record(kind, who, &format!("Record {i}"), now())).await.unwrap().1
        }));
    }
    let mut numbers = BTreeSet::new();
    for task in tasks {
        assert!(numbers.insert(task.await.unwrap().to_string()), "duplicate number");
    }
    for kind in [RecordKind::Incident, RecordKind::Request] {
        let seqs: Vec<i64> = numbers
            .iter()
            .filter(|n| n.starts_with(kind.prefix()))
            .map(|n| n[3..].parse().unwrap())
            .collect();
        assert_eq!(seqs, (1..=30).collect::<Vec<_>>(), "{kind:?} numbers must be 1..=30 without gaps");
    }
}

#[tokio::test]
async fn a_rolled_back_insert_gives_its_number_back() {
    let t = store().await;
    let who = user(&t.store, "a@example.com").await;
    let mut tx = t.store.begin().await.unwrap();
    let (_, taken) = Store::insert_record(
        &mut tx,
        &record(RecordKind::Problem, who, "Abandoned", now()),
        Priority::LOWEST,
    )
    .await
    .unwrap();
    assert_eq!(taken.to_string(), "PRB0000001");
    tx.rollback().await.unwrap();
    let (_, next) = create_record(&t.store, &record(RecordKind::Problem, who, "Kept", now())).await.unwrap();
    assert_eq!(next.to_string(), "PRB0000001");
}

/// Writers queued behind one another share a commit: each is answered only once its work
/// can be read, one that fails or is dropped half-way gives its number back, and the others'
/// work in the same group is kept.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writers_sharing_a_commit_keep_their_work_apart() {
    let t = store().await;
    let who = user(&t.store, "a@example.com").await;
    let first = t.store.begin().await.unwrap();
    let mut tasks = Vec::new();
    for i in 0..30 {
        let store = t.store.clone();
        tasks.push(tokio::spawn(async move {
            match i % 3 {
                0 => {
                    let mut tx = store.begin().await.unwrap();
                    let dropped = record(RecordKind::Incident, who, &format!("Dropped {i}"), now());
                    Store::insert_record(&mut tx, &dropped, Priority::LOWEST).await.unwrap();
                    None
                }
                1 => {
                    let mut orphan = record(RecordKind::Incident, who, &format!("Orphan {i}"), now());
                    orphan.requester = UserId(9_999);
                    assert!(create_record(&store, &orphan).await.is_err());
                    None
                }
                _ => {
                    let kept = record(RecordKind::Incident, who, &format!("Kept {i}"), now());
                    let (_, number) = create_record(&store, &kept).await.unwrap();
                    let read = store.find_record(&number).await.unwrap();
                    assert!(read.is_some(), "{number} was answered before it could be read");
                    Some(number.to_string())
                }
            }
        }));
    }
    tokio::task::yield_now().await;
    first.commit().await.unwrap();
    let mut numbers = BTreeSet::new();
    for task in tasks {
        numbers.extend(task.await.unwrap());
    }
    let expected: BTreeSet<String> = (1..=10).map(|n| format!("INC{n:07}")).collect();
    assert_eq!(numbers, expected, "kept records are numbered without gaps");
    let titles: Vec<String> = t
        .store
        .list_records_for_requester(who, &[], "", 100)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.title)
        .collect();
    assert_eq!(titles.len(), 10, "{titles:?}");
    assert!(titles.iter().all(|title| title.starts_with("Kept ")), "{titles:?}");
}

#[tokio::test]
async fn a_failing_record_leaves_nothing_behind() {
    let t = store().await;
    let who = user(&t.store, "a@example.com").await;
    let mut bad = record(RecordKind::Change, who, "Orphan", now());
    bad.requester = UserId(9_999);
    let result = create_record(&t.store, &bad).await;
    assert!(matches!(result, Err(AppError::Conflict(_))), "{result:?}");
    let (_, number) = create_record(&t.store, &record(RecordKind::Change, who, "Fine", now())).await.unwrap();
    assert_eq!(number.to_string(), "CHG0000001");
}

#[tokio::test]
async fn history_is_kept_in_order_and_moves_the_record() {
    let t = store().await;
    let who = user(&t.store, "a@example.com").await;
    let later = now() + Duration::hours(2);
    let (id, _) =
        create_record(&t.store, &record(RecordKind::Incident, who, "Slow VPN", now())).await.unwrap();
    let mut tx = t.store.begin().await.unwrap();
    let start = Transition::by(Mover::Person, id, RecordState::InProgress, Some(who), later);
    engine::transition(&mut tx, start).await.unwrap();
    let note = NewEvent::comment(Some(who), later, "Looking into it", Visibility::Internal).unwrap();
    Store::append_event(&mut tx, id, &note).await.unwrap();
    tx.commit().await.unwrap();

    let events: Vec<_> = t.store.list_events(id).await.unwrap().into_iter().map(|(e, _)| e).collect();
    let kinds: Vec<EventKind> = events.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, vec![EventKind::Created, EventKind::Changed, EventKind::Comment]);
    assert_eq!(events[1].to_value.as_deref(), Some("in_progress"));
    assert_eq!(events[2].visibility, Visibility::Internal);

    let mine = t.store.list_records_for_requester(who, &[], "", 10).await.unwrap();
    assert_eq!(mine[0].state, RecordState::InProgress);
    assert_eq!(mine[0].updated_at, later);
}

#[tokio::test]
async fn the_event_log_refuses_edits_and_deletes() {
    let t = store().await;
    let who = user(&t.store, "a@example.com").await;
    let (id, _) =
        create_record(&t.store, &record(RecordKind::Incident, who, "Immutable", now())).await.unwrap();
    let mut tx = t.store.begin().await.unwrap();
    let update = tx.run(&format!("UPDATE record_events SET body = 'x' WHERE record_id = {}", id.0)).await;
    assert!(update.unwrap_err().to_string().contains("append-only"));
    tx.rollback().await.unwrap();
    let mut tx = t.store.begin().await.unwrap();
    let delete = tx.run(&format!("DELETE FROM record_events WHERE record_id = {}", id.0)).await;
    assert!(delete.unwrap_err().to_string().contains("append-only"));
    tx.rollback().await.unwrap();
    let mut tx = t.store.begin().await.unwrap();
    let kept = format!("SELECT CAST(count(*) AS TEXT) FROM record_events WHERE record_id = {}", id.0);
    assert_eq!(tx.peek(&kept).await.unwrap(), ["1"]);
}

#[tokio::test]
async fn a_duplicate_email_is_a_conflict() {
    let t = store().await;
    user(&t.store, "same@example.com").await;
    let mut tx = t.store.begin().await.unwrap();
    let new = NewUser {
        email: "SAME@example.com",
        name: "Twin",
        password_hash: None,
        department: None,
        manager: None,
        time_zone: "UTC",
        roles: &[],
    };
    let result = Store::insert_user(&mut tx, &new, now()).await;
    assert!(matches!(result, Err(StoreError::Conflict { .. })), "{result:?}");
}

#[tokio::test]
async fn requesters_see_only_their_own_records_and_open_lists_skip_closed() {
    let t = store().await;
    let ada = user(&t.store, "ada@example.com").await;
    let bob = user(&t.store, "bob@example.com").await;
    create_record(&t.store, &record(RecordKind::Incident, ada, "Ada's laptop", now())).await.unwrap();
    let (monitor, _) =
        create_record(&t.store, &record(RecordKind::Request, bob, "Bob's monitor", now())).await.unwrap();
    let mut tx = t.store.begin().await.unwrap();
    let cancel = Transition::by(Mover::Person, monitor, RecordState::Cancelled, Some(bob), now());
    engine::transition(&mut tx, cancel).await.unwrap();
    tx.commit().await.unwrap();

    let adas: Vec<String> = t
        .store
        .list_records_for_requester(ada, &[], "", 10)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.title)
        .collect();
    assert_eq!(adas, vec!["Ada's laptop"]);
    let all_open =
        app::domain::queue::QueueQuery { view: app::domain::queue::View::AllOpen, ..Default::default() };
    let (open, next) = t.store.queue(&all_open, ada, &[]).await.unwrap();
    let open: Vec<String> = open.into_iter().map(|r| r.title).collect();
    assert_eq!((open, next), (vec!["Ada's laptop".to_owned()], None));
    // The cancelling moved Bob's out of the open counts the triggers keep.
    assert_eq!(t.store.view_counts(ada, &[]).await.unwrap().all_open, 1);
}

fn sessions(idle_minutes: i64, absolute_minutes: i64) -> app::ssr::auth::SessionConfig {
    app::ssr::auth::SessionConfig::new(
        false,
        Duration::minutes(idle_minutes),
        Duration::minutes(absolute_minutes),
    )
}

#[tokio::test]
async fn the_session_brings_the_users_department_and_groups() {
    let t = store().await;
    let mut tx = t.store.begin().await.unwrap();
    let finance = Store::insert_department(&mut tx, "Finance").await.unwrap();
    let network = Store::insert_group(&mut tx, "Network", "").await.unwrap();
    let desk = Store::insert_group(&mut tx, "Service desk", "").await.unwrap();
    let new = NewUser {
        email: "ada@example.com",
        name: "Ada",
        password_hash: None,
        department: Some(finance),
        manager: None,
        time_zone: "UTC",
        roles: &[],
    };
    let ada = Store::insert_user(&mut tx, &new, now()).await.unwrap();
    Store::insert_group_member(&mut tx, desk, ada).await.unwrap();
    Store::insert_group_member(&mut tx, network, ada).await.unwrap();
    tx.commit().await.unwrap();
    let bob = user(&t.store, "bob@example.com").await;
    let config = sessions(30, 600);
    t.store.insert_session("ada", ada, now(), &config).await.unwrap();
    t.store.insert_session("bob", bob, now(), &config).await.unwrap();

    let (found, unread) = t.store.find_session_user("ada", now(), &config).await.unwrap().unwrap();
    assert_eq!((found.department, found.groups, unread), (Some(finance), vec![network, desk], 0));
    let (found, _) = t.store.find_session_user("bob", now(), &config).await.unwrap().unwrap();
    assert_eq!((found.department, found.groups), (None, Vec::new()));
}

#[tokio::test]
async fn a_session_ends_when_idle_too_long() {
    let t = store().await;
    let ada = user(&t.store, "ada@example.com").await;
    let config = sessions(30, 600);
    t.store.insert_session("idle", ada, now(), &config).await.unwrap();
    let found = t.store.find_session_user("idle", now() + Duration::minutes(29), &config).await.unwrap();
    assert_eq!(found.map(|(u, unread)| (u.id, unread)), Some((ada, 0)));
    // Using it moved the idle clock: 29 minutes after that use it still holds.
    let later = now() + Duration::minutes(29 + 29);
    assert!(t.store.find_session_user("idle", later, &config).await.unwrap().is_some());
    let abandoned = later + Duration::minutes(31);
    assert!(t.store.find_session_user("idle", abandoned, &config).await.unwrap().is_none());
}

#[tokio::test]
async fn a_session_ends_at_its_absolute_limit_however_busy() {
    let t = store().await;
    let ada = user(&t.store, "ada@example.com").await;
    let config = sessions(30, 120);
    t.store.insert_session("busy", ada, now(), &config).await.unwrap();
    for minute in (0..120).step_by(20) {
        let at = now() + Duration::minutes(minute);
        assert!(t.store.find_session_user("busy", at, &config).await.unwrap().is_some(), "{minute}");
    }
    let at_limit = now() + Duration::minutes(120);
    assert!(t.store.find_session_user("busy", at_limit, &config).await.unwrap().is_none());
}

#[tokio::test]
async fn deactivating_and_password_changes_end_sessions() {
    let t = store().await;
    let ada = user(&t.store, "ada@example.com").await;
    let config = sessions(30, 600);
    for token in ["laptop", "phone", "tablet"] {
        t.store.insert_session(token, ada, now(), &config).await.unwrap();
    }
    let mut tx = t.store.begin().await.unwrap();
    Store::set_password(&mut tx, ada, "new-hash", Some("laptop")).await.unwrap();
    tx.commit().await.unwrap();
    let live = |token: &'static str| {
        let (store, config) = (t.store.clone(), config.clone());
        async move { store.find_session_user(token, now(), &config).await.unwrap().is_some() }
    };
    assert!(live("laptop").await, "the session that changed the password stays");
    assert!(!live("phone").await && !live("tablet").await);
    assert_eq!(t.store.find_password_hash(ada).await.unwrap().as_deref(), Some("new-hash"));

    t.store.set_user_active(ada, false).await.unwrap();
    assert!(!live("laptop").await);
    t.store.set_user_active(ada, true).await.unwrap();
    assert!(!live("laptop").await, "reactivating does not bring old sessions back");
    assert!(matches!(t.store.set_user_active(UserId(999), false).await, Err(StoreError::NotFound)));
}

/// Every `state IN (…)` the schema holds (the partial indexes of the queue, the open-count
/// triggers, the table's CHECK) against the domain's life cycles: open means
/// `RecordState::is_open`, and the CHECK lists every state there is.
#[tokio::test]
async fn the_schema_lists_the_open_states_of_the_domain() {
    let t = store().await;
    let mut tx = t.store.begin().await.unwrap();
    if on_postgres() {
        return the_postgres_schema_lists_the_open_states(&mut tx).await;
    }
    let schema: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'records' AND sql LIKE '%state IN (%'",
    )
    .fetch_all(tx.sqlite().unwrap())
    .await
    .unwrap();
    let codes = |keep: fn(RecordState) -> bool| {
        RecordState::ALL
            .into_iter()
            .filter(|s| keep(*s))
            .map(|s| format!("'{}'", s.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (open, every) = (codes(RecordState::is_open), codes(|_| true));
    let mut partial = 0;
    for (name, sql) in &schema {
        let lists: Vec<&str> =
            sql.split("state IN (").skip(1).map(|rest| rest.split(')').next().unwrap()).collect();
        for list in lists {
            let list = list.split_whitespace().collect::<Vec<_>>().join(" ");
            if name == "records" {
                assert_eq!(list, every, "the CHECK of records");
            } else {
                assert_eq!(list, open, "{name}");
                partial += 1;
            }
        }
    }
    assert_eq!(partial, 9, "six partial indexes and three triggers: {schema:?}");
}

/// PostgreSQL's partial indexes and its `record_is_open` (which the open-count trigger asks)
/// against the domain.
async fn the_postgres_schema_lists_the_open_states(tx: &mut app::ssr::store::Tx) {
    let codes = |keep: fn(RecordState) -> bool| {
        RecordState::ALL.into_iter().filter(|s| keep(*s)).map(|s| s.as_str().to_owned()).collect::<Vec<_>>()
    };
    let (open, every) = (codes(RecordState::is_open), codes(|_| true));
    let predicates = tx
        .peek(
            "SELECT pg_get_expr(i.indpred, i.indrelid) FROM pg_index i
             JOIN pg_class c ON c.oid = i.indrelid
             WHERE c.relname = 'records' AND pg_get_expr(i.indpred, i.indrelid) LIKE '%state%'",
        )
        .await
        .unwrap();
    assert_eq!(
        predicates.len(),
        9,
        "six partial indexes of open records, three of unassigned ones: {predicates:?}"
    );
    for predicate in &predicates {
        let listed: Vec<String> = predicate.split('\'').skip(1).step_by(2).map(str::to_owned).collect();
        assert_eq!(listed, open, "{predicate}");
    }
    let everything = every.iter().map(|s| format!("('{s}')")).collect::<Vec<_>>().join(", ");
    let judged = tx
        .peek(&format!("SELECT s FROM (VALUES {everything}) AS states (s) WHERE record_is_open(s)"))
        .await
        .unwrap();
    assert_eq!(judged, open, "record_is_open");
}

/// A database as the release before typed events left it: words in the log where codes
/// and ids belong. After the migration the history reads the same, in words, and a
/// hold's reason is a code the service-level clocks can read.
#[tokio::test]
async fn the_history_of_an_earlier_release_reads_the_same_after_the_migration() {
    if on_postgres() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("previous.db")).await.unwrap();
    store.migrate_to(20261125090000).await.unwrap();
    let mut tx = store.begin().await.unwrap();
    for sql in [
        "INSERT INTO users (id, email, name, time_zone, created_at) VALUES
             (1, 'maya@example.com', 'Maya Patel', 'UTC', '2026-11-30T09:00:00Z'),
             (2, 'sam@example.com', 'Sam Okafor', 'UTC', '2026-11-30T09:00:00Z')",
        "INSERT INTO groups (id, name) VALUES (4, 'Network'), (5, 'Service Desk')",
        "UPDATE record_counters SET next = 2 WHERE kind = 'incident'",
        "INSERT INTO records (id, kind, seq, number, title, state, priority, impact, urgency, requester_id,
             opened_by_id, assignment_group_id, assignee_id, opened_at, updated_at, hold_reason)
         VALUES (1, 'incident', 1, 'INC0000001', 'VPN drops', 'on_hold', 1, 1, 1, 1, 1, 4, 2,
             '2026-11-30T09:00:00Z', '2026-11-30T10:00:00Z', 'awaiting_caller')",
        "INSERT INTO attachments (id, record_id, file_name, content_type, size, sha256, uploaded_by, uploaded_at)
         VALUES (9, 1, 'trace.txt', 'text/plain', 2048, 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 2, '2026-11-30T09:40:00Z')",
        "INSERT INTO record_events (record_id, actor_id, at, kind, field, from_value, to_value) VALUES
             (1, 2, '2026-11-30T09:10:00Z', 'changed', 'impact', 'Medium: a team', 'High: many people'),
             (1, 2, '2026-11-30T09:10:00Z', 'changed', 'priority', 'P3 Moderate', 'P2 High'),
             (1, 2, '2026-11-30T09:10:00Z', 'changed', 'group', 'Service Desk', 'Network'),
             (1, 2, '2026-11-30T09:10:00Z', 'changed', 'assignee', NULL, 'Sam Okafor'),
             (1, 2, '2026-11-30T09:10:00Z', 'changed', 'major incident', 'no', 'yes'),
             (1, 2, '2026-11-30T09:20:00Z', 'changed', 'state', 'new', 'on_hold'),
             (1, 2, '2026-11-30T09:20:00Z', 'changed', 'hold_reason', NULL, 'Awaiting caller'),
             (1, 2, '2026-11-30T09:30:00Z', 'changed', 'link', NULL, 'Child of INC0000007'),
             (1, 2, '2026-11-30T09:35:00Z', 'changed', 'watchers', NULL, 'Maya Patel'),
             (1, 2, '2026-11-30T09:40:00Z', 'changed', 'attachment', NULL, 'trace.txt (2 KB)'),
             (1, NULL, '2026-11-30T09:50:00Z', 'changed', 'service level', NULL, 'First response warning: 75 % of 4 h used'),
             (1, NULL, '2026-11-30T09:50:00Z', 'changed', 'priority', 'P2', 'P1')",
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(tx.sqlite().unwrap()).await.unwrap();
    }
    tx.commit().await.unwrap();

    store.migrate().await.unwrap();
    let read: Vec<String> = app::ssr::service::records::timeline(&store, RecordId(1))
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.what)
        .collect();
    assert_eq!(
        read,
        [
            "changed impact from Medium: a team to High: many people",
            "changed priority from P3 Moderate to P2 High",
            "changed group from Service Desk to Network",
            "changed assignee from nothing to Sam Okafor",
            "marked it a major incident",
            "changed state from New to On hold",
            "put it on hold: Awaiting caller",
            "added link: Child of INC0000007",
            "added watcher: Maya Patel",
            "attached trace.txt (2 KB)",
            "First response warning: 75 % of 4 h used",
            "changed priority from P2 High to P1 Critical",
        ]
    );
    let mut tx = store.begin().await.unwrap();
    let stored: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT field, to_value FROM record_events WHERE field IN ('hold_reason', 'group', 'assignee', 'watcher', 'attachment') ORDER BY id",
    )
    .fetch_all(tx.sqlite().unwrap())
    .await
    .unwrap();
    let codes: Vec<(&str, Option<&str>)> = stored.iter().map(|(f, v)| (f.as_str(), v.as_deref())).collect();
    assert_eq!(
        codes,
        [
            ("group", Some("4")),
            ("assignee", Some("2")),
            ("hold_reason", Some("awaiting_caller")),
            ("watcher", Some("1")),
            ("attachment", Some("9")),
        ]
    );
    let edit = sqlx::query("UPDATE record_events SET body = 'x'").execute(tx.sqlite().unwrap()).await;
    assert!(edit.unwrap_err().to_string().contains("append-only"), "the log is append-only again");
}

/// `fixtures/previous-release.db` was written by the release before typed events (commit
/// 1e5416a): its own HTTP harness reported two incidents, had an agent set impact, urgency,
/// group, assignee, category and the major flag, hold the first awaiting the caller,
/// resolve it with a workaround, link it as the parent of the second, add a watcher and a
/// file, and let a service-level breach raise the priority of a third and move it to
/// another group. Upgraded, its history reads the same, in words, from codes and ids.
#[tokio::test]
async fn a_database_written_by_the_previous_release_keeps_its_history_after_the_upgrade() {
    if on_postgres() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("switchboard.db");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/previous-release.db"), &path).unwrap();
    let store = Store::open(&path).await.unwrap();
    store.migrate().await.unwrap();
    let read = |record| {
        let store = store.clone();
        async move {
            app::ssr::service::records::timeline(&store, RecordId(record))
                .await
                .unwrap()
                .into_iter()
                .map(|e| e.what)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        read(1).await,
        [
            "opened this",
            "changed impact from Low: one person to High: many people",
            "changed priority from P4 Low to P2 High",
            "changed group from nothing to Network",
            "changed assignee from nothing to Sam Okafor",
            "changed category from nothing to network",
            "marked it a major incident",
            "changed state from New to On hold",
            "put it on hold: Awaiting caller",
            "changed state from On hold to Resolved",
            "resolved it as Workaround given",
            "replied",
            "added link: Parent of INC0000002",
            "added watcher: Ida Watcher",
            "attached trace.txt (2 KB)",
        ]
    );
    assert_eq!(read(2).await, ["opened this", "added link: Child of INC0000001"]);
    assert_eq!(
        read(3).await,
        [
            "opened this",
            "Resolution warning: 75 % of 1 h used",
            "Resolution target of 1 h breached",
            "changed priority from P2 High to P1 Critical",
            "changed group from nothing to Major incidents",
        ]
    );
    let mut tx = store.begin().await.unwrap();
    let held: Option<String> =
        sqlx::query_scalar("SELECT to_value FROM record_events WHERE field = 'hold_reason'")
            .fetch_one(tx.sqlite().unwrap())
            .await
            .unwrap();
    assert_eq!(held.as_deref(), Some("awaiting_caller"), "the clocks read the hold as a code");
    let states: Vec<String> = sqlx::query_scalar("SELECT state FROM records ORDER BY id")
        .fetch_all(tx.sqlite().unwrap())
        .await
        .unwrap();
    assert_eq!(states, ["resolved", "new", "new"], "records keep their states through the rebuild");
}

mod cmdb {
    use super::*;
    use app::domain::ci_graph::{GRAPH_NODES_MAX, Neighbourhood};
    use app::domain::cmdb::{
        CiClass, CiFields, CiStatus, Criticality, Edge, RelationKind, check_relation, effective_schema,
    };
    use app::domain::form::{Answer, Answers};
    use app::domain::ids::{CiClassId, CiId};

    fn class_id(classes: &[CiClass], code: &str) -> CiClassId {
        classes.iter().find(|c| c.code == code).unwrap_or_else(|| panic!("no class {code}")).id
    }

    fn fields(name: &str, attributes: &[(&str, &str)]) -> CiFields {
        let attributes: Answers =
            attributes.iter().map(|(k, v)| ((*k).to_owned(), Answer::Text((*v).to_owned()))).collect();
        CiFields {
            name: name.to_owned(),
            status: CiStatus::InOperation,
            criticality: Criticality::High,
            location: "Data centre A, row 3".to_owned(),
            owner: None,
            support_group: None,
            attributes,
        }
    }

    async fn ci(store: &Store, class: CiClassId, name: &str) -> CiId {
        let mut tx = store.begin().await.unwrap();
        let id = Store::insert_ci(&mut tx, class, &fields(name, &[]), now()).await.unwrap();
        tx.commit().await.unwrap();
        id
    }

    async fn relate(store: &Store, from: CiId, kind: RelationKind, to: CiId) -> Result<(), StoreError> {
        let mut tx = store.begin().await.unwrap();
        let made = Store::insert_ci_relation(&mut tx, Edge { from, to, kind }, None, now()).await;
        match made {
            Ok(()) => tx.commit().await,
            Err(error) => {
                tx.rollback().await.unwrap();
                Err(error)
            }
        }
    }

    #[tokio::test]
    async fn the_default_classes_inherit_their_parents_attributes() {
        let t = store().await;
        let classes = t.store.ci_classes().await.unwrap();
        assert_eq!(classes.len(), 12, "{:?}", classes.iter().map(|c| &c.code).collect::<Vec<_>>());
        let keys = |code: &str| -> Vec<String> {
            effective_schema(&classes, class_id(&classes, code))
                .unwrap()
                .fields
                .into_iter()
                .map(|f| f.key)
                .collect()
        };
        assert_eq!(
            keys("server"),
            ["hostname", "operating_system", "ip_address", "serial_number", "rack", "warranty_end"]
        );
        assert_eq!(keys("laptop"), ["serial_number", "model", "purchase_date", "warranty_end", "asset_tag"]);
        let host = classes.iter().find(|c| c.code == "host").unwrap();
        assert!(host.attributes.fields[0].required, "a host needs its host name");
    }

    #[tokio::test]
    async fn a_ci_keeps_its_fields_and_its_class_holds_each_name_once() {
        let t = store().await;
        let classes = t.store.ci_classes().await.unwrap();
        let (server, vm) = (class_id(&classes, "server"), class_id(&classes, "virtual_machine"));
        let mut tx = t.store.begin().await.unwrap();
        let saved = fields("db-01", &[("hostname", "db-01.example.com"), ("rack", "R3")]);
        let id = Store::insert_ci(&mut tx, server, &saved, now()).await.unwrap();
        tx.commit().await.unwrap();
        let found = t.store.find_ci(id).await.unwrap().unwrap();
        assert_eq!((found.name.as_str(), found.class_name.as_str()), ("db-01", "Server"));
        assert_eq!((found.status, found.criticality), (CiStatus::InOperation, Criticality::High));
        assert_eq!(found.location, "Data centre A, row 3");
        assert_eq!(found.attributes, saved.attributes);
        assert_eq!(found.updated_at, now());

        let mut tx = t.store.begin().await.unwrap();
        let again = Store::insert_ci(&mut tx, server, &fields("DB-01", &[]), now()).await;
        assert!(matches!(again, Err(StoreError::Conflict { .. })), "{again:?}");
        tx.rollback().await.unwrap();
        ci(&t.store, vm, "db-01").await;
        assert!(t.store.find_ci(CiId(id.0 + 1000)).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn a_relation_reads_from_both_ends_and_is_kept_once() {
        let t = store().await;
        let classes = t.store.ci_classes().await.unwrap();
        let app = ci(&t.store, class_id(&classes, "application"), "CRM").await;
        let server = ci(&t.store, class_id(&classes, "server"), "app-01").await;
        relate(&t.store, app, RelationKind::RunsOn, server).await.unwrap();
        let again = relate(&t.store, app, RelationKind::RunsOn, server).await;
        assert!(matches!(again, Err(StoreError::Conflict { .. })), "{again:?}");
        assert!(relate(&t.store, app, RelationKind::DependsOn, app).await.is_err(), "never to itself");

        let from_app = t.store.ci_relations(app, 0, 50).await.unwrap();
        assert_eq!(from_app.len(), 1);
        assert_eq!((from_app[0].label(), from_app[0].other_name.as_str()), ("runs on", "app-01"));
        assert_eq!(from_app[0].other_class, "Server");
        let from_server = t.store.ci_relations(server, 0, 50).await.unwrap();
        assert_eq!((from_server[0].label(), from_server[0].other), ("hosts", app));

        let mut tx = t.store.begin().await.unwrap();
        let class = Store::ci_class_of(&mut tx, server).await.unwrap().unwrap();
        tx.rollback().await.unwrap();
        let app_class = class_id(&classes, "application");
        assert!(check_relation(&classes, RelationKind::RunsOn, (server, class), (app, app_class)).is_err());
    }

    #[tokio::test]
    async fn a_neighbourhood_stops_at_its_depth_and_goes_round_a_cycle_once() {
        let t = store().await;
        let classes = t.store.ci_classes().await.unwrap();
        let (service, app, db, cluster) = (
            class_id(&classes, "business_service"),
            class_id(&classes, "application"),
            class_id(&classes, "database"),
            class_id(&classes, "cluster"),
        );
        let portal = ci(&t.store, service, "Customer portal").await;
        let shop = ci(&t.store, service, "Web shop").await;
        let crm = ci(&t.store, app, "Shop front").await;
        let orders = ci(&t.store, db, "Orders").await;
        let (east, west) = (ci(&t.store, cluster, "East").await, ci(&t.store, cluster, "West").await);
        relate(&t.store, portal, RelationKind::DependsOn, shop).await.unwrap();
        relate(&t.store, shop, RelationKind::DependsOn, crm).await.unwrap();
        relate(&t.store, crm, RelationKind::DependsOn, orders).await.unwrap();
        relate(&t.store, orders, RelationKind::RunsOn, east).await.unwrap();
        relate(&t.store, east, RelationKind::MemberOf, west).await.unwrap();
        relate(&t.store, west, RelationKind::MemberOf, east).await.unwrap();

        let pairs = |near: Neighbourhood| -> BTreeSet<(i64, i64)> {
            assert!(!near.more, "no more than a drawing shows");
            near.edges.iter().map(|e| (e.from.0, e.to.0)).collect()
        };
        assert_eq!(
            pairs(t.store.ci_neighbourhood(portal, 1).await.unwrap()),
            BTreeSet::from([(portal.0, shop.0)])
        );
        assert_eq!(
            pairs(t.store.ci_neighbourhood(crm, 1).await.unwrap()),
            BTreeSet::from([(shop.0, crm.0), (crm.0, orders.0)]),
            "both ways along each relation"
        );
        let all = BTreeSet::from([
            (shop.0, crm.0),
            (crm.0, orders.0),
            (orders.0, east.0),
            (east.0, west.0),
            (west.0, east.0),
        ]);
        assert_eq!(pairs(t.store.ci_neighbourhood(east, 3).await.unwrap()), all, "the cycle once");
        let limited = t.store.ci_neighbourhood(west, 99).await.unwrap();
        assert_eq!(pairs(limited), all, "at most four steps: the portal is five away");
        let from_portal = pairs(t.store.ci_neighbourhood(portal, 4).await.unwrap());
        assert!(from_portal.contains(&(orders.0, east.0)) && !from_portal.contains(&(east.0, west.0)));
    }

    #[tokio::test]
    async fn a_busy_host_is_drawn_by_its_nearest_and_its_relations_come_a_page_at_a_time() {
        let t = store().await;
        let classes = t.store.ci_classes().await.unwrap();
        let (host, vm, cluster) = (
            class_id(&classes, "host"),
            class_id(&classes, "virtual_machine"),
            class_id(&classes, "cluster"),
        );
        let hv = ci(&t.store, host, "hv-01").await;
        let pool = ci(&t.store, cluster, "Pool").await;
        relate(&t.store, hv, RelationKind::MemberOf, pool).await.unwrap();
        let mut guests = Vec::new();
        for i in 0..45 {
            let guest = ci(&t.store, vm, &format!("vm-{i:02}")).await;
            relate(&t.store, guest, RelationKind::RunsOn, hv).await.unwrap();
            guests.push(guest);
        }
        relate(&t.store, guests[1], RelationKind::DependsOn, guests[0]).await.unwrap();

        for depth in [1, 3] {
            let near = t.store.ci_neighbourhood(hv, depth).await.unwrap();
            let drawn: BTreeSet<CiId> = near.edges.iter().flat_map(|e| [e.from, e.to]).collect();
            assert!(near.more, "45 guests do not fit");
            assert_eq!(drawn.len(), GRAPH_NODES_MAX, "depth {depth}");
            assert!(drawn.contains(&pool), "its own relations come first");
            assert!(
                near.edges.contains(&Edge { from: guests[1], to: guests[0], kind: RelationKind::DependsOn }),
                "a relation between two drawn CIs is drawn"
            );
        }

        assert_eq!(t.store.ci_relation_count(hv).await.unwrap(), 46);
        let first = t.store.ci_relations(hv, 0, 20).await.unwrap();
        let rest = t.store.ci_relations(hv, 20, 50).await.unwrap();
        assert_eq!((first.len(), rest.len()), (20, 26));
        assert_eq!(first[0].other_name, "Pool", "by kind, then name");
        assert_eq!(
            (first[1].other_name.as_str(), rest.last().unwrap().other_name.as_str()),
            ("vm-00", "vm-44")
        );
        let mut all: Vec<CiId> = first.iter().chain(&rest).map(|r| r.other).collect();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), 46, "each relation once across the pages");
    }

    #[tokio::test]
    async fn the_cmdb_version_moves_with_what_an_impact_analysis_reads_and_only_that() {
        let t = store().await;
        let classes = t.store.ci_classes().await.unwrap();
        let app = ci(&t.store, class_id(&classes, "application"), "CRM").await;
        let server = ci(&t.store, class_id(&classes, "server"), "app-01").await;
        let start = t.store.cmdb_version().await.unwrap();
        relate(&t.store, app, RelationKind::RunsOn, server).await.unwrap();
        let related = t.store.cmdb_version().await.unwrap();
        assert!(related > start, "a relation added");

        let save = |fields: CiFields| {
            let store = t.store.clone();
            async move {
                let mut tx = store.begin().await.unwrap();
                let (_, _, version) = Store::ci_fields(&mut tx, server).await.unwrap().unwrap();
                assert!(Store::update_ci(&mut tx, server, &fields, version, now()).await.unwrap());
                tx.commit().await.unwrap();
                store.cmdb_version().await.unwrap()
            }
        };
        let renamed = save(fields("app-01a", &[])).await;
        assert_eq!(renamed, related, "a new name changes no walk");
        let mut down = fields("app-01a", &[]);
        down.status = CiStatus::InMaintenance;
        let maintained = save(down).await;
        assert!(maintained > renamed, "a status changed");

        let mut tx = t.store.begin().await.unwrap();
        let edge = Edge { from: app, to: server, kind: RelationKind::RunsOn };
        assert!(Store::delete_ci_relation(&mut tx, edge).await.unwrap());
        tx.commit().await.unwrap();
        assert!(t.store.cmdb_version().await.unwrap() > maintained, "a relation removed");
    }

    #[tokio::test]
    async fn a_cis_history_is_append_only() {
        let t = store().await;
        let classes = t.store.ci_classes().await.unwrap();
        let laptop = ci(&t.store, class_id(&classes, "laptop"), "LT-00042").await;
        let mut tx = t.store.begin().await.unwrap();
        Store::append_ci_event(
            &mut tx,
            laptop,
            None,
            now(),
            ("status", Some("planned"), Some("in_operation")),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let mut tx = t.store.begin().await.unwrap();
        let update = tx.run(&format!("UPDATE ci_events SET to_value = 'x' WHERE ci_id = {}", laptop.0)).await;
        assert!(update.unwrap_err().to_string().contains("append-only"));
        tx.rollback().await.unwrap();
        let mut tx = t.store.begin().await.unwrap();
        let delete = tx.run(&format!("DELETE FROM ci_events WHERE ci_id = {}", laptop.0)).await;
        assert!(delete.unwrap_err().to_string().contains("append-only"));
        tx.rollback().await.unwrap();
    }
}

mod problems {
    use super::*;
    use app::domain::problem::{Analysis, CauseCode};

    #[tokio::test]
    async fn a_problem_keeps_its_analysis_and_is_a_known_error_only_with_a_workaround() {
        let t = store().await;
        let who = user(&t.store, "pat@example.com").await;
        let (problem, number) =
            create_record(&t.store, &record(RecordKind::Problem, who, "Mail drops overnight", now()))
                .await
                .unwrap();
        assert_eq!(t.store.problem_analysis(problem).await.unwrap(), None);

        let mut analysis =
            Analysis { root_cause: "The relay's certificate expired.".into(), ..Analysis::default() };
        let mut tx = t.store.begin().await.unwrap();
        Store::save_problem_analysis(&mut tx, problem, &analysis, now()).await.unwrap();
        assert!(!Store::set_known_error(&mut tx, problem, Some(now())).await.unwrap(), "no workaround yet");
        tx.commit().await.unwrap();
        assert!(t.store.known_errors(10).await.unwrap().is_empty());

        analysis.cause_code = Some(CauseCode::Configuration);
        analysis.workaround = "Send through the backup relay.".into();
        let mut tx = t.store.begin().await.unwrap();
        Store::save_problem_analysis(&mut tx, problem, &analysis, now()).await.unwrap();
        assert!(Store::set_known_error(&mut tx, problem, Some(now())).await.unwrap());
        tx.commit().await.unwrap();
        assert_eq!(t.store.problem_analysis(problem).await.unwrap(), Some((analysis.clone(), Some(now()))));
        let known = t.store.known_errors(10).await.unwrap();
        assert_eq!(known.len(), 1);
        assert_eq!(
            (known[0].number.as_str(), known[0].workaround.as_str()),
            (number.to_string().as_str(), "Send through the backup relay.")
        );

        let mut tx = t.store.begin().await.unwrap();
        let emptied = Analysis { workaround: String::new(), ..analysis.clone() };
        let refused = Store::save_problem_analysis(&mut tx, problem, &emptied, now()).await;
        assert!(refused.is_err(), "a known error keeps its workaround: {refused:?}");
        tx.rollback().await.unwrap();
        let mut tx = t.store.begin().await.unwrap();
        assert!(Store::set_known_error(&mut tx, problem, None).await.unwrap(), "withdrawn");
        tx.commit().await.unwrap();
        assert!(t.store.known_errors(10).await.unwrap().is_empty());
        assert_eq!(
            t.store.problem_analysis(problem).await.unwrap().unwrap().0,
            analysis,
            "nothing else lost"
        );
    }
}
