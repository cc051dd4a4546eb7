//! Service-level clocks on records: attached when a record is made, moved to another
//! policy when the priority changes, paused on hold, and explained.

use app::domain::calendar::CalendarDef;
use app::domain::record::RecordKind;
use app::domain::sla_policy::{Conditions, Escalation, PauseOn, SlaPolicy};
use app::domain::user::Role;
use app::ssr::store::Store;

use crate::helpers::{TestApp, spawn_app};

fn policy(name: &str, priorities: Vec<u8>, calendar_id: i64, response: u32, resolution: u32) -> SlaPolicy {
    SlaPolicy {
        id: 0,
        name: name.into(),
        active: true,
        conditions: Conditions { kinds: vec![RecordKind::Incident], priorities, ..Conditions::default() },
        calendar_id,
        response_minutes: Some(response),
        resolution_minutes: Some(resolution),
        pause_on: vec![PauseOn::DEFAULT],
        warn_percent: 75,
        on_warning: vec![Escalation::NotifyAssignee],
        on_breach: vec![Escalation::NotifyGroup],
    }
}

/// P1 incidents get 30 minutes around the clock; other incidents 4 hours of office time.
async fn setup() -> TestApp {
    let app = spawn_app().await;
    app.user("maya@example.com", "Maya Requester", &[]).await;
    let sam = app.user("sam@example.com", "Sam Agent", &[Role::Agent]).await;
    let network = app.group("Network").await;
    let mut tx = app.store.begin().await.unwrap();
    Store::insert_group_member(&mut tx, network, sam).await.unwrap();
    let office = Store::insert_calendar(&mut tx, &CalendarDef::office("Office (London)", "Europe/London"))
        .await
        .unwrap();
    Store::insert_policy(&mut tx, &policy("P1 incidents", vec![1], 1, 15, 30)).await.unwrap();
    Store::insert_policy(&mut tx, &policy("Other incidents", Vec::new(), office, 60, 240)).await.unwrap();
    tx.commit().await.unwrap();
    app
}

