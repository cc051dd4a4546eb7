//! A request's way through approval and fulfilment, and who may take each step.

use app::domain::approval::{ApprovalStep, FulfilmentPlan, TaskTemplate};
use app::domain::ids::GroupId;
use app::domain::user::Role;

use crate::helpers::{TestApp, spawn_app};

const FORM: &str = r#"{"fields": [
  {"key": "model", "label": "Model", "required": true,
   "kind": {"type": "choice", "options": [{"value": "standard", "label": "Standard"}, {"value": "pro", "label": "Pro"}]}}
]}"#;

struct Org {
    app: TestApp,
    workplace: GroupId,
    access: GroupId,
}

/// Maya (managed by Bea) orders; Sam and Sue are agents in Workplace; Ida and Ian approve
/// for Access & Identity.
async fn org() -> Org {
    let app = spawn_app().await;
    let bea = app.user("bea@example.com", "Bea Boss", &[]).await;
    app.user_managed_by("maya@example.com", "Maya Requester", &[], Some(bea)).await;
    app.user("nomanager@example.com", "Nora Nomanager", &[]).await;
    let sam = app.user("sam@example.com", "Sam Agent", &[Role::Agent]).await;
    let sue = app.user("sue@example.com", "Sue Agent", &[Role::Agent]).await;
    let ida = app.user("ida@example.com", "Ida Identity", &[]).await;
    let ian = app.user("ian@example.com", "Ian Identity", &[]).await;
    let workplace = app.group("Workplace").await;
    let access = app.group("Access & Identity").await;
    let mut tx = app.store.begin().await.unwrap();
    for (group, user) in [(workplace, sam), (workplace, sue), (access, ida), (access, ian)] {
        app::ssr::store::Store::insert_group_member(&mut tx, group, user).await.unwrap();
    }
    tx.commit().await.unwrap();
    app.catalog_item_with_form("laptop", "New laptop", Some(workplace), FORM).await;
    Org { app, workplace, access }
}

fn task(title: &str, group: GroupId) -> TaskTemplate {
    TaskTemplate { title: title.into(), group }
}

/// Orders the laptop as `email`; returns the request number.
async fn order(app: &TestApp, email: &str) -> String {
    let client = app.signed_in(email).await;
    let (_, form) = app.call(&client, "get_order_form", &[("slug", "laptop")]).await;
    let submission = form["submission"].as_str().unwrap().to_owned();
    let fields =
        [("slug", "laptop"), ("form_version", "1"), ("submission", &submission), ("answers[model][]", "pro")];
    let (status, number) = app.call(&client, "order_item", &fields).await;
    assert!(status < 400, "{status} {number}");
    number.as_str().unwrap().to_owned()
}

async fn record(app: &TestApp, number: &str) -> serde_json::Value {
    let agent = app.signed_in("sam@example.com").await;
    let (status, page) = app.call(&agent, "get_record", &[("number", number)]).await;
    assert_eq!(status, 200, "{page}");
    page
}

