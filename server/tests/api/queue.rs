//! The agents' queue: views and their counts, filters, orders, and keyset pages that give
//! every record exactly once.

use app::domain::ids::{GroupId, UserId};
use app::domain::lifecycle::{MoveDetails, Mover, ResolutionCode};
use app::domain::record::{RecordKind, RecordState, Title};
use app::domain::user::Role;
use app::ssr::service::engine::{self, Transition};
use app::ssr::service::records::create_record;
use app::ssr::store::{NewRecord, Store};

use crate::helpers::{TestApp, spawn_app};

struct Desk {
    app: TestApp,
    sam: reqwest::Client,
    sam_id: UserId,
    network: GroupId,
}

/// 120 open records spread over priorities, times, groups and assignees, and 10 closed.
/// Sam is in Network; Sue in Workplace.
async fn desk() -> Desk {
    let app = spawn_app().await;
    let maya = app.user("maya@example.com", "Maya Requester", &[]).await;
    let sam = app.user("sam@example.com", "Sam Agent", &[Role::Agent]).await;
    let sue = app.user("sue@example.com", "Sue Agent", &[Role::Agent]).await;
    let network = app.group("Network").await;
    let workplace = app.group("Workplace").await;
    let mut tx = app.store.begin().await.unwrap();
    Store::insert_group_member(&mut tx, network, sam).await.unwrap();
    Store::insert_group_member(&mut tx, workplace, sue).await.unwrap();
    tx.commit().await.unwrap();
    let start = chrono::Utc::now() - chrono::Duration::days(30);
    for n in 0..130_i64 {
        let kind = if n % 3 == 0 { RecordKind::Request } else { RecordKind::Incident };
        // Every fifth pair opens in the same instant: the keyset must still tell them apart.
        let at = start + chrono::Duration::minutes(n - n % 5 % 2);
        let mut record = NewRecord::new(kind, maya, Title::parse(&format!("Case {n:03}")).unwrap(), at);
        (record.impact, record.urgency) = crate::helpers::levels_for((n % 5) as u8 + 1);
        record.assignment_group = Some(if n % 2 == 0 { network } else { workplace });
        record.assignee = match n % 4 {
            0 => Some(sam),
            1 => Some(sue),
            _ => None,
        };
        let (id, _) = create_record(&app.store, &record).await.unwrap();
        if n >= 120 {
            let done =
                if kind == RecordKind::Incident { RecordState::Resolved } else { RecordState::Fulfilled };
            let resolution = MoveDetails {
                resolution_code: Some(ResolutionCode::Fixed),
                resolution_notes: "Done.".into(),
                ..MoveDetails::default()
            };
            let mut tx = app.store.begin().await.unwrap();
            for to in [RecordState::InProgress, done, RecordState::Closed] {
                let details =
                    if to == RecordState::Resolved { resolution.clone() } else { MoveDetails::default() };
                let step = Transition { details, ..Transition::by(Mover::Person, id, to, Some(maya), at) };
                engine::transition(&mut tx, step).await.unwrap();
            }
            tx.commit().await.unwrap();
        }
    }
    let sam_id = sam;
    let sam = app.signed_in("sam@example.com").await;
    Desk { app, sam, sam_id, network }
}

