//! The authorization matrix: every server function and every page, for each role, against
//! a record of the caller's own and someone else's, with the outcome the policy promises.
//! The rows are the one table; a server function or route missing from it fails the test.

use std::collections::BTreeSet;

use app::domain::record::RecordKind;
use app::domain::user::Role;

use crate::helpers::{TestApp, spawn_app};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    /// Past the policy: a page (200) or a call answered with anything but a refusal.
    Allow,
    /// 401 for a server function, a redirect to sign-in for a page.
    SignIn,
    Forbidden,
    /// Refused exactly like something that does not exist.
    NotFound,
}
use Outcome::*;

/// Outcomes for [requester own, requester foreign, agent own, agent foreign, admin own, admin foreign].
type Cells = [Outcome; 6];
const EVERYONE: Cells = [Allow; 6];
const AGENTS: Cells = [Forbidden, Forbidden, Allow, Allow, Allow, Allow];
const ADMINS: Cells = [Forbidden, Forbidden, Forbidden, Forbidden, Allow, Allow];
const INVOLVED: Cells = [Allow, NotFound, Allow, Allow, Allow, Allow];
const AGENTS_ON_RECORD: Cells = [Forbidden, NotFound, Allow, Allow, Allow, Allow];
/// Someone else's device: hidden from requesters, read by agents.
const AGENTS_ON_CI: Cells = [NotFound, NotFound, Allow, Allow, Allow, Allow];

struct Row {
    /// The route or server function path as the router registers it.
    registered: &'static str,
    /// The request: "GET <url>" for a page, "POST <url> <form>" for a server function.
    /// `{record}`, `{user}` and `{group}` are filled in per column.
    request: &'static str,
    anonymous: Outcome,
    cells: Cells,
}

const fn row(registered: &'static str, request: &'static str, anonymous: Outcome, cells: Cells) -> Row {
    Row { registered, request, anonymous, cells }
}

