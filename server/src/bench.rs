//! `switchboard bench`: measures a running portal over HTTP as an agent sees it: each queue
//! view, a filtered and sorted view, a record page, and the queue's server function.
//! Prints p50/p95/p99 of the time each request took end to end and on the server (from the
//! `Server-Timing` header), and requests per second.

use std::time::{Duration, Instant};

use anyhow::{Context, bail};

/// One thing to measure: a name, and a GET path or a server function with its form.
struct Target {
    name: &'static str,
    path: String,
    form: Option<Vec<(&'static str, &'static str)>>,
}

pub struct BenchArgs {
    pub url: String,
    pub email: String,
    pub password: String,
    pub requests: usize,
}

pub async fn bench(args: &BenchArgs) -> anyhow::Result<()> {
    let base = args.url.trim_end_matches('/').to_owned();
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
    println!("{base}: {total} open records; measuring {} requests per target, one at a time.", args.requests);
    let targets = [
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
            form: Some(vec![("params[view]", "all_open"), ("params[sort]", "priority")]),
        },
    ];
    println!(
        "{:<24} {:>9} {:>9} {:>9} {:>12} {:>12} {:>8}",
        "target", "p50 ms", "p95 ms", "p99 ms", "server p50", "server p95", "req/s"
    );
    for target in &targets {
        let mut total = Vec::with_capacity(args.requests);
        let mut server = Vec::with_capacity(args.requests);
        for round in 0..args.requests + 10 {
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
