//! Formatting shared by the server render and the hydrated one, so both print the same text.
//! Written by hand rather than with chrono's `format`, which would add its strftime
//! machinery to the wasm.

use chrono::{DateTime, Datelike, Timelike, Utc};

const MONTHS: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// "24 Nov 2026, 09:05 UTC".
pub fn date_time(at: DateTime<Utc>) -> String {
    format!("{}, {:02}:{:02} UTC", date(at), at.hour(), at.minute())
}

/// "24 Nov 2026".
pub fn date(at: DateTime<Utc>) -> String {
    format!("{} {} {}", at.day(), MONTHS[at.month0() as usize], at.year())
}

/// Machine-readable timestamp for `<time datetime=…>`.
pub fn iso(at: DateTime<Utc>) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        at.year(),
        at.month(),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// "in 40 seconds", "in 1 minute", "in 15 minutes": how long until something is allowed.
pub fn wait(seconds: i64) -> String {
    let seconds = seconds.max(1);
    match seconds {
        1 => "in 1 second".to_owned(),
        2..=59 => format!("in {seconds} seconds"),
        _ => match (seconds + 59) / 60 {
            1 => "in 1 minute".to_owned(),
            minutes => format!("in {minutes} minutes"),
        },
    }
}

/// Percent-encodes `s` for use as one query-string value.
pub fn query_value(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// Where to send someone after signing in: only a path on this site, never another host.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/\\")
                && !path.chars().any(|c| c.is_control()) =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_print_the_same_everywhere() {
        let at = DateTime::from_timestamp(1_795_511_100, 0).unwrap();
        assert_eq!(date_time(at), "24 Nov 2026, 09:05 UTC");
        assert_eq!(date(at), "24 Nov 2026");
        assert_eq!(iso(at), "2026-11-24T09:05:00Z");
    }

    #[test]
    fn next_only_leads_to_a_local_path() {
        assert_eq!(safe_next(Some("/requests?page=2")), "/requests?page=2");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(Some("/a\r\nSet-Cookie: x")), "/");
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn waits_read_naturally_and_round_up() {
        assert_eq!(wait(0), "in 1 second");
        assert_eq!(wait(42), "in 42 seconds");
        assert_eq!(wait(60), "in 1 minute");
        assert_eq!(wait(61), "in 2 minutes");
        assert_eq!(wait(900), "in 15 minutes");
    }

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(query_value("/requests?a=1&b"), "%2Frequests%3Fa%3D1%26b");
    }
}
