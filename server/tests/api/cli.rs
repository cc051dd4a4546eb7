//! The binary itself: help, clear start-up failures with a non-zero exit, graceful stop.

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};

fn switchboard(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(args)
        .env_remove("SWITCHBOARD_ADDR")
        .env_remove("SWITCHBOARD_DATA_DIR")
        .env_remove("SWITCHBOARD_DATABASE_URL")
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn help_names_the_commands_and_their_environment() {
    let output = switchboard(&["serve", "--help"]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    for expected in ["--addr", "SWITCHBOARD_ADDR", "--data-dir", "SWITCHBOARD_DATA_DIR", "--demo"] {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }
    let top = String::from_utf8_lossy(&switchboard(&["--help"]).stdout).into_owned();
    for command in ["serve", "migrate", "generate", "bench", "copy"] {
        assert!(top.contains(command), "{command} missing from:\n{top}");
    }
}

/// A database URL that names no reachable PostgreSQL, or another engine, stops at once with
/// a message that keeps the password out.
#[test]
fn a_wrong_database_url_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let started = std::time::Instant::now();
    let output = switchboard(&[
        "migrate",
        "--data-dir",
        data,
        "--database-url",
        "postgres://ada:secret@127.0.0.1:1/desk",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains("cannot connect to the PostgreSQL database postgres://ada:***@127.0.0.1:1/desk"),
        "{err}"
    );
    assert!(!err.contains("secret"), "{err}");
    assert!(started.elapsed() < std::time::Duration::from_secs(10), "told at once, not after retries");
    let output = switchboard(&["migrate", "--data-dir", data, "--database-url", "mysql://desk"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("a PostgreSQL URL starts with postgres://"), "{}", stderr(&output));
    assert!(!dir.path().join("switchboard.db").exists(), "no SQLite file made instead");
}

#[test]
fn an_unusable_data_dir_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, "x").unwrap();
    let output = switchboard(&["migrate", "--data-dir", file.join("data").to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("cannot create the data dir"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn an_address_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let output = switchboard(&["serve", "--addr", &addr, "--data-dir", dir.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains(&format!("the address {addr} is already in use")), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_from_a_newer_version_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    assert!(switchboard(&["migrate", "--data-dir", data]).status.success());
    {
        let url = format!("sqlite://{}", dir.path().join("switchboard.db").display());
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
             VALUES (29990101000000, 'from the future', 1, x'00', 0)",
        )
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;
    }
    let output = switchboard(&["migrate", "--data-dir", data]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("was written by a newer Switchboard"), "{err}");
    assert!(err.contains("29990101000000"), "{err}");
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(["serve", "--addr", "127.0.0.1:0", "--data-dir", dir.path().to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert!(line.starts_with("Switchboard is running at http://127.0.0.1:"), "{line}");
    let addr = line.trim().trim_start_matches("Switchboard is running at http://").to_owned();
    assert!(std::net::TcpStream::connect(&addr).is_ok(), "the server accepts connections");

    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
}
