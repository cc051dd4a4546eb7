//! A record page beyond its fields: files, links between records (a parent resolves its
//! children), watchers, replies to closed records, and the desk settings agents rely on.

use app::domain::user::Role;

use crate::helpers::{TestApp, spawn_app_with};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR fake but well-headed";

/// Maya and Ida request; Sam is an agent in Network; Alex is an admin. Files over 1 KB are
/// refused.
async fn setup() -> TestApp {
    use app::ssr::store::Store;
    let app = spawn_app_with(|config| config.attachment_max_bytes = 1024).await;
    app.user("maya@example.com", "Maya Requester", &[]).await;
    app.user("ida@example.com", "Ida Other", &[]).await;
    let sam = app.user("sam@example.com", "Sam Agent", &[Role::Agent]).await;
    app.user("alex@example.com", "Alex Admin", &[Role::Agent, Role::Admin]).await;
    let network = app.group("Network").await;
    let mut tx = app.store.begin().await.unwrap();
    Store::insert_group_member(&mut tx, network, sam).await.unwrap();
    tx.commit().await.unwrap();
    app
}

/// An incident Maya reports; its number.
async fn reported(app: &TestApp, title: &str) -> String {
    let maya = app.signed_in("maya@example.com").await;
    let fields = [("title", title), ("reach", "just_me"), ("blocking", "can_work")];
    let (status, number) = app.call(&maya, "report_incident", &fields).await;
    assert_eq!(status, 200, "{number}");
    number.as_str().unwrap().to_owned()
}

async fn record(app: &TestApp, client: &reqwest::Client, number: &str) -> serde_json::Value {
    let (status, page) = app.call(client, "get_record", &[("number", number)]).await;
    assert_eq!(status, 200, "{page}");
    page
}

