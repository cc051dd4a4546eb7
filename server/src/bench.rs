//! `switchboard bench`: measures a running portal over HTTP as an agent sees it.
//!
//! One at a time (the default): each queue view, a filtered and sorted view, a record page,
//! and the queue's server function; p50/p95/p99 of the time each request took end to end
//! and on the server (from the `Server-Timing` header), and requests per second.
//!
//! Under load (`--connections N --seconds S`): N clients at once, each sending its next
//! request as soon as the last is answered, for the catalog, the queue, a record page, an
//! incident report and an order from the catalog in turn; then, with `--mixed`, readers of
//! record and queue pages and clients reporting incidents all at once. Pages are asked for as
//! a browser asks (compressed); a report or an order counts when it is acknowledged with its
//! number, each order under a submission key of its own.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

/// One thing to measure: a name, and a GET path or a server function with its form.
struct Target {
    name: &'static str,
    path: String,
    form: Option<Vec<(&'static str, String)>>,
}

pub struct BenchArgs {
    pub url: String,
    pub email: String,
    pub password: String,
    pub requests: usize,
    pub load: Option<Load>,
}

/// How hard to push under load.
pub struct Load {
    pub connections: usize,
    pub seconds: u64,
    /// Readers and writers of the mixed run, when there is one.
    pub mixed: Option<(usize, usize)>,
}

pub async fn bench(args: &BenchArgs) -> anyhow::Result<()> {
    let base = args.url.trim_end_matches('/').to_owned();
    let client = signed_in(&base, args).await?;
    let first: serde_json::Value = client
        .post(format!("{base}/api/load_queue"))
        .form(&[("params[view]", "all_open")])
        .send()
        .await?
        .json()
        .await
        .context("the queue did not answer with JSON; is the account an agent?")?;
    let number = first["rows"][0]["number"].as_str().context("the queue is empty: nothing to measure")?;
    let total = first["counts"]["all_open"].as_i64().unwrap_or_default();
    match &args.load {
        Some(load) => under_load(&client, &base, number, total, load).await,
        None => {
            let busy = busy_server(&client, &base).await;
            one_at_a_time(&client, &base, number, busy.as_deref(), total, args.requests).await
        }
    }
}

async fn signed_in(base: &str, args: &BenchArgs) -> anyhow::Result<reqwest::Client> {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("sec-fetch-site", reqwest::header::HeaderValue::from_static("same-origin"));
    headers.insert(reqwest::header::ACCEPT, reqwest::header::HeaderValue::from_static("application/json"));
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        // A portal that stops answering is a failed bench, not one that never ends.
        .timeout(Duration::from_secs(30))
        .build()?;
    let login = client
        .post(format!("{base}/api/login"))
        .form(&[("email", args.email.as_str()), ("password", args.password.as_str())])
        .send()
        .await
        .with_context(|| format!("cannot reach {base}"))?;
    if !login.status().is_success() && !login.status().is_redirection() {
        bail!("signing in as {} failed: {}", args.email, login.status());
    }
    Ok(client)
}

/// The id of `generate`'s heavily-used server, when the CMDB has one.
async fn busy_server(client: &reqwest::Client, base: &str) -> Option<String> {
    let found: serde_json::Value = client
        .post(format!("{base}/api/search_cis"))
        .form(&[("q", crate::generate_cmdb::BUSY_SERVER), ("class", "server")])
        .send()
        .await
        .ok()?
        .json()
        .await
        .ok()?;
    found[0]["id"].as_i64().map(|id| id.to_string())
}

async fn one_at_a_time(
    client: &reqwest::Client,
    base: &str,
    number: &str,
    busy: Option<&str>,
    total: i64,
    requests: usize,
) -> anyhow::Result<()> {
    println!("{base}: {total} open records; measuring {requests} requests per target, one at a time.");
    let mut targets = vec![
        Target { name: "queue: mine", path: "/queue?view=mine".into(), form: None },
        Target { name: "queue: my groups", path: "/queue?view=my_groups".into(), form: None },
        Target { name: "queue: unassigned", path: "/queue?view=unassigned".into(), form: None },
        Target { name: "queue: all open", path: "/queue?view=all_open".into(), form: None },
        Target {
            name: "queue: filtered+sorted",
            path: "/queue?view=all_open&kind=incident&priority=3&sort=updated".into(),
            form: None,
        },
        Target { name: "record page", path: format!("/records/{number}"), form: None },
        Target {
            name: "load_queue (server fn)",
            path: "/api/load_queue".into(),
            form: Some(vec![("params[view]", "all_open".into()), ("params[sort]", "priority".into())]),
        },
    ];
    match busy {
        Some(id) => {
            targets.extend([
                Target { name: "CI page: busy server", path: format!("/cmdb/{id}"), form: None },
                Target { name: "CI page, 3 steps", path: format!("/cmdb/{id}?depth=3"), form: None },
                Target {
                    name: "get_ci: busy server",
                    path: "/api/get_ci".into(),
                    form: Some(vec![("id", id.to_owned())]),
                },
                Target {
                    name: "CI search: 1 letter",
                    path: "/api/search_cis".into(),
                    form: Some(vec![("q", "v".into())]),
                },
                Target {
                    name: "CI search: 3 letters",
                    path: "/api/search_cis".into(),
                    form: Some(vec![("q", "vm-".into())]),
                },
                Target {
                    name: "CI search: whole name",
                    path: "/api/search_cis".into(),
                    form: Some(vec![("q", "vm-01234".into()), ("class", "virtual_machine".into())]),
                },
            ]);
        }
        None => println!("No generated CMDB (hv-00001): the CI targets are left out."),
    }
    println!(
        "{:<24} {:>9} {:>9} {:>9} {:>12} {:>12} {:>8}",
        "target", "p50 ms", "p95 ms", "p99 ms", "server p50", "server p95", "req/s"
    );
    for target in &targets {
        let mut total = Vec::with_capacity(requests);
        let mut server = Vec::with_capacity(requests);
        for round in 0..requests + 10 {
            let started = Instant::now();
            let request = match &target.form {
                Some(form) => client.post(format!("{base}{}", target.path)).form(form),
                None => {
                    client.get(format!("{base}{}", target.path)).header(reqwest::header::ACCEPT, "text/html")
                }
            };
            let response = request.send().await.with_context(|| format!("{} did not answer", target.path))?;
            let status = response.status();
            let timing = server_ms(response.headers());
            response.bytes().await?;
            if !status.is_success() {
                bail!("{} answered {status}", target.path);
            }
            // The first ten warm the caches and are not counted.
            if round >= 10 {
                total.push(started.elapsed());
                server.extend(timing);
            }
        }
        let elapsed: Duration = total.iter().sum();
        total.sort();
        server.sort_by(f64::total_cmp);
        println!(
            "{:<24} {:>9.2} {:>9.2} {:>9.2} {:>12.2} {:>12.2} {:>8.0}",
            target.name,
            ms(percentile(&total, 50)),
            ms(percentile(&total, 95)),
            ms(percentile(&total, 99)),
            percentile(&server, 50),
            percentile(&server, 95),
            total.len() as f64 / elapsed.as_secs_f64().max(f64::EPSILON),
        );
    }
    Ok(())
}

/// What a client under load asks for, again and again.
enum Ask {
    Page(String),
    Report,
    Order { form_version: String, sent: AtomicU64 },
}

/// The catalog item ordered under load, and the answer its one required field gets.
const ORDERED_ITEM: &str = "headset";
const ORDERED_ANSWER: (&str, &str) = ("answers[style][]", "over_ear");

impl Ask {
    async fn send(&self, client: &reqwest::Client, base: &str) -> Result<(), String> {
        let request = match self {
            Ask::Page(path) => client
                .get(format!("{base}{path}"))
                .header(reqwest::header::ACCEPT, "text/html")
                .header(reqwest::header::ACCEPT_ENCODING, "br, gzip"),
            Ask::Report => client.post(format!("{base}/api/report_incident")).form(&[
                ("title", "The printer on the third floor jams on every job"),
                ("description", "Reported under load by switchboard bench."),
                ("reach", "just_me"),
                ("blocking", "blocked"),
            ]),
            Ask::Order { form_version, sent } => {
                let submission =
                    format!("bench-{}-{}", std::process::id(), sent.fetch_add(1, Ordering::Relaxed));
                client.post(format!("{base}/api/order_item")).form(&[
                    ("slug", ORDERED_ITEM),
                    ("form_version", form_version.as_str()),
                    ("submission", submission.as_str()),
                    ORDERED_ANSWER,
                ])
            }
        };
        let response = request.send().await.map_err(|e| e.to_string())?;
        let status = response.status();
        let body = response.bytes().await.map_err(|e| e.to_string())?;
        match self {
            _ if !status.is_success() => Err(status.to_string()),
            Ask::Report | Ask::Order { .. } if !body.starts_with(b"\"") => {
                Err(format!("no number in {body:?}"))
            }
            _ => Ok(()),
        }
    }
}

/// The answers one kind of request got under load.
#[derive(Default)]
struct Tally {
    times: Vec<Duration>,
    errors: usize,
    first_error: Option<String>,
}

/// `clients` clients sending `ask` back to back for `seconds`, after one second of the same
/// that is not counted.
async fn hammer(client: &reqwest::Client, base: &str, ask: Ask, clients: usize, seconds: u64) -> Tally {
    let ask = Arc::new(ask);
    let started = Instant::now();
    let counted_from = started + Duration::from_secs(1);
    let until = counted_from + Duration::from_secs(seconds);
    let workers: Vec<_> = (0..clients)
        .map(|_| {
            let (client, base, ask) = (client.clone(), base.to_owned(), ask.clone());
            tokio::spawn(async move {
                let mut tally = Tally::default();
                loop {
                    let sent = Instant::now();
                    if sent >= until {
                        break;
                    }
                    let answer = ask.send(&client, &base).await;
                    if sent < counted_from {
                        continue;
                    }
                    match answer {
                        Ok(()) => tally.times.push(sent.elapsed()),
                        Err(error) => {
                            tally.errors += 1;
                            tally.first_error.get_or_insert(error);
                        }
                    }
                }
                tally
            })
        })
        .collect();
    let mut all = Tally::default();
    for worker in workers {
        if let Ok(tally) = worker.await {
            all.times.extend(tally.times);
            all.errors += tally.errors;
            all.first_error = all.first_error.or(tally.first_error);
        }
    }
    all.times.sort();
    all
}

fn print_tally(name: &str, clients: usize, seconds: u64, tally: &Tally) {
    println!(
        "{:<24} {:>8} {:>9} {:>9.0} {:>9.2} {:>9.2} {:>7}",
        name,
        clients,
        tally.times.len(),
        tally.times.len() as f64 / seconds as f64,
        ms(percentile(&tally.times, 50)),
        ms(percentile(&tally.times, 99)),
        tally.errors,
    );
    if let Some(error) = &tally.first_error {
        println!("    first error: {error}");
    }
}

async fn under_load(
    client: &reqwest::Client,
    base: &str,
    number: &str,
    total: i64,
    load: &Load,
) -> anyhow::Result<()> {
    let seconds = load.seconds;
    println!("{base}: {total} open records; {} clients at once, {seconds} s per target.", load.connections);
    println!(
        "{:<24} {:>8} {:>9} {:>9} {:>9} {:>9} {:>7}",
        "target", "clients", "answers", "per s", "p50 ms", "p99 ms", "errors"
    );
    let form_version = order_form_version(client, base).await?;
    let asks = [
        ("catalog", Ask::Page("/".into())),
        ("queue", Ask::Page("/queue?view=all_open".into())),
        ("record page", Ask::Page(format!("/records/{number}"))),
        ("incident report", Ask::Report),
        ("order", Ask::Order { form_version, sent: AtomicU64::new(0) }),
    ];
    let mut errors = 0;
    for (name, ask) in asks {
        let tally = hammer(client, base, ask, load.connections, seconds).await;
        print_tally(name, load.connections, seconds, &tally);
        errors += tally.errors;
    }
    if let Some((readers, writers)) = load.mixed {
        println!("mixed: {readers} readers of record and queue pages, {writers} clients reporting incidents");
        let (records, queues, reports) = tokio::join!(
            hammer(client, base, Ask::Page(format!("/records/{number}")), readers / 2, seconds),
            hammer(client, base, Ask::Page("/queue?view=all_open".into()), readers - readers / 2, seconds),
            hammer(client, base, Ask::Report, writers, seconds),
        );
        print_tally("  record page", readers / 2, seconds, &records);
        print_tally("  queue", readers - readers / 2, seconds, &queues);
        print_tally("  incident report", writers, seconds, &reports);
        errors += records.errors + queues.errors + reports.errors;
    }
    if errors > 0 {
        bail!("{errors} requests failed under load");
    }
    Ok(())
}

/// The form version an order under load is placed against.
async fn order_form_version(client: &reqwest::Client, base: &str) -> anyhow::Result<String> {
    let form: serde_json::Value = client
        .post(format!("{base}/api/get_order_form"))
        .form(&[("slug", ORDERED_ITEM)])
        .send()
        .await?
        .json()
        .await
        .with_context(|| format!("the catalog has no {ORDERED_ITEM:?} to order"))?;
    let version =
        form["item"]["form_version"].as_i64().with_context(|| format!("no form for {ORDERED_ITEM:?}"))?;
    Ok(version.to_string())
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn percentile<T: Copy + Default>(sorted: &[T], p: usize) -> T {
    if sorted.is_empty() {
        return T::default();
    }
    let rank = (sorted.len() * p).div_ceil(100).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// The `app;dur=…` of a `Server-Timing` header, in ms.
fn server_ms(headers: &reqwest::header::HeaderMap) -> Option<f64> {
    let value = headers.get("server-timing")?.to_str().ok()?;
    value.split(';').find_map(|part| part.trim().strip_prefix("dur=")?.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_pick_the_rank_that_covers_the_share() {
        let values: Vec<u32> = (1..=100).collect();
        assert_eq!((percentile(&values, 50), percentile(&values, 95), percentile(&values, 99)), (50, 95, 99));
        assert_eq!(percentile(&[7_u32], 99), 7);
        assert_eq!(percentile::<u32>(&[], 50), 0);
    }

    #[test]
    fn server_timing_is_read_in_milliseconds() {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("server-timing", reqwest::header::HeaderValue::from_static("app;dur=3.25"));
        assert_eq!(server_ms(&headers), Some(3.25));
    }
}
