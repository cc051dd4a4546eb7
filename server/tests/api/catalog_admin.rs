//! Admins managing catalog items: creating, publishing, ordering, and who may order them.

use app::domain::user::Role;

use crate::helpers::{TestApp, spawn_app};

async fn setup() -> (TestApp, reqwest::Client, String) {
    let app = spawn_app().await;
    app.user("alex@example.com", "Alex Admin", &[Role::Admin]).await;
    app.user("maya@example.com", "Maya Requester", &[]).await;
    app.catalog_item("laptop", "Laptop").await;
    let category = app.store.find_catalog_item("laptop").await.unwrap().unwrap().item.category_id.to_string();
    let admin = app.signed_in("alex@example.com").await;
    (app, admin, category)
}

fn slugs(catalog: &serde_json::Value) -> Vec<String> {
    catalog
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["items"].as_array().unwrap().iter().map(|i| i["slug"].as_str().unwrap().to_owned()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_item_shows_once_published_and_only_to_its_audience() {
    let (app, admin, category) = setup().await;
    let (status, id) = app
        .call(
            &admin,
            "admin_save_item",
            &[("category", &category), ("name", "Standing desk"), ("summary", "Sit less")],
        )
        .await;
    assert!(status == 200 || status == 302, "{status} {id}");
    let id = id.as_i64().unwrap().to_string();
    let maya = app.signed_in("maya@example.com").await;
    let (_, catalog) = app.call(&maya, "list_catalog", &[]).await;
    assert_eq!(slugs(&catalog), ["laptop"], "a new item starts unpublished");
    assert_eq!(app.call(&maya, "get_order_form", &[("slug", "standing-desk")]).await.0, 404);

    app.call(&admin, "admin_publish_item", &[("id", &id), ("published", "true")]).await;
    let (_, catalog) = app.call(&maya, "list_catalog", &[]).await;
    assert_eq!(slugs(&catalog), ["laptop", "standing-desk"], "its web address was made from the name");

    let facilities = app.group("Facilities").await.to_string();
    let (status, _) = app.call(&admin, "admin_set_audience", &[("id", &id), ("groups[]", &facilities)]).await;
    assert_eq!(status, 200);
    let (_, catalog) = app.call(&maya, "list_catalog", &[]).await;
    assert_eq!(slugs(&catalog), ["laptop"], "Maya is not in Facilities");
    assert_eq!(app.call(&maya, "get_order_form", &[("slug", "standing-desk")]).await.0, 404);
    let order = [("slug", "standing-desk"), ("form_version", "0"), ("submission", "s1")];
    assert_eq!(app.call(&maya, "order_item", &order).await.0, 404, "ordering is refused too");

    let (status, _) = app.call(&admin, "admin_set_audience", &[("id", &id), ("groups[]", "999")]).await;
    assert_eq!(status, 422, "unknown groups are refused");
    app.call(&admin, "admin_set_audience", &[("id", &id)]).await;
    assert_eq!(
        app.call(&maya, "get_order_form", &[("slug", "standing-desk")]).await.0,
        200,
        "everyone again"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_item_form_explains_its_problems_and_saves_nothing() {
    let (app, admin, category) = setup().await;
    let long = "x".repeat(121);
    for (fields, field) in [
        (vec![("category", category.as_str()), ("name", "Desk"), ("slug", "Bad Slug")], "slug"),
        (vec![("category", category.as_str()), ("name", "Laptop two"), ("slug", "laptop")], "slug"),
        (vec![("category", "999"), ("name", "Desk")], "category"),
        (vec![("category", category.as_str()), ("name", long.as_str())], "name"),
        (vec![("category", category.as_str()), ("name", "Desk"), ("group", "999")], "group"),
    ] {
        let (status, json) = app.call(&admin, "admin_save_item", &fields).await;
        assert_eq!(status, 422, "{fields:?}: {json}");
        assert!(json["detail"][field].is_string(), "{field}: {json}");
    }
    let (_, catalog) = app.call(&admin, "admin_catalog", &[]).await;
    assert_eq!(slugs(&catalog["categories"]), ["laptop"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn items_move_up_and_down_within_their_category() {
    let (app, admin, category) = setup().await;
    for name in ["Monitor", "Headset"] {
        let (_, id) = app.call(&admin, "admin_save_item", &[("category", &category), ("name", name)]).await;
        app.call(&admin, "admin_publish_item", &[("id", &id.to_string()), ("published", "true")]).await;
    }
    let order = |catalog: serde_json::Value| slugs(&catalog["categories"]);
    assert_eq!(order(app.call(&admin, "admin_catalog", &[]).await.1), ["laptop", "monitor", "headset"]);
    let (_, editor) = app.call(&admin, "admin_catalog", &[]).await;
    let headset = editor["categories"][0]["items"][2]["id"].to_string();
    app.call(&admin, "admin_move_item", &[("id", &headset), ("direction", "up")]).await;
    app.call(&admin, "admin_move_item", &[("id", &headset), ("direction", "up")]).await;
    app.call(&admin, "admin_move_item", &[("id", &headset), ("direction", "up")]).await;
    assert_eq!(order(app.call(&admin, "admin_catalog", &[]).await.1), ["headset", "laptop", "monitor"]);
    let (status, _) =
        app.call(&admin, "admin_move_item", &[("id", &headset), ("direction", "sideways")]).await;
    assert_eq!(status, 422);
    let maya = app.signed_in("maya@example.com").await;
    assert_eq!(slugs(&app.call(&maya, "list_catalog", &[]).await.1), ["headset", "laptop", "monitor"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_form_version_leaves_earlier_requests_as_they_were() {
    let (app, admin, _) = setup().await;
    let id = app.store.find_catalog_item("laptop").await.unwrap().unwrap().item.id.to_string();
    let v1 = r#"{"fields":[{"key":"model","label":"Model","required":true,
        "kind":{"type":"choice","options":[{"value":"std","label":"Standard"},{"value":"pro","label":"Pro"}]}}]}"#;
    let (status, version) = app.call(&admin, "admin_save_form", &[("id", &id), ("schema", v1)]).await;
    assert_eq!((status, version), (200, serde_json::json!(2)), "after the empty form it started with");

    let maya = app.signed_in("maya@example.com").await;
    let (_, form) = app.call(&maya, "get_order_form", &[("slug", "laptop")]).await;
    let submission = form["submission"].as_str().unwrap().to_owned();
    let fields = [
        ("slug", "laptop"),
        ("form_version", "2"),
        ("submission", submission.as_str()),
        ("answers[model][]", "pro"),
    ];
    let (_, number) = app.call(&maya, "order_item", &fields).await;
    let number = number.as_str().unwrap().to_owned();

    let v2 = r#"{"fields":[{"key":"size","label":"Screen size","required":true,"kind":{"type":"number","min":13,"max":16}}]}"#;
    assert_eq!(app.call(&admin, "admin_save_form", &[("id", &id), ("schema", v2)]).await.1, 3);
    let (_, page) = app.call(&maya, "get_record", &[("number", &number)]).await;
    assert_eq!(page["answers"], serde_json::json!([["Model", "Pro"]]), "the earlier request keeps its form");
    let (_, form) = app.call(&maya, "get_order_form", &[("slug", "laptop")]).await;
    assert_eq!(form["form"]["fields"][0]["label"], "Screen size");
    let stale =
        [("slug", "laptop"), ("form_version", "2"), ("submission", "again"), ("answers[model][]", "pro")];
    assert_eq!(
        app.call(&maya, "order_item", &stale).await.0,
        422,
        "a submit against the old form is refused"
    );

    let broken = r#"{"fields":[{"key":"a","label":"A","kind":{"type":"yes_no"},"show_when":{"field":"ghost","any_of":["yes"]}}]}"#;
    let (status, json) = app.call(&admin, "admin_save_form", &[("id", &id), ("schema", broken)]).await;
    assert_eq!(status, 422);
    assert!(json["detail"]["schema"].as_str().unwrap().contains("doesn't exist"), "{json}");
    let (status, _) = app.call(&admin, "admin_save_form", &[("id", &id), ("schema", "not json")]).await;
    assert_eq!(status, 422);
    let (_, form) = app.call(&maya, "get_order_form", &[("slug", "laptop")]).await;
    assert_eq!(form["item"]["form_version"], 3, "a refused form changes nothing");

    let (status, json) = app
        .call(
            &admin,
            "admin_save_plan",
            &[
                ("id", &id),
                ("approval", r#"[{"type":"group","group":999,"all":false}]"#),
                ("fulfilment", r#"{"tasks":[],"in_sequence":false}"#),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(json["detail"]["approval"].is_string(), "{json}");
}

fn category_names(catalog: &serde_json::Value) -> Vec<String> {
    catalog["categories"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn categories_are_added_renamed_and_reordered_and_bad_names_are_explained() {
    let (app, admin, category) = setup().await;
    let (status, id) = app
        .call(&admin, "admin_save_category", &[("name", "Facilities"), ("description", "Desks, keys")])
        .await;
    assert_eq!(status, 200, "{id}");
    let id = id.as_i64().unwrap().to_string();
    let (_, catalog) = app.call(&admin, "admin_catalog", &[]).await;
    assert_eq!(category_names(&catalog).last().unwrap(), "Facilities", "a new category goes last");

    app.call(&admin, "admin_move_category", &[("id", &id), ("direction", "up")]).await;
    let (_, catalog) = app.call(&admin, "admin_catalog", &[]).await;
    let names = category_names(&catalog);
    assert_eq!(names[names.len() - 2], "Facilities", "{names:?}");

    let (status, _) = app
        .call(&admin, "admin_save_category", &[("id", &id), ("name", "Buildings"), ("description", "")])
        .await;
    assert_eq!(status, 200);
    let (_, catalog) = app.call(&admin, "admin_catalog", &[]).await;
    assert!(category_names(&catalog).contains(&"Buildings".to_owned()));
    let (status, again) = app.call(&admin, "admin_save_category", &[("name", "Facilities")]).await;
    assert_eq!(status, 200, "the old name is free again, though its web address is taken: {again}");
    let (_, catalog) = app.call(&admin, "admin_catalog", &[]).await;
    let slugs: Vec<&str> =
        catalog["categories"].as_array().unwrap().iter().map(|c| c["slug"].as_str().unwrap()).collect();
    assert!(slugs.contains(&"facilities") && slugs.contains(&"facilities-2"), "{slugs:?}");

    let long = "x".repeat(81);
    for (fields, field) in [
        (vec![("name", "  ")], "name"),
        (vec![("name", long.as_str())], "name"),
        (vec![("name", "!!!")], "name"),
        (vec![("name", "buildings")], "name"),
        (vec![("name", "Fine"), ("description", &"d".repeat(501))], "description"),
    ] {
        let (status, json) = app.call(&admin, "admin_save_category", &fields).await;
        assert_eq!(status, 422, "{fields:?}: {json}");
        assert!(json["detail"][field].is_string(), "{field}: {json}");
    }
    let (_, after) = app.call(&admin, "admin_catalog", &[]).await;
    assert_eq!(category_names(&after), category_names(&catalog), "nothing was saved");

    for (fields, status) in
        [(vec![("id", "999"), ("name", "Ghost")], 404), (vec![("id", "abc"), ("name", "Ghost")], 422)]
    {
        assert_eq!(app.call(&admin, "admin_save_category", &fields).await.0, status, "{fields:?}");
    }
    let moves = [("id", category.as_str()), ("direction", "sideways")];
    assert_eq!(app.call(&admin, "admin_move_category", &moves).await.0, 422);
    assert_eq!(app.call(&admin, "admin_move_category", &[("id", "999"), ("direction", "up")]).await.0, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_item_editor_loads_the_plan_that_was_saved() {
    let (app, admin, _) = setup().await;
    let group = app.group("Workplace").await.to_string();
    let id = app.store.find_catalog_item("laptop").await.unwrap().unwrap().item.id.to_string();
    let approval = format!(r#"[{{"type":"manager"}},{{"type":"group","group":{group},"all":true}}]"#);
    let fulfilment = format!(r#"{{"tasks":[{{"title":"Image it","group":{group}}}],"in_sequence":true}}"#);
    let plan = [("id", id.as_str()), ("approval", &approval), ("fulfilment", &fulfilment)];
    assert_eq!(app.call(&admin, "admin_save_plan", &plan).await.0, 200);
    let (_, editor) = app.call(&admin, "admin_item_editor", &[("id", &id)]).await;
    assert_eq!(editor["approval"][1]["all"], true, "{editor}");
    assert_eq!(editor["fulfilment"]["tasks"][0]["title"], "Image it");
    assert_eq!(editor["fulfilment"]["in_sequence"], true);

    let untitled = format!(r#"{{"tasks":[{{"title":" ","group":{group}}}],"in_sequence":false}}"#);
    let (status, json) = app
        .call(&admin, "admin_save_plan", &[("id", &id), ("approval", "[]"), ("fulfilment", &untitled)])
        .await;
    assert_eq!(status, 422);
    assert!(json["detail"]["fulfilment"].is_string(), "{json}");
    let (_, editor) = app.call(&admin, "admin_item_editor", &[("id", &id)]).await;
    assert_eq!(editor["approval"].as_array().unwrap().len(), 2, "nothing was lost");
}
