//! The command line: `serve`, `migrate`, `generate`, `bench`, `--help`. Every option can also come from the
//! environment, so a service manager needs no flags.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use app::ssr::LoginThrottle;
use app::ssr::auth::SessionConfig;
use app::ssr::security::PublicUrl;

use crate::startup::{Application, Config, open_store};

#[derive(Debug, Parser)]
#[command(name = "switchboard", version, about = "Switchboard: the IT service desk portal.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the portal.
    Serve(ServeArgs),
    /// Bring the database up to this version's schema, then exit.
    Migrate(DataDirArg),
    /// Fill a data dir with the demo organisation and N records of history, for trying and
    /// measuring the portal at scale.
    Generate(GenerateArgs),
    /// Measure a running portal over HTTP: queue views, a record page, the queue's server
    /// function one at a time, or the catalog, queue, record page and incident reports
    /// under load (`--connections`). Prints p50/p95/p99 and requests per second.
    Bench(BenchCliArgs),
    /// Copy a SQLite data dir's database into an empty PostgreSQL database (the portal may
    /// keep serving from the data dir meanwhile), then exit with the rows of each table.
    Copy(CopyArgs),
}

#[derive(Debug, Args)]
pub struct CopyArgs {
    /// The data dir whose database is copied.
    #[arg(long)]
    pub from: PathBuf,
    /// The empty PostgreSQL database to copy into, e.g. postgres://switchboard@db/switchboard.
    #[arg(long, value_parser = database_url)]
    pub to: String,
    /// Copy the sessions too, so that nobody has to sign in again.
    #[arg(long)]
    pub sessions: bool,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// How many records to add.
    #[arg(long, value_parser = clap::value_parser!(u64).range(0..=20_000_000))]
    pub records: u64,
    /// How many configuration items to add, with about three relations each; one for every
    /// ten records (at least 1,000) unless given, 0 for none.
    #[arg(long, value_parser = clap::value_parser!(u64).range(0..=5_000_000))]
    pub cis: Option<u64>,
    #[command(flatten)]
    pub data: DataDirArg,
    /// The random seed: the same seed and size give the same history.
    #[arg(long, default_value_t = 20_261_124)]
    pub seed: u64,
}

#[derive(Debug, Args)]
pub struct BenchCliArgs {
    /// The portal to measure, e.g. http://127.0.0.1:3000.
    #[arg(long)]
    pub url: String,
    /// An agent's sign-in.
    #[arg(long, default_value = crate::demo::AGENT_EMAIL)]
    pub email: String,
    /// Their password.
    #[arg(long, env = "SWITCHBOARD_DEMO_PASSWORD")]
    pub password: String,
    /// Requests per target, after ten to warm up.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub requests: u64,
    /// Measure under load instead: this many clients at once, each sending its next request
    /// as soon as the last is answered.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub connections: Option<u64>,
    /// Under load, how many seconds each target is measured (after one to warm up).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub seconds: u64,
    /// Under load, end with readers and writers at once: `--readers` clients reading record
    /// and queue pages and `--writers` clients reporting incidents.
    #[arg(long)]
    pub mixed: bool,
    /// Readers in the mixed run.
    #[arg(long, default_value_t = 128, value_parser = clap::value_parser!(u64).range(2..=4096))]
    pub readers: u64,
    /// Writers in the mixed run.
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub writers: u64,
}

#[derive(Debug, Args)]
pub struct DataDirArg {
    /// Where the data lives (created if missing): the SQLite database, unless
    /// --database-url names another, and attachments.
    #[arg(long, env = "SWITCHBOARD_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// A PostgreSQL database to keep the data in instead of SQLite, e.g.
    /// postgres://switchboard@db.example.com/switchboard.
    #[arg(long, env = "SWITCHBOARD_DATABASE_URL", value_parser = database_url)]
    pub database_url: Option<String>,
}

fn database_url(url: &str) -> Result<String, String> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(url.to_owned())
    } else {
        Err("a PostgreSQL URL starts with postgres:// (leave it out for SQLite in the data dir)".into())
    }
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "SWITCHBOARD_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    #[command(flatten)]
    pub data: DataDirArg,
    /// Fill an empty database with a demo organisation, and print demo sign-ins.
    #[arg(long)]
    pub demo: bool,
    /// Where people reach the portal, e.g. https://desk.example.com (behind a proxy, say so
    /// here). Writes from any other origin are refused; https makes the session cookie
    /// Secure and turns on HSTS. Unset: the host each request names is trusted.
    #[arg(long, env = "SWITCHBOARD_PUBLIC_URL")]
    pub public_url: Option<PublicUrl>,
    /// Sign a session out after this many minutes without use.
    #[arg(long, env = "SWITCHBOARD_SESSION_IDLE_MINUTES", default_value_t = 7 * 24 * 60,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub session_idle_minutes: u32,
    /// Sign a session out this many hours after sign-in, however busy.
    #[arg(long, env = "SWITCHBOARD_SESSION_MAX_HOURS", default_value_t = 30 * 24,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub session_max_hours: u32,
    /// Lock an account for `--login-lock-minutes` after this many failed sign-ins in an
    /// hour (a client address after five times as many). From the fourth failure on, each
    /// further one doubles the wait before the next try.
    #[arg(long, env = "SWITCHBOARD_LOGIN_MAX_FAILURES", default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(4..))]
    pub login_max_failures: u32,
    /// How long a locked account or address waits.
    #[arg(long, env = "SWITCHBOARD_LOGIN_LOCK_MINUTES", default_value_t = 15,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub login_lock_minutes: u32,
    /// Close a fulfilled request or a resolved incident this many days later, unless its
    /// requester reopens it.
    #[arg(long, env = "SWITCHBOARD_REQUEST_CLOSE_DAYS", default_value_t = 7,
          value_parser = clap::value_parser!(u32).range(1..=365))]
    pub request_close_days: u32,
    /// The largest file that may be attached, in megabytes.
    #[arg(long, env = "SWITCHBOARD_ATTACHMENT_MAX_MB", default_value_t = 25,
          value_parser = clap::value_parser!(u64).range(1..=2048))]
    pub attachment_max_mb: u64,
    /// How often, in seconds, service-level clocks are brought up to date (the queue's
    /// badges and "breaching soon") and warnings and breaches raised.
    #[arg(long, env = "SWITCHBOARD_SLA_INTERVAL_SECONDS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub sla_interval_seconds: u64,
    /// On SIGTERM or Ctrl-C, how many seconds requests in flight may take to finish before
    /// the server stops anyway.
    #[arg(long, env = "SWITCHBOARD_SHUTDOWN_GRACE_SECONDS", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(0..=3600))]
    pub shutdown_grace_seconds: u64,
}

