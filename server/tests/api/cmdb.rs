//! The CMDB over HTTP: who reads and edits which CIs, the CI form's checks, relations and
//! their rules, impact through them, and CIs named on records and incident reports.

use app::domain::cmdb::{CiFields, CiStatus, Criticality, Edge, RelationKind};
use app::domain::form::{Answer, Answers};
use app::domain::ids::{CiId, UserId};
use app::domain::record::RecordKind;
use app::domain::user::Role;
use app::ssr::store::Store;

use crate::helpers::{TestApp, spawn_app};

/// A CI of class `class` named `name`, straight into the store, with `attributes`.
pub async fn ci(
    app: &TestApp,
    class: &str,
    name: &str,
    owner: Option<UserId>,
    attributes: &[(&str, &str)],
) -> CiId {
    let classes = app.store.ci_classes().await.unwrap();
    let class = classes.iter().find(|c| c.code == class).unwrap().id;
    let attributes: Answers =
        attributes.iter().map(|(k, v)| ((*k).to_owned(), Answer::Text((*v).to_owned()))).collect();
    let fields = CiFields {
        name: name.to_owned(),
        status: CiStatus::InOperation,
        criticality: Criticality::Medium,
        location: String::new(),
        owner,
        support_group: None,
        attributes,
    };
    let mut tx = app.store.begin().await.unwrap();
    let id = Store::insert_ci(&mut tx, class, &fields, chrono::Utc::now()).await.unwrap();
    tx.commit().await.unwrap();
    id
}

pub async fn laptop(app: &TestApp, name: &str, owner: Option<UserId>) -> CiId {
    ci(app, "laptop", name, owner, &[]).await
}

async fn relate(app: &TestApp, from: CiId, kind: RelationKind, to: CiId) {
    let mut tx = app.store.begin().await.unwrap();
    Store::insert_ci_relation(&mut tx, Edge { from, to, kind }, None, chrono::Utc::now()).await.unwrap();
    tx.commit().await.unwrap();
}

struct Desk {
    app: TestApp,
    maya: UserId,
}

