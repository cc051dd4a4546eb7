//! Two app servers on one PostgreSQL database behind Debian's nginx. On SQLite there is one
//! server per file, so these tests have nothing to check there.

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use app::domain::record::{RecordKind, Title};
use app::ssr::service::records::create_record;
use app::ssr::store::{NewRecord, Store, fresh_test_database};

use crate::under_load::{Served, signed_in_at};

/// nginx in front of `upstreams`, in its own directory, on a port of its own.
struct Balancer {
    child: Child,
    base: String,
    _dir: tempfile::TempDir,
}

impl Balancer {
    fn start(upstreams: &[&str]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let servers: String =
            upstreams.iter().map(|addr| format!("server {addr} max_fails=1 fail_timeout=30s;\n")).collect();
        let root = dir.path().display();
        let config = format!(
            "master_process off;
             pid {root}/nginx.pid;
             error_log {root}/error.log;
             events {{}}
             http {{
                 access_log off;
                 client_body_temp_path {root}/body;
                 proxy_temp_path {root}/proxy;
                 fastcgi_temp_path {root}/fastcgi;
                 uwsgi_temp_path {root}/uwsgi;
                 scgi_temp_path {root}/scgi;
                 upstream portal {{ {servers} }}
                 server {{
                     listen 127.0.0.1:{port};
                     location / {{
                         proxy_pass http://portal;
                         proxy_set_header Host $http_host;
                         proxy_next_upstream error timeout;
                     }}
                 }}
             }}"
        );
        std::fs::write(dir.path().join("nginx.conf"), config).unwrap();
        let child = Command::new("/usr/sbin/nginx")
            .args(["-p", &root.to_string(), "-c", "nginx.conf", "-e", &format!("{root}/error.log")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Debian's nginx (scripts/setup installs it)");
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Self { child, base: format!("http://127.0.0.1:{port}"), _dir: dir }
    }
}

impl Drop for Balancer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Incidents reported through nginx while an agent moves each one on, and one of the two
/// servers is killed (SIGKILL) half-way; meanwhile both servers' service-level jobs race
/// over incidents whose targets passed long ago. Every report acknowledged is there
/// exactly once, every move acknowledged happened once, numbers are unique, and every
/// warning and breach was raised once, by one of the servers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_behind_nginx_share_the_work_and_one_dying_loses_nothing() {
    let Some(url) = fresh_test_database().await.unwrap() else { return };
    const CLIENTS: usize = 8;
    let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    let job = ["--database-url", url.as_str(), "--sla-interval-seconds", "1"];
    let first = Served::start(dirs[0].path(), &job);
    let mut second = Served::start(dirs[1].path(), &job);

    // Incidents opened three days ago: every clock's warning and breach are due at once.
    let store = Store::connect(&url).await.unwrap();
    let maya_id = store.find_login(server::demo::REQUESTER_EMAIL).await.unwrap().unwrap().id;
    let opened = chrono::Utc::now() - chrono::Duration::days(3);
    let mut overdue = Vec::new();
    for n in 0..20 {
        let title = Title::parse(&format!("Overdue {n}")).unwrap();
        overdue.push(
            create_record(&store, &NewRecord::new(RecordKind::Incident, maya_id, title, opened))
                .await
                .unwrap()
                .0,
        );
    }

    let nginx = Balancer::start(&[&first.addr, &second.addr]);
    let maya = signed_in_at(&nginx.base, server::demo::REQUESTER_EMAIL).await;
    let sam = signed_in_at(&nginx.base, server::demo::AGENT_EMAIL).await;
    let reported: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let moved: Arc<Mutex<Vec<String>>> = Arc::default();
    let clients: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let (maya, sam, base) = (maya.clone(), sam.clone(), nginx.base.clone());
            let (reported, moved) = (reported.clone(), moved.clone());
            tokio::spawn(async move {
                let deadline = tokio::time::Instant::now() + Duration::from_secs(4);
                for report in 0.. {
                    if tokio::time::Instant::now() > deadline {
                        break;
                    }
                    let title = format!("Balanced {client}-{report}");
                    let fields = [("title", title.as_str()), ("reach", "just_me"), ("blocking", "blocked")];
                    let sent = maya
                        .post(format!("{base}/api/report_incident"))
                        .header("accept", "application/json")
                        .form(&fields)
                        .send()
                        .await;
                    let Ok(response) = sent else { continue };
                    if response.status() != 200 {
                        continue;
                    }
                    let Ok(number) = response.json::<String>().await else { continue };
                    reported.lock().unwrap().push((title, number.clone()));
                    let fields = [("number", number.as_str()), ("state", "in_progress"), ("version", "1")];
                    let sent = sam
                        .post(format!("{base}/api/move_record"))
                        .header("accept", "application/json")
                        .form(&fields)
                        .send()
                        .await;
                    if sent.is_ok_and(|response| response.status() == 200) {
                        moved.lock().unwrap().push(number);
                    }
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    second.child.kill().unwrap();
    second.child.wait().unwrap();
    for client in clients {
        client.await.unwrap();
    }
    // The surviving server's job finishes what the killed one may have left half-done: every
    // overdue incident's clocks breached, within a deadline.
    let ids = overdue.iter().map(|id| id.0.to_string()).collect::<Vec<_>>().join(", ");
    let breached_clocks = format!(
        "SELECT CAST(count(*) AS TEXT) FROM record_clocks WHERE record_id IN ({ids}) AND breached_at IS NOT NULL"
    );
    let clock_count = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            let mut tx = store.begin().await.unwrap();
            let breached: usize = tx.peek(&breached_clocks).await.unwrap()[0].parse().unwrap();
            tx.rollback().await.unwrap();
            if breached >= overdue.len() {
                return breached;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    });
    let breached = clock_count.await.expect("every overdue clock breached within 30 s");

    let mut tx = store.begin().await.unwrap();
    let stored =
        tx.peek("SELECT title || '=' || number FROM records WHERE title LIKE 'Balanced %'").await.unwrap();
    let mut copies: HashMap<String, Vec<String>> = HashMap::new();
    for row in &stored {
        let (title, number) = row.split_once('=').unwrap();
        copies.entry(title.to_owned()).or_default().push(number.to_owned());
    }
    let reported = reported.lock().unwrap().clone();
    assert!(reported.len() >= 20, "{} reports acknowledged", reported.len());
    for (title, number) in reported.iter() {
        assert_eq!(copies.get(title), Some(&vec![number.clone()]), "{title} was acknowledged as {number}");
    }
    assert!(copies.values().all(|numbers| numbers.len() == 1), "a report was stored twice");
    let duplicated = tx.peek("SELECT number FROM records GROUP BY number HAVING count(*) > 1").await.unwrap();
    assert!(duplicated.is_empty(), "numbers given twice: {duplicated:?}");

    let moved = moved.lock().unwrap().clone();
    assert!(!moved.is_empty());
    let list = moved.iter().map(|n| format!("'{n}'")).collect::<Vec<_>>().join(", ");
    let moves = tx
        .peek(&format!(
            "SELECT r.number || ' ' || r.state || ' ' || CAST(count(e.id) AS TEXT) FROM records r
             LEFT JOIN record_events e ON e.record_id = r.id AND e.field = 'state'
             WHERE r.number IN ({list}) GROUP BY r.number, r.state"
        ))
        .await
        .unwrap();
    assert_eq!(moves.len(), moved.len());
    for row in &moves {
        assert!(row.ends_with(" in_progress 1"), "each acknowledged move happened once: {row}");
    }

    let raised = tx
        .peek(&format!(
            "SELECT CAST(record_id AS TEXT) || ' ' || to_value || ' ' || CAST(count(*) AS TEXT) FROM record_events
             WHERE field = 'service_level' AND record_id IN ({ids}) GROUP BY record_id, to_value"
        ))
        .await
        .unwrap();
    assert!(breached >= overdue.len(), "every overdue incident breached: {breached} clocks");
    assert!(raised.iter().all(|row| row.ends_with(" 1")), "a warning or breach raised twice: {raised:?}");
    assert!(raised.len() >= breached, "each breach is on its timeline: {} events", raised.len());
    tx.rollback().await.unwrap();
    first.stop();
}
