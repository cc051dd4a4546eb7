//! CSRF refusal and security headers, through the real router.

use app::domain::user::Role;
use app::ssr::auth::SessionConfig;
use app::ssr::security::PublicUrl;

use crate::helpers::{PASSWORD, spawn_app, spawn_app_with};

async fn session_count(app: &crate::helpers::TestApp) -> i64 {
    let mut tx = app.store.begin().await.unwrap();
    tx.peek("SELECT CAST(count(*) AS TEXT) FROM sessions").await.unwrap()[0].parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cross_site_sign_in_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    app.user("ada@example.com", "Ada Lovelace", &[]).await;
    let fields = [("email", "ada@example.com"), ("password", PASSWORD)];
    let cases: [&[(&str, &str)]; 4] = [
        &[("sec-fetch-site", "cross-site")],
        &[("sec-fetch-site", "same-site")],
        &[("origin", "http://evil.example")],
        &[],
    ];
    for headers in cases {
        let mut request = reqwest::Client::new().post(app.url("/api/login")).form(&fields);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 403, "{headers:?}");
        assert!(response.headers().get("set-cookie").is_none());
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["error"], "forbidden");
    }
    assert_eq!(session_count(&app).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cross_site_sign_out_does_not_end_the_session() {
    let app = spawn_app().await;
    app.user("ada@example.com", "Ada Lovelace", &[Role::Agent]).await;
    let client = app.signed_in("ada@example.com").await;
    let forged =
        client.post(app.url("/api/logout")).header("sec-fetch-site", "cross-site").send().await.unwrap();
    assert_eq!(forged.status(), 403);
    assert_eq!(session_count(&app).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_older_browser_is_judged_by_its_origin() {
    let app = spawn_app().await;
    app.user("ada@example.com", "Ada Lovelace", &[]).await;
    let response = reqwest::Client::new()
        .post(app.url("/api/login"))
        .header("origin", &app.base)
        .form(&[("email", "ada@example.com"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_a_public_url_only_its_origin_may_write() {
    let app = spawn_app_with(|config| {
        config.public_url = Some(PublicUrl::parse("https://desk.example.com").unwrap());
        config.sessions = SessionConfig::new(true, chrono::Duration::hours(1), chrono::Duration::hours(8));
    })
    .await;
    app.user("ada@example.com", "Ada Lovelace", &[]).await;
    let post = |origin: &str| {
        reqwest::Client::new()
            .post(app.url("/api/login"))
            .header("origin", origin)
            .form(&[("email", "ada@example.com"), ("password", PASSWORD)])
            .send()
    };
    assert_eq!(post(&app.base).await.unwrap().status(), 403, "the listen address is not the public origin");
    let response = post("https://desk.example.com").await.unwrap();
    assert_eq!(response.status(), 200);
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("__Host-sb_session=") && cookie.contains("Secure"), "{cookie}");

    let page = reqwest::get(app.url("/login")).await.unwrap();
    assert_eq!(page.headers()["strict-transport-security"], "max-age=31536000; includeSubDomains");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_carry_a_nonce_policy_that_matches_their_scripts() {
    let app = spawn_app().await;
    let page = reqwest::get(app.url("/login")).await.unwrap();
    let headers = page.headers().clone();
    let policy = headers["content-security-policy"].to_str().unwrap().to_owned();
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    let nonce = policy.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).unwrap().to_owned();
    let html = page.text().await.unwrap();
    assert!(html.contains(&format!(r#"<script type="module" nonce="{nonce}">"#)), "{html}");

    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["referrer-policy"], "same-origin");
    assert!(headers.get("strict-transport-security").is_none(), "no HSTS over plain http");

    let second = reqwest::get(app.url("/login")).await.unwrap();
    assert_ne!(
        second.headers()["content-security-policy"].to_str().unwrap(),
        policy,
        "a fresh nonce per page"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_answers_carry_the_headers_too() {
    let app = spawn_app().await;
    let response = reqwest::get(app.url("/healthz")).await.unwrap();
    let policy = response.headers()["content-security-policy"].to_str().unwrap();
    assert!(policy.starts_with("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'"), "{policy}");
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
}
