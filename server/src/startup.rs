//! Start-up: data dir, database, migrations, demo data, the router, the listener, and a
//! graceful shutdown. Every failure here is a clear sentence and a non-zero exit.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::{Context, anyhow, bail};
use app::context::AssetRoot;
use app::ssr::auth::{SessionConfig, resolve_session};
use app::ssr::http::server_fn_status;
use app::ssr::page_data::PageData;
use app::ssr::security::{PublicUrl, require_same_origin, security_headers};
use app::ssr::service::attachments::Attachments;
use app::ssr::store::Store;
use app::ssr::{AppState, LoginThrottle};
use app::{App, shell};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::State;
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::serve::ListenerExt;
use leptos::prelude::*;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::timeout::ResponseBodyTimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::demo::{self, DemoAccounts};
use crate::pace::{Pace, paced};
use crate::{assets, files};

pub struct Config {
    pub addr: SocketAddr,
    pub data_dir: PathBuf,
    /// The PostgreSQL database (`postgres://…`); without it, SQLite in the data dir.
    pub database_url: Option<String>,
    pub demo: bool,
    pub public_url: Option<PublicUrl>,
    pub sessions: SessionConfig,
    pub throttle: LoginThrottle,
    /// How long after fulfilment a request closes by itself.
    pub request_close_after: chrono::Duration,
    /// The largest file that may be attached.
    pub attachment_max_bytes: u64,
    /// How often the service-level job brings clocks up to date and raises warnings and
    /// breaches.
    pub sla_every: std::time::Duration,
    /// How fast a request body must keep arriving.
    pub pace: Pace,
    /// After SIGTERM, how long requests in flight may take before the server stops anyway.
    pub shutdown_grace: std::time::Duration,
}

impl Config {
    /// Defaults for everything but where to listen and keep data.
    pub fn new(addr: SocketAddr, data_dir: PathBuf) -> Self {
        Self {
            addr,
            data_dir,
            database_url: None,
            demo: false,
            public_url: None,
            sessions: SessionConfig::default(),
            throttle: LoginThrottle::default(),
            request_close_after: chrono::Duration::days(7),
            attachment_max_bytes: app::domain::attachment::DEFAULT_MAX_BYTES,
            sla_every: std::time::Duration::from_secs(30),
            pace: Pace::default(),
            shutdown_grace: std::time::Duration::from_secs(10),
        }
    }
}

pub const DATABASE_FILE: &str = "switchboard.db";

/// Creates the data dir if needed, proves it writable, opens the database (PostgreSQL at
/// `database_url`, else SQLite in the data dir) and migrates it.
pub async fn open_store(data_dir: &Path, database_url: Option<&str>) -> anyhow::Result<Store> {
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("cannot create the data dir {}", data_dir.display()))?;
    let probe = data_dir.join(".switchboard-write-test");
    std::fs::write(&probe, b"ok")
        .and_then(|()| std::fs::remove_file(&probe))
        .with_context(|| format!("the data dir {} is not writable", data_dir.display()))?;

    let (store, name) = match database_url {
        Some(url) => {
            let name = format!("the PostgreSQL database {}", without_password(url));
            (Store::connect(url).await.map_err(|e| anyhow!("cannot connect to {name}: {e}"))?, name)
        }
        None => {
            let path = data_dir.join(DATABASE_FILE);
            let name = format!("the database {}", path.display());
            (Store::open(&path).await.map_err(|e| anyhow!("cannot open {name}: {e}"))?, name)
        }
    };
    match store.migrate().await {
        Ok(()) => {
            store.optimize(false).await.context("cannot refresh the database's statistics")?;
            Ok(store)
        }
        Err(sqlx::migrate::MigrateError::VersionMissing(version)) => bail!(
            "{name} was written by a newer Switchboard (it has schema {version}; this binary knows \
             up to {}). Run the newer version, or restore a backup made for this one.",
            store.schema_version()
        ),
        Err(e) => Err(anyhow!("cannot bring {name} up to date: {e}")),
    }
}

