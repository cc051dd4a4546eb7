//! Request bodies must keep arriving. A client that trickles a body, or stops sending one,
//! would otherwise hold its connection, a task and a graceful shutdown for as long as it
//! likes. A body is cut off when nothing arrives for `idle`, or when, after `grace`, it
//! has averaged less than `min_bytes_per_second`; the request is then answered 408.
//!
//! The rule is a rate, not a total time, so the largest attachment still goes through on
//! a slow phone: 25 MB at 64 kbit/s on average takes about 50 minutes and passes.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body::{Frame, SizeHint};
use tokio::time::{Instant, Sleep};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pace {
    /// The longest wait for the next piece of a body.
    pub idle: Duration,
    /// How long a body may take before its average rate counts.
    pub grace: Duration,
    /// The slowest average a body may arrive at after `grace`.
    pub min_bytes_per_second: u64,
}

impl Default for Pace {
    fn default() -> Self {
        Self { idle: Duration::from_secs(20), grace: Duration::from_secs(10), min_bytes_per_second: 8 * 1024 }
    }
}

impl Pace {
    /// The latest moment the next piece of a body may arrive, when it began at `started`,
    /// its last piece came at `last` and `received` bytes have come so far.
    pub fn deadline(&self, started: Instant, last: Instant, received: u64) -> Instant {
        let earned = Duration::from_secs_f64(received as f64 / self.min_bytes_per_second.max(1) as f64);
        (last + self.idle).min(started + self.grace + earned)
    }
}

#[derive(Debug, thiserror::Error)]
#[error("the request body arrived too slowly")]
struct TooSlow;

/// A request body held to a `Pace`; `cut` is set when it is cut off.
struct PacedBody {
    inner: Body,
    pace: Pace,
    started: Instant,
    received: u64,
    timer: Pin<Box<Sleep>>,
    cut: Arc<AtomicBool>,
}

impl HttpBody for PacedBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        let this = &mut *self;
        if this.cut.load(Ordering::Relaxed) {
            return Poll::Ready(Some(Err(axum::Error::new(TooSlow))));
        }
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    this.received += data.len() as u64;
                }
                let next = this.pace.deadline(this.started, Instant::now(), this.received);
                this.timer.as_mut().reset(next);
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Pending => {
                if this.timer.as_mut().poll(cx).is_ready() {
                    this.cut.store(true, Ordering::Relaxed);
                    return Poll::Ready(Some(Err(axum::Error::new(TooSlow))));
                }
                Poll::Pending
            }
            done => done,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// Holds every request body to `pace`, and answers 408 for one that was cut off, whatever
/// its handler made of the broken body.
pub async fn paced(State(pace): State<Pace>, req: Request, next: Next) -> Response {
    if req.body().is_end_stream() {
        return next.run(req).await;
    }
    let cut = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let req = req.map(|inner| {
        Body::new(PacedBody {
            inner,
            pace,
            started,
            received: 0,
            timer: Box::pin(tokio::time::sleep_until(pace.deadline(started, started, 0))),
            cut: cut.clone(),
        })
    });
    let path = req.uri().path().to_owned();
    let response = next.run(req).await;
    if !cut.load(Ordering::Relaxed) {
        return response;
    }
    tracing::warn!(%path, "a request body arrived too slowly and was cut off");
    let error = serde_json::json!({ "error": "The request arrived too slowly. Please send it again." });
    (StatusCode::REQUEST_TIMEOUT, [(axum::http::header::CONNECTION, "close")], axum::Json(error))
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether a body sent in `piece`-byte pieces every `every` reaches `total` bytes
    /// without missing a deadline.
    fn passes(pace: &Pace, total: u64, piece: u64, every: Duration) -> bool {
        let started = Instant::now();
        let (mut last, mut received) = (started, 0);
        while received < total {
            let next = last + every;
            if next > pace.deadline(started, last, received) {
                return false;
            }
            (last, received) = (next, received + piece);
        }
        true
    }

    #[test]
    fn the_largest_attachment_passes_on_a_slow_phone_and_a_trickle_does_not() {
        let pace = Pace::default();
        let largest = app::domain::attachment::DEFAULT_MAX_BYTES;
        // 16 KiB every half second: 256 kbit/s, a poor mobile uplink.
        assert!(passes(&pace, largest, 16 * 1024, Duration::from_millis(500)));
        // A 1 KiB piece every two seconds passes the idle limit and fails on its average.
        assert!(!passes(&pace, largest, 1024, Duration::from_secs(2)));
        // A piece the size of a form, then nothing.
        assert!(!passes(&pace, 10_000, 100, Duration::from_secs(21)));
    }

    #[test]
    fn a_body_may_pause_within_its_grace_and_idle_limits() {
        let pace = Pace::default();
        let started = Instant::now();
        assert_eq!(pace.deadline(started, started, 0), started + Duration::from_secs(10));
        let later = started + Duration::from_secs(5);
        assert_eq!(pace.deadline(started, later, 1024 * 1024), later + Duration::from_secs(20));
    }
}
