//! `switchboard generate` and `switchboard bench`, at a size a test can afford.

use app::domain::queue::{QueueQuery, View};
use app::domain::record::RecordState;

use crate::helpers::spawn_app;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generated_history_is_spread_numbered_and_counted_and_the_bench_measures_it() {
    let app = spawn_app().await;
    let demo = server::demo::ensure(&app.store).await.unwrap();
    let before = app.store.count_records().await.unwrap();
    server::generate::generate(&app.store, 3_000, 7, chrono::Utc::now()).await.unwrap();
    app.store.optimize(true).await.unwrap();
    assert_eq!(app.store.count_records().await.unwrap(), before + 3_000);

    // The open ones, paged through the queue, are exactly what the view counts say.
    let agent = app.store.find_user_id_by_email(server::demo::AGENT_EMAIL).await.unwrap().unwrap();
    let mut query = QueueQuery { view: View::AllOpen, ..QueueQuery::default() };
    let mut open = Vec::new();
    loop {
        let (rows, next) = app.store.queue(&query, agent, &[]).await.unwrap();
        assert!(rows.iter().all(|r| r.state.is_open()));
        open.extend(rows.into_iter().map(|r| r.number));
        match next {
            Some(cursor) => query.after = Some(cursor),
            None => break,
        }
    }
    let counted = app.store.view_counts(agent, &[]).await.unwrap().all_open;
    assert_eq!(open.len() as i64, counted);
    let mut unique = open.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), open.len(), "numbers are unique");
    assert!(counted > 20 && counted < 600, "a few percent are open: {counted}");
    let closed =
        QueueQuery { view: View::AllOpen, state: Some(RecordState::Closed), ..QueueQuery::default() };
    assert_eq!(app.store.queue(&closed, agent, &[]).await.unwrap().0.len(), 50, "most history is closed");

    let args = server::bench::BenchArgs {
        url: app.base.clone(),
        email: server::demo::AGENT_EMAIL.into(),
        password: demo.password.clone(),
        requests: 3,
        load: None,
    };
    server::bench::bench(&args).await.unwrap();
    let wrong = server::bench::BenchArgs { password: "not the password".into(), ..args };
    assert!(server::bench::bench(&wrong).await.is_err(), "a failed sign-in is an error, not figures");
}
