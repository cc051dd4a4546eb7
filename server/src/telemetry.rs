//! Logging: one structured line per request (method, path, status, duration) and whatever
//! the code logs. `RUST_LOG` overrides the default level; `SWITCHBOARD_LOG_JSON=1` emits JSON.

use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_target(false);
    let result = if std::env::var_os("SWITCHBOARD_LOG_JSON").is_some() {
        builder.json().try_init()
    } else {
        builder.compact().try_init()
    };
    // A second init (tests start many apps in one process) keeps the first subscriber.
    drop(result);
}
