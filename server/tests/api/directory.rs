//! Admins managing people and groups; people managing their profile and password.

use app::domain::user::Role;

use crate::helpers::{PASSWORD, spawn_app};

const NEW_PASSWORD: &str = "copper kettle under violet rain";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_creates_a_person_who_can_then_sign_in() {
    let app = spawn_app().await;
    app.user("alex@example.com", "Alex Admin", &[Role::Admin]).await;
    app.user("boss@example.com", "Bea Boss", &[]).await;
    let group = app.group("Network").await.to_string();
    let admin = app.signed_in("alex@example.com").await;
    let (status, id) = app
        .call(
            &admin,
            "admin_save_user",
            &[
                ("name", "Nina New"),
                ("email", "Nina@Example.com"),
                ("manager_email", "boss@example.com"),
                ("roles[]", "agent"),
                ("groups[]", &group),
                ("password", NEW_PASSWORD),
            ],
        )
        .await;
    assert!(status == 200 || status == 302, "{status} {id}");
    let id = id.as_i64().unwrap().to_string();
    let (_, editor) = app.call(&admin, "admin_user_editor", &[("id", &id)]).await;
    assert_eq!(editor["user"]["email"], "nina@example.com");
    assert_eq!(editor["user"]["manager_email"], "boss@example.com");
    assert_eq!(editor["user"]["roles"], serde_json::json!(["agent"]));
    assert_eq!(editor["user"]["groups"].as_array().unwrap().len(), 1);

    let nina = app.client();
    let fields = [("email", "nina@example.com"), ("password", NEW_PASSWORD), ("next", "/queue")];
    assert_eq!(app.post_login(&nina, &fields, true).await.status(), 302);
    assert_eq!(app.page(&nina, "/queue").await.0, 200, "the agent role applies");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_user_form_explains_every_problem_and_saves_nothing() {
    let app = spawn_app().await;
    app.user("alex@example.com", "Alex Admin", &[Role::Admin]).await;
    let admin = app.signed_in("alex@example.com").await;
    let before = app.store.count_users().await.unwrap();
    let long_name = "n".repeat(121);
    let (status, json) = app
        .call(
            &admin,
            "admin_save_user",
            &[
                ("name", long_name.as_str()),
                ("email", "not an email"),
                ("manager_email", "ghost@example.com"),
                ("roles[]", "superuser"),
                ("password", "password123"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    for field in ["name", "email", "manager_email", "roles", "password"] {
        assert!(json["detail"][field].is_string(), "{field}: {json}");
    }
    let (status, json) = app
        .call(
            &admin,
            "admin_save_user",
            &[("name", "Copy Cat"), ("email", "alex@example.com"), ("password", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(status, 422);
    assert!(json["detail"]["email"].as_str().unwrap().contains("already"), "{json}");
    let weak = [("name", "Maya Patel"), ("email", "maya@example.com"), ("password", "MayaPatel2026")];
    let (status, json) = app.call(&admin, "admin_save_user", &weak).await;
    assert_eq!(status, 422);
    assert!(json["detail"]["password"].as_str().unwrap().contains("name or e-mail"), "{json}");
    assert_eq!(app.store.count_users().await.unwrap(), before, "nothing was saved");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deactivation_signs_a_person_out_and_keeps_them_out() {
    let app = spawn_app().await;
    app.user("alex@example.com", "Alex Admin", &[Role::Admin]).await;
    let tara = app.user("tara@example.com", "Tara Target", &[]).await.to_string();
    let admin = app.signed_in("alex@example.com").await;
    let tara_browser = app.signed_in("tara@example.com").await;

    let (status, _) = app.call(&admin, "admin_set_user_active", &[("id", &tara), ("active", "false")]).await;
    assert_eq!(status, 200);
    assert_eq!(app.call(&tara_browser, "list_my_records", &[]).await.0, 401, "her session ended");
    let fields = [("email", "tara@example.com"), ("password", PASSWORD)];
    let (status, json) = app.call(&app.client(), "login", &fields).await;
    assert_eq!(status, 422);
    assert!(json.to_string().contains("don't match an account"), "same message as a wrong password");

    app.call(&admin, "admin_set_user_active", &[("id", &tara), ("active", "true")]).await;
    app.signed_in("tara@example.com").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_cannot_lock_themselves_out() {
    let app = spawn_app().await;
    let alex = app.user("alex@example.com", "Alex Admin", &[Role::Admin]).await.to_string();
    let admin = app.signed_in("alex@example.com").await;
    let (status, _) = app.call(&admin, "admin_set_user_active", &[("id", &alex), ("active", "false")]).await;
    assert_eq!(status, 409);
    let (status, json) = app
        .call(
            &admin,
            "admin_save_user",
            &[("id", &alex), ("name", "Alex Admin"), ("email", "alex@example.com")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(json["detail"]["roles"].is_string(), "{json}");
    assert_eq!(app.page(&admin, "/admin/users").await.0, 200, "still an admin");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn groups_are_created_renamed_and_staffed() {
    let app = spawn_app().await;
    app.user("alex@example.com", "Alex Admin", &[Role::Admin]).await;
    let sam = app.user("sam@example.com", "Sam Agent", &[Role::Agent]).await.to_string();
    app.group("Service Desk").await;
    let admin = app.signed_in("alex@example.com").await;

    let (status, json) = app.call(&admin, "admin_save_group", &[("name", "service desk")]).await;
    assert_eq!(status, 422, "names are unique regardless of case");
    assert!(json["detail"]["name"].is_string());
    let (_, id) = app.call(&admin, "admin_save_group", &[("name", "Networks"), ("description", "LAN")]).await;
    let id = id.as_i64().unwrap().to_string();
    let renamed = [("id", id.as_str()), ("name", "Network & Telecom"), ("description", "LAN, WAN")];
    assert_eq!(app.call(&admin, "admin_save_group", &renamed).await.0, 200);

    let (status, json) =
        app.call(&admin, "admin_add_group_member", &[("id", &id), ("email", "ghost@example.com")]).await;
    assert_eq!(status, 422);
    assert_eq!(json["detail"]["email"], "Nobody has that e-mail address.");
    assert_eq!(
        app.call(&admin, "admin_add_group_member", &[("id", &id), ("email", "sam@example.com")]).await.0,
        200
    );
    let (_, group) = app.call(&admin, "admin_get_group", &[("id", &id)]).await;
    assert_eq!(group["group"]["name"], "Network & Telecom");
    assert_eq!(group["members"][0]["email"], "sam@example.com");
    let (_, html) = app.page(&admin, &format!("/admin/groups/{id}")).await;
    assert!(html.contains("Network &amp; Telecom") && html.contains("Sam Agent"), "{html}");

    app.call(&admin, "admin_remove_group_member", &[("id", &id), ("user", &sam)]).await;
    let (_, group) = app.call(&admin, "admin_get_group", &[("id", &id)]).await;
    assert_eq!(group["members"], serde_json::json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_edit_their_own_name_and_time_zone() {
    let app = spawn_app().await;
    app.user("maya@example.com", "Maya Requester", &[]).await;
    let client = app.signed_in("maya@example.com").await;
    let good = [("name", "Maya Patel"), ("time_zone", "Europe/Berlin")];
    assert_eq!(app.call(&client, "update_profile", &good).await.0, 200);
    let long = "m".repeat(121);
    let (status, json) =
        app.call(&client, "update_profile", &[("name", long.as_str()), ("time_zone", "Mars/Olympus")]).await;
    assert_eq!(status, 422);
    assert!(json["detail"]["name"].is_string() && json["detail"]["time_zone"].is_string(), "{json}");
    let (_, who) = app.call(&client, "who_am_i", &[]).await;
    assert_eq!(who["user"]["name"], "Maya Patel", "the bad submit changed nothing");
    assert_eq!(who["user"]["time_zone"], "Europe/Berlin");
    assert_eq!(who["zone"]["name"], "Europe/Berlin", "dates are shown in the zone chosen");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_without_a_zone_of_their_own_read_the_organisations() {
    let app = spawn_app().await;
    app.user("alex@example.com", "Alex Admin", &[Role::Admin]).await;
    app.user("maya@example.com", "Maya Requester", &[]).await;
    let admin = app.signed_in("alex@example.com").await;
    let maya = app.signed_in("maya@example.com").await;
    let leave_it = [("name", "Maya Requester"), ("time_zone", "")];
    assert_eq!(app.call(&maya, "update_profile", &leave_it).await.0, 200);
    let (_, who) = app.call(&maya, "who_am_i", &[]).await;
    assert_eq!((who["user"]["time_zone"].as_str(), who["zone"]["name"].as_str()), (Some(""), Some("UTC")));

    let (status, json) = app.call(&admin, "admin_save_time_zone", &[("time_zone", "Mars/Olympus")]).await;
    assert_eq!(status, 422);
    assert!(json["detail"]["time_zone"].is_string(), "{json}");
    assert_eq!(
        app.call(&maya, "who_am_i", &[]).await.1["zone"]["name"],
        "UTC",
        "a refused zone changed nothing"
    );

    assert_eq!(app.call(&admin, "admin_save_time_zone", &[("time_zone", "Asia/Kolkata")]).await.0, 200);
    let (_, who) = app.call(&maya, "who_am_i", &[]).await;
    assert_eq!(who["zone"]["name"], "Asia/Kolkata");
    let offsets = who["zone"]["offsets"].as_array().unwrap();
    assert!(offsets.iter().all(|o| o["seconds"] == 19_800), "India keeps +05:30 all year: {offsets:?}");
    let (_, settings) = app.call(&admin, "load_desk_settings", &[]).await;
    assert_eq!(settings["time_zone"], "Asia/Kolkata");
    let (_, profile) = app.call(&maya, "my_profile", &[]).await;
    assert_eq!(profile["organisation_zone"], "Asia/Kolkata");

    let own = [("name", "Maya Requester"), ("time_zone", "America/New_York")];
    assert_eq!(app.call(&maya, "update_profile", &own).await.0, 200);
    let (_, who) = app.call(&maya, "who_am_i", &[]).await;
    assert_eq!(who["zone"]["name"], "America/New_York", "a zone of one's own wins");
    let names: Vec<&str> = who["zone"]["offsets"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o["abbreviation"].as_str())
        .collect();
    assert!(names.contains(&"EST") && names.contains(&"EDT"), "{names:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_the_password_checks_the_old_one_and_signs_out_other_browsers() {
    let app = spawn_app().await;
    app.user("maya@example.com", "Maya Requester", &[]).await;
    let laptop = app.signed_in("maya@example.com").await;
    let phone = app.signed_in("maya@example.com").await;

    let wrong = [
        ("current_password", "not it at all"),
        ("new_password", NEW_PASSWORD),
        ("confirm_password", NEW_PASSWORD),
    ];
    let (status, json) = app.call(&laptop, "change_password", &wrong).await;
    assert_eq!(status, 422);
    assert!(json["detail"]["current_password"].is_string(), "{json}");
    let weak =
        [("current_password", PASSWORD), ("new_password", "qwertyuiop"), ("confirm_password", "qwertyuiop")];
    let (status, json) = app.call(&laptop, "change_password", &weak).await;
    assert_eq!(status, 422);
    assert!(json["detail"]["new_password"].as_str().unwrap().contains("too easy"), "{json}");
    let mismatch =
        [("current_password", PASSWORD), ("new_password", NEW_PASSWORD), ("confirm_password", "other")];
    assert_eq!(app.call(&laptop, "change_password", &mismatch).await.0, 422);
    assert_eq!(app.call(&phone, "list_my_records", &[]).await.0, 200, "failed attempts end nothing");

    let good =
        [("current_password", PASSWORD), ("new_password", NEW_PASSWORD), ("confirm_password", NEW_PASSWORD)];
    assert_eq!(app.call(&laptop, "change_password", &good).await.0, 200);
    assert_eq!(app.call(&laptop, "list_my_records", &[]).await.0, 200, "this browser stays signed in");
    assert_eq!(app.call(&phone, "list_my_records", &[]).await.0, 401, "the other one is signed out");
    let old = [("email", "maya@example.com"), ("password", PASSWORD)];
    assert_eq!(app.call(&app.client(), "login", &old).await.0, 422);
    let new = [("email", "maya@example.com"), ("password", NEW_PASSWORD)];
    assert_eq!(app.call(&app.client(), "login", &new).await.0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_and_malformed_ids_are_4xx_never_500() {
    let app = spawn_app().await;
    app.user("alex@example.com", "Alex Admin", &[Role::Admin]).await;
    let admin = app.signed_in("alex@example.com").await;
    for (endpoint, fields, expected) in [
        ("admin_get_group", vec![("id", "999")], 404),
        ("admin_user_editor", vec![("id", "999")], 404),
        ("admin_set_user_active", vec![("id", "999"), ("active", "true")], 404),
        ("admin_get_group", vec![("id", "abc")], 422),
        ("admin_set_user_active", vec![("id", "1"), ("active", "maybe")], 422),
        ("get_record", vec![("number", "INC9999999")], 404),
        ("get_record", vec![("number", "'; DROP TABLE records; --")], 404),
        ("admin_save_group", vec![("id", "999"), ("name", "Ghosts")], 404),
        (
            "admin_save_user",
            vec![
                ("name", "Dee"),
                ("email", "dee@example.com"),
                ("department", "999"),
                ("password", NEW_PASSWORD),
            ],
            422,
        ),
        (
            "admin_save_user",
            vec![
                ("name", "Dee"),
                ("email", "dee@example.com"),
                ("groups[]", "999"),
                ("password", NEW_PASSWORD),
            ],
            422,
        ),
        ("admin_save_user", vec![("name", "Dee"), ("email", "dee@example.com"), ("department", "x")], 422),
    ] {
        let (status, json) = app.call(&admin, endpoint, &fields).await;
        assert_eq!(status, expected, "{endpoint} {fields:?}: {json}");
    }
    for path in ["/admin/users/999", "/admin/users/abc", "/admin/groups/abc", "/records/nonsense"] {
        assert_eq!(app.page(&admin, path).await.0, 404, "{path}");
    }
    let (status, json) = app.call(&admin, "admin_list_users", &[("query", "%' OR 1=1 --")]).await;
    assert_eq!(status, 200);
    assert_eq!(json, serde_json::json!([]), "search text is data, not SQL");
}
