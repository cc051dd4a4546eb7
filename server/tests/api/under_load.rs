//! The portal as a process under load: the statements a page runs, reports that outlive a
//! crash, slow clients, and a stop that comes in time whatever clients do.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use server::pace::Pace;

use crate::helpers::spawn_app_with;

pub const DEMO_PASSWORD: &str = "a demo password for the load tests";

/// `switchboard serve --demo` as its own process, counting the SQL statements it logs.
pub struct Served {
    pub child: Child,
    pub addr: String,
    statements: Arc<AtomicUsize>,
}

impl Served {
    /// Serves `data_dir` with `extra` arguments; the service-level job every hour unless
    /// `extra` says otherwise.
    pub fn start(data_dir: &Path, extra: &[&str]) -> Self {
        let job = if extra.contains(&"--sla-interval-seconds") {
            &[][..]
        } else {
            &["--sla-interval-seconds", "3600"]
        };
        let mut child = Command::new(env!("CARGO_BIN_EXE_switchboard"))
            .args(["serve", "--demo", "--addr", "127.0.0.1:0", "--data-dir", data_dir.to_str().unwrap()])
            .args(job)
            .args(extra)
            .env("SWITCHBOARD_DEMO_PASSWORD", DEMO_PASSWORD)
            .env("RUST_LOG", "warn,sqlx::query=debug")
            .env_remove("SWITCHBOARD_LOG_JSON")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let statements = Arc::new(AtomicUsize::new(0));
        let (counted, stdout) = (statements.clone(), child.stdout.take().unwrap());
        let (address, addr) = std::sync::mpsc::channel();
        // The log shares standard output with the address line.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.contains("db.statement") {
                    counted.fetch_add(1, Ordering::SeqCst);
                } else if let Some(addr) = line.strip_prefix("Switchboard is running at http://") {
                    let _ = address.send(addr.trim().to_owned());
                }
            }
        });
        let addr = addr.recv_timeout(Duration::from_secs(60)).expect("the server printed its address");
        Self { child, addr, statements }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub async fn signed_in(&self, email: &str) -> reqwest::Client {
        signed_in_at(&format!("http://{}", self.addr), email).await
    }

    /// Statements logged so far, once the log has been quiet for a moment.
    async fn settled_statements(&self) -> usize {
        let mut seen = self.statements.load(Ordering::SeqCst);
        loop {
            tokio::time::sleep(Duration::from_millis(150)).await;
            let now = self.statements.load(Ordering::SeqCst);
            if now == seen {
                return now;
            }
            seen = now;
        }
    }

    /// The fewest statements one GET of `path` ran, over three.
    async fn statements_for(&self, client: &reqwest::Client, path: &str) -> usize {
        let mut fewest = usize::MAX;
        for _ in 0..3 {
            let before = self.settled_statements().await;
            let response = client.get(self.url(path)).header("accept", "text/html").send().await.unwrap();
            assert_eq!(response.status(), 200, "{path}");
            response.bytes().await.unwrap();
            fewest = fewest.min(self.settled_statements().await - before);
        }
        fewest
    }

    pub fn stop(mut self) {
        let term = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().unwrap();
        assert!(term.success());
        assert!(self.child.wait().unwrap().success());
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A client signed in to the portal at `base` as a demo account.
pub async fn signed_in_at(base: &str, email: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("sec-fetch-site", reqwest::header::HeaderValue::from_static("same-origin"));
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .default_headers(headers)
        .build()
        .unwrap();
    let response = client
        .post(format!("{base}/api/login"))
        .header("accept", "application/json")
        .form(&[("email", email), ("password", DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "signing in as {email}: {}", response.status());
    client
}

/// The first open record of the queue, as an agent sees it.
async fn a_record_number(served: &Served, agent: &reqwest::Client) -> String {
    let queue: serde_json::Value = agent
        .post(served.url("/api/load_queue"))
        .header("accept", "application/json")
        .form(&[("params[view]", "all_open")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    queue["rows"][0]["number"].as_str().unwrap().to_owned()
}

/// Each page loads its data once, in a query or two per piece: the bell, the session (with
/// the user's groups and department), the record and its timeline, work notes, links,
/// clocks, attachments, the CIs it names and the choices of the agent's forms; the catalog's categories and
/// items in one. A page that starts loading something twice fails here.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_page_the_queue_and_the_catalog_run_only_the_statements_they_need() {
    const RECORD_PAGE: usize = 18;
    const QUEUE: usize = 6;
    const CATALOG: usize = 2;
    let dir = tempfile::tempdir().unwrap();
    let served = Served::start(dir.path(), &[]);
    let agent = served.signed_in(server::demo::AGENT_EMAIL).await;
    let number = a_record_number(&served, &agent).await;

    let record = served.statements_for(&agent, &format!("/records/{number}")).await;
    let queue = served.statements_for(&agent, "/queue?view=all_open").await;
    let catalog = served.statements_for(&agent, "/").await;
    assert!(record <= RECORD_PAGE, "a record page ran {record} statements (at most {RECORD_PAGE})");
    assert!(queue <= QUEUE, "the queue ran {queue} statements (at most {QUEUE})");
    assert!(catalog <= CATALOG, "the catalog ran {catalog} statements (at most {CATALOG})");
    assert!(
        record >= 5 && queue >= 3 && catalog >= 2,
        "statements are counted: {record}, {queue}, {catalog}"
    );
    served.stop();
}

/// Reports are submitted by many clients at once while the server is killed (SIGKILL) and
/// started again, several times: every report it acknowledged is there exactly once, and
/// the database is intact.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_report_outlives_a_killed_server_exactly_once() {
    const ROUNDS: usize = 4;
    const CLIENTS: usize = 12;
    let dir = tempfile::tempdir().unwrap();
    let acknowledged: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    for round in 0..ROUNDS {
        let mut served = Served::start(dir.path(), &[]);
        let maya = served.signed_in(server::demo::REQUESTER_EMAIL).await;
        let before = acknowledged.lock().unwrap().len();
        let clients: Vec<_> = (0..CLIENTS)
            .map(|client| {
                let (maya, url, acknowledged) =
                    (maya.clone(), served.url("/api/report_incident"), acknowledged.clone());
                tokio::spawn(async move {
                    for report in 0.. {
                        let title = format!("Crash test {round}-{client}-{report}");
                        let fields =
                            [("title", title.as_str()), ("reach", "just_me"), ("blocking", "blocked")];
                        let sent =
                            maya.post(&url).header("accept", "application/json").form(&fields).send().await;
                        let Ok(response) = sent else { break };
                        let status = response.status();
                        let Ok(body) = response.text().await else { break };
                        assert_eq!(status, 200, "{title}: {body}");
                        let number: String = serde_json::from_str(&body).unwrap();
                        acknowledged.lock().unwrap().push((title, number));
                    }
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(700 + 150 * round as u64)).await;
        served.child.kill().unwrap();
        served.child.wait().unwrap();
        for client in clients {
            client.await.unwrap();
        }
        let during = acknowledged.lock().unwrap().len() - before;
        assert!(during > 0, "round {round}: no report was acknowledged before the kill");
    }

    let served = Served::start(dir.path(), &[]);
    let health = reqwest::get(served.url("/healthz")).await.unwrap();
    assert_eq!(health.status(), 200);
    served.stop();

    let url = format!("sqlite://{}", dir.path().join("switchboard.db").display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&pool).await.unwrap();
    assert_eq!(integrity, "ok");
    let stored: Vec<(String, String)> =
        sqlx::query_as("SELECT title, number FROM records WHERE title LIKE 'Crash test %'")
            .fetch_all(&pool)
            .await
            .unwrap();
    pool.close().await;
    let mut copies: HashMap<&str, Vec<&str>> = HashMap::new();
    for (title, number) in &stored {
        copies.entry(title.as_str()).or_default().push(number.as_str());
    }
    assert!(copies.values().all(|numbers| numbers.len() == 1), "a report was stored twice");
    let acknowledged = acknowledged.lock().unwrap();
    for (title, number) in acknowledged.iter() {
        assert_eq!(
            copies.get(title.as_str()),
            Some(&vec![number.as_str()]),
            "{title} was acknowledged as {number}"
        );
    }
    assert!(acknowledged.len() >= ROUNDS * 5, "{} reports acknowledged", acknowledged.len());
}

/// A client sending half a body, and another waiting for an answer, cannot hold a stop
/// back for longer than the grace.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_the_server_within_its_grace_whatever_clients_do() {
    let dir = tempfile::tempdir().unwrap();
    let mut served = Served::start(dir.path(), &["--shutdown-grace-seconds", "1"]);
    let mut half_sent = std::net::TcpStream::connect(&served.addr).unwrap();
    write!(
        half_sent,
        "POST /api/report_incident HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: 5000\r\n\r\ntitle=Half",
        served.addr
    )
    .unwrap();
    let mut half_headers = std::net::TcpStream::connect(&served.addr).unwrap();
    write!(half_headers, "GET /healthz HTTP/1.1\r\nHost: ").unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;

    let stopping = Instant::now();
    let term = Command::new("kill").args(["-TERM", &served.child.id().to_string()]).status().unwrap();
    assert!(term.success());
    let status = loop {
        if let Some(status) = served.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            stopping.elapsed() < Duration::from_secs(6),
            "still running {:?} after SIGTERM",
            stopping.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "{status:?}");
    assert!(
        stopping.elapsed() >= Duration::from_millis(900),
        "the grace was not given: {:?}",
        stopping.elapsed()
    );
}

/// A body that trickles or stops is cut off with 408; one that arrives slowly but steadily
/// goes through.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trickling_body_is_cut_off_and_a_slow_steady_one_goes_through() {
    let pace = Pace {
        idle: Duration::from_millis(600),
        grace: Duration::from_millis(400),
        min_bytes_per_second: 4000,
    };
    let app = spawn_app_with(|config| config.pace = pace).await;
    let addr = app.base.trim_start_matches("http://").to_owned();
    let body = format!("email=someone%40example.com&password={}", "x".repeat(7_000));
    let send = move |pieces: usize, every: Duration, stop_after: Option<usize>| {
        let (addr, body) = (addr.clone(), body.clone());
        tokio::task::spawn_blocking(move || {
            let mut stream = std::net::TcpStream::connect(&addr).unwrap();
            write!(
                stream,
                "POST /api/login HTTP/1.1\r\nHost: {addr}\r\nSec-Fetch-Site: same-origin\r\nAccept: application/json\r\n\
                 Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
                body.len()
            )
            .unwrap();
            let started = Instant::now();
            let mut answer = Vec::new();
            // Sending stops as soon as an answer comes, as a browser's would.
            stream.set_read_timeout(Some(Duration::from_millis(5))).unwrap();
            for (i, piece) in body.as_bytes().chunks(body.len().div_ceil(pieces)).enumerate() {
                if stop_after == Some(i) || stream.write_all(piece).is_err() {
                    break;
                }
                std::thread::sleep(every);
                let mut buffer = [0; 4096];
                if let Ok(read) = stream.read(&mut buffer) {
                    answer.extend_from_slice(&buffer[..read]);
                    break;
                }
            }
            stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            let _ = stream.read_to_end(&mut answer);
            let answer = String::from_utf8_lossy(&answer).into_owned();
            (answer.lines().next().unwrap_or_default().to_owned(), started.elapsed())
        })
    };
    // ~7 KB at ~5.8 KB/s, in pieces every 100 ms: slow, steady, and through.
    let steady = send(12, Duration::from_millis(100), None);
    // 100 bytes every 300 ms: within the idle limit, far below the rate.
    let trickle = send(70, Duration::from_millis(300), None);
    // A quarter of the body, then nothing.
    let stalled = send(8, Duration::from_millis(50), Some(2));

    let (steady, _) = steady.await.unwrap();
    assert!(steady.starts_with("HTTP/1.1 422"), "the steady body reached sign-in: {steady}");
    for (name, handle) in [("trickle", trickle), ("stalled", stalled)] {
        let (status, took) = handle.await.unwrap();
        assert!(status.starts_with("HTTP/1.1 408"), "{name}: {status}");
        assert!(took < Duration::from_secs(5), "{name} was cut off after {took:?}");
    }
}
