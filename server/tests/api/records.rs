use app::domain::record::RecordKind;
use app::domain::user::Role;

use crate::helpers::spawn_app;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn my_requests_shows_only_the_signed_in_users_records() {
    let app = spawn_app().await;
    let ada = app.user("ada@example.com", "Ada Lovelace", &[]).await;
    let bob = app.user("bob@example.com", "Bob Stone", &[]).await;
    let adas = app.record(RecordKind::Incident, ada, "Ada's VPN drops").await;
    let bobs = app.record(RecordKind::Request, bob, "Bob's new monitor").await;

    let client = app.signed_in("ada@example.com").await;
    let html = client.get(app.url("/requests")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains(&adas) && html.contains("VPN drops"), "{html}");
    assert!(!html.contains(&bobs), "another user's record leaked into My requests");
    assert!(!html.contains("monitor"));

    let json: serde_json::Value =
        client.post(app.url("/api/list_my_records")).send().await.unwrap().json().await.unwrap();
    let numbers: Vec<&str> = json.as_array().unwrap().iter().map(|r| r["number"].as_str().unwrap()).collect();
    assert_eq!(numbers, vec![adas.as_str()]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_my_requests_says_so() {
    let app = spawn_app().await;
    app.user("new@example.com", "New Starter", &[]).await;
    let client = app.signed_in("new@example.com").await;
    let html = client.get(app.url("/requests")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Nothing here yet"), "{html}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_open_is_for_agents_only() {
    let app = spawn_app().await;
    let ada = app.user("ada@example.com", "Ada Lovelace", &[]).await;
    app.user("sam@example.com", "Sam Agent", &[Role::Agent]).await;
    let number = app.record(RecordKind::Incident, ada, "Printer on fire").await;

    let requester = app.signed_in("ada@example.com").await;
    let page = requester.get(app.url("/queue")).send().await.unwrap();
    assert_eq!(page.status(), 403);
    assert!(!page.text().await.unwrap().contains(&number));
    let api = requester.post(app.url("/api/load_queue")).send().await.unwrap();
    assert_eq!(api.status(), 403);

    let agent = app.signed_in("sam@example.com").await;
    let page = agent.get(app.url("/queue?view=all_open")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains(&number) && html.contains("Printer on fire"), "{html}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_functions_refuse_signed_out_callers() {
    let app = spawn_app().await;
    for endpoint in ["/api/list_my_records", "/api/load_queue", "/api/list_catalog"] {
        let response = app.client().post(app.url(endpoint)).send().await.unwrap();
        assert_eq!(response.status(), 401, "{endpoint}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requesters_never_see_work_notes_in_pages_or_json() {
    let app = spawn_app().await;
    let maya = app.user("maya@example.com", "Maya Requester", &[]).await;
    app.user("sam@example.com", "Sam Agent", &[Role::Agent]).await;
    let number = app.record(RecordKind::Incident, maya, "Screen flickers").await;

    let agent = app.signed_in("sam@example.com").await;
    let note = [
        ("number", number.as_str()),
        ("body", "Vendor ticket 4471, do not share"),
        ("visibility", "internal"),
    ];
    assert_eq!(app.call(&agent, "add_comment", &note).await.0, 200);
    let reply = [("number", number.as_str()), ("body", "Swapping the cable today"), ("visibility", "public")];
    assert_eq!(app.call(&agent, "add_comment", &reply).await.0, 200);

    let (status, html) = app.page(&agent, &format!("/records/{number}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Vendor ticket 4471") && html.contains("agents only"), "{html}");

    let requester = app.signed_in("maya@example.com").await;
    let (status, html) = app.page(&requester, &format!("/records/{number}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Swapping the cable today"), "{html}");
    assert!(!html.contains("Vendor ticket") && !html.contains("4471"), "a work note reached the requester");
    let (status, json) = app.call(&requester, "get_record", &[("number", number.as_str())]).await;
    assert_eq!(status, 200);
    let text = json.to_string();
    assert!(text.contains("Swapping the cable") && !text.contains("4471"), "{text}");
    assert_eq!(json["may_write_work_notes"], false);

    let sneaky = [("number", number.as_str()), ("body", "I am an agent now"), ("visibility", "internal")];
    assert_eq!(app.call(&requester, "add_comment", &sneaky).await.0, 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn someone_elses_record_looks_like_one_that_does_not_exist() {
    let app = spawn_app().await;
    app.user("maya@example.com", "Maya Requester", &[]).await;
    let zed = app.user("zed@example.com", "Zed Stranger", &[]).await;
    let foreign = app.record(RecordKind::Incident, zed, "Zed's salary question").await;
    let client = app.signed_in("maya@example.com").await;

    let (status, foreign_page) = app.page(&client, &format!("/records/{foreign}")).await;
    assert_eq!(status, 404);
    assert!(!foreign_page.contains("salary"), "{foreign_page}");
    let (status, missing_page) = app.page(&client, "/records/INC9999999").await;
    assert_eq!(status, 404);
    let message = "That record was not found.";
    assert!(foreign_page.contains(message) && missing_page.contains(message));

    let (status, foreign_json) = app.call(&client, "get_record", &[("number", foreign.as_str())]).await;
    let (_, missing_json) = app.call(&client, "get_record", &[("number", "INC9999999")]).await;
    assert_eq!(status, 404);
    assert_eq!(foreign_json, missing_json);
    let reply = [("number", foreign.as_str()), ("body", "hello?"), ("visibility", "public")];
    assert_eq!(app.call(&client, "add_comment", &reply).await.0, 404);
    let number = app::domain::record::RecordNumber::parse(&foreign).unwrap();
    let (record, _) = app.store.find_record(&number).await.unwrap().unwrap();
    assert_eq!(app.store.list_events(record.id).await.unwrap().len(), 1, "nothing was added");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn whoever_opened_or_watches_a_record_can_follow_it() {
    use app::domain::record::Title;
    use app::ssr::store::{NewRecord, Store};
    let app = spawn_app().await;
    let maya = app.user("maya@example.com", "Maya Requester", &[]).await;
    let wes = app.user("wes@example.com", "Wes Watcher", &[]).await;
    let zed = app.user("zed@example.com", "Zed Stranger", &[]).await;
    let mut record =
        NewRecord::new(RecordKind::Request, zed, Title::parse("Desk move").unwrap(), chrono::Utc::now());
    record.opened_by = maya;
    let (id, number) = app::ssr::service::records::create_record(&app.store, &record).await.unwrap();
    let mut tx = app.store.begin().await.unwrap();
    Store::add_watcher(&mut tx, id, wes).await.unwrap();
    tx.commit().await.unwrap();
    let number = number.to_string();

    for email in ["maya@example.com", "wes@example.com", "zed@example.com"] {
        let client = app.signed_in(email).await;
        assert_eq!(app.page(&client, &format!("/records/{number}")).await.0, 200, "{email}");
        let (_, html) = app.page(&client, "/requests").await;
        assert!(html.contains(&number), "{email} should find it in My requests");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_must_say_something_and_not_too_much() {
    let app = spawn_app().await;
    let maya = app.user("maya@example.com", "Maya Requester", &[]).await;
    let number = app.record(RecordKind::Incident, maya, "Mouse is sticky").await;
    let client = app.signed_in("maya@example.com").await;
    let long = "x".repeat(20_001);
    for body in ["   ", long.as_str()] {
        let (status, json) = app
            .call(&client, "add_comment", &[("number", &number), ("body", body), ("visibility", "public")])
            .await;
        assert_eq!(status, 422);
        assert!(json["detail"]["body"].is_string(), "{json}");
    }
    let (status, _) = app
        .call(
            &client,
            "add_comment",
            &[("number", &number), ("body", "It's *still* sticky"), ("visibility", "public")],
        )
        .await;
    assert_eq!(status, 200);
    let (_, html) = app.page(&client, &format!("/records/{number}")).await;
    assert!(html.contains("<em>still</em>"), "replies are Markdown: {html}");
    assert_eq!(html.matches("timeline__item").count() - html.matches("timeline__item--").count(), 2);
}