async fn pending(app: &TestApp, email: &str) -> (reqwest::Client, Vec<serde_json::Value>) {
    let client = app.signed_in(email).await;
    let (status, list) = app.call(&client, "list_my_approvals", &[]).await;
    assert_eq!(status, 200);
    (client, list.as_array().unwrap().clone())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_manager_approves_then_the_group_fulfils_and_the_request_is_fulfilled() {
    let org = org().await;
    let app = &org.app;
    let plan = FulfilmentPlan { tasks: vec![task("Prepare the laptop", org.workplace)], in_sequence: false };
    app.plan("laptop", &[ApprovalStep::Manager], &plan).await;
    let number = order(app, "maya@example.com").await;
    assert_eq!(record(app, &number).await["record"]["state"], "awaiting_approval");

    // Only Bea was asked; she sees the answers. Someone else can't decide it.
    let (bea, waiting) = pending(app, "bea@example.com").await;
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0]["number"], number.as_str());
    assert_eq!(waiting[0]["answers"], serde_json::json!([["Model", "Pro"]]));
    let id = waiting[0]["approval_id"].to_string();
    assert!(pending(app, "ida@example.com").await.1.is_empty());
    let ida = app.signed_in("ida@example.com").await;
    let (status, _) = app.call(&ida, "decide_approval", &[("id", &id), ("decision", "approved")]).await;
    assert_eq!(status, 404, "someone else's approval is not theirs to see");
    let (status, _) = app.call(&bea, "get_record", &[("number", &number)]).await;
    assert_eq!(status, 200, "the approver may read what they decide");

    let (status, _) = app
        .call(&bea, "decide_approval", &[("id", &id), ("decision", "approved"), ("comment", "Go ahead")])
        .await;
    assert_eq!(status, 200);
    let (status, _) = app.call(&bea, "decide_approval", &[("id", &id), ("decision", "approved")]).await;
    assert_eq!(status, 409, "decided once");
    let page = record(app, &number).await;
    assert_eq!(page["record"]["state"], "in_progress");
    assert_eq!(page["approvals"][0]["decision"], "approved");
    assert_eq!(page["approvals"][0]["comment"], "Go ahead");
    let tasks = page["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0]["group_name"], "Workplace");
    let task_number = tasks[0]["number"].as_str().unwrap().to_owned();

    // The requester may read the task but not close it; an agent of the group sees and closes it.
    let maya = app.signed_in("maya@example.com").await;
    assert_eq!(app.call(&maya, "close_task", &[("number", &task_number)]).await.0, 403);
    let sue = app.signed_in("sue@example.com").await;
    let (_, tasks) = app.call(&sue, "list_group_tasks", &[]).await;
    assert_eq!(tasks[0]["number"], task_number.as_str());
    assert_eq!(app.call(&sue, "close_task", &[("number", &task_number)]).await.0, 200);
    assert_eq!(app.call(&sue, "close_task", &[("number", &task_number)]).await.0, 409);
    let page = record(app, &number).await;
    assert_eq!(page["record"]["state"], "fulfilled");
    let timeline = page["timeline"].to_string();
    for expected in [
        "Approved: Go ahead",
        "awaiting_approval",
        "in_progress",
        "fulfilled",
        "Everything for this request is done.",
    ] {
        assert!(timeline.contains(expected), "{expected} missing from the timeline: {timeline}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejection_needs_a_reason_and_ends_the_request() {
    let org = org().await;
    let app = &org.app;
    let plan = FulfilmentPlan { tasks: vec![task("Prepare the laptop", org.workplace)], in_sequence: false };
    app.plan("laptop", &[ApprovalStep::Manager], &plan).await;
    let number = order(app, "maya@example.com").await;
    let (bea, waiting) = pending(app, "bea@example.com").await;
    let id = waiting[0]["approval_id"].to_string();
    let (status, json) =
        app.call(&bea, "decide_approval", &[("id", &id), ("decision", "rejected"), ("comment", " ")]).await;
    assert_eq!(status, 422);
    assert!(json["detail"]["comment"].is_string(), "{json}");
    assert_eq!(record(app, &number).await["record"]["state"], "awaiting_approval", "nothing changed");
    let (status, _) = app
        .call(
            &bea,
            "decide_approval",
            &[("id", &id), ("decision", "rejected"), ("comment", "Over budget this quarter")],
        )
        .await;
    assert_eq!(status, 200);
    let page = record(app, &number).await;
    assert_eq!(page["record"]["state"], "rejected");
    assert_eq!(page["tasks"], serde_json::json!([]));
    assert!(page["timeline"].to_string().contains("Rejected: Over budget this quarter"));
    assert!(pending(app, "bea@example.com").await.1.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn steps_run_in_order_and_a_group_can_need_everyone() {
    let org = org().await;
    let app = &org.app;
    let steps = [ApprovalStep::Manager, ApprovalStep::Group { group: org.access, all: true }];
    let plan = FulfilmentPlan {
        tasks: vec![task("Order it", org.workplace), task("Hand it over", org.workplace)],
        in_sequence: true,
    };
    app.plan("laptop", &steps, &plan).await;
    let number = order(app, "maya@example.com").await;
    assert!(pending(app, "ida@example.com").await.1.is_empty(), "the group is asked only after the manager");
    let (bea, waiting) = pending(app, "bea@example.com").await;
    app.call(
        &bea,
        "decide_approval",
        &[("id", &waiting[0]["approval_id"].to_string()), ("decision", "approved")],
    )
    .await;

    let (ida, waiting) = pending(app, "ida@example.com").await;
    app.call(
        &ida,
        "decide_approval",
        &[("id", &waiting[0]["approval_id"].to_string()), ("decision", "approved")],
    )
    .await;
    assert_eq!(record(app, &number).await["record"]["state"], "awaiting_approval", "Ian has to approve too");
    let (ian, waiting) = pending(app, "ian@example.com").await;
    app.call(
        &ian,
        "decide_approval",
        &[("id", &waiting[0]["approval_id"].to_string()), ("decision", "approved")],
    )
    .await;

    // Tasks in sequence: the second appears when the first closes.
    let page = record(app, &number).await;
    assert_eq!(page["record"]["state"], "in_progress");
    assert_eq!(page["tasks"].as_array().unwrap().len(), 1);
    let sam = app.signed_in("sam@example.com").await;
    let first = page["tasks"][0]["number"].as_str().unwrap().to_owned();
    app.call(&sam, "close_task", &[("number", &first)]).await;
    let page = record(app, &number).await;
    assert_eq!(page["tasks"].as_array().unwrap().len(), 2);
    assert_eq!(page["tasks"][1]["title"], "Hand it over");
    assert_eq!(page["record"]["state"], "in_progress");
    let second = page["tasks"][1]["number"].as_str().unwrap().to_owned();
    app.call(&sam, "close_task", &[("number", &second)]).await;
    assert_eq!(record(app, &number).await["record"]["state"], "fulfilled");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_tasks_start_together() {
    let org = org().await;
    let app = &org.app;
    let plan = FulfilmentPlan {
        tasks: vec![
            task("Accounts", org.access),
            task("Equipment", org.workplace),
            task("Induction", org.workplace),
        ],
        in_sequence: false,
    };
    app.plan("laptop", &[], &plan).await;
    let number = order(app, "maya@example.com").await;
    let page = record(app, &number).await;
    assert_eq!(page["record"]["state"], "in_progress", "no approval: fulfilment starts at once");
    let groups: Vec<&str> =
        page["tasks"].as_array().unwrap().iter().map(|t| t["group_name"].as_str().unwrap()).collect();
    assert_eq!(groups, ["Access & Identity", "Workplace", "Workplace"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_step_nobody_can_approve_says_so_instead_of_hanging() {
    let org = org().await;
    let app = &org.app;
    let plan = FulfilmentPlan { tasks: vec![task("Prepare", org.workplace)], in_sequence: false };
    app.plan("laptop", &[ApprovalStep::Manager], &plan).await;
    let number = order(app, "nomanager@example.com").await;
    let page = record(app, &number).await;
    assert_eq!(page["record"]["state"], "awaiting_approval");
    let timeline = page["timeline"].to_string();
    assert!(timeline.contains("has no active manager"), "agents and admins are told what to fix: {timeline}");
    let nora = app.signed_in("nomanager@example.com").await;
    let (_, own) = app.call(&nora, "get_record", &[("number", &number)]).await;
    assert_eq!(own["may_ask_again"], false, "asking again is the desk's");
    let own = own["timeline"].to_string();
    assert!(own.contains("Waiting for an approver") && !own.contains("has no active manager"), "{own}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_hear_of_a_stuck_approval_and_the_desk_asks_again_once_it_is_fixed() {
    let org = org().await;
    let app = &org.app;
    app.user("alex@example.com", "Alex Admin", &[Role::Admin]).await;
    let plan = FulfilmentPlan { tasks: vec![task("Prepare", org.workplace)], in_sequence: false };
    app.plan("laptop", &[ApprovalStep::Manager], &plan).await;
    let number = order(app, "nomanager@example.com").await;

    let alex = app.signed_in("alex@example.com").await;
    let (_, inbox) = app.call(&alex, "my_notifications", &[]).await;
    assert!(
        inbox.to_string().contains(&format!("{number} · New laptop: has nobody to approve it")),
        "{inbox}"
    );

    assert_eq!(record(app, &number).await["may_ask_again"], true);
    let nora = app.signed_in("nomanager@example.com").await;
    let (status, _) = app.call(&nora, "ask_approval_again", &[("number", &number)]).await;
    assert_eq!(status, 403, "the requester can read it but not chase it");
    let sam = app.signed_in("sam@example.com").await;
    let (status, json) = app.call(&sam, "ask_approval_again", &[("number", &number)]).await;
    assert_eq!(status, 409);
    assert!(json.to_string().contains("Still nobody can approve step 1"), "{json}");
    assert!(pending(app, "bea@example.com").await.1.is_empty(), "nothing was asked");

    let nora_id = app.store.find_user_id_by_email("nomanager@example.com").await.unwrap().unwrap();
    let fields = [
        ("id", nora_id.to_string()),
        ("name", "Nora Nomanager".into()),
        ("email", "nomanager@example.com".into()),
        ("manager_email", "bea@example.com".into()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(app.call(&alex, "admin_save_user", &fields).await.0, 200);
    assert_eq!(app.call(&sam, "ask_approval_again", &[("number", &number)]).await.0, 200);
    let (bea, asked) = pending(app, "bea@example.com").await;
    assert_eq!(asked.len(), 1, "the manager is asked now");
    let page = record(app, &number).await;
    assert_eq!(page["may_ask_again"], false);
    assert!(page["timeline"].to_string().contains("Asked for approval of step 1 again."));
    let (status, json) = app.call(&sam, "ask_approval_again", &[("number", &number)]).await;
    assert_eq!(status, 409, "asking twice is refused: {json}");

    let id = asked[0]["approval_id"].to_string();
    app.call(&bea, "decide_approval", &[("id", &id), ("decision", "approved")]).await;
    assert_eq!(record(app, &number).await["record"]["state"], "in_progress", "and it goes on from there");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_requester_cancels_before_fulfilment_and_everything_open_stops() {
    let org = org().await;
    let app = &org.app;
    let plan = FulfilmentPlan { tasks: vec![task("Prepare", org.workplace)], in_sequence: false };
    app.plan("laptop", &[ApprovalStep::Manager], &plan).await;
    let waiting = order(app, "maya@example.com").await;
    app.plan("laptop", &[], &plan).await;
    let working = order(app, "maya@example.com").await;

    let maya = app.signed_in("maya@example.com").await;
    let (_, page) = app.call(&maya, "get_record", &[("number", &waiting)]).await;
    assert_eq!(page["may_cancel"], true);
    let ida = app.signed_in("ida@example.com").await;
    assert_eq!(app.call(&ida, "cancel_request", &[("number", &waiting)]).await.0, 404, "not hers");
    for number in [&waiting, &working] {
        assert_eq!(app.call(&maya, "cancel_request", &[("number", number)]).await.0, 200);
        assert_eq!(record(app, number).await["record"]["state"], "cancelled");
    }
    assert!(pending(app, "bea@example.com").await.1.is_empty(), "the approval is no longer asked");
    let page = record(app, &working).await;
    assert_eq!(page["tasks"][0]["state"], "cancelled");
    let (status, json) = app.call(&maya, "cancel_request", &[("number", &working)]).await;
    assert_eq!(status, 409);
    assert!(json.to_string().contains("can no longer be cancelled"), "{json}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn my_requests_filters_by_state_and_words_and_leaves_tasks_on_their_request() {
    let org = org().await;
    let app = &org.app;
    let plan = FulfilmentPlan { tasks: vec![task("Prepare", org.workplace)], in_sequence: false };
    app.plan("laptop", &[ApprovalStep::Manager], &plan).await;
    let waiting = order(app, "maya@example.com").await;
    app.plan("laptop", &[], &plan).await;
    let working = order(app, "maya@example.com").await;
    let maya_id = app.store.find_user_id_by_email("maya@example.com").await.unwrap().unwrap();
    let printer =
        app.record(app::domain::record::RecordKind::Incident, maya_id, "Printer jams on floor 2").await;
    let maya = app.signed_in("maya@example.com").await;
    app.call(&maya, "cancel_request", &[("number", &working)]).await;

    let numbers = |json: serde_json::Value| -> Vec<String> {
        json.as_array().unwrap().iter().map(|r| r["number"].as_str().unwrap().to_owned()).collect()
    };
    let list = |state: &'static str, q: String| {
        let maya = maya.clone();
        async move { numbers(app.call(&maya, "list_my_records", &[("state", state), ("q", &q)]).await.1) }
    };
    assert_eq!(
        list("all", String::new()).await,
        [printer.clone(), working.clone(), waiting.clone()],
        "newest first, no tasks"
    );
    assert_eq!(list("awaiting_approval", String::new()).await, vec![waiting.clone()]);
    assert_eq!(list("ended", String::new()).await, vec![working.clone()]);
    assert_eq!(list("open", String::new()).await, vec![printer.clone(), waiting.clone()]);
    assert_eq!(list("all", "printer".into()).await, vec![printer.clone()]);
    assert_eq!(list("all", waiting.to_lowercase()).await, vec![waiting.clone()], "numbers are searched too");
    assert_eq!(list("nonsense", String::new()).await.len(), 3, "an unknown state shows everything");
    assert!(list("all", "%".into()).await.is_empty(), "a % is a character, not a wildcard");
    let (_, html) = app.page(&maya, "/requests?state=ended").await;
    assert!(html.contains(&working) && !html.contains(&printer), "{html}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_are_notified_of_approvals_decisions_replies_and_fulfilment() {
    let org = org().await;
    let app = &org.app;
    let plan = FulfilmentPlan { tasks: vec![task("Prepare", org.workplace)], in_sequence: false };
    app.plan("laptop", &[ApprovalStep::Manager], &plan).await;
    let number = order(app, "maya@example.com").await;
    let inbox = |email: &'static str| async move {
        let client = app.signed_in(email).await;
        let (status, inbox) = app.call(&client, "my_notifications", &[]).await;
        assert_eq!(status, 200);
        (client, inbox)
    };

    let (bea, inbox_bea) = inbox("bea@example.com").await;
    assert_eq!(inbox_bea["unread"], 1);
    assert_eq!(inbox_bea["items"][0]["text"], format!("{number} · New laptop: needs your approval"));
    assert_eq!(app.call(&bea, "unread_notifications", &[]).await.1, 1);
    let (_, html) = app.page(&bea, "/").await;
    assert!(html.contains("bell__count"), "the bell shows the count");
    let id = pending(app, "bea@example.com").await.1[0]["approval_id"].to_string();
    app.call(&bea, "decide_approval", &[("id", &id), ("decision", "approved")]).await;
    app.call(&bea, "mark_notifications_read", &[]).await;
    assert_eq!(app.call(&bea, "unread_notifications", &[]).await.1, 0);

    let sam = app.signed_in("sam@example.com").await;
    app.call(&sam, "add_comment", &[("number", &number), ("body", "On its way"), ("visibility", "public")])
        .await;
    app.call(&sam, "add_comment", &[("number", &number), ("body", "Secret"), ("visibility", "internal")])
        .await;
    let task_number = record(app, &number).await["tasks"][0]["number"].as_str().unwrap().to_owned();
    app.call(&sam, "close_task", &[("number", &task_number)]).await;

    let (_, inbox_maya) = inbox("maya@example.com").await;
    let texts: Vec<&str> =
        inbox_maya["items"].as_array().unwrap().iter().map(|n| n["text"].as_str().unwrap()).collect();
    let what: Vec<&str> = texts.iter().map(|t| t.split(": ").nth(1).unwrap_or_default()).collect();
    assert_eq!(
        what,
        ["fulfilled", "Sam Agent replied", "approved by Bea Boss"],
        "newest first, no work note: {texts:?}"
    );
    assert_eq!(inbox_maya["unread"], 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fulfilled_request_can_be_reopened_until_it_closes_by_itself() {
    use app::ssr::service::approvals::close_fulfilled;
    let org = org().await;
    let app = &org.app;
    let plan = FulfilmentPlan { tasks: vec![task("Prepare", org.workplace)], in_sequence: false };
    app.plan("laptop", &[], &plan).await;
    let sam = app.signed_in("sam@example.com").await;
    let fulfil = |number: String| {
        let sam = sam.clone();
        async move {
            let task = record(app, &number).await["tasks"][0]["number"].as_str().unwrap().to_owned();
            assert_eq!(app.call(&sam, "close_task", &[("number", &task)]).await.0, 200);
        }
    };
    let first = order(app, "maya@example.com").await;
    let second = order(app, "maya@example.com").await;
    fulfil(first.clone()).await;
    fulfil(second.clone()).await;

    let maya = app.signed_in("maya@example.com").await;
    let (_, page) = app.call(&maya, "get_record", &[("number", &first)]).await;
    assert_eq!(page["may_reopen"], true);
    let (status, json) = app.call(&maya, "reopen_request", &[("number", &first), ("reason", " ")]).await;
    assert_eq!(status, 422);
    assert!(json["detail"]["reason"].is_string());
    let (status, _) =
        app.call(&maya, "reopen_request", &[("number", &first), ("reason", "The charger is missing")]).await;
    assert_eq!(status, 200);
    let page = record(app, &first).await;
    assert_eq!(page["record"]["state"], "in_progress");
    assert!(page["timeline"].to_string().contains("Reopened: The charger is missing"));

    // Not yet due: nothing closes. A week later the fulfilled one closes by itself.
    let week = chrono::Duration::days(7);
    assert_eq!(close_fulfilled(&app.store, week, chrono::Utc::now()).await.unwrap(), 0);
    let later = chrono::Utc::now() + chrono::Duration::days(8);
    assert_eq!(close_fulfilled(&app.store, week, later).await.unwrap(), 1);
    let page = record(app, &second).await;
    assert_eq!(page["record"]["state"], "closed");
    assert!(page["timeline"].to_string().contains("Closed automatically 7 days after it was fulfilled."));
    assert_eq!(record(app, &first).await["record"]["state"], "in_progress", "the reopened one stays open");
    let (status, _) =
        app.call(&maya, "reopen_request", &[("number", &second), ("reason", "Too late?")]).await;
    assert_eq!(status, 409);
}