/// Uploads `files` (name, bytes) to `number`, as a script (`page` false) or a browser form.
async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    number: &str,
    files: &[(&str, &[u8])],
    page: bool,
) -> reqwest::Response {
    let mut form = reqwest::multipart::Form::new();
    for (name, bytes) in files {
        form =
            form.part("files", reqwest::multipart::Part::bytes(bytes.to_vec()).file_name((*name).to_owned()));
    }
    client
        .post(app.url(&format!("/records/{number}/attachments")))
        .header("accept", if page { "text/html" } else { "application/json" })
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// Moves `number` to `state` as `client`, from its current version.
async fn move_to(app: &TestApp, client: &reqwest::Client, number: &str, fields: &[(&str, &str)]) -> u16 {
    let version = record(app, client, number).await["record"]["version"].to_string();
    let mut all = vec![("number", number), ("version", version.as_str())];
    all.extend_from_slice(fields);
    let (status, body) = app.call(client, "move_record", &all).await;
    assert!(status < 500, "{body}");
    status
}

fn stored_files(app: &TestApp) -> usize {
    let dir = app.data_dir().join("attachments");
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|d| d.file_name() != "tmp")
        .map(|d| std::fs::read_dir(d.path()).unwrap().count())
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_are_checked_kept_once_by_hash_and_only_ever_downloaded() {
    let app = setup().await;
    let number = reported(&app, "Printer shows an error").await;
    let maya = app.signed_in("maya@example.com").await;
    let response = upload(
        &app,
        &maya,
        &number,
        &[("C:\\Users\\maya\\error.png", PNG), ("steps.txt", b"1. print")],
        false,
    )
    .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<serde_json::Value>().await.unwrap()["attached"], 2);
    let page = record(&app, &maya, &number).await;
    let files = page["attachments"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["file_name"], "error.png", "the path a browser sent is dropped");
    assert!(page["timeline"].to_string().contains("error.png"), "attaching is on the timeline");

    // The same bytes again are a second attachment but one stored file.
    let response = upload(&app, &maya, &number, &[("again.png", PNG)], false).await;
    assert_eq!(response.status(), 200);
    assert_eq!(stored_files(&app), 2);

    let id = files[0]["id"].to_string();
    let response = maya.get(app.url(&format!("/attachments/{id}/error.png"))).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "image/png");
    assert!(
        headers["content-disposition"].to_str().unwrap().starts_with("attachment; filename=\"error.png\"")
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(response.bytes().await.unwrap().as_ref(), PNG);

    // Someone who can't read the record can't read its files; signed out, nobody can.
    let ida = app.signed_in("ida@example.com").await;
    assert_eq!(ida.get(app.url(&format!("/attachments/{id}/x"))).send().await.unwrap().status(), 404);
    assert_eq!(
        app.client().get(app.url(&format!("/attachments/{id}/x"))).send().await.unwrap().status(),
        401
    );
    assert_eq!(maya.get(app.url("/attachments/abc/x")).send().await.unwrap().status(), 404);
    assert_eq!(
        ida.post(app.url(&format!("/records/{number}/attachments"))).send().await.unwrap().status(),
        404
    );

    // Too large, a refused kind, a file that isn't what its name says: refused with the
    // reason, and nothing of the upload is kept, not even its good files.
    for (files, status, words) in [
        (vec![("big.txt", &[b'a'; 2000][..])], 413, "larger than 1 KB"),
        (vec![("ok.txt", &b"fine"[..]), ("tool.exe", &b"MZ\x90"[..])], 415, "kind of file"),
        (vec![("photo.png", &b"<html><script>"[..])], 415, "doesn't look like a .png"),
        (vec![], 422, "Choose a file"),
    ] {
        let response = upload(&app, &maya, &number, &files, false).await;
        assert_eq!(response.status(), status, "{words}");
        let body = response.json::<serde_json::Value>().await.unwrap();
        assert!(body["detail"]["files"].as_str().unwrap().contains(words), "{body}");
    }
    assert_eq!(record(&app, &maya, &number).await["attachments"].as_array().unwrap().len(), 3);
    assert_eq!(stored_files(&app), 2);

    // A browser form gets the page back with the reason to show beside the field.
    let response = upload(&app, &maya, &number, &[("tool.exe", b"MZ")], true).await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], format!("/records/{number}?attach_error=kind#attachments"));
    let (_, html) = app.page(&maya, &format!("/records/{number}?attach_error=kind")).await;
    assert!(
        html.contains("That kind of file isn&#x27;t taken") || html.contains("That kind of file isn't taken"),
        "{html}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_record_takes_no_replies_or_files_but_says_what_to_do() {
    let app = setup().await;
    let number = reported(&app, "Monitor flickers").await;
    let sam = app.signed_in("sam@example.com").await;
    let resolve = [("state", "resolved"), ("resolution_code", "fixed"), ("resolution_notes", "New cable.")];
    assert_eq!(move_to(&app, &sam, &number, &resolve).await, 200);
    assert_eq!(move_to(&app, &sam, &number, &[("state", "closed")]).await, 200);
    let maya = app.signed_in("maya@example.com").await;
    let reply = [("number", number.as_str()), ("body", "It flickers again"), ("visibility", "public")];
    let (status, body) = app.call(&maya, "add_comment", &reply).await;
    assert_eq!(status, 409, "{body}");
    assert!(body["detail"].as_str().unwrap().contains("Report a new issue"), "{body}");
    assert_eq!(upload(&app, &maya, &number, &[("a.txt", b"x")], false).await.status(), 409);
    let page = record(&app, &maya, &number).await;
    assert_eq!(page["open_to_replies"], false);
    let (_, html) = app.page(&maya, &format!("/records/{number}")).await;
    assert!(html.contains("Report a new issue"), "the page says what to do instead");
    // Agents may still note things for each other.
    let note = [("number", number.as_str()), ("body", "Cable batch was faulty"), ("visibility", "internal")];
    assert_eq!(app.call(&sam, "add_comment", &note).await.0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn links_read_from_both_ends_and_a_parent_resolves_its_children() {
    let app = setup().await;
    let parent = reported(&app, "Third floor switch down").await;
    let child = reported(&app, "No network at desk 3.14").await;
    let other = reported(&app, "Wi-Fi drops on floor three").await;
    let sam = app.signed_in("sam@example.com").await;
    let link = |number: &str, role: &str, to: &str| {
        [("number", number.to_owned()), ("role", role.to_owned()), ("other", to.to_owned())]
    };
    for (fields, status) in [
        (link(&parent, "parent_of", &child), 200),
        (link(&other, "child_of", &parent), 200),
        (link(&parent, "relates_to", &parent), 422),
        (link(&child, "child_of", &parent), 422),
        (link(&child, "parent_of", &other), 422),
        (link(&parent, "caused_by", "INC9999999"), 422),
        (link(&parent, "sibling_of", &child), 422),
    ] {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (got, body) = app.call(&sam, "link_record", &fields).await;
        assert_eq!(got, status, "{fields:?}: {body}");
    }
    let links = record(&app, &sam, &parent).await["links"].clone();
    assert_eq!(links.as_array().unwrap().len(), 2);
    assert!(links.as_array().unwrap().iter().all(|l| l["role"] == "parent_of"), "{links}");
    let from_child = record(&app, &sam, &child).await;
    assert_eq!(from_child["links"][0]["role"], "child_of");
    assert_eq!(from_child["links"][0]["number"], parent.as_str());
    assert!(from_child["timeline"].to_string().contains(&format!("Child of {parent}")));
    let maya = app.signed_in("maya@example.com").await;
    assert_eq!(record(&app, &maya, &child).await["links"], serde_json::json!([]), "links are for agents");

    // One child waits on hold; resolving the parent resolves both with its notes.
    let hold = [("state", "on_hold"), ("hold_reason", "awaiting_caller")];
    assert_eq!(move_to(&app, &sam, &other, &hold).await, 200);
    let resolve =
        [("state", "resolved"), ("resolution_code", "fixed"), ("resolution_notes", "Replaced the switch.")];
    assert_eq!(move_to(&app, &sam, &parent, &resolve).await, 200);
    for number in [&child, &other] {
        let page = record(&app, &maya, number).await;
        assert_eq!(page["record"]["state"], "resolved", "{number}");
        assert_eq!(page["record"]["resolution_notes"], "Replaced the switch.");
        assert!(page["timeline"].to_string().contains(&format!("Resolved with its parent {parent}")));
    }
    let (_, inbox) = app.call(&maya, "my_notifications", &[]).await;
    let resolved = inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["text"].as_str().unwrap().contains("resolved"))
        .count();
    assert_eq!(resolved, 3, "{inbox}");

    let fields = [("number", child.as_str()), ("role", "child_of"), ("other", parent.as_str())];
    assert_eq!(app.call(&sam, "unlink_record", &fields).await.0, 200);
    assert_eq!(record(&app, &sam, &parent).await["links"].as_array().unwrap().len(), 1);
    assert_eq!(app.call(&sam, "unlink_record", &fields).await.0, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watchers_read_the_record_and_hear_of_replies() {
    let app = setup().await;
    let number = reported(&app, "Shared drive is slow").await;
    let sam = app.signed_in("sam@example.com").await;
    let ida = app.signed_in("ida@example.com").await;
    assert_eq!(app.call(&ida, "get_record", &[("number", number.as_str())]).await.0, 404);
    let add = [("number", number.as_str()), ("email", "IDA@example.com ")];
    assert_eq!(app.call(&sam, "add_watcher", &add).await.0, 200);
    let (status, again) = app.call(&sam, "add_watcher", &add).await;
    assert_eq!((status, again["detail"]["email"].as_str()), (422, Some("They already watch it.")));
    let unknown = [("number", number.as_str()), ("email", "nobody@example.com")];
    assert_eq!(app.call(&sam, "add_watcher", &unknown).await.0, 422);
    let page = record(&app, &ida, &number).await;
    assert_eq!(page["record"]["number"], number.as_str());
    let watchers = record(&app, &sam, &number).await["watchers"].clone();
    assert_eq!(watchers[0][1], "Ida Other");

    let reply = [("number", number.as_str()), ("body", "Looking at it now."), ("visibility", "public")];
    assert_eq!(app.call(&sam, "add_comment", &reply).await.0, 200);
    let (_, inbox) = app.call(&ida, "my_notifications", &[]).await;
    assert!(inbox["items"].to_string().contains("Sam Agent replied"), "{inbox}");
    let note = [("number", number.as_str()), ("body", "Secret"), ("visibility", "internal")];
    assert_eq!(app.call(&sam, "add_comment", &note).await.0, 200);
    assert!(
        !record(&app, &ida, &number).await.to_string().contains("Secret"),
        "watchers never read work notes"
    );

    let id = watchers[0][0].to_string();
    let remove = [("number", number.as_str()), ("user", id.as_str())];
    assert_eq!(app.call(&sam, "remove_watcher", &remove).await.0, 200);
    assert_eq!(app.call(&ida, "get_record", &[("number", number.as_str())]).await.0, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_keep_the_matrix_and_the_canned_responses_agents_insert() {
    let app = setup().await;
    let alex = app.signed_in("alex@example.com").await;
    let cells = |values: [&'static str; 9]| values.map(|v| ("cells[]", v));
    let (status, body) =
        app.call(&alex, "admin_save_matrix", &cells(["1", "2", "3", "2", "2", "4", "3", "4", "5"])).await;
    assert_eq!(status, 200, "{body}");
    let (_, settings) = app.call(&alex, "load_desk_settings", &[]).await;
    assert_eq!(settings["matrix"]["cells"][1][1], 2);
    let number = reported(&app, "VPN drops").await;
    let sam = app.signed_in("sam@example.com").await;
    let page = record(&app, &sam, &number).await;
    let version = page["record"]["version"].to_string();
    let update =
        [("number", number.as_str()), ("version", version.as_str()), ("impact", "2"), ("urgency", "2")];
    assert_eq!(app.call(&sam, "update_record", &update).await.0, 200);
    assert_eq!(record(&app, &sam, &number).await["record"]["priority"], 2, "the new matrix decides");
    let (status, body) =
        app.call(&alex, "admin_save_matrix", &cells(["4", "2", "3", "2", "3", "4", "3", "4", "5"])).await;
    assert_eq!(status, 422);
    assert!(body["detail"]["matrix"].as_str().unwrap().contains("lower priority"), "{body}");

    let canned = [("title", "Restart first"), ("body", "Please restart and tell us.")];
    assert_eq!(app.call(&alex, "admin_save_canned", &canned).await.0, 200);
    let (status, body) = app.call(&alex, "admin_save_canned", &canned).await;
    assert_eq!((status, body["detail"]["title"].is_string()), (422, true), "{body}");
    let (status, body) = app.call(&alex, "admin_save_canned", &[("title", ""), ("body", "")]).await;
    assert!(status == 422 && body["detail"]["body"].is_string(), "{body}");
    let page = record(&app, &sam, &number).await;
    assert_eq!(page["canned"][0]["title"], "Restart first");
    let maya = app.signed_in("maya@example.com").await;
    assert_eq!(record(&app, &maya, &number).await["canned"], serde_json::json!([]));
    assert_eq!(app.call(&sam, "admin_save_canned", &canned).await.0, 403);
    let id = page["canned"][0]["id"].to_string();
    let edit = [("id", id.as_str()), ("title", "Restart first"), ("body", "Restart, then tell us.")];
    assert_eq!(app.call(&alex, "admin_save_canned", &edit).await.0, 200);
    assert_eq!(app.call(&alex, "admin_delete_canned", &[("id", id.as_str())]).await.0, 200);
    assert_eq!(app.call(&alex, "admin_delete_canned", &[("id", id.as_str())]).await.0, 404);
    assert_eq!(record(&app, &sam, &number).await["canned"], serde_json::json!([]));
}

/// Posts the report form to `/incidents` as a browser does, with `files`.
async fn post_report(
    app: &TestApp,
    client: &reqwest::Client,
    fields: &[(&str, &str)],
    files: &[(&str, &[u8])],
) -> reqwest::Response {
    let mut form = reqwest::multipart::Form::new();
    for (name, value) in fields {
        form = form.text((*name).to_owned(), (*value).to_owned());
    }
    for (name, bytes) in files {
        form =
            form.part("files", reqwest::multipart::Part::bytes(bytes.to_vec()).file_name((*name).to_owned()));
    }
    client.post(app.url("/incidents")).header("accept", "text/html").multipart(form).send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_form_takes_files_and_comes_back_as_it_was_left() {
    let app = setup().await;
    let maya = app.signed_in("maya@example.com").await;
    let fields =
        [("title", "Label printer jams"), ("reach", "my_team"), ("blocking", "blocked"), ("service", "")];
    let response = post_report(&app, &maya, &fields, &[("jam.png", PNG)]).await;
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let number = location.strip_prefix("/records/").unwrap().strip_suffix("?reported=1").unwrap();
    let page = record(&app, &maya, number).await;
    assert_eq!(page["record"]["title"], "Label printer jams");
    assert_eq!(page["attachments"][0]["file_name"], "jam.png");

    // No title and a refused file: nothing is made, and the form comes back as it was left.
    let (_, before) = app.call(&maya, "list_my_records", &[]).await;
    let fields = [
        ("title", " "),
        ("description", "Smoke from the back, really"),
        ("reach", "my_team"),
        ("blocking", "blocked"),
    ];
    let response = post_report(&app, &maya, &fields, &[("fix.exe", b"MZ")]).await;
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/report?draft="), "{location}");
    let (_, after) = app.call(&maya, "list_my_records", &[]).await;
    assert_eq!(before, after, "no incident was made");
    let (status, html) = app.page(&maya, &location).await;
    assert_eq!(status, 200);
    assert!(html.contains("Smoke from the back, really"), "what was typed is back");
    assert!(html.contains("Give it a short title."), "the problem is beside the title");
    assert!(html.contains("fix.exe is a kind of file the portal doesn"), "and beside the files");
    let radio = html.split("<input").find(|tag| tag.contains(r#"value="my_team""#)).unwrap();
    assert!(radio.split('>').next().unwrap().contains("checked"), "the choice is kept: {radio}");

    // Another person's draft is not theirs to read.
    let ida = app.signed_in("ida@example.com").await;
    let (_, html) = app.page(&ida, &location).await;
    assert!(!html.contains("Smoke from the back"), "drafts are their owner's");

    // A script gets the problems as JSON.
    let mut form = reqwest::multipart::Form::new();
    form = form.text("title", "").text("reach", "everyone");
    let response = maya
        .post(app.url("/incidents"))
        .header("accept", "application/json")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let body = response.json::<serde_json::Value>().await.unwrap();
    assert!(body["detail"]["title"].is_string() && body["detail"]["reach"].is_string(), "{body}");
}
