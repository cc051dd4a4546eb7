//! The record engine: one way in and one way on for every kind. Catalog orders and their
//! tasks carry clocks like any record; an escalated or hand-set priority holds; nothing
//! else in the code writes a record's state, fields or number.

use app::domain::approval::{FulfilmentPlan, TaskTemplate};
use app::domain::record::RecordKind;
use app::domain::sla_policy::{Conditions, Escalation, PauseOn, SlaPolicy};
use app::domain::user::Role;
use app::ssr::store::Store;

use crate::helpers::spawn_app;

fn policy(name: &str, conditions: Conditions, resolution: u32) -> SlaPolicy {
    SlaPolicy {
        id: 0,
        name: name.into(),
        active: true,
        conditions,
        calendar_id: 1,
        response_minutes: Some(60),
        resolution_minutes: Some(resolution),
        pause_on: vec![PauseOn::DEFAULT],
        warn_percent: 75,
        on_warning: Vec::new(),
        on_breach: vec![Escalation::RaisePriority],
    }
}

async fn clock_policies(
    app: &crate::helpers::TestApp,
    client: &reqwest::Client,
    number: &str,
) -> Vec<String> {
    let (status, page) = app.call(client, "get_record", &[("number", number)]).await;
    assert_eq!(status, 200, "{page}");
    page["clocks"].as_array().unwrap().iter().map(|c| c["policy"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ordered_request_and_its_tasks_carry_clocks() {
    let app = spawn_app().await;
    app.user("maya@example.com", "Maya Requester", &[]).await;
    let sam = app.user("sam@example.com", "Sam Agent", &[Role::Agent]).await;
    let workplace = app.group("Workplace").await;
    app.catalog_item("desk-phone", "Desk phone").await;
    let tasks = vec![TaskTemplate { title: "Order the phone".into(), group: workplace }];
    app.plan("desk-phone", &[], &FulfilmentPlan { tasks, in_sequence: true }).await;
    let item = app.store.find_catalog_item("desk-phone").await.unwrap().unwrap().item.id;
    let mut tx = app.store.begin().await.unwrap();
    Store::insert_group_member(&mut tx, workplace, sam).await.unwrap();
    let ordered =
        Conditions { kinds: vec![RecordKind::Request], catalog_items: vec![item], ..Conditions::default() };
    Store::insert_policy(&mut tx, &policy("Desk phones", ordered, 480)).await.unwrap();
    let tasks =
        Conditions { kinds: vec![RecordKind::Task], groups: vec![workplace], ..Conditions::default() };
    Store::insert_policy(&mut tx, &policy("Workplace tasks", tasks, 240)).await.unwrap();
    tx.commit().await.unwrap();

    let maya = app.signed_in("maya@example.com").await;
    let form = app.call(&maya, "get_order_form", &[("slug", "desk-phone")]).await.1;
    let version = form["item"]["form_version"].to_string();
    let submission = form["submission"].as_str().unwrap().to_owned();
    let fields =
        [("slug", "desk-phone"), ("form_version", version.as_str()), ("submission", submission.as_str())];
    let (status, number) = app.call(&maya, "order_item", &fields).await;
    assert_eq!(status, 200, "{number}");
    let number = number.as_str().unwrap().to_owned();

    let sam = app.signed_in("sam@example.com").await;
    assert_eq!(clock_policies(&app, &sam, &number).await, ["Desk phones", "Desk phones"]);
    let (_, page) = app.call(&sam, "get_record", &[("number", &number)]).await;
    let task = page["tasks"][0]["number"].as_str().unwrap().to_owned();
    assert_eq!(clock_policies(&app, &sam, &task).await, ["Workplace tasks", "Workplace tasks"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_escalated_priority_survives_an_unrelated_edit_and_says_why() {
    use app::ssr::service::sla::tick;
    use chrono::Duration;

    let app = spawn_app().await;
    app.user("maya@example.com", "Maya Requester", &[]).await;
    app.user("sam@example.com", "Sam Agent", &[Role::Agent]).await;
    let mut tx = app.store.begin().await.unwrap();
    let incidents = Conditions { kinds: vec![RecordKind::Incident], ..Conditions::default() };
    Store::insert_policy(&mut tx, &policy("Incidents", incidents, 30)).await.unwrap();
    tx.commit().await.unwrap();
    let maya = app.signed_in("maya@example.com").await;
    let fields = [("title", "Printer jams"), ("reach", "just_me"), ("blocking", "can_work")];
    let number = app.call(&maya, "report_incident", &fields).await.1.as_str().unwrap().to_owned();
    let sam = app.signed_in("sam@example.com").await;
    let record = |page: &serde_json::Value| page["record"].clone();
    let reported =
        record(&app.call(&sam, "get_record", &[("number", &number)]).await.1)["priority"].as_u64().unwrap();

    tick(&app.store, chrono::Utc::now() + Duration::minutes(31)).await.unwrap();
    let (_, page) = app.call(&sam, "get_record", &[("number", &number)]).await;
    let before = record(&page);
    let raised = reported - 1;
    assert_eq!(before["priority"], raised, "raised one step by the breach");
    assert_eq!(before["priority_basis"], "escalation");

    let version = before["version"].to_string();
    let (impact, urgency) = (before["impact"].to_string(), before["urgency"].to_string());
    let edit = [
        ("number", number.as_str()),
        ("version", version.as_str()),
        ("impact", impact.as_str()),
        ("urgency", urgency.as_str()),
        ("category", "Printing"),
    ];
    let (status, body) = app.call(&sam, "update_record", &edit).await;
    assert_eq!(status, 200, "{body}");
    let (_, page) = app.call(&sam, "get_record", &[("number", &number)]).await;
    assert_eq!(record(&page)["priority"], raised, "the category changed; the priority held");
    let said: Vec<&str> =
        page["timeline"].as_array().unwrap().iter().filter_map(|e| e["what"].as_str()).collect();
    assert!(said.contains(&"raised the priority: a service-level escalation"), "{said:?}");
    assert!(said.contains(&"changed category from nothing to Printing"), "{said:?}");
    let label = |level: u64| {
        let p = app::domain::record::Priority::new(level as u8).unwrap();
        format!("P{} {}", p.level(), p.label())
    };
    let raise = format!("changed priority from {} to {}", label(reported), label(raised));
    assert!(said.contains(&raise.as_str()), "{said:?}");

    let version = record(&page)["version"].to_string();
    let by_hand = [
        ("number", number.as_str()),
        ("version", version.as_str()),
        ("impact", impact.as_str()),
        ("urgency", urgency.as_str()),
        ("priority", "2"),
    ];
    let (status, body) = app.call(&sam, "update_record", &by_hand).await;
    assert_eq!(status, 422, "a priority set by hand needs its reason: {body}");
    let with_reason = [by_hand.as_slice(), &[("priority_reason", "Blocks the payroll run")]].concat();
    assert_eq!(app.call(&sam, "update_record", &with_reason).await.0, 200);
    let (_, page) = app.call(&sam, "get_record", &[("number", &number)]).await;
    assert_eq!(
        (record(&page)["priority"].clone(), record(&page)["priority_basis"].clone()),
        (2.into(), "override".into())
    );
    assert_eq!(record(&page)["priority_reason"], "Blocks the payroll run");

    let version = record(&page)["version"].to_string();
    let wider = [
        ("number", number.as_str()),
        ("version", version.as_str()),
        ("impact", "1"),
        ("urgency", urgency.as_str()),
    ];
    assert_eq!(app.call(&sam, "update_record", &wider).await.0, 200);
    let (_, page) = app.call(&sam, "get_record", &[("number", &number)]).await;
    assert_eq!(record(&page)["priority_basis"], "matrix", "a new impact brings the matrix back");
    let urgency: u64 = urgency.parse().unwrap();
    assert_eq!(
        record(&page)["priority"],
        urgency,
        "high impact: the urgency's level through the default matrix"
    );
}

/// A bulk "set the priority" reaches it through impact and urgency, so the matrix decides
/// again, even over a priority an agent set by hand while the levels already gave it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_priority_change_brings_the_matrix_back_over_a_hand_set_priority() {
    let app = spawn_app().await;
    app.user("maya@example.com", "Maya Requester", &[]).await;
    app.user("sam@example.com", "Sam Agent", &[Role::Agent]).await;
    let maya = app.signed_in("maya@example.com").await;
    let fields = [("title", "Scanner offline"), ("reach", "just_me"), ("blocking", "can_work")];
    let number = app.call(&maya, "report_incident", &fields).await.1.as_str().unwrap().to_owned();
    let sam = app.signed_in("sam@example.com").await;
    let record = |page: serde_json::Value| page["record"].clone();
    let before = record(app.call(&sam, "get_record", &[("number", &number)]).await.1);
    let (impact, urgency, version) =
        (before["impact"].to_string(), before["urgency"].to_string(), before["version"].to_string());
    let by_hand = [
        ("number", number.as_str()),
        ("version", version.as_str()),
        ("impact", impact.as_str()),
        ("urgency", urgency.as_str()),
        ("priority", "1"),
        ("priority_reason", "Blocks the audit"),
    ];
    assert_eq!(app.call(&sam, "update_record", &by_hand).await.0, 200);

    let level = before["priority"].to_string();
    let bulk = [("numbers[]", number.as_str()), ("change", "priority"), ("priority", level.as_str())];
    let (status, outcome) = app.call(&sam, "bulk_update", &bulk).await;
    assert_eq!((status, outcome["done"].as_array().unwrap().len()), (200, 1), "{outcome}");
    let after = record(app.call(&sam, "get_record", &[("number", &number)]).await.1);
    assert_eq!(
        (after["priority"].clone(), after["priority_basis"].clone()),
        (before["priority"].clone(), "matrix".into())
    );
}

/// Every source file that could open, move or edit a record: only the engine (and the
/// store it calls) may name the store's writes. `generate`'s bulk load is the one other
/// writer: its histories are made of the moves the life cycle allows (`lifecycle::path_to`).
#[test]
fn only_the_record_engine_writes_records() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let writes =
        ["insert_record(", "apply_move(", "set_fields(", "UPDATE records SET state", "update_record_state("];
    let mut offenders = Vec::new();
    let code = [sources(&root.join("app/src")), sources(&root.join("server/src"))].concat();
    for (name, text) in code {
        if name.contains("/ssr/store/") || name.ends_with("/ssr/service/engine.rs") {
            continue;
        }
        offenders.extend(writes.iter().filter(|w| text.contains(**w)).map(|w| format!("{name}: {w}")));
    }
    assert!(offenders.is_empty(), "records written around the engine: {offenders:?}");
}

/// Every `.rs` file below `dir`, with its path as text.
fn sources(dir: &std::path::Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let name = path.to_string_lossy().replace('\\', "/");
                files.push((name, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    files
}

/// Server functions parse input and call one use case: none reads or writes the store,
/// no SQL is written outside the store, and nothing outside it knows which database it
/// talks to.
#[test]
fn server_functions_never_use_the_store_and_sql_stays_in_it() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut offenders = Vec::new();
    for (name, text) in sources(&root.join("app/src/api")) {
        let calls = text
            .match_indices("store.")
            .filter(|(at, _)| text[at + 6..].chars().next().is_some_and(|c| c.is_ascii_lowercase()));
        if calls.count() > 0 || text.contains("Store::") {
            offenders.push(name);
        }
    }
    let code = [sources(&root.join("app/src")), sources(&root.join("server/src"))].concat();
    for (name, text) in code {
        let sql =
            ["sqlx::query", "query_scalar(", "query_as(", "Sqlite", "Postgres", "PgConnection", "PgPool"]
                .iter()
                .any(|q| text.contains(q));
        if sql && !name.contains("/ssr/store/") {
            offenders.push(name);
        }
    }
    assert!(offenders.is_empty(), "store or SQL used outside the store: {offenders:?}");
}