/// A database URL fit for messages and logs: its password replaced by `***`.
pub fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let Some((credentials, place)) = rest.rsplit_once('@') else { return url.to_owned() };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{place}"),
        None => url.to_owned(),
    }
}

pub struct Application {
    listener: tokio::net::TcpListener,
    addr: SocketAddr,
    router: Router,
    store: Store,
    demo: Option<DemoAccounts>,
    request_close_after: chrono::Duration,
    sla_every: std::time::Duration,
    shutdown_grace: std::time::Duration,
    /// Listening for SIGTERM from the start, so a stop sent as soon as the address is
    /// printed is a clean stop, not the default kill.
    #[cfg(unix)]
    terminate: Option<tokio::signal::unix::Signal>,
}

impl Application {
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let store = open_store(&config.data_dir, config.database_url.as_deref()).await?;
        let demo = if config.demo { Some(demo::ensure(&store).await?) } else { None };
        let listener = tokio::net::TcpListener::bind(config.addr).await.map_err(|e| match e.kind() {
            std::io::ErrorKind::AddrInUse => {
                anyhow!("the address {} is already in use; stop the other server or pass --addr", config.addr)
            }
            _ => anyhow!("cannot listen on {}: {e}", config.addr),
        })?;
        let addr = listener.local_addr()?;
        let router = router(
            AppState {
                store: store.clone(),
                leptos_options: leptos_options(addr),
                sessions: config.sessions,
                public_url: config.public_url,
                throttle: config.throttle,
                attachments: Attachments::new(&config.data_dir, config.attachment_max_bytes),
            },
            config.pace,
        );
        Ok(Self {
            listener,
            addr,
            router,
            store,
            demo,
            request_close_after: config.request_close_after,
            sla_every: config.sla_every,
            shutdown_grace: config.shutdown_grace,
            #[cfg(unix)]
            terminate: tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok(),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn store(&self) -> Store {
        self.store.clone()
    }

    pub fn demo_accounts(&self) -> Option<&DemoAccounts> {
        self.demo.as_ref()
    }

    /// Serves until SIGTERM or Ctrl-C, then lets requests in flight finish, for the
    /// shutdown grace at most.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        // Without TCP_NODELAY every keep-alive response waits ~40 ms for Nagle's algorithm.
        let listener = self.listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        // The peer address feeds per-address sign-in throttling.
        let service = self.router.into_make_service_with_connect_info::<SocketAddr>();
        let housekeeping = tokio::spawn(housekeeping(self.store.clone(), self.request_close_after));
        let service_levels = tokio::spawn(service_levels(self.store.clone(), self.sla_every));
        #[cfg(unix)]
        let stop = shutdown_signal(self.terminate);
        #[cfg(not(unix))]
        let stop = shutdown_signal();
        let (stopping, mut stopped) = tokio::sync::watch::channel(false);
        let stop = async move {
            stop.await;
            let _ = stopping.send(true);
        };
        let serving = axum::serve(listener, service).with_graceful_shutdown(stop).into_future();
        let grace = self.shutdown_grace;
        let overdue = async move {
            if stopped.wait_for(|stopped| *stopped).await.is_ok() {
                tokio::time::sleep(grace).await;
            } else {
                std::future::pending::<()>().await;
            }
        };
        tokio::select! {
            served = serving => served?,
            () = overdue => tracing::warn!(?grace, "requests still in flight at the end of the shutdown grace were dropped"),
        }
        housekeeping.abort();
        service_levels.abort();
        // A request dropped mid-way may still hold a connection for a moment.
        if tokio::time::timeout(std::time::Duration::from_secs(2), self.store.close()).await.is_err() {
            tracing::warn!("the database was still busy at shutdown; its log is kept for the next start");
        }
        tracing::info!("stopped");
        Ok(())
    }
}

/// Work nobody asks for: closes requests fulfilled long enough ago, now and every ten minutes.
async fn housekeeping(store: Store, close_after: chrono::Duration) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
    loop {
        every.tick().await;
        match app::ssr::service::approvals::close_fulfilled(&store, close_after, chrono::Utc::now()).await {
            Ok(0) => {}
            Ok(closed) => tracing::info!(closed, "closed fulfilled requests"),
            Err(error) => tracing::warn!(?error, "closing fulfilled requests failed"),
        }
    }
}