async fn clocks(app: &TestApp, client: &reqwest::Client, number: &str) -> (serde_json::Value, i64) {
    let (status, page) = app.call(client, "get_record", &[("number", number)]).await;
    assert_eq!(status, 200, "{page}");
    (page["clocks"].clone(), page["record"]["version"].as_i64().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clocks_attach_follow_the_priority_pause_on_hold_and_explain_themselves() {
    let app = setup().await;
    let maya = app.signed_in("maya@example.com").await;
    let fields = [("title", "Laptop won't boot"), ("reach", "just_me"), ("blocking", "can_work")];
    let (_, number) = app.call(&maya, "report_incident", &fields).await;
    let number = number.as_str().unwrap().to_owned();
    let sam = app.signed_in("sam@example.com").await;

    let (clocks_now, version) = clocks(&app, &sam, &number).await;
    let names: Vec<&str> =
        clocks_now.as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["First response", "Resolution"]);
    assert_eq!(clocks_now[1]["policy"], "Other incidents");
    assert_eq!(clocks_now[1]["calendar"], "Office (London)");
    assert_eq!(clocks_now[1]["reading"]["target"], serde_json::json!([14400, 0]), "4 hours");
    let explanation = clocks_now[1]["explanation"].as_array().unwrap();
    assert!(!explanation.is_empty(), "the deadline is explained");
    assert!(explanation.iter().any(|s| s["kind"]["kind"] == "working"), "{explanation:?}");
    // The requester sees the clocks of their incident too.
    let (theirs, _) = clocks(&app, &maya, &number).await;
    assert_eq!(theirs.as_array().unwrap().len(), 2);

    // Raised to P1, the record moves to the P1 policy and keeps its start.
    let version = version.to_string();
    let update =
        [("number", number.as_str()), ("version", version.as_str()), ("impact", "1"), ("urgency", "1")];
    assert_eq!(app.call(&sam, "update_record", &update).await.0, 200);
    let (raised, version) = clocks(&app, &sam, &number).await;
    assert_eq!(raised[1]["policy"], "P1 incidents");
    assert_eq!(raised[1]["calendar"], "24×7");
    assert_eq!(raised[1]["reading"]["target"], serde_json::json!([1800, 0]), "30 minutes");
    assert_eq!(raised[1]["reading"]["state"], "running");

    // On hold awaiting the caller, the resolution clock pauses; leaving New met the first response.
    let version = version.to_string();
    let hold = [
        ("number", number.as_str()),
        ("version", version.as_str()),
        ("state", "on_hold"),
        ("hold_reason", "awaiting_caller"),
    ];
    assert_eq!(app.call(&sam, "move_record", &hold).await.0, 200);
    let (held, _) = clocks(&app, &sam, &number).await;
    assert_eq!(held[1]["reading"]["state"], "paused", "{held}");
    assert_eq!(held[1]["reading"]["deadline"], serde_json::Value::Null);
    assert_eq!(held[0]["reading"]["state"], "met");
    let (_, html) = app.page(&sam, &format!("/records/{number}")).await;
    assert!(html.contains("Service levels") && html.contains("Why this deadline"), "the page shows them");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_no_policy_covers_runs_no_clock() {
    let app = setup().await;
    let maya = app.user("ida@example.com", "Ida", &[]).await;
    let number = app.record(RecordKind::Request, maya, "A new chair").await;
    let sam = app.signed_in("sam@example.com").await;
    let (none, _) = clocks(&app, &sam, &number).await;
    assert_eq!(none, serde_json::json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn warnings_and_breaches_are_raised_once_when_due_even_after_downtime() {
    use app::domain::record::{Priority, Title};
    use app::ssr::service::records::create_record;
    use app::ssr::service::sla::{Raised, tick};
    use app::ssr::store::NewRecord;
    use chrono::Duration;

    let app = spawn_app().await;
    let maya = app.user("maya@example.com", "Maya Requester", &[]).await;
    let sam = app.user("sam@example.com", "Sam Agent", &[Role::Agent]).await;
    let network = app.group("Network").await;
    let mut tx = app.store.begin().await.unwrap();
    Store::insert_group_member(&mut tx, network, sam).await.unwrap();
    let mut fast = policy("Badges in an hour", Vec::new(), 1, 600, 60);
    fast.conditions.kinds = vec![RecordKind::Request];
    fast.warn_percent = 50;
    fast.on_breach = vec![Escalation::RaisePriority, Escalation::NotifyGroup];
    Store::insert_policy(&mut tx, &fast).await.unwrap();
    tx.commit().await.unwrap();

    let t0 = chrono::Utc::now() - Duration::hours(3);
    let mut record =
        NewRecord::new(RecordKind::Request, maya, Title::parse("Badge for the new starter").unwrap(), t0);
    record.assignment_group = Some(network);
    record.assignee = Some(sam);
    record.priority = Priority::new(3).unwrap();
    let (_, number) = create_record(&app.store, &record, &[]).await.unwrap();

    let at = |minutes: i64| t0 + Duration::minutes(minutes);
    assert_eq!(tick(&app.store, at(10)).await.unwrap(), Raised::default(), "nothing is due yet");
    assert_eq!(tick(&app.store, at(31)).await.unwrap(), Raised { warnings: 1, breaches: 0 });
    assert_eq!(tick(&app.store, at(32)).await.unwrap(), Raised::default(), "a warning is raised once");
    // The portal was down from 00:32 until 02:00: the breach is raised when it comes back,
    // dated when it happened, and only once.
    assert_eq!(tick(&app.store, at(120)).await.unwrap(), Raised { warnings: 0, breaches: 1 });
    assert_eq!(tick(&app.store, at(121)).await.unwrap(), Raised::default());

    let sam = app.signed_in("sam@example.com").await;
    let number = number.to_string();
    let (_, page) = app.call(&sam, "get_record", &[("number", number.as_str())]).await;
    assert_eq!(page["record"]["priority"], 2, "the breach raised the priority");
    let timeline = page["timeline"].as_array().unwrap();
    let breach = timeline
        .iter()
        .find(|e| e["to_value"].as_str().is_some_and(|v| v.contains("Resolution target of 1 h breached")))
        .expect("the breach is on the timeline");
    let when = chrono::DateTime::parse_from_rfc3339(breach["at"].as_str().unwrap()).unwrap();
    assert_eq!(when.timestamp(), at(60).timestamp(), "dated when the target passed");
    assert!(
        timeline
            .iter()
            .any(|e| e["to_value"].as_str().is_some_and(|v| v.contains("Resolution warning: 50 %")))
    );
    let (_, inbox) = app.call(&sam, "my_notifications", &[]).await;
    let texts = inbox["items"].to_string();
    assert!(texts.contains("Resolution warning") && texts.contains("breached"), "{texts}");
}