async fn desk() -> Desk {
    let app = spawn_app().await;
    let maya = app.user("maya@example.com", "Maya Requester", &[]).await;
    app.user("ida@example.com", "Ida Other", &[]).await;
    app.user("sam@example.com", "Sam Agent", &[Role::Agent]).await;
    app.user("alex@example.com", "Alex Admin", &[Role::Admin]).await;
    Desk { app, maya }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requesters_see_only_their_own_devices_and_agents_see_every_ci() {
    let Desk { app, maya } = desk().await;
    let ida = app.store.find_user_id_by_email("ida@example.com").await.unwrap().unwrap();
    let mine = laptop(&app, "LT-10001", Some(maya)).await;
    let hers = laptop(&app, "LT-10002", Some(ida)).await;
    ci(&app, "server", "db-01", None, &[("hostname", "db-01")]).await;

    let client = app.signed_in("maya@example.com").await;
    let (status, devices) = app.call(&client, "my_devices", &[]).await;
    assert_eq!(status, 200);
    let names: Vec<&str> = devices.as_array().unwrap().iter().map(|d| d["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["LT-10001"]);
    let (status, page) = app.call(&client, "get_ci", &[("id", &mine.to_string())]).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["ci"]["name"], "LT-10001");
    assert_eq!(page["full"], false, "a requester gets the device, not the CMDB around it");
    assert_eq!(page["relations"].as_array().unwrap().len(), 0);
    let (status, _) = app.call(&client, "get_ci", &[("id", &hers.to_string())]).await;
    assert_eq!(status, 404, "someone else's device looks like no device at all");
    let (status, _) = app.call(&client, "search_cis", &[("q", "LT")]).await;
    assert_eq!(status, 403);
    let (status, html) = app.page(&client, &format!("/cmdb/{mine}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("LT-10001"));

    let sam = app.signed_in("sam@example.com").await;
    let (status, found) = app.call(&sam, "search_cis", &[("q", "lt-")]).await;
    assert_eq!(status, 200);
    assert_eq!(found.as_array().unwrap().len(), 2, "a prefix, whatever its case: {found}");
    let (_, found) = app.call(&sam, "search_cis", &[("q", ""), ("class", "host")]).await;
    assert_eq!(found[0]["name"], "db-01", "a class takes its subclasses: {found}");
    let (status, json) = app.call(&sam, "search_cis", &[("q", ""), ("class", "spaceship")]).await;
    assert_eq!(status, 422);
    assert_eq!(json["detail"]["class"], "There is no such class.");
    let (status, page) = app.call(&sam, "get_ci", &[("id", &hers.to_string())]).await;
    assert_eq!((status, page["full"].as_bool()), (200, Some(true)));
    let (status, _) = app
        .call(
            &sam,
            "save_ci",
            &[("class", "laptop"), ("name", "LT-1"), ("status", "planned"), ("criticality", "low")],
        )
        .await;
    assert_eq!(status, 403, "agents read the CMDB; admins edit it");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ci_form_says_what_is_wrong_beside_each_field_and_saves_nothing_until_it_is_right() {
    let Desk { app, .. } = desk().await;
    let alex = app.signed_in("alex@example.com").await;
    let (status, json) = app
        .call(
            &alex,
            "save_ci",
            &[("class", "spaceship"), ("name", "x"), ("status", "planned"), ("criticality", "low")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(json["detail"]["class"].is_string(), "{json}");

    let (status, json) = app
        .call(
            &alex,
            "save_ci",
            &[
                ("class", "virtual_machine"),
                ("name", " "),
                ("status", "broken"),
                ("criticality", "low"),
                ("owner", "ghost@example.com"),
                ("answers[vcpus][]", "many"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    for field in ["name", "status", "owner", "vcpus", "hostname"] {
        assert!(json["detail"][field].is_string(), "{field}: {json}");
    }
    let (_, found) = app.call(&alex, "search_cis", &[("q", "")]).await;
    assert_eq!(found.as_array().unwrap().len(), 0, "nothing was saved");

    let fields = [
        ("class", "virtual_machine"),
        ("name", "web-01"),
        ("status", "in_operation"),
        ("criticality", "high"),
        ("owner", "Maya@Example.com"),
        ("answers[hostname][]", "web-01.example.com"),
        ("answers[vcpus][]", "4"),
    ];
    let (status, id) = app.call(&alex, "save_ci", &fields).await;
    assert_eq!(status, 200, "{id}");
    let id = id.as_i64().unwrap().to_string();
    let (status, json) = app.call(&alex, "save_ci", &fields).await;
    assert_eq!(status, 422);
    assert_eq!(json["detail"]["name"], "There is already a virtual machine with this name.");

    let (_, page) = app.call(&alex, "get_ci", &[("id", &id)]).await;
    assert_eq!(page["ci"]["owner_name"], "Maya Requester");
    assert_eq!(page["ci"]["attributes"]["vcpus"]["value"], 4.0, "{page}");
    let version = page["ci"]["version"].to_string();
    let edit = [
        ("id", id.as_str()),
        ("version", version.as_str()),
        ("name", "web-01"),
        ("status", "in_maintenance"),
        ("criticality", "high"),
        ("owner", "maya@example.com"),
        ("answers[hostname][]", "web-01.example.com"),
        ("answers[vcpus][]", "8"),
    ];
    let (status, _) = app.call(&alex, "save_ci", &edit).await;
    assert_eq!(status, 200);
    let (status, json) = app.call(&alex, "save_ci", &edit).await;
    assert_eq!(status, 409, "an edit from a page someone else saved after is refused: {json}");
    let (_, page) = app.call(&alex, "get_ci", &[("id", &id)]).await;
    assert_eq!(page["ci"]["status"], "in_maintenance");
    let history: Vec<(String, String)> = page["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap().to_owned(), e["to"].as_str().unwrap_or("").to_owned()))
        .collect();
    assert_eq!(
        history,
        [
            ("vcpus".into(), "8".into()),
            ("status".into(), "in_maintenance".into()),
            ("created".into(), "virtual_machine".into())
        ],
        "newest first, one line per changed field"
    );
    assert_eq!(page["history"][0]["actor_name"], "Alex Admin");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relations_keep_to_their_classes_and_an_outage_reaches_the_services_above() {
    let Desk { app, .. } = desk().await;
    let payroll = ci(&app, "business_service", "Payroll", None, &[]).await;
    let application = ci(&app, "application", "Payroll app", None, &[]).await;
    let vm = ci(&app, "virtual_machine", "pay-01", None, &[("hostname", "pay-01")]).await;
    let server = ci(&app, "server", "hv-01", None, &[("hostname", "hv-01")]).await;
    let switch = ci(&app, "network_device", "core-switch", None, &[("device_type", "switch")]).await;
    relate(&app, payroll, RelationKind::DependsOn, application).await;
    relate(&app, application, RelationKind::RunsOn, vm).await;
    let alex = app.signed_in("alex@example.com").await;
    let (server_id, vm_id, switch_id) = (server.to_string(), vm.to_string(), switch.to_string());

    let (status, json) =
        app.call(&alex, "relate_ci", &[("id", &server_id), ("kind", "runs_on"), ("other_id", &vm_id)]).await;
    assert_eq!(status, 422);
    assert_eq!(json["detail"]["other"], "“runs on” does not go from Server to Virtual machine");
    let (status, json) = app
        .call(&alex, "relate_ci", &[("id", &server_id), ("kind", "runs_on.inverse"), ("other", "PAY-01")])
        .await;
    assert_eq!(status, 200, "hv-01 hosts pay-01, named without the search: {json}");
    let (status, json) =
        app.call(&alex, "relate_ci", &[("id", &vm_id), ("kind", "runs_on"), ("other_id", &server_id)]).await;
    assert_eq!(status, 422);
    assert_eq!(json["detail"]["other"], "These two are already related this way.");
    let (status, json) =
        app.call(&alex, "relate_ci", &[("id", &vm_id), ("kind", "connected_to"), ("other_id", &vm_id)]).await;
    assert_eq!((status, json["detail"]["other"].as_str()), (422, Some("A CI cannot relate to itself")));
    let (status, _) = app
        .call(&alex, "relate_ci", &[("id", &server_id), ("kind", "connected_to"), ("other_id", &switch_id)])
        .await;
    assert_eq!(status, 200);

    let sam = app.signed_in("sam@example.com").await;
    let (_, page) = app.call(&sam, "get_ci", &[("id", &switch_id)]).await;
    let services = page["impact"]["services"].as_array().unwrap();
    assert_eq!(services.len(), 1, "{page}");
    assert_eq!(services[0]["service"]["name"], "Payroll");
    let path: Vec<String> = services[0]["hops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| format!("{} {}", h["label"].as_str().unwrap(), h["to_name"].as_str().unwrap()))
        .collect();
    assert_eq!(
        path,
        ["depends on Payroll app", "runs on pay-01", "runs on hv-01", "connected to core-switch"]
    );
    let (_, page) = app.call(&sam, "get_ci", &[("id", &payroll.to_string())]).await;
    assert!(page["impact"]["services"].as_array().unwrap().is_empty(), "an outage does not travel down");
    let (_, page) = app.call(&sam, "get_ci", &[("id", &server_id), ("depth", "2")]).await;
    let drawn: Vec<&str> = page["graph"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["node"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(drawn[0], "hv-01", "the CI itself on top: {drawn:?}");
    assert_eq!(drawn.len(), 4, "two steps out: {drawn:?}");
    let labels: Vec<&str> =
        page["relations"].as_array().unwrap().iter().map(|r| r["kind"].as_str().unwrap()).collect();
    assert_eq!(labels, ["connected_to", "runs_on"]);
    let history = page["history"].as_array().unwrap();
    assert!(
        history.iter().any(|e| e["field"] == "relation.runs_on.inverse" && e["to"] == "pay-01"),
        "the relation is in both histories, by name: {history:?}"
    );

    let (status, _) = app
        .call(&alex, "unrelate_ci", &[("from", &server_id), ("kind", "connected_to"), ("to", &switch_id)])
        .await;
    assert_eq!(status, 200);
    let (_, page) = app.call(&sam, "get_ci", &[("id", &switch_id)]).await;
    assert!(page["impact"]["services"].as_array().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_names_a_ci_on_an_incident_and_sees_the_service_it_impacts() {
    let Desk { app, maya } = desk().await;
    let email = ci(&app, "business_service", "Email", None, &[]).await;
    let gateway = ci(&app, "application", "Mail gateway", None, &[]).await;
    relate(&app, email, RelationKind::DependsOn, gateway).await;
    let number = app.record(RecordKind::Incident, maya, "Mail is slow").await;
    let sam = app.signed_in("sam@example.com").await;
    let (status, json) =
        app.call(&sam, "link_record_ci", &[("number", &number), ("ci", "No such thing")]).await;
    assert_eq!((status, json["detail"]["ci"].as_str()), (422, Some("No CI has that name.")));
    let (status, _) =
        app.call(&sam, "link_record_ci", &[("number", &number), ("ci_id", &gateway.to_string())]).await;
    assert_eq!(status, 200);
    let (status, json) =
        app.call(&sam, "link_record_ci", &[("number", &number), ("ci_id", &gateway.to_string())]).await;
    assert_eq!(
        (status, json["detail"]["ci"].as_str()),
        (422, Some("Mail gateway is already on this record."))
    );

    let (_, page) = app.call(&sam, "get_record", &[("number", &number)]).await;
    assert_eq!(page["cis"][0]["name"], "Mail gateway");
    assert_eq!(page["impacted"][0]["service"]["name"], "Email");
    assert!(
        page["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["what"] == "added configuration item: Mail gateway"),
        "{}",
        page["timeline"]
    );
    let (_, ci_page) = app.call(&sam, "get_ci", &[("id", &gateway.to_string())]).await;
    assert_eq!(ci_page["records"][0]["number"], number.as_str());
    assert_eq!(ci_page["impact"]["open_records"][0]["number"], number.as_str());

    let client = app.signed_in("maya@example.com").await;
    let (_, page) = app.call(&client, "get_record", &[("number", &number)]).await;
    assert_eq!(page["cis"][0]["name"], "Mail gateway", "the requester sees what it is about");
    assert!(page["impacted"].as_array().unwrap().is_empty(), "but not the CMDB behind it");

    let (status, _) =
        app.call(&sam, "unlink_record_ci", &[("number", &number), ("ci", &gateway.to_string())]).await;
    assert_eq!(status, 200);
    let (_, page) = app.call(&sam, "get_record", &[("number", &number)]).await;
    assert!(page["cis"].as_array().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_requester_reports_an_issue_with_one_of_their_devices_and_only_theirs() {
    let Desk { app, maya } = desk().await;
    let ida = app.store.find_user_id_by_email("ida@example.com").await.unwrap().unwrap();
    let mine = laptop(&app, "LT-10001", Some(maya)).await;
    let hers = laptop(&app, "LT-10002", Some(ida)).await;
    let client = app.signed_in("maya@example.com").await;
    let (_, choices) = app.call(&client, "report_choices", &[]).await;
    assert_eq!(choices["devices"].as_array().unwrap().len(), 1);
    let report = |device: CiId| {
        let device = device.to_string();
        let app = &app;
        let client = &client;
        async move {
            app.call(
                client,
                "report_incident",
                &[
                    ("title", "Laptop will not wake"),
                    ("reach", "just_me"),
                    ("blocking", "blocked"),
                    ("device", &device),
                ],
            )
            .await
        }
    };
    let (status, json) = report(hers).await;
    assert_eq!(status, 422);
    assert!(json["detail"]["device"].is_string(), "{json}");
    let (status, number) = report(mine).await;
    assert_eq!(status, 200, "{number}");
    let (_, page) = app.call(&client, "get_record", &[("number", number.as_str().unwrap())]).await;
    assert_eq!(page["cis"][0]["name"], "LT-10001");
}
