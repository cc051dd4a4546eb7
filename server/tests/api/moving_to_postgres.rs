//! `switchboard copy`: a SQLite deployment moved to PostgreSQL reads the same there. Runs
//! when the tests run on PostgreSQL.

use std::process::Command;

use chrono::{DateTime, SubsecRound, Utc};

use app::domain::ids::{RecordId, UserId};
use app::ssr::service::records::timeline;
use app::ssr::store::{Store, fresh_test_database};

fn switchboard(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(args)
        .env("SWITCHBOARD_DEMO_PASSWORD", "a demo password for the copy test")
        .output()
        .unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

/// PostgreSQL keeps times to the microsecond, SQLite's text as chrono wrote it (to the
/// nanosecond): the same moment, as PostgreSQL rounds it.
fn micro(at: DateTime<Utc>) -> DateTime<Utc> {
    at.round_subsecs(6)
}

/// The demo and 400 generated records, copied: the same counts per table, the same record
/// pages, timelines, clocks and queue counts; a second copy into the now full database is
/// refused and changes nothing; and the portal serves the copy.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_copy_into_postgres_reads_the_same_and_a_second_one_is_refused() {
    let Some(url) = fresh_test_database().await.unwrap() else { return };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let (ok, out) = switchboard(&["generate", "--records", "400", "--data-dir", data]);
    assert!(ok, "{out}");

    let (ok, out) = switchboard(&["copy", "--from", data, "--to", &url]);
    assert!(ok, "{out}");
    let records_line = out.lines().find(|l| l.starts_with("records ")).unwrap().to_owned();
    assert_eq!(records_line.split_whitespace().collect::<Vec<_>>(), ["records", "600", "600"], "{out}");
    let events_line = out.lines().find(|l| l.starts_with("record_events ")).unwrap();
    let events: Vec<&str> = events_line.split_whitespace().collect();
    assert_eq!(events[1], events[2], "{out}");
    assert!(events[1].parse::<i64>().unwrap() > 1000, "{out}");

    let sqlite = Store::open(&dir.path().join("switchboard.db")).await.unwrap();
    let postgres = Store::connect(&url).await.unwrap();
    let total = sqlite.count_records().await.unwrap();
    assert_eq!(postgres.count_records().await.unwrap(), total);
    for id in (1..=total).step_by(7) {
        let id = RecordId(id);
        let read = |events: Vec<app::domain::event::TimelineEvent>| {
            events
                .into_iter()
                .map(|e| app::domain::event::TimelineEvent { at: micro(e.at), ..e })
                .collect::<Vec<_>>()
        };
        let before = read(timeline(&sqlite, id).await.unwrap());
        assert!(!before.is_empty());
        assert_eq!(read(timeline(&postgres, id).await.unwrap()), before, "the timeline of record {}", id.0);
        let clocks = |rows: Vec<app::ssr::store::ClockRow>| {
            let rows: Vec<_> = rows
                .into_iter()
                .map(|c| (c.kind, c.policy_id, micro(c.started_at), c.target_minutes))
                .collect();
            format!("{rows:?}")
        };
        assert_eq!(
            clocks(postgres.record_clocks(id).await.unwrap()),
            clocks(sqlite.record_clocks(id).await.unwrap()),
            "the clocks of record {}",
            id.0
        );
    }
    let numbers: Vec<String> = {
        let mut tx = sqlite.begin().await.unwrap();
        let numbers = tx.peek("SELECT number FROM records ORDER BY id").await.unwrap();
        tx.rollback().await.unwrap();
        numbers
    };
    for number in numbers.iter().step_by(11) {
        let number = app::domain::record::RecordNumber::parse(number).unwrap();
        let read = |detail: app::domain::record::RecordDetail| app::domain::record::RecordDetail {
            opened_at: micro(detail.opened_at),
            updated_at: micro(detail.updated_at),
            ..detail
        };
        let before = read(sqlite.find_record(&number).await.unwrap().unwrap().0);
        assert_eq!(read(postgres.find_record(&number).await.unwrap().unwrap().0), before, "{number}");
    }
    let agent = postgres.find_login(server::demo::AGENT_EMAIL).await.unwrap().unwrap().id;
    let groups = postgres.find_user(agent).await.unwrap().unwrap().groups;
    assert_eq!(
        format!("{:?}", postgres.view_counts(agent, &groups).await.unwrap()),
        format!("{:?}", sqlite.view_counts(agent, &groups).await.unwrap())
    );
    assert_ne!(agent, UserId(0));

    let (ok, out) = switchboard(&["copy", "--from", data, "--to", &url]);
    assert!(!ok);
    assert!(out.contains("already holds people, records or CIs"), "{out}");
    assert_eq!(postgres.count_records().await.unwrap(), total, "the refused copy changed nothing");
    let (ok, out) = switchboard(&["copy", "--from", "/nonexistent/data", "--to", &url]);
    assert!(!ok && out.contains("there is no Switchboard database"), "{out}");
    sqlite.close().await;
    postgres.close().await;
}
