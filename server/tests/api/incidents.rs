//! Incidents: reporting them, their life cycle as agents move it, and what the requester
//! sees and may do.

use app::domain::user::Role;

use crate::helpers::{TestApp, spawn_app};

/// Maya reports; Sam and Sue are agents in Network; Nick is an agent in no group.
async fn setup() -> TestApp {
    use app::ssr::store::Store;
    let app = spawn_app().await;
    app.user("maya@example.com", "Maya Requester", &[]).await;
    app.user("ida@example.com", "Ida Other", &[]).await;
    let sam = app.user("sam@example.com", "Sam Agent", &[Role::Agent]).await;
    let sue = app.user("sue@example.com", "Sue Agent", &[Role::Agent]).await;
    app.user("nick@example.com", "Nick Nogroup", &[Role::Agent]).await;
    let network = app.group("Network").await;
    app.group("Workplace").await;
    crate::cmdb::ci(&app, "business_service", "Email", None, &[("description", "Mail and calendars")]).await;
    let mut tx = app.store.begin().await.unwrap();
    Store::insert_group_member(&mut tx, network, sam).await.unwrap();
    Store::insert_group_member(&mut tx, network, sue).await.unwrap();
    tx.commit().await.unwrap();
    app
}

async fn report(
    app: &TestApp,
    client: &reqwest::Client,
    fields: &[(&str, &str)],
) -> (u16, serde_json::Value) {
    app.call(client, "report_incident", fields).await
}

async fn page(app: &TestApp, email: &str, number: &str) -> serde_json::Value {
    let client = app.signed_in(email).await;
    let (status, page) = app.call(&client, "get_record", &[("number", number)]).await;
    assert_eq!(status, 200, "{page}");
    page
}

