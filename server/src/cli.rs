//! The command line: `serve`, `migrate`, `--help`. Every option can also come from the
//! environment, so a service manager needs no flags.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

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
}

#[derive(Debug, Args)]
pub struct DataDirArg {
    /// Where the database lives (created if missing).
    #[arg(long, env = "SWITCHBOARD_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
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
}

pub fn parse() -> Cli {
    Cli::parse()
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => {
            let config = Config { addr: args.addr, data_dir: args.data.data_dir, demo: args.demo };
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
        Command::Migrate(args) => {
            let store = open_store(&args.data_dir).await?;
            store.close().await;
            println!("The database in {} is up to date.", args.data_dir.display());
            Ok(())
        }
    }
}
