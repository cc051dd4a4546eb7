use app::domain::user::Role;

use crate::helpers::{PASSWORD, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_sets_an_http_only_lax_session_cookie() {
    let app = spawn_app().await;
    app.user("ada@example.com", "Ada Lovelace", &[]).await;
    let fields = [("email", "Ada@Example.com"), ("password", PASSWORD), ("next", "/requests")];
    let response = app.post_login(&app.client(), &fields, true).await;
    assert_eq!(response.status(), 302);
    assert_eq!(response.headers()["location"], "/requests");
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("sb_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_signed_in_user_is_known_to_every_page() {
    let app = spawn_app().await;
    app.user("ada@example.com", "Ada Lovelace", &[]).await;
    let client = app.signed_in("ada@example.com").await;
    let html = client.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Ada Lovelace"), "the header names who is signed in");
    let who: serde_json::Value =
        client.post(app.url("/api/who_am_i")).send().await.unwrap().json().await.unwrap();
    assert_eq!(who["user"]["email"], "ada@example.com");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_and_an_unknown_email_fail_alike() {
    let app = spawn_app().await;
    app.user("ada@example.com", "Ada Lovelace", &[]).await;
    let mut bodies = Vec::new();
    for (email, password) in [("ada@example.com", "wrong password!"), ("nobody@example.com", PASSWORD)] {
        let response =
            app.post_login(&app.client(), &[("email", email), ("password", password)], false).await;
        assert_eq!(response.status(), 422);
        assert!(response.headers().get("set-cookie").is_none());
        bodies.push(response.text().await.unwrap());
    }
    assert_eq!(bodies[0], bodies[1]);
    assert!(bodies[0].contains("don't match an account"), "{}", bodies[0]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_plain_form_sign_in_returns_to_the_form() {
    let app = spawn_app().await;
    let fields = [("email", "nobody@example.com"), ("password", "whatever it is"), ("next", "/queue")];
    let response = app.post_login(&app.client(), &fields, true).await;
    assert_eq!(response.status(), 302);
    assert_eq!(response.headers()["location"], "/login?failed=1&next=%2Fqueue");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_form_gets_messages_per_field() {
    let app = spawn_app().await;
    let response = app.post_login(&app.client(), &[("email", "not-an-email"), ("password", "")], false).await;
    assert_eq!(response.status(), 422);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "invalid");
    assert_eq!(body["detail"]["email"], "That doesn't look like an e-mail address.");
    assert_eq!(body["detail"]["password"], "Enter your password.");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn next_never_leads_off_site() {
    let app = spawn_app().await;
    app.user("ada@example.com", "Ada Lovelace", &[]).await;
    let fields = [("email", "ada@example.com"), ("password", PASSWORD), ("next", "//evil.example/")];
    let response = app.post_login(&app.client(), &fields, true).await;
    assert_eq!(response.headers()["location"], "/");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_ends_the_session_on_the_server() {
    let app = spawn_app().await;
    app.user("ada@example.com", "Ada Lovelace", &[Role::Agent]).await;
    let client = app.signed_in("ada@example.com").await;
    let response = client.post(app.url("/api/logout")).header("accept", "text/html").send().await.unwrap();
    assert_eq!(response.status(), 302);
    assert_eq!(response.headers()["location"], "/login");
    let sessions: i64 = {
        let mut tx = app.store.begin().await.unwrap();
        tx.peek("SELECT CAST(count(*) AS TEXT) FROM sessions").await.unwrap()[0].parse().unwrap()
    };
    assert_eq!(sessions, 0);
    let after = client.get(app.url("/requests")).header("accept", "text/html").send().await.unwrap();
    assert_eq!(after.status(), 302);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_request_is_a_4xx_with_a_json_error() {
    let app = spawn_app().await;
    let client = app.client();
    let missing = client.post(app.url("/api/login")).send().await.unwrap();
    assert_eq!(missing.status(), 422);
    let body: serde_json::Value = missing.json().await.unwrap();
    assert_eq!(body["error"], "invalid");
    assert!(body["detail"]["form"].as_str().unwrap().contains("malformed"), "{body}");

    let garbage = client
        .post(app.url("/api/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("email=%ZZ&&&password")
        .send()
        .await
        .unwrap();
    assert_eq!(garbage.status(), 422);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_again_replaces_the_session() {
    let app = spawn_app().await;
    app.user("ada@example.com", "Ada Lovelace", &[]).await;
    let client = app.signed_in("ada@example.com").await;
    let first = session_hashes(&app).await;
    let fields = [("email", "ada@example.com"), ("password", PASSWORD), ("next", "/requests")];
    assert_eq!(app.post_login(&client, &fields, true).await.status(), 302);
    let second = session_hashes(&app).await;
    assert_eq!(second.len(), 1, "the old session is gone");
    assert_ne!(first, second, "a new id, never the old one");
}

async fn session_hashes(app: &crate::helpers::TestApp) -> Vec<String> {
    let mut tx = app.store.begin().await.unwrap();
    tx.peek("SELECT token_hash FROM sessions").await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_keeps_people_signed_in() {
    use server::startup::{Application, Config};
    let app = spawn_app().await;
    app.user("ada@example.com", "Ada Lovelace", &[]).await;
    let client = app.signed_in("ada@example.com").await;
    // A second server process on the same data: sessions live in the database.
    let mut config = Config::new("127.0.0.1:0".parse().unwrap(), app.data_dir());
    config.database_url = app.database_url.clone();
    let restarted = Application::build(config).await.unwrap();
    let base = format!("http://{}", restarted.addr());
    tokio::spawn(restarted.run_until_stopped());
    let who: serde_json::Value =
        client.post(format!("{base}/api/who_am_i")).send().await.unwrap().json().await.unwrap();
    assert_eq!(who["user"]["email"], "ada@example.com", "the same cookie works on the restarted server");
}
