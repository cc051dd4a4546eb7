use crate::helpers::spawn_app;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_reports_the_database_reachable() {
    let app = spawn_app().await;
    let response = reqwest::get(app.url("/healthz")).await.unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "reachable");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_page_is_a_404_with_a_helpful_page() {
    let app = spawn_app().await;
    let response = app.client().get(app.url("/no/such/page")).send().await.unwrap();
    assert_eq!(response.status(), 404);
    let html = response.text().await.unwrap();
    assert!(html.contains("This page doesn"), "{html}");
    assert!(html.contains("<title>Page not found · Switchboard</title>"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_out_visitors_are_sent_to_sign_in_and_back() {
    let app = spawn_app().await;
    let response =
        app.client().get(app.url("/requests?page=2")).header("accept", "text/html").send().await.unwrap();
    assert_eq!(response.status(), 302);
    assert_eq!(response.headers()["location"], "/login?next=%2Frequests%3Fpage%3D2");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sign_in_page_is_complete_html() {
    let app = spawn_app().await;
    let response = app.client().get(app.url("/login")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains(r#"<label for="email">E-mail</label>"#));
    assert!(html.contains(r#"action="/api/login""#));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_are_compressed_when_the_browser_accepts_it() {
    let app = spawn_app().await;
    let response =
        app.client().get(app.url("/login")).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(response.headers()["content-encoding"], "gzip");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_internal_failure_shows_a_reference_and_no_internals() {
    let app = spawn_app().await;
    app.store.close().await;
    let fields = [("email", "ada@example.com"), ("password", "whatever it is")];
    let response = app.post_login(&app.client(), &fields, false).await;
    assert_eq!(response.status(), 500);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "internal");
    let reference = body["detail"]["reference"].as_str().unwrap();
    assert_eq!(reference.len(), 12);
    let text = body.to_string().to_lowercase();
    assert!(!text.contains("pool") && !text.contains("sqlx") && !text.contains("sqlite"), "{text}");

    let health = reqwest::get(app.url("/healthz")).await.unwrap();
    assert_eq!(health.status(), 503);
}

/// Rendering creates a page's components more than once; their data must still be loaded
/// once and written into the page once, or the page carries every copy of it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_carries_each_piece_of_its_data_once() {
    use app::domain::record::RecordKind;
    use app::domain::user::Role;

    let app = spawn_app().await;
    let maya = app.user("maya@example.com", "Maya Patel", &[]).await;
    app.user("sam@example.com", "Sam Okafor", &[Role::Agent]).await;
    let number = app.record(RecordKind::Incident, maya, "Screen flickers").await;
    let agent = app.signed_in("sam@example.com").await;

    for path in [format!("/records/{number}"), "/queue".to_owned()] {
        let (status, html) = app.page(&agent, &path).await;
        assert_eq!(status, 200, "{path}");
        let written: Vec<&str> = html.split("__RESOLVED_RESOURCES[").skip(1).collect();
        // The session, the bell's count and the page's own data.
        assert_eq!(written.len(), 3, "{path}: {} resources written", written.len());
        let mut values: Vec<&str> =
            written.iter().map(|w| w.split_once("] = ").map_or(*w, |(_, v)| v)).collect();
        values.sort();
        values.dedup();
        assert_eq!(values.len(), 3, "{path}: the same data written twice");
    }
}