const MATRIX: &[Row] = &[
    // Pages.
    row("/login", "GET /login", Allow, EVERYONE),
    row("/", "GET /", SignIn, EVERYONE),
    row("/catalog/{slug}", "GET /catalog/laptop", SignIn, EVERYONE),
    row("/requests", "GET /requests", SignIn, EVERYONE),
    row("/report", "GET /report", SignIn, EVERYONE),
    row("/records/{number}", "GET /records/{record}", SignIn, INVOLVED),
    row("/queue", "GET /queue", SignIn, AGENTS),
    row("/approvals", "GET /approvals", SignIn, EVERYONE),
    row("/tasks", "GET /tasks", SignIn, AGENTS),
    row("/notifications", "GET /notifications", SignIn, EVERYONE),
    row("/profile", "GET /profile", SignIn, EVERYONE),
    row("/devices", "GET /devices", SignIn, EVERYONE),
    row("/services", "GET /services", SignIn, EVERYONE),
    row("/cmdb", "GET /cmdb", SignIn, AGENTS),
    row("/cmdb/new", "GET /cmdb/new?class=laptop", SignIn, ADMINS),
    row("/cmdb/import", "GET /cmdb/import", SignIn, ADMINS),
    row("/cmdb/{id}", "GET /cmdb/{ci}", SignIn, AGENTS_ON_CI),
    row("/cmdb/{id}/edit", "GET /cmdb/{ci}/edit", SignIn, ADMINS),
    row("/admin/users", "GET /admin/users", SignIn, ADMINS),
    row("/admin/users/{id}", "GET /admin/users/{user}", SignIn, ADMINS),
    row("/admin/users/{id}", "GET /admin/users/new", SignIn, ADMINS),
    row("/admin/groups", "GET /admin/groups", SignIn, ADMINS),
    row("/admin/groups/{id}", "GET /admin/groups/{group}", SignIn, ADMINS),
    row("/admin/catalog", "GET /admin/catalog", SignIn, ADMINS),
    row("/admin/catalog/{id}", "GET /admin/catalog/{item}", SignIn, ADMINS),
    row("/admin/catalog/{id}/form", "GET /admin/catalog/{item}/form", SignIn, ADMINS),
    row("/admin/classes", "GET /admin/classes", SignIn, ADMINS),
    row("/admin/classes/{id}", "GET /admin/classes/1", SignIn, ADMINS),
    row("/admin/desk", "GET /admin/desk", SignIn, ADMINS),
    row("/queue/breaching", "GET /queue/breaching?groups=all", SignIn, AGENTS),
    row("/reports/service-levels", "GET /reports/service-levels", SignIn, AGENTS),
    row("/reports/service-levels.csv", "GET /reports/service-levels.csv", SignIn, AGENTS),
    row("/cmdb/export.csv", "GET /cmdb/export.csv?class=laptop", SignIn, AGENTS),
    row("/admin/service-levels", "GET /admin/service-levels", SignIn, ADMINS),
    row("/admin/service-levels/calendars/{id}", "GET /admin/service-levels/calendars/1", SignIn, ADMINS),
    row("/admin/service-levels/calendars/{id}", "GET /admin/service-levels/calendars/new", SignIn, ADMINS),
    row("/admin/service-levels/policies/{id}", "GET /admin/service-levels/policies/new", SignIn, ADMINS),
    row("/api/load_breaching", "POST /api/load_breaching", SignIn, AGENTS),
    row("/api/load_attainment", "POST /api/load_attainment from=2026-11-01", SignIn, AGENTS),
    row("/api/admin_service_levels", "POST /api/admin_service_levels", SignIn, ADMINS),
    row("/api/admin_calendar_editor", "POST /api/admin_calendar_editor id=1", SignIn, ADMINS),
    row("/api/admin_save_calendar", "POST /api/admin_save_calendar name=&time_zone=", SignIn, ADMINS),
    row("/api/admin_policy_editor", "POST /api/admin_policy_editor", SignIn, ADMINS),
    row(
        "/api/admin_save_policy",
        "POST /api/admin_save_policy name=&calendar=1&response=&resolution=&warn_percent=75",
        SignIn,
        ADMINS,
    ),
    row(
        "/api/admin_move_policy",
        "POST /api/admin_move_policy id=999999&direction=up",
        SignIn,
        [Forbidden, Forbidden, Forbidden, Forbidden, NotFound, NotFound],
    ),
    row(
        "/api/admin_simulate_policy",
        "POST /api/admin_simulate_policy policy=999999&clock=resolution&start=",
        SignIn,
        [Forbidden, Forbidden, Forbidden, Forbidden, NotFound, NotFound],
    ),
    // Server functions.
    row("/api/load_desk_settings", "POST /api/load_desk_settings", SignIn, ADMINS),
    row(
        "/api/admin_save_matrix",
        "POST /api/admin_save_matrix cells[]=1",
        SignIn,
        [Forbidden, Forbidden, Forbidden, Forbidden, Allow, Allow],
    ),
    row(
        "/api/admin_save_time_zone",
        "POST /api/admin_save_time_zone time_zone=UTC",
        SignIn,
        [Forbidden, Forbidden, Forbidden, Forbidden, Allow, Allow],
    ),
    row(
        "/api/admin_save_canned",
        "POST /api/admin_save_canned title=&body=",
        SignIn,
        [Forbidden, Forbidden, Forbidden, Forbidden, Allow, Allow],
    ),
    row(
        "/api/admin_delete_canned",
        "POST /api/admin_delete_canned id=999999",
        SignIn,
        [Forbidden, Forbidden, Forbidden, Forbidden, NotFound, NotFound],
    ),
    row("/api/who_am_i", "POST /api/who_am_i", Allow, EVERYONE),
    row("/api/login", "POST /api/login email=nobody@example.com&password=wrong", Allow, EVERYONE),
    row("/api/list_catalog", "POST /api/list_catalog", SignIn, EVERYONE),
    row("/api/get_order_form", "POST /api/get_order_form slug=laptop", SignIn, EVERYONE),
    row(
        "/api/order_item",
        "POST /api/order_item slug=laptop&form_version=1&submission={record}-{user}",
        SignIn,
        EVERYONE,
    ),
    row("/api/list_my_records", "POST /api/list_my_records", SignIn, EVERYONE),
    row("/api/load_queue", "POST /api/load_queue", SignIn, AGENTS),
    row("/api/bulk_update", "POST /api/bulk_update numbers[]={record}&change=assign_to_me", SignIn, AGENTS),
    row("/api/save_view", "POST /api/save_view name=Mine&query=view%3Dmine", SignIn, AGENTS),
    row(
        "/api/delete_view",
        "POST /api/delete_view id=999",
        SignIn,
        [Forbidden, Forbidden, NotFound, NotFound, NotFound, NotFound],
    ),
    row("/api/get_record", "POST /api/get_record number={record}", SignIn, INVOLVED),
    row(
        "/api/add_comment",
        "POST /api/add_comment number={record}&body=Hello&visibility=public",
        SignIn,
        INVOLVED,
    ),
    row(
        "/api/add_comment",
        "POST /api/add_comment number={record}&body=Note&visibility=internal",
        SignIn,
        AGENTS_ON_RECORD,
    ),
    row("/api/list_my_approvals", "POST /api/list_my_approvals", SignIn, EVERYONE),
    // Nobody was asked to approve anything here: every approval is someone else's.
    row("/api/decide_approval", "POST /api/decide_approval id=1&decision=approved", SignIn, [NotFound; 6]),
    row("/api/list_group_tasks", "POST /api/list_group_tasks", SignIn, AGENTS),
    row("/api/close_task", "POST /api/close_task number={record}", SignIn, AGENTS_ON_RECORD),
    row("/api/cancel_request", "POST /api/cancel_request number={record}", SignIn, INVOLVED),
    row("/api/report_choices", "POST /api/report_choices", SignIn, EVERYONE),
    row(
        "/api/report_incident",
        "POST /api/report_incident title=Broken&reach=just_me&blocking=blocked",
        SignIn,
        EVERYONE,
    ),
    row(
        "/api/update_record",
        "POST /api/update_record number={record}&version=1&impact=2&urgency=2",
        SignIn,
        AGENTS_ON_RECORD,
    ),
    row(
        "/api/link_record",
        "POST /api/link_record number={record}&role=relates_to&other=INC9999999",
        SignIn,
        [Forbidden, NotFound, Allow, Allow, Allow, Allow],
    ),
    row(
        "/api/unlink_record",
        "POST /api/unlink_record number={record}&role=relates_to&other={record}",
        SignIn,
        [Forbidden, NotFound, NotFound, NotFound, NotFound, NotFound],
    ),
    row(
        "/api/add_watcher",
        "POST /api/add_watcher number={record}&email=nobody%40example.com",
        SignIn,
        [Forbidden, NotFound, Allow, Allow, Allow, Allow],
    ),
    row(
        "/api/remove_watcher",
        "POST /api/remove_watcher number={record}&user=999999",
        SignIn,
        [Forbidden, NotFound, NotFound, NotFound, NotFound, NotFound],
    ),
    row("/api/assign_to_me", "POST /api/assign_to_me number={record}&version=1", SignIn, AGENTS_ON_RECORD),
    row(
        "/api/move_record",
        "POST /api/move_record number={record}&state=in_progress&version=1",
        SignIn,
        AGENTS_ON_RECORD,
    ),
    row("/api/ask_approval_again", "POST /api/ask_approval_again number={record}", SignIn, AGENTS_ON_RECORD),
    row(
        "/api/reopen_request",
        "POST /api/reopen_request number={record}&reason=Still+broken",
        SignIn,
        INVOLVED,
    ),
    row("/api/unread_notifications", "POST /api/unread_notifications", SignIn, EVERYONE),
    row("/api/my_notifications", "POST /api/my_notifications", SignIn, EVERYONE),
    row("/api/mark_notifications_read", "POST /api/mark_notifications_read", SignIn, EVERYONE),
    row("/api/my_profile", "POST /api/my_profile", SignIn, EVERYONE),
    row(
        "/api/update_profile",
        "POST /api/update_profile name=Same+Name&time_zone=Europe/London",
        SignIn,
        EVERYONE,
    ),
    row(
        "/api/change_password",
        "POST /api/change_password current_password=wrong&new_password=x&confirm_password=x",
        SignIn,
        EVERYONE,
    ),
    row("/api/admin_list_users", "POST /api/admin_list_users", SignIn, ADMINS),
    row("/api/admin_user_editor", "POST /api/admin_user_editor id={user}", SignIn, ADMINS),
    row(
        "/api/admin_save_user",
        "POST /api/admin_save_user id={user}&name=Tara+Target&email=tara@example.com",
        SignIn,
        ADMINS,
    ),
    row(
        "/api/admin_set_user_active",
        "POST /api/admin_set_user_active id={user}&active=true",
        SignIn,
        ADMINS,
    ),
    row("/api/admin_list_groups", "POST /api/admin_list_groups", SignIn, ADMINS),
    row("/api/admin_get_group", "POST /api/admin_get_group id={group}", SignIn, ADMINS),
    row("/api/admin_save_group", "POST /api/admin_save_group id={group}&name=Matrix+group", SignIn, ADMINS),
    row(
        "/api/admin_add_group_member",
        "POST /api/admin_add_group_member id={group}&email=tara@example.com",
        SignIn,
        ADMINS,
    ),
    row(
        "/api/admin_remove_group_member",
        "POST /api/admin_remove_group_member id={group}&user={user}",
        SignIn,
        ADMINS,
    ),
    row("/api/admin_catalog", "POST /api/admin_catalog", SignIn, ADMINS),
    row("/api/admin_item_editor", "POST /api/admin_item_editor id={item}", SignIn, ADMINS),
    row(
        "/api/admin_save_item",
        "POST /api/admin_save_item id={item}&category={category}&name=Laptop&slug=laptop",
        SignIn,
        ADMINS,
    ),
    row("/api/admin_publish_item", "POST /api/admin_publish_item id={item}&published=true", SignIn, ADMINS),
    row("/api/admin_move_item", "POST /api/admin_move_item id={item}&direction=up", SignIn, ADMINS),
    row(
        "/api/admin_save_category",
        "POST /api/admin_save_category id={category}&name=Matrix+category",
        SignIn,
        ADMINS,
    ),
    row(
        "/api/admin_move_category",
        "POST /api/admin_move_category id={category}&direction=up",
        SignIn,
        ADMINS,
    ),
    row("/api/admin_set_audience", "POST /api/admin_set_audience id={item}", SignIn, ADMINS),
    row("/api/admin_get_form", "POST /api/admin_get_form id={item}", SignIn, ADMINS),
    row(
        "/api/admin_save_form",
        "POST /api/admin_save_form id={item}&schema=%7B%22fields%22%3A%5B%5D%7D",
        SignIn,
        ADMINS,
    ),
    row(
        "/api/admin_save_plan",
        "POST /api/admin_save_plan id={item}&approval=%5B%5D&fulfilment=%7B%22tasks%22%3A%5B%5D%2C%22in_sequence%22%3Afalse%7D",
        SignIn,
        ADMINS,
    ),
    row("/api/search_cis", "POST /api/search_cis q=LT", SignIn, AGENTS),
    row("/api/list_ci_classes", "POST /api/list_ci_classes", SignIn, AGENTS),
    row("/api/my_devices", "POST /api/my_devices", SignIn, EVERYONE),
    row("/api/service_status", "POST /api/service_status", SignIn, EVERYONE),
    row("/api/get_ci", "POST /api/get_ci id={ci}", SignIn, AGENTS_ON_CI),
    row("/api/ci_editor", "POST /api/ci_editor id={ci}", SignIn, ADMINS),
    row(
        "/api/save_ci",
        "POST /api/save_ci id={ci}&version=999&name=LT-99999&status=in_operation&criticality=low",
        SignIn,
        ADMINS,
    ),
    row("/api/admin_ci_classes", "POST /api/admin_ci_classes", SignIn, ADMINS),
    row("/api/import_cmdb", "POST /api/import_cmdb kind=cis&csv=class", SignIn, ADMINS),
    row("/api/save_ci_class", "POST /api/save_ci_class id=1&name=&attributes=x", SignIn, ADMINS),
    row("/api/relate_ci", "POST /api/relate_ci id={ci}&kind=depends_on&other=Nothing", SignIn, ADMINS),
    row(
        "/api/unrelate_ci",
        "POST /api/unrelate_ci from={ci}&kind=depends_on&to={ci}",
        SignIn,
        [Forbidden, Forbidden, Forbidden, Forbidden, NotFound, NotFound],
    ),
    row(
        "/api/link_record_ci",
        "POST /api/link_record_ci number={record}&ci=Nothing",
        SignIn,
        [Forbidden, NotFound, Allow, Allow, Allow, Allow],
    ),
    row(
        "/api/unlink_record_ci",
        "POST /api/unlink_record_ci number={record}&ci={ci}",
        SignIn,
        [Forbidden, NotFound, NotFound, NotFound, NotFound, NotFound],
    ),
    // Last: it ends the session the other rows use.
    row("/api/logout", "POST /api/logout", Allow, EVERYONE),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_server_function_and_route_has_a_row() {
    let listed: BTreeSet<&str> = MATRIX.iter().map(|r| r.registered).collect();
    let server_fns: BTreeSet<String> =
        leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path.to_owned()).collect();
    let mut routes: BTreeSet<String> =
        server::startup::route_list().iter().map(|r| r.path().to_owned()).collect();
    // Plain axum routes this matrix covers as well; files have their own tests.
    routes.insert("/reports/service-levels.csv".to_owned());
    routes.insert("/cmdb/export.csv".to_owned());
    assert!(!server_fns.is_empty() && !routes.is_empty());
    let missing: Vec<&String> =
        server_fns.iter().chain(&routes).filter(|p| !listed.contains(p.as_str())).collect();
    assert!(missing.is_empty(), "add these to the authorization matrix: {missing:?}");
    let stale: Vec<&&str> =
        listed.iter().filter(|p| !server_fns.contains(**p) && !routes.contains(**p)).collect();
    assert!(stale.is_empty(), "these rows name nothing the router serves: {stale:?}");
}