/// Every page of the queue for `params`, following the next-page cursors.
async fn all_pages(desk: &Desk, params: &[(&str, &str)]) -> (Vec<String>, serde_json::Value) {
    let mut titles = Vec::new();
    let mut after: Option<String> = None;
    let mut first = serde_json::Value::Null;
    for _ in 0..10 {
        let mut fields: Vec<(String, String)> =
            params.iter().map(|(k, v)| (format!("params[{k}]"), (*v).to_owned())).collect();
        if let Some(after) = &after {
            fields.push(("params[after]".into(), after.clone()));
        }
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let (status, page) = desk.app.call(&desk.sam, "load_queue", &fields).await;
        assert_eq!(status, 200, "{page}");
        titles
            .extend(page["rows"].as_array().unwrap().iter().map(|r| r["title"].as_str().unwrap().to_owned()));
        if first.is_null() {
            first = page.clone();
        }
        match page["next"].as_str() {
            Some(next) => after = Some(next.to_owned()),
            None => return (titles, first),
        }
    }
    panic!("more pages than records");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_give_every_open_record_once_in_each_order() {
    let desk = desk().await;
    for sort in ["priority", "created", "updated"] {
        let (titles, first) = all_pages(&desk, &[("view", "all_open"), ("sort", sort)]).await;
        assert_eq!(first["rows"].as_array().unwrap().len(), 50);
        let mut unique = titles.clone();
        unique.sort();
        unique.dedup();
        assert_eq!((titles.len(), unique.len()), (120, 120), "{sort}: each open record once");
        assert!(!titles.iter().any(|t| t.as_str() >= "Case 120"), "closed ones stay out");
        if sort == "priority" {
            assert_eq!(titles[0], "Case 000", "P1 and oldest first");
            assert_eq!(titles[119], "Case 119");
        } else {
            assert_eq!(titles[0], "Case 119", "{sort}: newest first");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn views_count_without_scanning_and_hold_what_they_say() {
    let desk = desk().await;
    let (mine, first) = all_pages(&desk, &[("view", "mine")]).await;
    assert_eq!(mine.len(), 30, "every fourth is Sam's");
    assert_eq!(first["counts"]["mine"], 30);
    assert_eq!(first["counts"]["my_groups"], 60, "Network holds the even ones");
    assert_eq!(first["counts"]["unassigned"], 60);
    assert_eq!(first["counts"]["all_open"], 120);
    let (groups, _) = all_pages(&desk, &[("view", "my_groups")]).await;
    assert_eq!(groups.len(), 60);
    let (unassigned, _) = all_pages(&desk, &[("view", "unassigned")]).await;
    assert_eq!(unassigned.len(), 60);

    // Counts follow changes: Sam can't take a Workplace one, but takes an unassigned Network one.
    let number = "INC0000005";
    let (_, page) = desk.app.call(&desk.sam, "get_record", &[("number", number)]).await;
    let version = page["record"]["version"].to_string();
    assert_eq!(
        desk.app.call(&desk.sam, "assign_to_me", &[("number", number), ("version", &version)]).await.0,
        422
    );
    let (_, first) = all_pages(&desk, &[("view", "mine")]).await;
    assert_eq!(first["counts"]["mine"], 30, "a Workplace record can't be Sam's");
    let number = "INC0000002";
    let (_, page) = desk.app.call(&desk.sam, "get_record", &[("number", number)]).await;
    let version = page["record"]["version"].to_string();
    assert_eq!(
        desk.app.call(&desk.sam, "assign_to_me", &[("number", number), ("version", &version)]).await.0,
        200
    );
    let (mine, first) = all_pages(&desk, &[("view", "mine")]).await;
    assert_eq!((mine.len(), first["counts"]["mine"].as_i64()), (31, Some(31)));
    assert_eq!(first["counts"]["unassigned"], 59);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filters_narrow_and_a_bad_one_is_named() {
    let desk = desk().await;
    let (p1, _) = all_pages(&desk, &[("view", "all_open"), ("priority", "1")]).await;
    assert_eq!(p1.len(), 24);
    let (requests, _) = all_pages(&desk, &[("view", "all_open"), ("kind", "request")]).await;
    assert_eq!(requests.len(), 40);
    let (words, _) = all_pages(&desk, &[("view", "all_open"), ("q", "Case 01")]).await;
    assert_eq!(words.len(), 10);
    let (closed, _) = all_pages(&desk, &[("view", "all_open"), ("state", "closed")]).await;
    assert_eq!(closed.len(), 10, "a state filter can reach past the open ones");
    let today = chrono::Utc::now().date_naive().to_string();
    let (none, _) = all_pages(&desk, &[("view", "all_open"), ("from", &today)]).await;
    assert!(none.is_empty(), "all were opened weeks ago");
    for (field, value) in
        [("priority", "9"), ("view", "everything"), ("after", "garbage"), ("from", "yesterday")]
    {
        let key = format!("params[{field}]");
        let (status, json) = desk.app.call(&desk.sam, "load_queue", &[(key.as_str(), value)]).await;
        assert_eq!(status, 422, "{field}: {json}");
        assert!(json["detail"][field].is_string(), "{field}: {json}");
    }
    let maya = desk.app.signed_in("maya@example.com").await;
    assert_eq!(desk.app.call(&maya, "load_queue", &[]).await.0, 403);

    // An agent in no group has an empty My groups, and a page that says so.
    desk.app.user("nick@example.com", "Nick Nogroup", &[Role::Agent]).await;
    let nick = desk.app.signed_in("nick@example.com").await;
    let (status, page) = desk.app.call(&nick, "load_queue", &[]).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["rows"], serde_json::json!([]));
    assert_eq!(page["counts"]["all_open"], 120);
    let (status, html) = desk.app.page(&nick, "/queue").await;
    assert_eq!(status, 200);
    assert!(html.contains("Nothing here."), "{html}");
}

/// The record `number` as Sam's page shows it.
async fn record(desk: &Desk, number: &str) -> serde_json::Value {
    let (status, page) = desk.app.call(&desk.sam, "get_record", &[("number", number)]).await;
    assert_eq!(status, 200, "{page}");
    page["record"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_change_applies_each_records_rules_and_names_what_it_left() {
    let desk = desk().await;
    let to_sam = format!("{}:{}", desk.network, desk.sam_id);
    let numbers = ["INC0000002", "INC0000005", "INC0000007", "INC0000010"];
    let mut fields: Vec<(&str, &str)> = numbers.iter().map(|n| ("numbers[]", *n)).collect();
    fields.extend([("change", "assign"), ("assignee", to_sam.as_str())]);
    let (status, outcome) = desk.app.call(&desk.sam, "bulk_update", &fields).await;
    assert_eq!(status, 200, "{outcome}");
    assert_eq!(outcome["done"].as_array().unwrap().len(), 4, "{outcome}");
    for number in numbers {
        let record = record(&desk, number).await;
        assert_eq!(record["assignee_name"], "Sam Agent", "{number}");
        assert_eq!(record["group_name"], "Network", "{number}: the group follows the person");
    }
    let (_, first) = all_pages(&desk, &[("view", "mine")]).await;
    assert_eq!(first["counts"]["mine"], 34, "his 30 and these four");

    // Priority: the impact and urgency move to give it; the timeline says so.
    let fields = [("numbers[]", "INC0000002"), ("change", "priority"), ("priority", "1")];
    let (status, outcome) = desk.app.call(&desk.sam, "bulk_update", &fields).await;
    assert_eq!((status, outcome["done"].as_array().unwrap().len()), (200, 1), "{outcome}");
    let raised = record(&desk, "INC0000002").await;
    assert_eq!(
        (raised["priority"].as_i64(), raised["impact"].as_i64(), raised["urgency"].as_i64()),
        (Some(1), Some(1), Some(1))
    );

    // A move each record's life cycle refuses is named per record; the allowed ones happen.
    let fields = [
        ("numbers[]", "INC0000002"),
        ("numbers[]", "INC0000007"),
        ("change", "move"),
        ("state", "on_hold"),
        ("hold_reason", "awaiting_vendor"),
    ];
    let (status, outcome) = desk.app.call(&desk.sam, "bulk_update", &fields).await;
    assert_eq!((status, outcome["done"].as_array().unwrap().len()), (200, 2), "{outcome}");
    assert_eq!(record(&desk, "INC0000007").await["state"], "on_hold");
    let fields =
        [("numbers[]", "INC0000002"), ("numbers[]", "INC0000010"), ("change", "move"), ("state", "closed")];
    let (status, outcome) = desk.app.call(&desk.sam, "bulk_update", &fields).await;
    assert_eq!(status, 200, "{outcome}");
    assert_eq!(outcome["done"], serde_json::json!([]));
    let failed = outcome["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 2);
    assert_eq!(failed[0][0], "INC0000002");
    assert!(failed[0][1].as_str().unwrap().contains("on hold to closed"), "{outcome}");
    assert_eq!(record(&desk, "INC0000010").await["state"], "new", "nothing changed");

    // Unknown numbers are named too; nothing selected, an unknown change or a missing
    // target is refused before anything changes; requesters may not bulk-change at all.
    let fields = [("numbers[]", "INC9999999"), ("change", "assign_to_me")];
    let (_, outcome) = desk.app.call(&desk.sam, "bulk_update", &fields).await;
    assert_eq!(outcome["failed"][0][1], "That record was not found.");
    for (fields, field) in [
        (vec![("change", "assign_to_me")], "numbers"),
        (vec![("numbers[]", "INC0000010"), ("change", "delete")], "change"),
        (vec![("numbers[]", "INC0000010"), ("change", "assign"), ("assignee", "")], "assignee"),
        (vec![("numbers[]", "INC0000010"), ("change", "priority"), ("priority", "7")], "priority"),
    ] {
        let (status, json) = desk.app.call(&desk.sam, "bulk_update", &fields).await;
        assert_eq!(status, 422, "{field}: {json}");
        assert!(json["detail"][field].is_string(), "{field}: {json}");
    }
    let maya = desk.app.signed_in("maya@example.com").await;
    let fields = [("numbers[]", "INC0000010"), ("change", "assign_to_me")];
    assert_eq!(desk.app.call(&maya, "bulk_update", &fields).await.0, 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saved_views_belong_to_their_agent() {
    let desk = desk().await;
    let fields =
        [("name", " P1 incidents "), ("query", "view=all_open&kind=incident&priority=1&q=&after=1.2.3")];
    let (status, saved) = desk.app.call(&desk.sam, "save_view", &fields).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["name"], "P1 incidents");
    assert_eq!(saved["query"], "view=all_open&kind=incident&priority=1", "no page cursor, no empty values");
    let (_, page) = desk.app.call(&desk.sam, "load_queue", &[]).await;
    assert_eq!(page["saved"][0]["name"], "P1 incidents");
    let (status, html) = desk.app.page(&desk.sam, "/queue").await;
    assert_eq!(status, 200);
    assert!(html.contains("/queue?view=all_open&amp;kind=incident&amp;priority=1"), "a link to it");

    // Saving the same name again replaces it.
    let fields = [("name", "P1 incidents"), ("query", "view=all_open&priority=1")];
    let (_, again) = desk.app.call(&desk.sam, "save_view", &fields).await;
    assert_eq!(
        (again["id"].clone(), again["query"].clone()),
        (saved["id"].clone(), "view=all_open&priority=1".into())
    );

    desk.app.user("sue2@example.com", "Sue Two", &[Role::Agent]).await;
    let sue = desk.app.signed_in("sue2@example.com").await;
    let (_, page) = desk.app.call(&sue, "load_queue", &[]).await;
    assert_eq!(page["saved"], serde_json::json!([]), "Sam's views are his");
    let id = saved["id"].to_string();
    assert_eq!(desk.app.call(&sue, "delete_view", &[("id", id.as_str())]).await.0, 404);

    for (fields, why) in [
        ([("name", " "), ("query", "view=mine")], "no name"),
        ([("name", "Broken"), ("query", "priority=9")], "a filter the queue can't read"),
    ] {
        let (status, json) = desk.app.call(&desk.sam, "save_view", &fields).await;
        assert_eq!(status, 422, "{why}: {json}");
        assert!(json["detail"]["name"].is_string(), "{why}: {json}");
    }
    assert_eq!(desk.app.call(&desk.sam, "delete_view", &[("id", id.as_str())]).await.0, 200);
    let (_, page) = desk.app.call(&desk.sam, "load_queue", &[]).await;
    assert_eq!(page["saved"], serde_json::json!([]));
    let maya = desk.app.signed_in("maya@example.com").await;
    assert_eq!(desk.app.call(&maya, "save_view", &[("name", "x"), ("query", "")]).await.0, 403);
}
