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
    use app::domain::record::Title;
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
    (record.impact, record.urgency) = crate::helpers::levels_for(3);
    let (_, number) = create_record(&app.store, &record).await.unwrap();

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
        .find(|e| e["what"].as_str().is_some_and(|v| v.contains("Resolution target of 1 h breached")))
        .expect("the breach is on the timeline");
    let when = chrono::DateTime::parse_from_rfc3339(breach["at"].as_str().unwrap()).unwrap();
    assert_eq!(when.timestamp(), at(60).timestamp(), "dated when the target passed");
    assert!(
        timeline.iter().any(|e| e["what"].as_str().is_some_and(|v| v.contains("Resolution warning: 50 %")))
    );
    let (_, inbox) = app.call(&sam, "my_notifications", &[]).await;
    let texts = inbox["items"].to_string();
    assert!(texts.contains("Resolution warning") && texts.contains("breached"), "{texts}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_keep_calendars_and_policies_with_a_message_beside_each_mistake() {
    let app = setup().await;
    app.user("alex@example.com", "Alex Admin", &[Role::Admin]).await;
    let alex = app.signed_in("alex@example.com").await;
    let (status, before) = app.call(&alex, "admin_service_levels", &[]).await;
    assert_eq!(status, 200, "{before}");

    let wrong = [
        ("name", "Sydney office"),
        ("time_zone", "Mars/Olympus_Mons"),
        ("monday", "09:00-13:00, 12:00-17:00"),
        ("tuesday", "nine to five"),
        ("holidays", "2026-12-25 Christmas Day\n26/12/2026 Boxing Day"),
    ];
    let (status, answer) = app.call(&alex, "admin_save_calendar", &wrong).await;
    assert_eq!(status, 422, "{answer}");
    let detail = &answer["detail"];
    assert!(detail["time_zone"].as_str().unwrap().contains("time zone"), "{answer}");
    assert!(detail["week.0"].as_str().unwrap().contains("overlap"), "{answer}");
    assert!(detail["week.1"].as_str().unwrap().contains("09:00-17:00"), "{answer}");
    assert!(detail["holidays"].as_str().unwrap().starts_with("Line 2"), "{answer}");
    let idle = [("name", "Idle"), ("time_zone", "UTC")];
    let (status, answer) = app.call(&alex, "admin_save_calendar", &idle).await;
    assert_eq!(status, 422);
    assert!(answer["detail"]["week"].as_str().unwrap().contains("some working time"));
    let (_, after) = app.call(&alex, "admin_service_levels", &[]).await;
    assert_eq!(after["calendars"], before["calendars"], "nothing was saved");

    let right = [
        ("name", "Sydney office"),
        ("time_zone", "Australia/Sydney"),
        ("monday", "09:00-12:30, 13:30-17:00"),
        ("friday", "09:00-15:00"),
        ("holidays", "2026-12-25 Christmas Day"),
    ];
    let (status, id) = app.call(&alex, "admin_save_calendar", &right).await;
    assert_eq!(status, 200, "{id}");
    let id = id.as_i64().unwrap().to_string();
    let (_, editor) = app.call(&alex, "admin_calendar_editor", &[("id", id.as_str())]).await;
    assert_eq!(editor["form"]["week"][0], "09:00-12:30, 13:30-17:00");
    assert_eq!(editor["form"]["week"][1], "");
    assert_eq!(editor["form"]["holidays"], "2026-12-25 Christmas Day");
    let same_name = [("id", id.as_str()), ("name", "24×7"), ("time_zone", "UTC"), ("monday", "09:00-17:00")];
    let (status, answer) = app.call(&alex, "admin_save_calendar", &same_name).await;
    assert_eq!((status, answer["detail"]["name"].as_str()), (422, Some("Another calendar has that name.")));

    // A policy whose conditions can never match is refused; so are a target nobody can
    // read and a person who isn't a user.
    let never = [
        ("name", "Laptops"),
        ("kinds[]", "incident"),
        ("catalog_items[]", "1"),
        ("calendar", id.as_str()),
        ("response", "soon"),
        ("resolution", "8 h"),
        ("warn_percent", "75"),
        ("warning_person", "nobody@example.com"),
    ];
    app.catalog_item("laptop", "Laptop").await;
    let (status, answer) = app.call(&alex, "admin_save_policy", &never).await;
    assert_eq!(status, 422, "{answer}");
    assert!(answer["detail"]["conditions"].as_str().unwrap().contains("never apply"), "{answer}");
    assert!(answer["detail"]["response"].is_string(), "{answer}");
    assert!(answer["detail"]["warning_person"].is_string(), "{answer}");
    let good = [
        ("name", "Sydney P2"),
        ("active", "on"),
        ("kinds[]", "incident"),
        ("priorities[]", "2"),
        ("calendar", id.as_str()),
        ("response", "30 min"),
        ("resolution", "1 h 30 min"),
        ("pause_on[]", "hold:awaiting_caller"),
        ("pause_on[]", "hold:awaiting_vendor"),
        ("warn_percent", "80"),
        ("on_warning[]", "notify_assignee"),
        ("on_breach[]", "raise_priority"),
        ("breach_person", "SAM@example.com"),
    ];
    let (status, saved) = app.call(&alex, "admin_save_policy", &good).await;
    assert_eq!(status, 200, "{saved}");
    let saved = saved.as_i64().unwrap().to_string();
    let (_, editor) = app.call(&alex, "admin_policy_editor", &[("id", saved.as_str())]).await;
    let form = &editor["form"];
    assert_eq!(
        (form["response"].as_str(), form["resolution"].as_str()),
        (Some("30 min"), Some("1 h 30 min"))
    );
    assert_eq!(form["pause_on"], serde_json::json!(["hold:awaiting_caller", "hold:awaiting_vendor"]));
    assert_eq!(form["breach_person"], "sam@example.com");
    assert_eq!(form["warn_percent"], "80");

    // Tried last, it moves up one place.
    let names = |levels: &serde_json::Value| -> Vec<String> {
        levels["policies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let (_, levels) = app.call(&alex, "admin_service_levels", &[]).await;
    assert_eq!(names(&levels), ["P1 incidents", "Other incidents", "Sydney P2"]);
    let up = [("id", saved.as_str()), ("direction", "up")];
    assert_eq!(app.call(&alex, "admin_move_policy", &up).await.0, 200);
    let (_, levels) = app.call(&alex, "admin_service_levels", &[]).await;
    assert_eq!(names(&levels), ["P1 incidents", "Sydney P2", "Other incidents"]);
    let (status, html) = app.page(&alex, &format!("/admin/service-levels/policies/{saved}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Simulator") && html.contains("Sydney office"), "the editor page renders");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_simulator_explains_a_deadline_across_a_weekend_and_a_pause() {
    let app = setup().await;
    app.user("alex@example.com", "Alex Admin", &[Role::Admin]).await;
    let alex = app.signed_in("alex@example.com").await;
    let (_, levels) = app.call(&alex, "admin_service_levels", &[]).await;
    let office = levels["policies"][1]["id"].as_i64().unwrap().to_string();

    // 4 hours of London office time from Friday 15:00: two on Friday, two on Monday.
    let friday = [("policy", office.as_str()), ("clock", "resolution"), ("start", "2026-11-27T15:00")];
    let (status, sim) = app.call(&alex, "admin_simulate_policy", &friday).await;
    assert_eq!(status, 200, "{sim}");
    assert_eq!(sim["deadline"], "2026-11-30T11:00:00Z");
    assert_eq!(sim["warn_at"], "2026-11-30T10:00:00Z", "75 % of 4 h is 3 h");
    let kinds: Vec<String> = sim["explanation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"]["kind"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(kinds, ["working", "outside_hours", "day_off", "outside_hours", "working"], "{sim}");
    assert_eq!(sim["local"][0], "Fri 27 Nov 2026 15:00 – Fri 27 Nov 2026 17:00");

    // An hour on hold on Monday morning pushes it an hour.
    let paused = [
        ("policy", office.as_str()),
        ("clock", "resolution"),
        ("start", "2026-11-27 15:00"),
        ("pauses", "2026-11-30 09:00 - 2026-11-30 10:00"),
    ];
    let (_, sim) = app.call(&alex, "admin_simulate_policy", &paused).await;
    assert_eq!(sim["deadline"], "2026-11-30T12:00:00Z", "{sim}");
    assert_eq!(sim["paused"], serde_json::json!([3600, 0]));

    // In summer London is an hour ahead of UTC.
    let summer = [("policy", office.as_str()), ("clock", "response"), ("start", "2026-07-03 16:30")];
    let (_, sim) = app.call(&alex, "admin_simulate_policy", &summer).await;
    assert_eq!(sim["deadline"], "2026-07-06T08:30:00Z", "{sim}");

    let nonsense = [
        ("policy", office.as_str()),
        ("clock", "resolution"),
        ("start", "next Friday"),
        ("pauses", "all weekend"),
    ];
    let (status, answer) = app.call(&alex, "admin_simulate_policy", &nonsense).await;
    assert_eq!(status, 422, "{answer}");
    assert!(answer["detail"]["start"].is_string() && answer["detail"]["pauses"].is_string(), "{answer}");
    let far = [("policy", office.as_str()), ("clock", "resolution"), ("start", "200000-01-01T09:00")];
    let (status, answer) = app.call(&alex, "admin_simulate_policy", &far).await;
    assert_eq!((status, answer["detail"]["start"].is_string()), (422, true), "{answer}");
}

/// Two requests under a one-hour policy around the clock, opened three hours ago: one
/// resolved in half an hour, one left open until it breached.
async fn one_met_one_breached(app: &TestApp) -> (String, String) {
    use app::domain::lifecycle::{MoveDetails, ResolutionCode};
    use app::domain::record::Title;
    use app::ssr::service::incidents::move_record;
    use app::ssr::service::records::create_record;
    use app::ssr::service::sla::tick;
    use app::ssr::store::NewRecord;
    use chrono::Duration;

    let maya = app.store.find_user_id_by_email("maya@example.com").await.unwrap().unwrap();
    let sam = app.store.find_user_id_by_email("sam@example.com").await.unwrap().unwrap();
    let network = app.store.find_user(sam).await.unwrap().unwrap().groups[0];
    let mut tx = app.store.begin().await.unwrap();
    let mut fast = policy("Requests in an hour", Vec::new(), 1, 600, 60);
    fast.conditions.kinds = vec![RecordKind::Request];
    Store::insert_policy(&mut tx, &fast).await.unwrap();
    tx.commit().await.unwrap();
    let t0 = chrono::Utc::now() - Duration::hours(3);
    let mut numbers = Vec::new();
    for title in ["Badge for the new starter", "Desk phone for reception"] {
        let mut record = NewRecord::new(RecordKind::Request, maya, Title::parse(title).unwrap(), t0);
        record.assignment_group = Some(network);
        (record.impact, record.urgency) = crate::helpers::levels_for(3);
        numbers.push(create_record(&app.store, &record).await.unwrap().1.to_string());
    }
    let agent = app.store.find_user(sam).await.unwrap().unwrap();
    let details = MoveDetails {
        hold_reason: None,
        resolution_code: Some(ResolutionCode::Fixed),
        resolution_notes: "Printed and handed over.".into(),
    };
    let start = MoveDetails::default();
    move_record(&app.store, &agent, &numbers[0], "in_progress", 1, &start, t0 + Duration::minutes(10))
        .await
        .unwrap();
    move_record(&app.store, &agent, &numbers[0], "fulfilled", 2, &details, t0 + Duration::minutes(30))
        .await
        .unwrap();
    tick(&app.store, chrono::Utc::now()).await.unwrap();
    (numbers[0].clone(), numbers[1].clone())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_queue_badges_each_record_and_breaching_soon_puts_the_most_pressing_first() {
    use app::domain::record::Title;
    use app::ssr::service::records::create_record;
    use app::ssr::service::sla::tick;
    use app::ssr::store::NewRecord;

    let app = setup().await;
    let (met, breached) = one_met_one_breached(&app).await;
    let maya = app.store.find_user_id_by_email("maya@example.com").await.unwrap().unwrap();
    let sam_id = app.store.find_user_id_by_email("sam@example.com").await.unwrap().unwrap();
    let network = app.store.find_user(sam_id).await.unwrap().unwrap().groups[0];
    let mut fresh = NewRecord::new(
        RecordKind::Request,
        maya,
        Title::parse("Keys for the bike shed").unwrap(),
        chrono::Utc::now(),
    );
    fresh.assignment_group = Some(network);
    (fresh.impact, fresh.urgency) = crate::helpers::levels_for(3);
    let fresh = create_record(&app.store, &fresh).await.unwrap().1.to_string();
    tick(&app.store, chrono::Utc::now()).await.unwrap();

    let sam = app.signed_in("sam@example.com").await;
    let (status, due) = app.call(&sam, "load_breaching", &[]).await;
    assert_eq!(status, 200, "{due}");
    let order: Vec<(&str, &str, bool)> = due["clocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (c["number"].as_str().unwrap(), c["clock"].as_str().unwrap(), c["breached"].as_bool().unwrap())
        })
        .collect();
    assert_eq!(
        order,
        [
            (breached.as_str(), "Resolution", true),
            (fresh.as_str(), "Resolution", false),
            (breached.as_str(), "First response", false),
            (fresh.as_str(), "First response", false),
        ],
        "running clocks only, by when they fall due, the breached one first; the fulfilled record is gone"
    );
    assert!(order.iter().all(|(number, ..)| *number != met));
    let (_, queue) = app.call(&sam, "load_queue", &[("params[view]", "all_open")]).await;
    let badge = |number: &str| {
        let id =
            queue["rows"].as_array().unwrap().iter().find(|r| r["number"] == number).unwrap()["id"].clone();
        queue["badges"].as_array().unwrap().iter().find(|b| b["record"] == id).cloned()
    };
    assert_eq!(badge(&breached).unwrap()["state"], "breached", "{queue}");
    assert_eq!(badge(&fresh).unwrap()["state"], "running");
    assert!(badge(&fresh).unwrap()["due_at"].is_string());
    let (_, html) = app.page(&sam, "/queue/breaching").await;
    assert!(html.contains(&breached) && html.contains("Breached"), "the page lists them");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_attainment_report_counts_met_and_breached_by_policy_and_group_and_exports_csv() {
    let app = setup().await;
    one_met_one_breached(&app).await;
    let sam = app.signed_in("sam@example.com").await;
    let (status, report) = app.call(&sam, "load_attainment", &[]).await;
    assert_eq!(status, 200, "{report}");
    let lines = report["lines"].as_array().unwrap();
    let resolution = lines
        .iter()
        .find(|l| l["policy"] == "Requests in an hour" && l["clock"] == "Resolution")
        .expect("a line for the policy's resolution clock");
    assert_eq!((resolution["met"].as_i64(), resolution["breached"].as_i64()), (Some(1), Some(1)), "{report}");
    assert_eq!(resolution["group"], "Network");

    let response = sam.get(app.url("/reports/service-levels.csv")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(response.headers()["content-disposition"].to_str().unwrap().contains("attachment"));
    let csv = response.text().await.unwrap();
    assert!(csv.starts_with("policy,group,clock,met,breached,attainment_percent\r\n"), "{csv}");
    assert!(csv.contains("Requests in an hour,Network,Resolution,1,1,50\r\n"), "{csv}");

    let yesteryear = [("from", "2020-01-01"), ("to", "2020-01-31")];
    let (_, empty) = app.call(&sam, "load_attainment", &yesteryear).await;
    assert_eq!(empty["lines"], serde_json::json!([]));
    let response =
        sam.get(app.url("/reports/service-levels.csv?from=2026-12-01&to=2026-11-01")).send().await.unwrap();
    assert_eq!(response.status(), 422);
    let body: serde_json::Value = response.json().await.unwrap();
    assert!(body["detail"]["to"].is_string(), "{body}");
    let maya = app.signed_in("maya@example.com").await;
    assert_eq!(maya.get(app.url("/reports/service-levels.csv")).send().await.unwrap().status(), 403);
    let (_, html) = app.page(&sam, "/reports/service-levels").await;
    assert!(html.contains("Requests in an hour") && html.contains("50 %"), "the page shows the table");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_breach_that_raises_the_priority_moves_the_clocks_to_the_policy_of_the_new_priority() {
    use app::domain::record::Title;
    use app::ssr::service::records::create_record;
    use app::ssr::service::sla::tick;
    use app::ssr::store::NewRecord;
    use chrono::Duration;

    let app = spawn_app().await;
    let maya = app.user("maya@example.com", "Maya Requester", &[]).await;
    app.user("sam@example.com", "Sam Agent", &[Role::Agent]).await;
    let major = app.group("Major incidents").await;
    let mut tx = app.store.begin().await.unwrap();
    Store::insert_policy(&mut tx, &policy("Critical", vec![1], 1, 600, 480)).await.unwrap();
    let mut high = policy("High", vec![2], 1, 600, 60);
    high.on_breach = vec![Escalation::RaisePriority, Escalation::MoveToGroup(major)];
    Store::insert_policy(&mut tx, &high).await.unwrap();
    tx.commit().await.unwrap();

    let t0 = chrono::Utc::now() - Duration::hours(3);
    let mut record =
        NewRecord::new(RecordKind::Incident, maya, Title::parse("Payroll export fails").unwrap(), t0);
    (record.impact, record.urgency) = crate::helpers::levels_for(2);
    let (_, number) = create_record(&app.store, &record).await.unwrap();
    tick(&app.store, t0 + Duration::minutes(61)).await.unwrap();

    let sam = app.signed_in("sam@example.com").await;
    let (clocks_now, _) = clocks(&app, &sam, &number.to_string()).await;
    let resolution = &clocks_now[1];
    assert_eq!(resolution["policy"], "Critical", "{clocks_now}");
    assert_eq!(resolution["reading"]["target"], serde_json::json!([28800, 0]), "the critical target, 8 h");
    assert_eq!(resolution["started_at"], clocks_now[0]["started_at"], "it keeps its start");
    let (_, page) = app.call(&sam, "get_record", &[("number", &number.to_string())]).await;
    assert_eq!(page["record"]["priority"], 1);
    let moved = page["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["field"] == "group" && e["what"] == "changed group from nothing to Major incidents");
    assert!(moved, "the move is on the timeline by the group's name: {}", page["timeline"]);
}