struct Fixture {
    app: TestApp,
    user: String,
    group: String,
    item: String,
    category: String,
    ci: String,
}

impl Fixture {
    async fn fill(&self, template: &str, record: &str) -> String {
        template
            .replace("{record}", record)
            .replace("{user}", &self.user)
            .replace("{group}", &self.group)
            .replace("{item}", &self.item)
            .replace("{category}", &self.category)
            .replace("{ci}", &self.ci)
    }

    /// What the portal answered `client` for the row's request, as an outcome.
    async fn outcome(&self, client: &reqwest::Client, request: &str) -> (Outcome, u16) {
        let (method, rest) = request.split_once(' ').unwrap();
        let (path, form) = rest.split_once(' ').unwrap_or((rest, ""));
        let response = if method == "GET" {
            client.get(self.app.url(path)).header("accept", "text/html").send().await.unwrap()
        } else {
            client
                .post(self.app.url(path))
                .header("content-type", "application/x-www-form-urlencoded")
                .header("accept", "application/json")
                .body(form.to_owned())
                .send()
                .await
                .unwrap()
        };
        let status = response.status().as_u16();
        let to_sign_in = response
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .is_some_and(|l| l.starts_with("/login"));
        let outcome = match status {
            401 => SignIn,
            _ if method == "GET" && (300..400).contains(&status) && to_sign_in => SignIn,
            403 => Forbidden,
            404 => NotFound,
            500.. => panic!("{request} answered {status}"),
            _ => Allow,
        };
        (outcome, status)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_role_gets_exactly_what_the_policy_allows() {
    let app = spawn_app().await;
    let maya = app.user("maya@example.com", "Maya Requester", &[]).await;
    let sam = app.user("sam@example.com", "Sam Agent", &[Role::Agent]).await;
    let alex = app.user("alex@example.com", "Alex Admin", &[Role::Admin]).await;
    let zed = app.user("zed@example.com", "Zed Stranger", &[]).await;
    let tara = app.user("tara@example.com", "Tara Target", &[]).await;
    let foreign = app.record(RecordKind::Incident, zed, "Zed's own trouble").await;
    let own = [
        app.record(RecordKind::Incident, maya, "Maya's laptop").await,
        app.record(RecordKind::Incident, sam, "Sam's headset").await,
        app.record(RecordKind::Request, alex, "Alex's monitor").await,
    ];
    let group = app.group("Matrix group").await;
    app.catalog_item("laptop", "Laptop").await;
    let found = app.store.find_catalog_item("laptop").await.unwrap().unwrap();
    let (item, category) = (found.item.id.to_string(), found.item.category_id.to_string());
    let ci = crate::cmdb::laptop(&app, "LT-00001", Some(tara)).await.to_string();
    let fixture = Fixture { user: tara.to_string(), group: group.to_string(), item, category, ci, app };
    let app = &fixture.app;

    let mut failures = Vec::new();
    let anonymous = app.client();
    for row in MATRIX {
        let request = fixture.fill(row.request, &foreign).await;
        let (got, status) = fixture.outcome(&anonymous, &request).await;
        if got != row.anonymous {
            failures
                .push(format!("anonymous {request}: expected {:?}, got {got:?} ({status})", row.anonymous));
        }
    }
    for (index, email) in ["maya@example.com", "sam@example.com", "alex@example.com"].into_iter().enumerate()
    {
        let client = app.signed_in(email).await;
        for row in MATRIX {
            for (column, record) in [&own[index], &foreign].into_iter().enumerate() {
                let expected = row.cells[index * 2 + column];
                let request = fixture.fill(row.request, record).await;
                let (got, status) = fixture.outcome(&client, &request).await;
                if got != expected {
                    failures
                        .push(format!("{email} {request}: expected {expected:?}, got {got:?} ({status})"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} cells differ:\n{}", failures.len(), failures.join("\n"));
}
