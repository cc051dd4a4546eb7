//! Ordering from the catalog: the form's rules on the server, what a request stores, and
//! retries, stale forms and plain-form posts.

use app::domain::user::Role;

use crate::helpers::{TestApp, spawn_app};

const LAPTOP: &str = r#"{"fields": [
  {"key": "model", "label": "Model", "required": true, "default": "standard",
   "kind": {"type": "choice", "options": [{"value": "standard", "label": "Standard"}, {"value": "pro", "label": "Pro"}]}},
  {"key": "justification", "label": "Why the Pro?", "required": true,
   "kind": {"type": "long_text", "min_length": 20}, "show_when": {"field": "model", "any_of": ["pro"]}},
  {"key": "seats", "label": "How many", "required": true, "kind": {"type": "number", "min": 1, "max": 3, "whole": true}},
  {"key": "for_whom", "label": "For whom", "required": false, "kind": {"type": "user"}}
]}"#;

async fn app_with_laptop() -> (TestApp, reqwest::Client) {
    let app = spawn_app().await;
    app.user("maya@example.com", "Maya Requester", &[]).await;
    let group = app.group("Workplace").await;
    app.catalog_item_with_form("laptop", "New laptop", Some(group), LAPTOP).await;
    let client = app.signed_in("maya@example.com").await;
    (app, client)
}

async fn form(app: &TestApp, client: &reqwest::Client) -> serde_json::Value {
    let (status, form) = app.call(client, "get_order_form", &[("slug", "laptop")]).await;
    assert_eq!(status, 200, "{form}");
    form
}

