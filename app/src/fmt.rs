//! Formatting shared by the server render and the hydrated one, so both print the same text.
//! Written by hand rather than with chrono's `format`, which would add its strftime
//! machinery to the wasm.

use chrono::{DateTime, Datelike, Duration, Timelike, Utc};
use serde::{Deserialize, Serialize};

const MONTHS: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// The time zone a person reads dates in: its IANA name and the offsets from UTC it keeps,
/// each from an instant on. The server works the offsets out from the zone database for the
/// years around today, so the browser needs no zone database to print the same text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Zone {
    pub name: String,
    /// Oldest first; the first also applies before its instant, the last after it.
    pub offsets: Vec<ZoneOffset>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZoneOffset {
    /// Unix seconds from which this offset holds.
    pub from: i64,
    /// Seconds east of UTC.
    pub seconds: i32,
    /// "CET", "BST", "+0530": what the zone calls itself then.
    pub abbreviation: String,
}

impl Default for Zone {
    fn default() -> Self {
        Zone::utc()
    }
}

impl Zone {
    pub fn utc() -> Self {
        Zone {
            name: "UTC".to_owned(),
            offsets: vec![ZoneOffset { from: 0, seconds: 0, abbreviation: "UTC".to_owned() }],
        }
    }

    fn offset_at(&self, at: DateTime<Utc>) -> Option<&ZoneOffset> {
        let after = self.offsets.partition_point(|o| o.from <= at.timestamp());
        self.offsets.get(after.saturating_sub(1))
    }

    /// The wall-clock time in this zone, as a UTC-typed value whose fields read locally.
    fn wall(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        at + Duration::seconds(self.offset_at(at).map_or(0, |o| i64::from(o.seconds)))
    }

    /// "24 Nov 2026, 10:05".
    pub fn date_time(&self, at: DateTime<Utc>) -> String {
        let wall = self.wall(at);
        format!("{}, {:02}:{:02}", date(wall), wall.hour(), wall.minute())
    }

    /// "24 Nov 2026, 10:05 CET": with the zone named, for deadlines and explanations.
    pub fn date_time_named(&self, at: DateTime<Utc>) -> String {
        let abbreviation = self.offset_at(at).map_or("UTC", |o| o.abbreviation.as_str());
        format!("{} {abbreviation}", self.date_time(at))
    }

    /// "24 Nov 10:05 CET": a deadline in a list, where it is always near and the year goes
    /// without saying.
    pub fn day_time_named(&self, at: DateTime<Utc>) -> String {
        let wall = self.wall(at);
        let abbreviation = self.offset_at(at).map_or("UTC", |o| o.abbreviation.as_str());
        format!(
            "{} {} {:02}:{:02} {abbreviation}",
            wall.day(),
            MONTHS[wall.month0() as usize],
            wall.hour(),
            wall.minute()
        )
    }

    /// "24 Nov 2026", the local date.
    pub fn date(&self, at: DateTime<Utc>) -> String {
        date(self.wall(at))
    }
}

/// "24 Nov 2026".
fn date(at: DateTime<Utc>) -> String {
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
        let utc = Zone::utc();
        assert_eq!(utc.date_time(at), "24 Nov 2026, 09:05");
        assert_eq!(utc.date_time_named(at), "24 Nov 2026, 09:05 UTC");
        assert_eq!(utc.date(at), "24 Nov 2026");
        assert_eq!(utc.day_time_named(at), "24 Nov 09:05 UTC");
        assert_eq!(iso(at), "2026-11-24T09:05:00Z");
    }

    #[test]
    fn dates_read_in_the_offset_the_zone_keeps_at_that_instant() {
        let offset = |from, seconds, abbreviation: &str| ZoneOffset {
            from,
            seconds,
            abbreviation: abbreviation.into(),
        };
        // Europe/Berlin around the change to summer time on 29 Mar 2026, 01:00 UTC.
        let berlin = Zone {
            name: "Europe/Berlin".into(),
            offsets: vec![offset(1_761_440_400, 3600, "CET"), offset(1_774_746_000, 7200, "CEST")],
        };
        let before = DateTime::from_timestamp(1_774_745_940, 0).unwrap();
        let after = DateTime::from_timestamp(1_774_746_000, 0).unwrap();
        assert_eq!(berlin.date_time_named(before), "29 Mar 2026, 01:59 CET");
        assert_eq!(berlin.date_time_named(after), "29 Mar 2026, 03:00 CEST");
        let long_before = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        assert_eq!(berlin.date_time(long_before), "14 Nov 2023, 23:13");
        let late_evening = DateTime::from_timestamp(1_795_561_200, 0).unwrap();
        assert_eq!(berlin.date(late_evening), "25 Nov 2026");
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
