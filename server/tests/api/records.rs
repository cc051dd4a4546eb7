use app::domain::record::RecordKind;
use app::domain::user::Role;

use crate::helpers::spawn_app;

#[tokio::test]
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

#[tokio::test]
async fn an_empty_my_requests_says_so() {
    let app = spawn_app().await;
    app.user("new@example.com", "New Starter", &[]).await;
    let client = app.signed_in("new@example.com").await;
    let html = client.get(app.url("/requests")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Nothing here yet"), "{html}");
}

#[tokio::test]
async fn all_open_is_for_agents_only() {
    let app = spawn_app().await;
    let ada = app.user("ada@example.com", "Ada Lovelace", &[]).await;
    app.user("sam@example.com", "Sam Agent", &[Role::Agent]).await;
    let number = app.record(RecordKind::Incident, ada, "Printer on fire").await;

    let requester = app.signed_in("ada@example.com").await;
    let page = requester.get(app.url("/queue")).send().await.unwrap();
    assert_eq!(page.status(), 403);
    assert!(!page.text().await.unwrap().contains(&number));
    let api = requester.post(app.url("/api/list_open_records")).send().await.unwrap();
    assert_eq!(api.status(), 403);

    let agent = app.signed_in("sam@example.com").await;
    let page = agent.get(app.url("/queue")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains(&number) && html.contains("Printer on fire"), "{html}");
    assert!(html.contains("1 open record."));
}

#[tokio::test]
async fn server_functions_refuse_signed_out_callers() {
    let app = spawn_app().await;
    for endpoint in ["/api/list_my_records", "/api/list_open_records", "/api/list_catalog"] {
        let response = app.client().post(app.url(endpoint)).send().await.unwrap();
        assert_eq!(response.status(), 401, "{endpoint}");
    }
}