pub fn parse() -> Cli {
    Cli::parse()
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => {
            let config = Config {
                addr: args.addr,
                data_dir: args.data.data_dir,
                database_url: args.data.database_url,
                demo: args.demo,
                sessions: SessionConfig::new(
                    args.public_url.as_ref().is_some_and(PublicUrl::is_https),
                    chrono::Duration::minutes(i64::from(args.session_idle_minutes)),
                    chrono::Duration::hours(i64::from(args.session_max_hours)),
                ),
                public_url: args.public_url,
                throttle: LoginThrottle::new(
                    args.login_max_failures,
                    chrono::Duration::minutes(i64::from(args.login_lock_minutes)),
                ),
                request_close_after: chrono::Duration::days(i64::from(args.request_close_days)),
                attachment_max_bytes: args.attachment_max_mb * 1024 * 1024,
                sla_every: std::time::Duration::from_secs(args.sla_interval_seconds),
                pace: crate::pace::Pace::default(),
                shutdown_grace: std::time::Duration::from_secs(args.shutdown_grace_seconds),
            };
            let app = Application::build(config).await?;
            println!("Switchboard is running at http://{}", app.addr());
            if let Some(demo) = app.demo_accounts() {
                println!("Demo password: {}", demo.password);
                for (role, email) in &demo.accounts {
                    println!("  {role:<10} {email}");
                }
            }
            app.run_until_stopped().await.context("the server stopped with an error")
        }
        Command::Generate(args) => {
            let store = open_store(&args.data.data_dir, args.data.database_url.as_deref()).await?;
            let demo = crate::demo::ensure(&store).await?;
            let before = store.count_records().await?;
            let started = std::time::Instant::now();
            println!("Adding {} records to {}:", args.records, args.data.data_dir.display());
            crate::generate::generate(&store, args.records, args.seed, chrono::Utc::now()).await?;
            let cis = args.cis.unwrap_or((args.records / 10).max(1_000)) as usize;
            if cis > 0 {
                println!("Adding {cis} configuration items and their relations:");
                crate::generate_cmdb::generate(&store, cis, args.seed, chrono::Utc::now()).await?;
            }
            store.optimize(true).await?;
            let after = store.count_records().await?;
            store.close().await;
            println!(
                "{} records now ({} added in {:.0} s). Demo password: {}",
                after,
                after - before,
                started.elapsed().as_secs_f64(),
                demo.password
            );
            Ok(())
        }
        Command::Bench(args) => {
            let args = crate::bench::BenchArgs {
                url: args.url,
                email: args.email,
                password: args.password,
                requests: usize::try_from(args.requests).unwrap_or(200),
                load: args.connections.map(|connections| crate::bench::Load {
                    connections: connections as usize,
                    seconds: args.seconds,
                    mixed: args.mixed.then_some((args.readers as usize, args.writers as usize)),
                }),
            };
            crate::bench::bench(&args).await
        }
        Command::Copy(args) => copy(args).await,
        Command::Migrate(args) => {
            let store = open_store(&args.data_dir, args.database_url.as_deref()).await?;
            store.close().await;
            match &args.database_url {
                Some(url) => {
                    println!(
                        "The PostgreSQL database {} is up to date.",
                        crate::startup::without_password(url)
                    )
                }
                None => println!("The database in {} is up to date.", args.data_dir.display()),
            }
            Ok(())
        }
    }
}

async fn copy(args: CopyArgs) -> anyhow::Result<()> {
    let file = args.from.join(crate::startup::DATABASE_FILE);
    if !file.is_file() {
        anyhow::bail!("there is no Switchboard database at {}", file.display());
    }
    let from = open_store(&args.from, None).await?;
    let to = open_store(&args.from, Some(&args.to)).await?;
    let target = crate::startup::without_password(&args.to);
    println!("Copying {} into {target}:", file.display());
    let mut shown = std::time::Instant::now();
    let copied = app::ssr::store::copy::copy(&from, &to, args.sessions, |table, rows| {
        if shown.elapsed() > std::time::Duration::from_secs(2) {
            println!("  {table}: {rows} rows so far");
            shown = std::time::Instant::now();
        }
    })
    .await
    .map_err(|e| anyhow::anyhow!("nothing was copied: {e}"))?;
    println!("{:<20} {:>12} {:>12}", "table", "SQLite", "PostgreSQL");
    for table in &copied {
        let to = if table.skipped { "left out".to_owned() } else { table.to.to_string() };
        println!("{:<20} {:>12} {:>12}", table.table, table.from, to);
    }
    from.close().await;
    to.close().await;
    println!(
        "Done. Attachments stay in {}: serve with --data-dir on that directory (shared by every \
         server) and --database-url {target}.",
        args.from.join("attachments").display()
    );
    Ok(())
}