/// Raises service-level warnings and breaches: at start (catching up on any that came while
/// the portal was down) and every `every` after.
async fn service_levels(store: Store, every: std::time::Duration) {
    let mut every = tokio::time::interval(every);
    loop {
        every.tick().await;
        match app::ssr::service::sla::tick(&store, chrono::Utc::now()).await {
            Ok(raised) if raised.warnings + raised.breaches > 0 => {
                tracing::info!(raised.warnings, raised.breaches, "service levels");
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(?error, "the service-level job failed"),
        }
    }
}

fn leptos_options(addr: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("switchboard")
        .site_pkg_dir("pkg")
        // Assets are served from the binary (see `assets`), never from this directory.
        .site_root("/nonexistent/switchboard-site")
        .site_addr(addr)
        .build()
}

/// The portal's routes, generated once per process. Generating renders the app with resource
/// loading switched off for the whole process (leptos_server's `SuppressResourceLoad` is one
/// global flag), so a page rendering meanwhile, in any server of the process, would wait
/// forever for its data: it must happen once, before anything is served.
pub fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(state: AppState, pace: Pace) -> Router {
    let routes = route_list();
    let asset_root = AssetRoot(format!("/_v/{}", assets::build_id()));
    let chunks = assets::chunk_manifest();
    let context = move || {
        provide_context(asset_root.clone());
        provide_context(chunks.for_page());
        provide_context(PageData::default());
    };
    let options = state.leptos_options.clone();
    let fallback_page = leptos_axum::render_app_async_with_context(
        {
            let (context, state) = (context.clone(), state.clone());
            move || {
                provide_context(state.clone());
                context();
            }
        },
        move || shell(options.clone()),
    );

    Router::new()
        .route("/healthz", get(healthz))
        .route(
            "/records/{number}/attachments",
            post(files::upload).layer(DefaultBodyLimit::max(upload_limit(state.attachments.max_bytes))),
        )
        .route("/attachments/{id}/{name}", get(files::download))
        .route("/reports/service-levels.csv", get(crate::reports::attainment_csv))
        .route("/cmdb/export.csv", get(crate::reports::cis_csv))
        .route(
            "/incidents",
            post(files::report).layer(DefaultBodyLimit::max(upload_limit(state.attachments.max_bytes))),
        )
        .leptos_routes_with_context(&state, routes, context, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(move |req: Request<axum::body::Body>| {
            let fallback_page = fallback_page.clone();
            async move {
                if let Some(asset) = assets::serve(req.uri().path(), req.headers()) {
                    return asset;
                }
                let mut response = fallback_page(req).await;
                if response.status() == StatusCode::OK {
                    *response.status_mut() = StatusCode::NOT_FOUND;
                }
                response
            }
        })
        .layer(axum::middleware::from_fn_with_state(state.clone(), resolve_session))
        .layer(axum::middleware::from_fn(server_fn_status))
        .layer(axum::middleware::from_fn_with_state(state.clone(), require_same_origin))
        .layer(axum::middleware::from_fn_with_state(state.clone(), security_headers))
        // A page that doesn't answer, or a response body that produces nothing, for this
        // long is ended and logged instead of holding the connection open.
        .layer(axum::middleware::from_fn_with_state(RESPONSE_STALL_LIMIT, answer_within))
        .layer(ResponseBodyTimeoutLayer::new(RESPONSE_STALL_LIMIT))
        .layer(axum::middleware::from_fn_with_state(pace, paced))
        // Brotli's quality 1 (gzip's level 1): a record page costs 0.4 ms to compress instead
        // of 1.5 ms at the default quality 4, for 15 % more bytes. Assets are precompressed
        // at the best quality when built.
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(1)))
        .layer(axum::middleware::from_fn(server_timing))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request<_>| {
                    tracing::info_span!("http", method = %req.method(), path = %req.uri().path())
                })
                .on_request(())
                .on_response(DefaultOnResponse::new().level(Level::INFO).latency_unit(tower_http::LatencyUnit::Micros)),
        )
        .with_state(state)
}

