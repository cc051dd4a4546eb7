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
async fn an_admin_adds_an_attribute_to_a_class_and_retiring_it_keeps_what_cis_hold() {
    let Desk { app, maya } = desk().await;
    let alex = app.signed_in("alex@example.com").await;
    let sam = app.signed_in("sam@example.com").await;
    let classes = app.store.ci_classes().await.unwrap();
    let laptop = classes.iter().find(|c| c.code == "laptop").unwrap().clone();
    let mut attributes = serde_json::to_value(&laptop.attributes).unwrap();
    attributes["fields"].as_array_mut().unwrap().push(serde_json::json!({
        "key": "keyboard", "label": "Keyboard layout", "required": true,
        "kind": {"type": "choice", "options": [{"value": "uk", "label": "UK"}, {"value": "de", "label": "German"}]}
    }));
    fn pairs(v: &[(String, String)]) -> Vec<(&str, &str)> {
        v.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
    }
    let id = laptop.id.0.to_string();
    let save = |attributes: String| {
        vec![
            ("id".to_owned(), id.clone()),
            ("name".to_owned(), "Laptop".to_owned()),
            ("parent".to_owned(), "end_user_device".to_owned()),
            ("attributes".to_owned(), attributes),
        ]
    };
    let (status, _) = app.call(&sam, "save_ci_class", &pairs(&save(attributes.to_string()))).await;
    assert_eq!(status, 403, "agents read classes but do not change them");

    let mut clash = attributes.clone();
    clash["fields"][0]["key"] = "model".into();
    let (status, json) = app.call(&alex, "save_ci_class", &pairs(&save(clash.to_string()))).await;
    assert_eq!(status, 422);
    assert!(json["detail"]["attributes"].as_str().unwrap().contains("inherits"), "{json}");
    let (status, json) = app.call(&alex, "save_ci_class", &pairs(&save("{not json".into()))).await;
    assert_eq!(status, 422, "{json}");
    let (status, json) = app
        .call(
            &alex,
            "save_ci_class",
            &[("code", "Bad Code"), ("name", "Tablet"), ("attributes", r#"{"fields":[]}"#)],
        )
        .await;
    assert_eq!(status, 422);
    assert!(json["detail"]["code"].is_string(), "{json}");
    let (status, json) = app
        .call(
            &alex,
            "save_ci_class",
            &[("id", &id), ("name", "Laptop"), ("parent", "laptop"), ("attributes", r#"{"fields":[]}"#)],
        )
        .await;
    assert_eq!(status, 422, "a class cannot be its own parent: {json}");
    assert!(json["detail"]["parent"].is_string(), "{json}");

    let (status, json) = app.call(&alex, "save_ci_class", &pairs(&save(attributes.to_string()))).await;
    assert_eq!(status, 200, "{json}");
    let fields = [
        ("class", "laptop"),
        ("name", "LT-55555"),
        ("status", "in_operation"),
        ("criticality", "low"),
        ("owner", "maya@example.com"),
    ];
    let (status, json) = app.call(&alex, "save_ci", &fields).await;
    assert_eq!(status, 422);
    assert!(json["detail"]["keyboard"].is_string(), "the new attribute is required: {json}");
    let mut with_layout = fields.to_vec();
    with_layout.push(("answers[keyboard][]", "de"));
    let (status, ci) = app.call(&alex, "save_ci", &with_layout).await;
    assert_eq!(status, 200, "{ci}");
    let ci = ci.as_i64().unwrap().to_string();

    let (status, _) = app
        .call(&alex, "save_ci_class", &pairs(&save(serde_json::to_string(&laptop.attributes).unwrap())))
        .await;
    assert_eq!(status, 200);
    let classes = app.store.ci_classes().await.unwrap();
    let saved = classes.iter().find(|c| c.code == "laptop").unwrap();
    assert_eq!(
        saved.retired_attributes.fields.iter().map(|f| f.key.as_str()).collect::<Vec<_>>(),
        ["keyboard"]
    );
    let (_, page) = app.call(&alex, "get_ci", &[("id", &ci)]).await;
    let version = page["ci"]["version"].to_string();
    assert_eq!(page["retired"]["fields"][0]["key"], "keyboard");
    let (status, json) = app
        .call(
            &alex,
            "save_ci",
            &[
                ("id", ci.as_str()),
                ("version", &version),
                ("name", "LT-55556"),
                ("status", "in_operation"),
                ("criticality", "low"),
                ("owner", "maya@example.com"),
            ],
        )
        .await;
    assert_eq!(status, 200, "a retired attribute no longer asks for a value: {json}");
    let (_, page) = app.call(&alex, "get_ci", &[("id", &ci)]).await;
    assert_eq!(page["ci"]["name"], "LT-55556");
    assert_eq!(page["ci"]["attributes"]["keyboard"]["value"][0], "de", "the value is kept: {page}");
    let _ = maya;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_csv_import_reports_each_bad_row_and_saves_all_valid_rows_or_none() {
    let Desk { app, .. } = desk().await;
    let alex = app.signed_in("alex@example.com").await;
    let sam = app.signed_in("sam@example.com").await;
    let file = "class,name,status,criticality,owner,support_group,hostname,vcpus,device_type\n\
                virtual_machine,web-01,in_operation,high,maya@example.com,,web-01.example.com,4,\n\
                virtual_machine,web-02,,,,,,many,\n\
                spaceship,x,,,,,,,\n\
                server,hv-01,,,ghost@example.com,Nobody,hv-01.example.com,,\n\
                network_device,\"core, switch\",in_operation,critical,,,,,switch\n\
                laptop,LT-1,,,\n";
    let import = |save: &'static str, valid_only: &'static str| {
        let (app, alex) = (&app, alex.clone());
        async move {
            app.call(
                &alex,
                "import_cmdb",
                &[
                    ("kind", "cis"),
                    ("csv", file),
                    ("save", save),
                    ("valid_only", valid_only),
                    ("first_row", "0"),
                ],
            )
            .await
        }
    };
    let (status, _) = app.call(&sam, "import_cmdb", &[("kind", "cis"), ("csv", file)]).await;
    assert_eq!(status, 403);

    let (status, report) = import("true", "false").await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(
        (report["rows"].as_u64(), report["failed_rows"].as_u64(), report["saved"].as_bool()),
        (Some(6), Some(4), Some(false))
    );
    let problems: Vec<(u64, String)> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["row"].as_u64().unwrap(), p["column"].as_str().unwrap().to_owned()))
        .collect();
    for expected in
        [(2, "hostname"), (2, "vcpus"), (3, "class"), (4, "owner"), (4, "support_group"), (6, "row")]
    {
        assert!(problems.contains(&(expected.0, expected.1.to_owned())), "{expected:?} in {problems:?}");
    }
    let (_, found) = app.call(&alex, "search_cis", &[("q", "")]).await;
    assert_eq!(found.as_array().unwrap().len(), 0, "one bad row keeps the whole file out");

    let (_, report) = import("true", "true").await;
    assert_eq!((report["created"].as_u64(), report["saved"].as_bool()), (Some(2), Some(true)), "{report}");
    let (_, found) = app.call(&alex, "search_cis", &[("q", "")]).await;
    let names: Vec<&str> = found.as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["core, switch", "web-01"]);
    let (_, report) = import("false", "true").await;
    assert_eq!(
        (report["created"].as_u64(), report["unchanged"].as_u64(), report["saved"].as_bool()),
        (Some(0), Some(2), Some(false)),
        "a second run changes nothing: {report}"
    );

    let relations = "from,kind,to\nweb-01,connected to,\"core, switch\"\nweb-01,runs_on,\"core, switch\"\nghost,depends_on,web-01\n";
    let (_, report) = app
        .call(
            &alex,
            "import_cmdb",
            &[("kind", "relations"), ("csv", relations), ("save", "true"), ("valid_only", "true")],
        )
        .await;
    assert_eq!((report["created"].as_u64(), report["failed_rows"].as_u64()), (Some(1), Some(2)), "{report}");
    assert_eq!(
        report["problems"][0]["message"],
        "“runs on” does not go from Virtual machine to Network device"
    );
    assert_eq!(report["problems"][1]["column"], "from");

    let (status, json) =
        app.call(&alex, "import_cmdb", &[("kind", "cis"), ("csv", "name,colour\nx,red\n")]).await;
    assert_eq!(status, 422);
    assert!(json["detail"]["csv"].as_str().unwrap().contains("class"), "{json}");
    let huge = format!("class,name\n{}", "laptop,LT-1\n".repeat(200_000));
    let (status, json) = app.call(&alex, "import_cmdb", &[("kind", "cis"), ("csv", &huge)]).await;
    assert!(status == 422 || status == 413, "{status} {json}");

    let response = sam.get(app.url("/cmdb/export.csv?class=host")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let csv = response.text().await.unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "class,name,status,criticality,location,owner,support_group,hostname,operating_system,ip_address,serial_number,rack,warranty_end,vcpus,memory_gb"
        )
    );
    assert_eq!(
        lines.next(),
        Some("virtual_machine,web-01,in_operation,high,,maya@example.com,,web-01.example.com,,,,,,4,")
    );
    assert_eq!(lines.next(), None);
    let (_, report) =
        app.call(&alex, "import_cmdb", &[("kind", "cis"), ("csv", &csv), ("save", "true")]).await;
    assert_eq!(report["unchanged"].as_u64(), Some(1), "an export imports back as it is: {report}");
    let response = sam.get(app.url("/cmdb/export.csv?class=spaceship")).send().await.unwrap();
    assert_eq!(response.status(), 422);
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
    assert_eq!((services.len(), page["impact"]["affected"].as_u64()), (1, Some(1)), "{page}");
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
    assert_eq!((page["relations_from"].as_i64(), page["relations_total"].as_i64()), (Some(0), Some(2)));
    for past in ["999", "-5"] {
        let (status, paged) = app.call(&sam, "get_ci", &[("id", &server_id), ("relations", past)]).await;
        assert_eq!(status, 200, "{past}");
        assert_eq!(paged["relations_from"].as_i64(), Some(0), "a page outside the list is the first: {past}");
        assert_eq!(paged["relations"].as_array().unwrap().len(), 2);
    }
    let (status, _) = app.call(&sam, "get_ci", &[("id", &server_id), ("relations", "many")]).await;
    assert_eq!(status, 422, "a page that is not a number");
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

    let health = |json: &serde_json::Value| {
        json.as_array()
            .unwrap()
            .iter()
            .map(|s| (s["service"]["name"].clone(), s["health"].clone()))
            .collect::<Vec<_>>()
    };
    let (status, json) = app.call(&client, "service_status", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(health(&json), [("Email".into(), "operational".into())], "not major: the service is up");
    let mut tx = app.store.begin().await.unwrap();
    tx.run(&format!("UPDATE records SET major = true WHERE number = '{number}'")).await.unwrap();
    tx.commit().await.unwrap();
    let (_, json) = app.call(&client, "service_status", &[]).await;
    assert_eq!(
        health(&json),
        [("Email".into(), "degraded".into())],
        "a major incident on what it depends on"
    );
    let (status, _) =
        app.call(&sam, "link_record_ci", &[("number", &number), ("ci_id", &email.to_string())]).await;
    assert_eq!(status, 200);
    let (_, json) = app.call(&client, "service_status", &[]).await;
    assert_eq!(health(&json), [("Email".into(), "down".into())], "a major incident on the service itself");
    let (_, service) = app.call(&client, "get_ci", &[("id", &email.to_string())]).await;
    assert_eq!(service["health"], "down");
    app.call(&sam, "unlink_record_ci", &[("number", &number), ("ci", &email.to_string())]).await;

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

const DEVICE_FORM: &str = r#"{"fields":[
    {"key":"device","label":"Which laptop?","required":true,"kind":{"type":"ci","class":"laptop","mine":true}},
    {"key":"team","label":"Team","kind":{"type":"group"}},
    {"key":"service","label":"Service","kind":{"type":"ci","class":"business_service"}}
]}"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_catalog_form_offers_a_requester_their_own_devices_and_checks_the_pick() {
    let Desk { app, maya } = desk().await;
    let ida = app.store.find_user_id_by_email("ida@example.com").await.unwrap().unwrap();
    let network = app.group("Network").await;
    let mine = laptop(&app, "LT-MAYA", Some(maya)).await;
    let theirs = laptop(&app, "LT-IDA", Some(ida)).await;
    let old = laptop(&app, "LT-OLD", Some(maya)).await;
    ci(&app, "mobile_phone", "MP-MAYA", Some(maya), &[]).await;
    let email = ci(&app, "business_service", "Email", None, &[]).await;
    let mail_server = ci(&app, "server", "mail-01", None, &[]).await;
    let mut tx = app.store.begin().await.unwrap();
    let (_, mut fields, version) = Store::ci_fields(&mut tx, old).await.unwrap().unwrap();
    fields.status = CiStatus::Retired;
    Store::update_ci(&mut tx, old, &fields, version, chrono::Utc::now()).await.unwrap();
    tx.commit().await.unwrap();
    app.catalog_item_with_form("repair", "Laptop repair", None, DEVICE_FORM).await;

    let client = app.signed_in("maya@example.com").await;
    let (status, form) = app.call(&client, "get_order_form", &[("slug", "repair")]).await;
    assert_eq!(status, 200, "{form}");
    let offered = |key: &str| -> Vec<String> {
        let field = form["form"]["fields"].as_array().unwrap().iter().find(|f| f["key"] == key).unwrap();
        assert_eq!(field["kind"]["type"], "choice", "offered as a choice among what she may pick: {field}");
        let options = field["kind"]["options"].as_array().unwrap();
        options.iter().map(|o| o["label"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(
        offered("device"),
        ["LT-MAYA"],
        "her laptop in use: not Ida's, not her phone, not a retired one"
    );
    assert_eq!(offered("team"), ["Network"]);
    assert_eq!(offered("service"), ["Email"], "a requester picks among the published services, not servers");
    let submission = form["submission"].as_str().unwrap().to_owned();

    let order = |device: String, service: String, key: &'static str| {
        let submission = format!("{submission}-{key}");
        let client = client.clone();
        let app = &app;
        async move {
            let fields = [
                ("slug", "repair".to_owned()),
                ("form_version", "1".to_owned()),
                ("submission", submission),
                ("answers[device][]", device),
                ("answers[team][]", network.0.to_string()),
                ("answers[service][]", service),
            ];
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.call(&client, "order_item", &fields).await
        }
    };
    for (device, expected) in [
        (theirs.0.to_string(), "Pick a configuration item from the list."),
        (old.0.to_string(), "LT-OLD is retired; pick one in use."),
        ("999999".to_owned(), "Pick a configuration item from the list."),
        ("laptop".to_owned(), "Choose from the list."),
    ] {
        let (status, json) = order(device.clone(), email.0.to_string(), "bad").await;
        assert_eq!(status, 422, "{device}: {json}");
        assert_eq!(json["detail"]["device"], expected, "{device}: {json}");
    }
    let (status, json) = order(mine.0.to_string(), mail_server.0.to_string(), "server").await;
    assert_eq!(status, 422, "{json}");
    assert_eq!(
        json["detail"]["service"], "Pick a configuration item from the list.",
        "a requester cannot read servers"
    );
    let (status, number) = order(mine.0.to_string(), email.0.to_string(), "good").await;
    assert_eq!(status, 200, "{number}");
    let (_, page) = app.call(&client, "get_record", &[("number", number.as_str().unwrap())]).await;
    assert_eq!(
        page["answers"],
        serde_json::json!([["Which laptop?", "LT-MAYA"], ["Team", "Network"], ["Service", "Email"]]),
        "answers read by name"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_lists_its_offerings_with_the_service_levels_that_cover_them() {
    use app::domain::sla_policy::{Conditions, Escalation, PauseOn, SlaPolicy};
    let Desk { app, .. } = desk().await;
    let email = ci(&app, "business_service", "Email", None, &[]).await;
    let server = ci(&app, "server", "mail-01", None, &[]).await;
    app.catalog_item("mailbox", "Shared mailbox").await;
    let (item, _) = app.store.find_catalog_item("mailbox").await.unwrap().map(|f| (f.item, ())).unwrap();
    let policy = |name: &str, kinds: Vec<RecordKind>, items, response| SlaPolicy {
        id: 0,
        name: name.into(),
        active: true,
        conditions: Conditions { kinds, catalog_items: items, ..Conditions::default() },
        calendar_id: 1,
        response_minutes: Some(response),
        resolution_minutes: None,
        pause_on: vec![PauseOn::DEFAULT],
        warn_percent: 75,
        on_warning: vec![Escalation::NotifyAssignee],
        on_breach: vec![Escalation::NotifyGroup],
    };
    let mut tx = app.store.begin().await.unwrap();
    Store::insert_policy(&mut tx, &policy("Mailboxes", vec![RecordKind::Request], vec![item.id], 240))
        .await
        .unwrap();
    Store::insert_policy(&mut tx, &policy("Incidents", vec![RecordKind::Incident], Vec::new(), 60))
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let alex = app.signed_in("alex@example.com").await;
    let save = |service: String| {
        let alex = alex.clone();
        let app = &app;
        let id = item.id.0.to_string();
        let category = item.category_id.0.to_string();
        async move {
            let fields = [
                ("id", id.as_str()),
                ("category", category.as_str()),
                ("name", "Shared mailbox"),
                ("slug", "mailbox"),
                ("service", service.as_str()),
            ];
            app.call(&alex, "admin_save_item", &fields).await
        }
    };
    let (status, json) = save(server.0.to_string()).await;
    assert_eq!(status, 422, "{json}");
    assert_eq!(json["detail"]["service"], "Pick a service from the list.", "a server offers nothing");
    let (status, json) = save(email.0.to_string()).await;
    assert_eq!(status, 200, "{json}");
    let (_, editor) = app.call(&alex, "admin_item_editor", &[("id", item.id.0.to_string().as_str())]).await;
    assert_eq!(editor["service"], email.0, "{editor}");

    let maya = app.signed_in("maya@example.com").await;
    let (status, page) = app.call(&maya, "get_ci", &[("id", email.0.to_string().as_str())]).await;
    assert_eq!(status, 200, "{page}");
    let levels = &page["levels"];
    assert_eq!(levels["offerings"][0]["name"], "Shared mailbox", "{levels}");
    assert_eq!(levels["offerings"][0]["promise"]["policy"], "Mailboxes");
    assert_eq!(levels["offerings"][0]["promise"]["response_minutes"], 240);
    assert_eq!(levels["incidents"].as_array().unwrap().len(), 4, "P1 to P4");
    assert_eq!(
        levels["incidents"][0],
        serde_json::json!([1, {"policy": "Incidents", "response_minutes": 60, "resolution_minutes": null}])
    );
    let (_, page) = app.call(&maya, "get_ci", &[("id", server.0.to_string().as_str())]).await;
    assert!(page["levels"].is_null() || page.get("detail").is_some(), "only services have levels: {page}");
}
