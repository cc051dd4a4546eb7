//! Script payloads in every text field the portal has, then every page that shows them:
//! nothing may come out as live markup, only as text.

use app::domain::record::{RecordKind, Title};
use app::domain::user::Role;
use app::ssr::markup::{ATTACK_PAYLOADS, live_markup};
use app::ssr::service::records::create_record;
use app::ssr::store::NewRecord;

use crate::helpers::spawn_app;

const MARKER: &str = "window.__xss";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn script_payloads_in_every_text_field_render_inert() {
    let app = spawn_app().await;
    let maya = app.user("maya@example.com", "Maya Requester", &[]).await;
    app.user("sam@example.com", "Sam Agent", &[Role::Agent]).await;
    app.user("alex@example.com", "Alex Admin", &[Role::Admin]).await;
    let requester = app.signed_in("maya@example.com").await;
    let agent = app.signed_in("sam@example.com").await;
    let admin = app.signed_in("alex@example.com").await;

    for (n, payload) in ATTACK_PAYLOADS.iter().enumerate() {
        // Every form: profile name, a person's name, a group's name and description,
        // replies and work notes; record titles and descriptions as raised.
        let (status, _) =
            app.call(&requester, "update_profile", &[("name", payload), ("time_zone", "UTC")]).await;
        assert_eq!(status, 200, "profile name {payload}");
        let email = format!("person{n}@example.com");
        let person =
            [("name", *payload), ("email", email.as_str()), ("password", "copper kettle under violet rain")];
        let (status, person) = app.call(&admin, "admin_save_user", &person).await;
        assert!(status < 400, "person name {payload}: {person}");
        let group_name = format!("{payload} {n}");
        let (status, group) = app
            .call(&admin, "admin_save_group", &[("name", group_name.as_str()), ("description", payload)])
            .await;
        assert!(status < 400, "group {payload}: {group}");
        let mut record =
            NewRecord::new(RecordKind::Incident, maya, Title::parse(payload).unwrap(), chrono::Utc::now());
        record.description = (*payload).to_owned();
        let number = create_record(&app.store, &record).await.unwrap().1.to_string();
        for visibility in ["public", "internal"] {
            let fields = [("number", number.as_str()), ("body", payload), ("visibility", visibility)];
            assert_eq!(app.call(&agent, "add_comment", &fields).await.0, 200);
        }

        let pages = [
            (&requester, format!("/records/{number}")),
            (&requester, "/requests".to_owned()),
            (&requester, "/profile".to_owned()),
            (&agent, format!("/records/{number}")),
            (&agent, "/queue".to_owned()),
            (&admin, "/admin/users".to_owned()),
            (&admin, format!("/admin/users/{}", person.as_i64().unwrap())),
            (&admin, "/admin/groups".to_owned()),
            (&admin, format!("/admin/groups/{}", group.as_i64().unwrap())),
            (&admin, format!("/admin/users?q={}", crate::helpers::query(payload))),
            (&app.client(), format!("/login?next={}", crate::helpers::query(payload))),
        ];
        for (client, path) in pages {
            let (status, html) = app.page(client, &path).await;
            assert_eq!(status, 200, "{path}");
            assert_eq!(live_markup(&html, MARKER), Vec::<String>::new(), "{payload:?} on {path}");
            if !path.starts_with("/login") {
                assert!(html.contains("__xss"), "{path} should show the payload as text");
            }
        }
    }
}
