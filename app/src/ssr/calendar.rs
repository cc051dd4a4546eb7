//! Turns a business calendar into the timeline the clocks count on: consecutive UTC
//! segments, working or closed with the reason. Local times are converted with the
//! calendar's time zone day by day, so daylight-saving changes land where they happen: a
//! span across a spring-forward gap is an hour shorter, one across a fall-back an hour
//! longer, and a span starting inside the gap starts when the clock resumes.

use chrono::{DateTime, Days, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

use crate::domain::calendar::CalendarDef;
use crate::domain::sla::{Segment, SegmentKind};
use crate::fmt::{Zone, ZoneOffset};

/// The zone of an IANA name, if it exists.
pub fn zone(name: &str) -> Option<Tz> {
    name.parse().ok()
}

/// The UTC instant of a local date and minute of day in `tz`: the earlier one when the
/// local time happens twice, the first instant after the gap when it doesn't happen.
fn instant(tz: Tz, date: NaiveDate, minute: u16) -> DateTime<Utc> {
    let (date, minute) = if minute >= 1440 { (date + Days::new(1), 0) } else { (date, minute) };
    let time =
        NaiveTime::from_hms_opt(u32::from(minute / 60), u32::from(minute % 60), 0).unwrap_or(NaiveTime::MIN);
    let local = NaiveDateTime::new(date, time);
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(earlier, _) => earlier.with_timezone(&Utc),
        LocalResult::None => {
            // Inside a gap: walk forward to where local time exists again.
            (1..=24 * 4)
                .map(|quarter| local + chrono::Duration::minutes(15 * quarter))
                .find_map(|later| tz.from_local_datetime(&later).earliest())
                .map_or_else(|| local.and_utc(), |t| t.with_timezone(&Utc))
        }
    }
}

/// The UTC instant of a local date and time in `tz`, read the same way as working hours.
pub fn local_instant(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    let minute = local.time().hour() * 60 + local.time().minute();
    instant(tz, local.date(), minute as u16)
}

/// A UTC instant as the local date and time of `tz`: "Fri 27 Nov 16:30".
pub fn local_text(tz: Tz, at: DateTime<Utc>) -> String {
    at.with_timezone(&tz).format("%a %-d %b %Y %H:%M").to_string()
}

/// The zone named `name` as pages print it: the offsets it keeps from ten years before
/// `now` to two years after. `None` for an unknown name. Every page asks for the reader's
/// zone, so each zone is worked out once a day and kept.
pub fn printed_zone(name: &str, now: DateTime<Utc>) -> Option<Zone> {
    static PRINTED: OnceLock<Mutex<HashMap<String, (NaiveDate, Zone)>>> = OnceLock::new();
    let today = now.date_naive();
    let cache = PRINTED.get_or_init(Default::default);
    if let Some((day, zone)) = cache.lock().unwrap_or_else(PoisonError::into_inner).get(name)
        && *day == today
    {
        return Some(zone.clone());
    }
    let zone = work_out_zone(zone(name)?, now);
    cache.lock().unwrap_or_else(PoisonError::into_inner).insert(name.to_owned(), (today, zone.clone()));
    Some(zone)
}

/// The offsets `tz` keeps around `now`, found day by day and then to the second.
fn work_out_zone(tz: Tz, now: DateTime<Utc>) -> Zone {
    use chrono::Offset;
    use chrono_tz::OffsetName;

    let reading = |at: i64| {
        let offset =
            tz.offset_from_utc_datetime(&DateTime::from_timestamp(at, 0).unwrap_or_default().naive_utc());
        let seconds = offset.fix().local_minus_utc();
        let abbreviation = offset.abbreviation().map_or_else(|| fmt_offset(seconds), str::to_owned);
        (seconds, abbreviation)
    };
    const DAY: i64 = 86_400;
    let start = now.timestamp() - 3_653 * DAY;
    let end = now.timestamp() + 731 * DAY;
    let (seconds, abbreviation) = reading(start);
    let mut offsets = vec![ZoneOffset { from: start, seconds, abbreviation }];
    let mut day = start;
    while day < end {
        let next = day + DAY;
        let current = offsets.last().map(|o| (o.seconds, o.abbreviation.clone()));
        if Some(reading(next)) != current {
            // The change lies in (day, next]: find its first second.
            let (mut before, mut after) = (day, next);
            while after - before > 1 {
                let middle = before + (after - before) / 2;
                if Some(reading(middle)) == current { before = middle } else { after = middle }
            }
            let (seconds, abbreviation) = reading(after);
            offsets.push(ZoneOffset { from: after, seconds, abbreviation });
        }
        day = next;
    }
    Zone { name: tz.name().to_owned(), offsets }
}

