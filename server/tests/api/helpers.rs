//! `spawn_app()`: starts the application exactly as `switchboard serve` does, on port 0,
//! on a fresh database of the backend the tests run on.

use app::domain::approval::{ApprovalStep, FulfilmentPlan};
use app::domain::ids::{GroupId, UserId};
use app::domain::record::{RecordKind, Title};
use app::domain::user::Role;
use app::ssr::auth::hash_password;
use app::ssr::service::records::create_record;
use app::ssr::store::{NewCatalogItem, NewRecord, NewUser, Store};
use server::startup::{Application, Config};

pub const PASSWORD: &str = "a long test password";

pub struct TestApp {
    pub base: String,
    pub store: Store,
    /// The PostgreSQL database the app runs on, when the tests run on PostgreSQL.
    pub database_url: Option<String>,
    _dir: tempfile::TempDir,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts the application with `adjust` applied to the default test configuration.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::new("127.0.0.1:0".parse().unwrap(), dir.path().to_owned());
    config.database_url = app::ssr::store::fresh_test_database().await.unwrap();
    adjust(&mut config);
    let database_url = config.database_url.clone();
    let app = Application::build(config).await.unwrap();
    let base = format!("http://{}", app.addr());
    let store = app.store();
    tokio::spawn(app.run_until_stopped());
    TestApp { base, store, database_url, _dir: dir }
}

impl TestApp {
    pub fn data_dir(&self) -> std::path::PathBuf {
        self._dir.path().to_owned()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn user(&self, email: &str, name: &str, roles: &[Role]) -> UserId {
        self.user_managed_by(email, name, roles, None).await
    }

    pub async fn user_managed_by(
        &self,
        email: &str,
        name: &str,
        roles: &[Role],
        manager: Option<UserId>,
    ) -> UserId {
        let hash = hash_password(PASSWORD).unwrap();
        let mut tx = self.store.begin().await.unwrap();
        let new = NewUser {
            email,
            name,
            password_hash: Some(&hash),
            department: None,
            manager,
            time_zone: "UTC",
            roles,
        };
        let id = Store::insert_user(&mut tx, &new, chrono::Utc::now()).await.unwrap();
        tx.commit().await.unwrap();
        id
    }

    pub async fn group(&self, name: &str) -> GroupId {
        let mut tx = self.store.begin().await.unwrap();
        let id = Store::insert_group(&mut tx, name, "").await.unwrap();
        tx.commit().await.unwrap();
        id
    }

    /// A catalog item `slug` in a category of its own, fulfilled by `group`, with `form`
    /// (JSON of a `FormSchema`) as its form.
    pub async fn catalog_item_with_form(&self, slug: &str, name: &str, group: Option<GroupId>, form: &str) {
        let mut tx = self.store.begin().await.unwrap();
        let category = Store::insert_category(&mut tx, slug, "Hardware", "", "laptop", 1).await.unwrap();
        let item = NewCatalogItem {
            slug,
            name,
            summary: "A summary",
            description: "A description",
            icon: "laptop",
            fulfilment_group: group,
            service: None,
        };
        let id = Store::insert_catalog_item(&mut tx, category, &item, 1).await.unwrap();
        let schema: app::domain::form::FormSchema = serde_json::from_str(form).unwrap();
        assert_eq!(app::domain::form::validate_schema(&schema), Ok(()));
        Store::save_form(&mut tx, id, &schema, chrono::Utc::now()).await.unwrap();
        tx.commit().await.unwrap();
    }

    /// Gives catalog item `slug` its approval steps and fulfilment tasks.
    pub async fn plan(&self, slug: &str, steps: &[ApprovalStep], plan: &FulfilmentPlan) {
        let item = self.store.find_catalog_item(slug).await.unwrap().unwrap().item.id;
        let mut tx = self.store.begin().await.unwrap();
        Store::set_item_plan(&mut tx, item, steps, plan).await.unwrap();
        tx.commit().await.unwrap();
    }

    /// A catalog item `slug` in a category of its own, with no form.
    pub async fn catalog_item(&self, slug: &str, name: &str) {
        self.catalog_item_with_form(slug, name, None, r#"{"fields": []}"#).await;
    }

    pub async fn record(&self, kind: RecordKind, requester: UserId, title: &str) -> String {
        let record = NewRecord::new(kind, requester, Title::parse(title).unwrap(), chrono::Utc::now());
        create_record(&self.store, &record).await.unwrap().1.to_string()
    }

    /// A browser-like client of this portal's own pages: keeps cookies, does not follow
    /// redirects, and says its requests come from the portal (as `Sec-Fetch-Site` would).
    pub fn client(&self) -> reqwest::Client {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("sec-fetch-site", reqwest::header::HeaderValue::from_static("same-origin"));
        // A request the portal never answers fails the test, naming the request.
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(45))
            .default_headers(headers)
            .build()
            .unwrap()
    }

    /// Posts the sign-in form with `client`, as a plain browser form when `as_page` is set
    /// (the browser then expects a page back), else as the hydrated app's call does.
    pub async fn post_login(
        &self,
        client: &reqwest::Client,
        fields: &[(&str, &str)],
        as_page: bool,
    ) -> reqwest::Response {
        let accept = if as_page { "text/html" } else { "application/json" };
        client.post(self.url("/api/login")).header("accept", accept).form(fields).send().await.unwrap()
    }

    /// Calls server function `name` as the hydrated app does, returning status and JSON body.
    pub async fn call(
        &self,
        client: &reqwest::Client,
        name: &str,
        fields: &[(&str, &str)],
    ) -> (u16, serde_json::Value) {
        let response = client
            .post(self.url(&format!("/api/{name}")))
            .header("accept", "application/json")
            .form(fields)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)))
    }

    /// The page at `path` as `client` sees it.
    pub async fn page(&self, client: &reqwest::Client, path: &str) -> (u16, String) {
        let response = client.get(self.url(path)).header("accept", "text/html").send().await.unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    }

    /// Signs in through the same form post a browser without JavaScript sends.
    pub async fn signed_in(&self, email: &str) -> reqwest::Client {
        let client = self.client();
        let fields = [("email", email), ("password", PASSWORD), ("next", "/requests")];
        let response = self.post_login(&client, &fields, true).await;
        assert_eq!(response.status(), 302, "sign-in should redirect");
        assert_eq!(response.headers()["location"], "/requests");
        client
    }
}

/// `s` encoded for a query string.
pub fn query(s: &str) -> String {
    app::fmt::query_value(s)
}

/// The impact and urgency that give priority `level` through the default matrix.
pub fn levels_for(level: u8) -> (app::domain::record::Impact, app::domain::record::Urgency) {
    use app::domain::record::{Impact, Urgency};
    match level {
        1 => (Impact::High, Urgency::High),
        2 => (Impact::High, Urgency::Medium),
        3 => (Impact::Medium, Urgency::Medium),
        4 => (Impact::Medium, Urgency::Low),
        _ => (Impact::Low, Urgency::Low),
    }
}