/// How long a response body may produce nothing before it is ended. Pages render in
/// milliseconds and files stream from disk, so only a stalled render reaches it.
pub const RESPONSE_STALL_LIMIT: std::time::Duration = std::time::Duration::from_secs(30);

/// Answers 503 (with `Retry-After`) for a GET whose handler hasn't answered within
/// `limit`, and logs it. Only reads: an upload may take as long as the connection needs.
async fn answer_within(
    State(limit): State<std::time::Duration>,
    req: Request<axum::body::Body>,
    next: axum::middleware::Next,
) -> Response {
    if !matches!(*req.method(), axum::http::Method::GET | axum::http::Method::HEAD) {
        return next.run(req).await;
    }
    let path = req.uri().path().to_owned();
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::error!(%path, "no answer in time; sent 503");
            let message = "This page took too long to answer. Please reload it.";
            (StatusCode::SERVICE_UNAVAILABLE, [(axum::http::header::RETRY_AFTER, "1")], message)
                .into_response()
        }
    }
}

/// The largest upload request: as many files as one upload takes, each at the limit, and
/// room for the form around them.
fn upload_limit(max_bytes: u64) -> usize {
    let files = app::domain::attachment::FILES_PER_UPLOAD as u64;
    usize::try_from(max_bytes.saturating_mul(files).saturating_add(1024 * 1024)).unwrap_or(usize::MAX)
}

/// `Server-Timing: app;dur=…`: how long the server took to produce the response, in ms, for
/// `switchboard bench` and the browser's developer tools.
async fn server_timing(req: Request<axum::body::Body>, next: axum::middleware::Next) -> Response {
    let started = std::time::Instant::now();
    let mut response = next.run(req).await;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if let Ok(value) = axum::http::HeaderValue::from_str(&format!("app;dur={ms:.2}")) {
        response.headers_mut().insert("server-timing", value);
    }
    response
}

async fn healthz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => axum::Json(serde_json::json!({ "status": "ok", "database": "reachable" })).into_response(),
        Err(error) => {
            tracing::error!(?error, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(serde_json::json!({ "status": "error", "database": "unreachable" })),
            )
                .into_response()
        }
    }
}

async fn shutdown_signal(#[cfg(unix)] terminate: Option<tokio::signal::unix::Signal>) {
    // An error means Ctrl-C can't be heard (no signal driver), not that it was pressed.
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        // `None` from `recv` means no signal can arrive any more (the runtime's signal
        // driver is gone), not that one did: keep serving.
        let arrived = match terminate {
            Some(mut signal) => signal.recv().await.is_some(),
            None => false,
        };
        if !arrived {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down; finishing requests in flight");
}

#[cfg(test)]
mod tests {
    use axum::routing::{get, post};
    use tower::ServiceExt;

    use super::*;

    async fn never() -> &'static str {
        std::future::pending::<()>().await;
        "never"
    }

    #[tokio::test]
    async fn a_read_that_never_answers_gets_a_503_in_time_and_a_write_is_left_alone() {
        let limit = std::time::Duration::from_millis(50);
        let app = Router::new()
            .route("/stuck", get(never))
            .route("/fine", get(|| async { "fine" }))
            .route(
                "/upload",
                post(|| async {
                    tokio::time::sleep(std::time::Duration::from_millis(120)).await;
                    "uploaded"
                }),
            )
            .layer(axum::middleware::from_fn_with_state(limit, answer_within));
        let call = |method: &str, path: &str| {
            Request::builder().method(method).uri(path).body(axum::body::Body::empty()).unwrap()
        };
        let stuck = app.clone().oneshot(call("GET", "/stuck")).await.unwrap();
        assert_eq!(stuck.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(stuck.headers()["retry-after"], "1");
        assert_eq!(app.clone().oneshot(call("GET", "/fine")).await.unwrap().status(), StatusCode::OK);
        let upload = app.oneshot(call("POST", "/upload")).await.unwrap();
        assert_eq!(upload.status(), StatusCode::OK, "writes may take longer than the limit");
    }
}
