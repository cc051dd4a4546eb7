//! A PostgreSQL database at startup: one that a newer release migrated is refused, and left
//! as it was. Runs when the tests run on PostgreSQL.

use std::process::{Command, Output};

use app::ssr::store::fresh_test_database;

fn migrate(data: &str, url: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(["migrate", "--data-dir", data, "--database-url", url])
        .env_remove("SWITCHBOARD_DATABASE_URL")
        .output()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_database_from_a_newer_release_is_refused_untouched() {
    let Some(url) = fresh_test_database().await.unwrap() else { return };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    assert!(migrate(data, &url).status.success());
    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
         VALUES (29990101000000, 'from the future', true, '\\x00'::bytea, 0)",
    )
    .execute(&pool)
    .await
    .unwrap();
    let applied = || async {
        sqlx::query_scalar::<_, String>(
            "SELECT string_agg(version::text || ':' || checksum::text, ',' ORDER BY version) FROM _sqlx_migrations",
        )
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    let before = applied().await;

    let output = migrate(data, &url);
    assert_eq!(output.status.code(), Some(1));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("was written by a newer Switchboard"), "{err}");
    assert!(err.contains("29990101000000"), "{err}");
    assert!(err.contains("the PostgreSQL database postgres://"), "names the database: {err}");
    assert_eq!(applied().await, before, "the schema's history is untouched");
    pool.close().await;
}
