//! How repeated failed sign-ins slow down and then lock. Pure: takes `now`, reads no clock.

use chrono::{DateTime, Duration, Utc};

/// Limits for one kind of key (an account, or a client address).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Failures allowed before any waiting.
    pub free_failures: u32,
    /// Failures after which the key is locked for `lock_for`.
    pub lock_after: u32,
    pub lock_for: Duration,
}

/// Failures older than this no longer count.
pub const FAILURE_WINDOW: Duration = Duration::hours(1);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Failures {
    pub count: u32,
    pub last_at: DateTime<Utc>,
}

impl ThrottlePolicy {
    /// When the next attempt may be made, if it may not be made at `now`. Between the free
    /// failures and the lock, each further failure doubles the wait (2 s, 4 s, 8 s …).
    pub fn next_attempt_at(&self, failures: Option<Failures>, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let failures = failures.filter(|f| now - f.last_at < FAILURE_WINDOW)?;
        let wait = if failures.count >= self.lock_after {
            self.lock_for
        } else if failures.count > self.free_failures {
            let doublings = (failures.count - self.free_failures).min(20);
            Duration::seconds(1 << doublings).min(self.lock_for)
        } else {
            return None;
        };
        let until = failures.last_at + wait;
        (until > now).then_some(until)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> ThrottlePolicy {
        ThrottlePolicy { free_failures: 3, lock_after: 10, lock_for: Duration::minutes(15) }
    }

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_795_511_100 + seconds, 0).unwrap()
    }

    fn failures(count: u32, last: i64) -> Option<Failures> {
        Some(Failures { count, last_at: at(last) })
    }

    #[test]
    fn the_first_failures_cost_nothing() {
        assert_eq!(policy().next_attempt_at(None, at(0)), None);
        assert_eq!(policy().next_attempt_at(failures(3, 0), at(0)), None);
    }

    #[test]
    fn further_failures_slow_down_exponentially() {
        assert_eq!(policy().next_attempt_at(failures(4, 0), at(0)), Some(at(2)));
        assert_eq!(policy().next_attempt_at(failures(6, 0), at(1)), Some(at(8)));
        assert_eq!(policy().next_attempt_at(failures(6, 0), at(8)), None, "the wait is over");
    }

    #[test]
    fn enough_failures_lock_for_the_lock_time() {
        assert_eq!(policy().next_attempt_at(failures(10, 0), at(60)), Some(at(15 * 60)));
        assert_eq!(policy().next_attempt_at(failures(10, 0), at(15 * 60)), None);
    }

    #[test]
    fn old_failures_are_forgotten() {
        assert_eq!(policy().next_attempt_at(failures(50, 0), at(3600)), None);
    }

    #[test]
    fn the_wait_never_exceeds_the_lock() {
        let p = ThrottlePolicy { free_failures: 0, lock_after: 40, lock_for: Duration::seconds(30) };
        assert_eq!(p.next_attempt_at(failures(39, 0), at(0)), Some(at(30)));
    }
}
