//! `switchboard`: the one binary. Parses the command line and hands over to `server::cli`.

use std::process::ExitCode;

/// mimalloc instead of glibc's allocator: rendering a page allocates and frees many small
/// strings across threads, where glibc's arenas spent a fifth of the server's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    server::telemetry::init();
    match server::cli::run(server::cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("switchboard: {error:#}");
            ExitCode::FAILURE
        }
    }
}