async fn count_incidents(app: &TestApp) -> usize {
    let sam = app.signed_in("sam@example.com").await;
    let (_, page) =
        app.call(&sam, "load_queue", &[("params[view]", "all_open"), ("params[kind]", "incident")]).await;
    page["counts"]["all_open"].as_i64().unwrap() as usize
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_requester_reports_in_their_own_words_and_gets_a_priority() {
    let app = setup().await;
    let maya = app.signed_in("maya@example.com").await;
    let (_, choices) = app.call(&maya, "report_choices", &[]).await;
    assert_eq!(choices["for_others"], false);
    let email = choices["services"][0]["id"].to_string();
    let fields = [
        ("title", "Outlook keeps asking for my password"),
        ("description", "Since this morning, every few minutes."),
        ("reach", "just_me"),
        ("blocking", "blocked"),
        ("service", email.as_str()),
    ];
    let (status, number) = report(&app, &maya, &fields).await;
    assert!(status == 200 || status == 302, "{status} {number}");
    let number = number.as_str().unwrap().to_owned();
    assert!(number.starts_with("INC"), "{number}");
    let page = page(&app, "maya@example.com", &number).await;
    assert_eq!(page["record"]["state"], "new");
    assert_eq!(page["record"]["priority"], 3, "just me, blocked: moderate");
    assert_eq!(page["cis"][0]["name"], "Email", "the service named is an affected CI");
    assert_eq!(page["record"]["requester_name"], "Maya Requester");
    assert_eq!(page["may_update"], false);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_report_says_what_is_wrong_beside_each_field_and_stores_nothing() {
    let app = setup().await;
    let maya = app.signed_in("maya@example.com").await;
    let long = "x".repeat(201);
    for (fields, field) in [
        (vec![("title", "  "), ("reach", "just_me"), ("blocking", "blocked")], "title"),
        (vec![("title", long.as_str()), ("reach", "just_me"), ("blocking", "blocked")], "title"),
        (vec![("title", "Broken"), ("reach", "everyone"), ("blocking", "blocked")], "reach"),
        (vec![("title", "Broken"), ("reach", "just_me")], "blocking"),
        (
            vec![("title", "Broken"), ("reach", "just_me"), ("blocking", "blocked"), ("service", "999")],
            "service",
        ),
        (
            vec![("title", "Broken"), ("reach", "just_me"), ("blocking", "blocked"), ("service", "mail")],
            "service",
        ),
    ] {
        let (status, json) = report(&app, &maya, &fields).await;
        assert_eq!(status, 422, "{fields:?}: {json}");
        assert!(json["detail"][field].is_string(), "{field}: {json}");
    }
    assert_eq!(count_incidents(&app).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_reports_for_a_caller_and_only_agents_may() {
    let app = setup().await;
    let sam = app.signed_in("sam@example.com").await;
    let (_, choices) = app.call(&sam, "report_choices", &[]).await;
    assert_eq!(choices["for_others"], true);
    let base = [("title", "Printer jams"), ("reach", "my_team"), ("blocking", "can_work")];
    let with = |caller: &'static str| {
        let mut fields = base.to_vec();
        fields.push(("caller", caller));
        fields
    };
    let (status, json) = report(&app, &sam, &with("ghost@example.com")).await;
    assert_eq!(status, 422);
    assert_eq!(json["detail"]["caller"], "Nobody has that e-mail address.");
    let (_, number) = report(&app, &sam, &with("Maya@Example.com")).await;
    let number = number.as_str().unwrap().to_owned();
    let seen = page(&app, "maya@example.com", &number).await;
    assert_eq!(seen["record"]["requester_name"], "Maya Requester", "it is hers: she can read it");
    assert_eq!(seen["record"]["opened_by_name"], "Sam Agent");
    assert_eq!(seen["record"]["priority"], 3, "my team, can work: moderate");

    let ida = app.signed_in("ida@example.com").await;
    let (status, _) = report(&app, &ida, &with("maya@example.com")).await;
    assert_eq!(status, 403, "a requester can't report in someone else's name");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_incident_is_held_resolved_reopened_and_closed_by_the_rules() {
    let app = setup().await;
    let maya = app.signed_in("maya@example.com").await;
    let (_, number) =
        report(&app, &maya, &[("title", "VPN drops"), ("reach", "just_me"), ("blocking", "blocked")]).await;
    let number = number.as_str().unwrap().to_owned();
    let sam = app.signed_in("sam@example.com").await;
    let version = |page: &serde_json::Value| page["record"]["version"].to_string();
    let move_to = |state: &'static str, version: String, extra: Vec<(&'static str, &'static str)>| {
        let mut fields = vec![("number", number.clone()), ("state", state.to_owned()), ("version", version)];
        fields.extend(extra.into_iter().map(|(k, v)| (k, v.to_owned())));
        fields
    };
    let send = |fields: Vec<(&'static str, String)>| {
        let sam = sam.clone();
        let app = &app;
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.call(&sam, "move_record", &fields).await
        }
    };

    let first = page(&app, "sam@example.com", &number).await;
    assert_eq!(first["may_update"], true);
    let (status, json) = send(move_to("on_hold", version(&first), vec![])).await;
    assert_eq!(status, 422);
    assert_eq!(json["detail"]["hold_reason"], "Say what it is waiting for.");
    let (status, _) =
        send(move_to("on_hold", version(&first), vec![("hold_reason", "awaiting_vendor")])).await;
    assert_eq!(status, 200);

    // A move made from the page as it was before is refused, not applied over the hold.
    let (status, json) = send(move_to("in_progress", version(&first), vec![])).await;
    assert_eq!(status, 409, "{json}");
    assert!(json.to_string().contains("Someone changed this record after you opened it"), "{json}");
    let held = page(&app, "sam@example.com", &number).await;
    assert_eq!(held["record"]["state"], "on_hold");
    assert_eq!(held["record"]["hold_reason"], "awaiting_vendor");

    let (status, json) = send(move_to("resolved", version(&held), vec![("resolution_code", "fixed")])).await;
    assert_eq!(status, 422);
    assert!(json["detail"]["resolution_notes"].is_string(), "{json}");
    let (status, json) = send(move_to("closed", version(&held), vec![])).await;
    assert_eq!(status, 422);
    assert_eq!(
        json["detail"]["state"],
        "An incident can't go from on hold to closed. From on hold it can go to in progress, resolved or cancelled."
    );
    let resolve =
        vec![("resolution_code", "workaround"), ("resolution_notes", "Use the web client until the patch.")];
    assert_eq!(send(move_to("resolved", version(&held), resolve)).await.0, 200);

    // Maya sees the resolution, is told, and reopens it.
    let hers = page(&app, "maya@example.com", &number).await;
    assert_eq!(hers["record"]["state"], "resolved");
    assert_eq!(hers["record"]["resolution_code"], "workaround");
    assert_eq!(hers["may_reopen"], true);
    assert!(hers["timeline"].to_string().contains("Use the web client until the patch."));
    let (_, inbox) = app.call(&maya, "my_notifications", &[]).await;
    assert!(inbox.to_string().contains(&format!("{number} · VPN drops: resolved")), "{inbox}");
    let (status, _) =
        app.call(&maya, "move_record", &[("number", &number), ("state", "closed"), ("version", "1")]).await;
    assert_eq!(status, 403, "requesters don't move records");
    let reopen = [("number", number.as_str()), ("reason", "It dropped again after lunch.")];
    assert_eq!(app.call(&maya, "reopen_request", &reopen).await.0, 200);
    let reopened = page(&app, "sam@example.com", &number).await;
    assert_eq!(reopened["record"]["state"], "in_progress");
    assert!(reopened["record"]["resolution_code"].is_null(), "the old resolution no longer stands");

    // Resolved again, it closes by itself after the configured days and can't move after.
    let resolve = vec![("resolution_code", "fixed"), ("resolution_notes", "New VPN profile pushed.")];
    assert_eq!(send(move_to("resolved", version(&reopened), resolve)).await.0, 200);
    let week = chrono::Duration::days(7);
    let later = chrono::Utc::now() + chrono::Duration::days(8);
    assert_eq!(app::ssr::service::approvals::close_fulfilled(&app.store, week, later).await.unwrap(), 1);
    let closed = page(&app, "sam@example.com", &number).await;
    assert_eq!(closed["record"]["state"], "closed");
    assert!(closed["timeline"].to_string().contains("Closed automatically 7 days after it was resolved."));
    let (status, json) = send(move_to("in_progress", version(&closed), vec![])).await;
    assert_eq!(status, 422);
    assert!(json["detail"]["state"].as_str().unwrap().contains("can't change state any more"), "{json}");
    assert_eq!(app.call(&maya, "reopen_request", &reopen).await.0, 409);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_moves_are_4xx_and_change_nothing() {
    let app = setup().await;
    let maya = app.signed_in("maya@example.com").await;
    let (_, number) =
        report(&app, &maya, &[("title", "Screen flickers"), ("reach", "just_me"), ("blocking", "can_work")])
            .await;
    let number = number.as_str().unwrap();
    let sam = app.signed_in("sam@example.com").await;
    for (fields, status) in [
        (vec![("number", number), ("state", "sideways"), ("version", "1")], 422),
        (vec![("number", number), ("state", "in_progress"), ("version", "one")], 422),
        (vec![("number", "INC9999999"), ("state", "in_progress"), ("version", "1")], 404),
        (vec![("number", "' OR 1=1 --"), ("state", "in_progress"), ("version", "1")], 404),
    ] {
        assert_eq!(app.call(&sam, "move_record", &fields).await.0, status, "{fields:?}");
    }
    let ida = app.signed_in("ida@example.com").await;
    let fields = [("number", number), ("state", "in_progress"), ("version", "1")];
    assert_eq!(app.call(&ida, "move_record", &fields).await.0, 404, "not hers: as if it didn't exist");
    assert_eq!(page(&app, "sam@example.com", number).await["record"]["state"], "new");
}

/// The ids of a group and its members, from what the record page offers.
fn group_of(page: &serde_json::Value, name: &str) -> (String, Vec<(String, String)>) {
    let group = page["assignment"].as_array().unwrap().iter().find(|g| g["name"] == name).unwrap();
    let members = group["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m[0].to_string(), m[1].as_str().unwrap().to_owned()))
        .collect();
    (group["id"].to_string(), members)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agents_assign_within_the_group_and_set_priority_through_the_matrix() {
    let app = setup().await;
    let maya = app.signed_in("maya@example.com").await;
    let (_, number) =
        report(&app, &maya, &[("title", "Wi-Fi drops"), ("reach", "just_me"), ("blocking", "can_work")])
            .await;
    let number = number.as_str().unwrap().to_owned();
    let sam = app.signed_in("sam@example.com").await;
    let first = page(&app, "sam@example.com", &number).await;
    assert_eq!(page(&app, "maya@example.com", &number).await["assignment"], serde_json::json!([]));
    let (network, members) = group_of(&first, "Network");
    let (workplace, _) = group_of(&first, "Workplace");
    let sue = members.iter().find(|(_, n)| n == "Sue Agent").unwrap().0.clone();
    let version = first["record"]["version"].to_string();
    let fields = |group: &str, assignee: &str, version: &str| {
        vec![
            ("number".to_owned(), number.clone()),
            ("version".to_owned(), version.to_owned()),
            ("impact".to_owned(), "1".to_owned()),
            ("urgency".to_owned(), "2".to_owned()),
            ("group".to_owned(), group.to_owned()),
            ("assignee".to_owned(), assignee.to_owned()),
            ("category".to_owned(), "network".to_owned()),
            ("major".to_owned(), "true".to_owned()),
        ]
    };
    let send = |fields: Vec<(String, String)>| {
        let sam = sam.clone();
        let app = &app;
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            app.call(&sam, "update_record", &fields).await
        }
    };

    let (status, json) = send(fields(&workplace, &sue, &version)).await;
    assert_eq!(status, 422);
    assert_eq!(json["detail"]["assignee"], "Pick someone in Workplace.");
    let (status, json) = send(fields("", &sue, &version)).await;
    assert_eq!(status, 422, "{json}");
    let mut bad = fields(&network, &sue, &version);
    bad[2].1 = "7".into();
    assert!(send(bad).await.1["detail"]["impact"].is_string());
    assert_eq!(send(fields(&network, &sue, &version)).await.0, 200);

    let after = page(&app, "sam@example.com", &number).await;
    assert_eq!(after["record"]["priority"], 2, "high impact, medium urgency");
    assert_eq!(after["record"]["assignee_name"], "Sue Agent");
    assert_eq!(after["record"]["group_name"], "Network");
    assert_eq!(after["record"]["major"], true);
    let timeline = after["timeline"].to_string();
    for change in ["\"priority\"", "P2 High", "Sue Agent", "marked it a major incident"] {
        assert!(timeline.contains(change), "{change} missing: {timeline}");
    }
    let sue_client = app.signed_in("sue@example.com").await;
    let (_, inbox) = app.call(&sue_client, "my_notifications", &[]).await;
    assert!(inbox.to_string().contains(&format!("{number} · Wi-Fi drops: assigned to you")), "{inbox}");

    // A stale page can't undo it; assigning to oneself needs the group.
    let (status, _) = send(fields(&network, "", &version)).await;
    assert_eq!(status, 409);
    assert_eq!(page(&app, "sam@example.com", &number).await["record"]["assignee_name"], "Sue Agent");
    let version = after["record"]["version"].to_string();
    let nick = app.signed_in("nick@example.com").await;
    let (status, json) = app.call(&nick, "assign_to_me", &[("number", &number), ("version", &version)]).await;
    assert_eq!(status, 422);
    assert_eq!(json["detail"]["assignee"], "You aren't in Network; move it to one of your groups first.");
    assert_eq!(app.call(&sam, "assign_to_me", &[("number", &number), ("version", &version)]).await.0, 200);
    let mine = page(&app, "sam@example.com", &number).await;
    assert_eq!(mine["record"]["assignee_name"], "Sam Agent");
    assert_eq!(mine["record"]["priority"], 2, "the rest stays as it was");
    let (status, _) = app
        .call(
            &maya,
            "update_record",
            &fields(&network, "", "1").iter().map(|(k, v)| (k.as_str(), v.as_str())).collect::<Vec<_>>(),
        )
        .await;
    assert_eq!(status, 403);
}