async fn record_count(app: &TestApp) -> usize {
    app.call(&app.signed_in("maya@example.com").await, "list_my_records", &[])
        .await
        .1
        .as_array()
        .unwrap()
        .len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_valid_order_becomes_a_request_with_its_answers() {
    let (app, client) = app_with_laptop().await;
    let form = form(&app, &client).await;
    assert_eq!(form["answers"]["model"], serde_json::json!(["standard"]), "defaults prefill the form");
    let submission = form["submission"].as_str().unwrap();
    let (status, number) = app
        .call(
            &client,
            "order_item",
            &[
                ("slug", "laptop"),
                ("form_version", "1"),
                ("submission", submission),
                ("answers[model][]", "standard"),
                ("answers[justification][]", "left over from when Pro was picked"),
                ("answers[seats][]", "2"),
            ],
        )
        .await;
    assert!(status == 200 || status == 302, "{status} {number}");
    let number = number.as_str().unwrap().to_owned();
    assert!(number.starts_with("REQ"), "{number}");

    let (_, page) = app.call(&client, "get_record", &[("number", &number)]).await;
    assert_eq!(page["record"]["title"], "New laptop");
    assert_eq!(page["record"]["group_name"], "Workplace");
    assert_eq!(
        page["answers"],
        serde_json::json!([["Model", "Standard"], ["How many", "2"]]),
        "hidden answers are gone"
    );
    let timeline = page["timeline"].to_string();
    assert!(
        timeline.contains("Requested from the catalog: New laptop") && timeline.contains("Workplace"),
        "{timeline}"
    );
    let (_, html) = app.page(&client, &format!("/records/{number}?ordered=1")).await;
    assert!(html.contains(&format!("Request {number} is in")) && html.contains("Standard"), "{html}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalid_order_explains_each_field_and_stores_nothing() {
    let (app, client) = app_with_laptop().await;
    let submission = form(&app, &client).await["submission"].as_str().unwrap().to_owned();
    let (status, json) = app
        .call(
            &client,
            "order_item",
            &[
                ("slug", "laptop"),
                ("form_version", "1"),
                ("submission", &submission),
                ("answers[model][]", "pro"),
                ("answers[justification][]", "short"),
                ("answers[seats][]", "many"),
                ("answers[for_whom][]", "ghost@example.com"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(json["detail"]["justification"], "Write at least 20 characters.");
    assert_eq!(json["detail"]["seats"], "Enter a number.");
    assert_eq!(record_count(&app).await, 0);

    let (status, json) = app
        .call(
            &client,
            "order_item",
            &[
                ("slug", "laptop"),
                ("form_version", "1"),
                ("submission", &submission),
                ("answers[model][]", "standard"),
                ("answers[seats][]", "1"),
                ("answers[for_whom][]", "ghost@example.com"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(json["detail"]["for_whom"], "Nobody has that e-mail address.", "{json}");
    assert_eq!(record_count(&app).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retried_submit_makes_one_request() {
    let (app, client) = app_with_laptop().await;
    let submission = form(&app, &client).await["submission"].as_str().unwrap().to_owned();
    let fields = [
        ("slug", "laptop"),
        ("form_version", "1"),
        ("submission", submission.as_str()),
        ("answers[model][]", "standard"),
        ("answers[seats][]", "1"),
    ];
    let (_, first) = app.call(&client, "order_item", &fields).await;
    let (_, second) = app.call(&client, "order_item", &fields).await;
    assert_eq!(first, second);
    assert_eq!(record_count(&app).await, 1);
    let fresh = form(&app, &client).await["submission"].as_str().unwrap().to_owned();
    assert_ne!(fresh, submission, "each opening of the form gets its own key");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_form_or_wrong_types_are_4xx_and_store_nothing() {
    let (app, client) = app_with_laptop().await;
    for (fields, expected) in [
        (
            vec![("slug", "laptop"), ("form_version", "0"), ("submission", "k1"), ("answers[seats][]", "1")],
            422,
        ),
        (
            vec![
                ("slug", "laptop"),
                ("form_version", "one"),
                ("submission", "k2"),
                ("answers[seats][]", "1"),
            ],
            422,
        ),
        (vec![("slug", "laptop"), ("form_version", "1"), ("submission", ""), ("answers[seats][]", "1")], 422),
        (
            vec![
                ("slug", "no-such-item"),
                ("form_version", "1"),
                ("submission", "k3"),
                ("answers[seats][]", "1"),
            ],
            404,
        ),
    ] {
        let (status, json) = app.call(&client, "order_item", &fields).await;
        assert_eq!(status, expected, "{fields:?}: {json}");
    }
    let (_, json) = app
        .call(
            &client,
            "order_item",
            &[("slug", "laptop"), ("form_version", "0"), ("submission", "k1"), ("answers[seats][]", "1")],
        )
        .await;
    assert!(json["detail"]["form"].as_str().unwrap().contains("was changed"), "{json}");
    assert_eq!(record_count(&app).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plain_form_post_that_fails_comes_back_with_answers_and_messages() {
    let (app, client) = app_with_laptop().await;
    let submission = form(&app, &client).await["submission"].as_str().unwrap().to_owned();
    let response = client
        .post(app.url("/api/order_item"))
        .header("accept", "text/html")
        .form(&[
            ("slug", "laptop"),
            ("form_version", "1"),
            ("submission", submission.as_str()),
            ("answers[model][]", "pro"),
            ("answers[justification][]", "I edit 8K video all day"),
            ("answers[seats][]", "9"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/catalog/laptop?draft="), "{location}");
    let (status, html) = app.page(&client, &location).await;
    assert_eq!(status, 200);
    assert!(html.contains("Enter a number from 1 to 3."), "the message is beside the field");
    assert!(html.contains("I edit 8K video all day"), "what was typed is kept");
    let pro =
        html.find(r#"value="pro""#).map(|i| &html[html[..i].rfind('<').unwrap()..i + 40]).unwrap_or_default();
    assert!(pro.contains("checked"), "the choice is kept: {pro}");
    assert_eq!(record_count(&app).await, 0);

    // Another person can't read the draft.
    app.user("zed@example.com", "Zed Stranger", &[Role::Agent]).await;
    let zed = app.signed_in("zed@example.com").await;
    let (_, html) = app.page(&zed, &location).await;
    assert!(!html.contains("I edit 8K video all day"));

    let response = client
        .post(app.url("/api/order_item"))
        .header("accept", "text/html")
        .form(&[
            ("slug", "laptop"),
            ("form_version", "1"),
            ("submission", submission.as_str()),
            ("answers[model][]", "standard"),
            ("answers[seats][]", "2"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    let location = response.headers()["location"].to_str().unwrap();
    assert!(location.starts_with("/records/REQ") && location.ends_with("?ordered=1"), "{location}");
    assert_eq!(record_count(&app).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_submit_sent_twice_at_once_makes_one_request() {
    let (app, client) = app_with_laptop().await;
    let submission = form(&app, &client).await["submission"].as_str().unwrap().to_owned();
    let fields = [
        ("slug", "laptop"),
        ("form_version", "1"),
        ("submission", submission.as_str()),
        ("answers[model][]", "standard"),
        ("answers[seats][]", "1"),
    ];
    let (a, b) =
        tokio::join!(app.call(&client, "order_item", &fields), app.call(&client, "order_item", &fields));
    assert_eq!(a.1, b.1, "both get the one request");
    assert_eq!(record_count(&app).await, 1);
}
