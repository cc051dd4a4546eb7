//! Failed sign-ins slow down, then lock, per account and per client address.

use app::ssr::LoginThrottle;

use crate::helpers::{PASSWORD, TestApp, spawn_app_with};

/// Locks an account after 4 failures for 1 minute (an address after 20).
async fn strict_app() -> TestApp {
    spawn_app_with(|config| config.throttle = LoginThrottle::new(4, chrono::Duration::minutes(1))).await
}

async fn attempt(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    app.post_login(&app.client(), &[("email", email), ("password", password)], false).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_locks_and_says_when_to_try_again() {
    let app = strict_app().await;
    app.user("ada@example.com", "Ada Lovelace", &[]).await;
    for _ in 0..4 {
        assert_eq!(attempt(&app, "ada@example.com", "wrong password").await.status(), 422);
    }
    let locked = attempt(&app, "ada@example.com", PASSWORD).await;
    assert_eq!(locked.status(), 429, "even the right password waits out the lock");
    assert!(locked.headers().get("set-cookie").is_none());
    let body: serde_json::Value = locked.json().await.unwrap();
    assert_eq!(body["error"], "too_many_attempts");
    let wait = body["detail"]["retry_after_seconds"].as_i64().unwrap();
    assert!((55..=60).contains(&wait), "a minute's lock, less the moments since it began: {wait}");

    let plain = app
        .post_login(
            &app.client(),
            &[("email", "ada@example.com"), ("password", PASSWORD), ("next", "/")],
            true,
        )
        .await;
    let location = plain.headers()["location"].to_str().unwrap().to_owned();
    let seconds: i64 = location
        .strip_prefix("/login?locked=")
        .and_then(|rest| rest.strip_suffix("&next=%2F"))
        .and_then(|seconds| seconds.parse().ok())
        .unwrap_or_else(|| panic!("{location}"));
    assert!((55..=60).contains(&seconds), "the lock's remaining seconds: {location}");
    let page = app.client().get(app.url(&location)).send().await.unwrap().text().await.unwrap();
    let told = (55..=60).map(|n| format!("Too many failed sign-ins. Try again {}.", app::fmt::wait(n)));
    assert!(told.into_iter().any(|text| page.contains(&text)), "the lock's wait, in words: {page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_email_locks_the_same_way() {
    let app = strict_app().await;
    for _ in 0..4 {
        assert_eq!(attempt(&app, "nobody@example.com", "wrong password").await.status(), 422);
    }
    assert_eq!(attempt(&app, "nobody@example.com", "wrong password").await.status(), 429);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_successful_sign_in_resets_the_count() {
    let app = strict_app().await;
    app.user("ada@example.com", "Ada Lovelace", &[]).await;
    for _ in 0..3 {
        assert_eq!(attempt(&app, "ada@example.com", "wrong password").await.status(), 422);
    }
    assert_eq!(attempt(&app, "ada@example.com", PASSWORD).await.status(), 200);
    for _ in 0..3 {
        assert_eq!(attempt(&app, "ada@example.com", "wrong password").await.status(), 422);
    }
    assert_eq!(attempt(&app, "ada@example.com", PASSWORD).await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_trying_many_accounts_slows_down() {
    let app = strict_app().await;
    // The address has 15 free failures; each account here fails only once.
    for n in 0..16 {
        let status = attempt(&app, &format!("user{n}@example.com"), "wrong password").await.status();
        assert_eq!(status, 422, "attempt {n}");
    }
    let throttled = attempt(&app, "someone.else@example.com", "wrong password").await;
    assert_eq!(throttled.status(), 429);
}