/// "+0530", "-03": an offset as zones without an abbreviation write it.
fn fmt_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    match minutes % 60 {
        0 => format!("{sign}{:02}", minutes / 60),
        m => format!("{sign}{:02}{m:02}", minutes / 60),
    }
}

/// Every IANA zone name the calendars and profiles accept.
pub fn zone_names() -> Vec<String> {
    chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name().to_owned()).collect()
}

/// The calendar's segments covering `[from, to)`.
pub fn timeline(calendar: &CalendarDef, tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Segment> {
    let mut segments: Vec<Segment> = Vec::new();
    let mut push = |start: DateTime<Utc>, end: DateTime<Utc>, kind: SegmentKind| {
        let (start, end) = (start.max(from), end.min(to));
        if start >= end {
            return;
        }
        match segments.last_mut() {
            Some(last) if last.kind == kind && last.end == start => last.end = end,
            _ => segments.push(Segment { start, end, kind }),
        }
    };
    let first = from.with_timezone(&tz).date_naive() - Days::new(1);
    let last = to.with_timezone(&tz).date_naive() + Days::new(1);
    let mut date = first;
    while date <= last {
        let (day_start, day_end) = (instant(tz, date, 0), instant(tz, date, 1440));
        let weekday = date.weekday_from_monday();
        if let Some(holiday) = calendar.holidays.iter().find(|h| h.date == date) {
            push(day_start, day_end, SegmentKind::Holiday(holiday.name.clone()));
        } else if calendar.week[weekday].is_empty() {
            push(day_start, day_end, SegmentKind::DayOff);
        } else {
            let mut spans = calendar.week[weekday].clone();
            spans.sort();
            let mut cursor = day_start;
            for span in spans {
                let (start, end) = (instant(tz, date, span.start), instant(tz, date, span.end));
                push(cursor, start, SegmentKind::OutsideHours);
                push(start, end, SegmentKind::Working);
                cursor = cursor.max(end);
            }
            push(cursor, day_end, SegmentKind::OutsideHours);
        }
        date = date + Days::new(1);
    }
    segments
}

trait WeekdayIndex {
    fn weekday_from_monday(&self) -> usize;
}

impl WeekdayIndex for NaiveDate {
    fn weekday_from_monday(&self) -> usize {
        use chrono::Datelike;
        self.weekday().num_days_from_monday() as usize
    }
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;
    use crate::domain::calendar::{Holiday, WorkingSpan};
    use crate::domain::sla::{deadline, elapsed};

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    fn working(segments: &[Segment]) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        segments.iter().filter(|s| s.kind.counts()).map(|s| (s.start, s.end)).collect()
    }

    #[test]
    fn a_printed_zone_reads_every_instant_as_the_zone_database_does() {
        let now = utc("2026-11-24T12:00:00Z");
        for name in ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "UTC"] {
            let printed = printed_zone(name, now).unwrap();
            let tz = zone(name).unwrap();
            let mut at = utc("2017-01-01T00:00:00Z");
            while at < utc("2028-06-01T00:00:00Z") {
                let local = at.with_timezone(&tz);
                assert_eq!(
                    printed.date_time(at),
                    local.format("%-d %b %Y, %H:%M").to_string(),
                    "{name} at {at}"
                );
                at += Duration::minutes(97);
            }
        }
        let berlin = printed_zone("Europe/Berlin", now).unwrap();
        assert_eq!(berlin.date_time_named(utc("2026-03-29T00:59:00Z")), "29 Mar 2026, 01:59 CET");
        assert_eq!(berlin.date_time_named(utc("2026-03-29T01:00:00Z")), "29 Mar 2026, 03:00 CEST");
        assert_eq!(printed_zone("Asia/Kolkata", now).unwrap().date_time_named(now), "24 Nov 2026, 17:30 IST");
        assert!(printed_zone("Mars/Olympus", now).is_none());
    }

    #[test]
    fn around_the_clock_is_one_working_stretch() {
        let always = CalendarDef::always();
        let (from, to) = (utc("2026-11-20T10:00:00Z"), utc("2026-11-27T10:00:00Z"));
        let segments = timeline(&always, zone("UTC").unwrap(), from, to);
        assert_eq!(working(&segments), vec![(from, to)]);
    }

    #[test]
    fn office_hours_follow_the_local_clock_across_daylight_saving_in_two_zones() {
        // Berlin springs forward on Sunday 29 March 2026; New York falls back on Sunday 1
        // November 2026. Office hours are 9 to 5 local, so in UTC they move by an hour.
        let berlin = CalendarDef::office("Berlin", "Europe/Berlin");
        let tz = zone("Europe/Berlin").unwrap();
        let segments = timeline(&berlin, tz, utc("2026-03-27T00:00:00Z"), utc("2026-03-31T00:00:00Z"));
        let spans = working(&segments);
        assert_eq!(spans[0], (utc("2026-03-27T08:00:00Z"), utc("2026-03-27T16:00:00Z")), "Friday, UTC+1");
        assert_eq!(spans[1], (utc("2026-03-30T07:00:00Z"), utc("2026-03-30T15:00:00Z")), "Monday, UTC+2");
        assert!(segments.iter().any(|s| s.kind == SegmentKind::DayOff), "the weekend is named");

        let new_york = CalendarDef::office("New York", "America/New_York");
        let tz = zone("America/New_York").unwrap();
        let segments = timeline(&new_york, tz, utc("2026-10-30T00:00:00Z"), utc("2026-11-03T00:00:00Z"));
        let spans = working(&segments);
        assert_eq!(spans[0], (utc("2026-10-30T13:00:00Z"), utc("2026-10-30T21:00:00Z")), "Friday, EDT");
        assert_eq!(spans[1], (utc("2026-11-02T14:00:00Z"), utc("2026-11-02T22:00:00Z")), "Monday, EST");
    }

    #[test]
    fn a_span_across_the_gap_is_shorter_and_across_the_repeat_longer() {
        let mut night_shift = CalendarDef::office("Night", "Europe/Berlin");
        night_shift.week = std::array::from_fn(|_| vec![WorkingSpan::new(60, 240)]);
        let tz = zone("Europe/Berlin").unwrap();
        let spring = timeline(&night_shift, tz, utc("2026-03-28T12:00:00Z"), utc("2026-03-29T12:00:00Z"));
        let total = |segments: &[Segment]| {
            working(segments).iter().map(|(a, b)| *b - *a).fold(Duration::zero(), |x, y| x + y)
        };
        assert_eq!(total(&spring), Duration::hours(2), "01:00-04:00 loses the hour that doesn't exist");
        let autumn = timeline(&night_shift, tz, utc("2026-10-24T12:00:00Z"), utc("2026-10-25T12:00:00Z"));
        assert_eq!(total(&autumn), Duration::hours(4), "and gains the hour that happens twice");
        // A span that starts inside the gap starts when the clock resumes.
        let mut gap_start = night_shift.clone();
        gap_start.week = std::array::from_fn(|_| vec![WorkingSpan::new(150, 300)]);
        let spans =
            working(&timeline(&gap_start, tz, utc("2026-03-28T12:00:00Z"), utc("2026-03-29T12:00:00Z")));
        assert_eq!(spans, vec![(utc("2026-03-29T01:00:00Z"), utc("2026-03-29T03:00:00Z"))]);
    }

    #[test]
    fn holidays_take_whole_days_even_at_span_edges() {
        let mut office = CalendarDef::office("London", "Europe/London");
        let christmas = NaiveDate::from_ymd_opt(2026, 12, 25).unwrap();
        office.holidays = vec![Holiday { date: christmas, name: "Christmas Day".into() }];
        let tz = zone("Europe/London").unwrap();
        let segments = timeline(&office, tz, utc("2026-12-24T00:00:00Z"), utc("2026-12-29T00:00:00Z"));
        let holiday = segments
            .iter()
            .find(|s| matches!(&s.kind, SegmentKind::Holiday(n) if n == "Christmas Day"))
            .unwrap();
        assert_eq!((holiday.start, holiday.end), (utc("2026-12-25T00:00:00Z"), utc("2026-12-26T00:00:00Z")));
        // Raised at 16:59 on Christmas Eve with one hour to go: one minute that day, the rest
        // after the holiday and the weekend, on Monday.
        let due = deadline(&segments, &[], utc("2026-12-24T16:59:00Z"), Duration::hours(1));
        assert_eq!(due, Some(utc("2026-12-28T09:59:00Z")));
        assert_eq!(
            elapsed(&segments, &[], utc("2026-12-24T16:59:00Z"), utc("2026-12-28T09:59:00Z")),
            Duration::hours(1)
        );
        // Raised at 17:00 exactly: nothing counts until Monday 09:00.
        let due = deadline(&segments, &[], utc("2026-12-24T17:00:00Z"), Duration::minutes(30));
        assert_eq!(due, Some(utc("2026-12-28T09:30:00Z")));
    }

    #[test]
    fn unknown_zones_are_none() {
        assert!(zone("Europe/Atlantis").is_none());
        assert!(zone("America/New_York").is_some());
    }
}
