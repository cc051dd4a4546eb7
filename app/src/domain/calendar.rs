//! Business calendars: the working hours of each weekday (several spans a day allowed), a
//! time zone by its IANA name, and holidays. The server turns one into a timeline of UTC
//! segments (`ssr::calendar`) for the clock arithmetic in `domain::sla`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;

/// Working time on a day, in minutes after local midnight: `[start, end)`, end at most 1440.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct WorkingSpan {
    pub start: u16,
    pub end: u16,
}

impl WorkingSpan {
    pub const fn new(start: u16, end: u16) -> Self {
        Self { start, end }
    }

    /// Reads "09:00-17:30".
    pub fn parse(text: &str) -> Option<Self> {
        let (from, to) = text.trim().split_once('-')?;
        let minutes = |t: &str| -> Option<u16> {
            let (h, m) = t.trim().split_once(':')?;
            let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
            (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 60 + m)
        };
        Some(Self { start: minutes(from)?, end: minutes(to)? })
    }
}

impl std::fmt::Display for WorkingSpan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}:{:02}-{:02}:{:02}", self.start / 60, self.start % 60, self.end / 60, self.end % 60)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    pub date: NaiveDate,
    pub name: String,
}

pub const WEEKDAYS: [&str; 7] =
    ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/// A calendar as it is stored and edited.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarDef {
    pub name: String,
    /// An IANA name, such as "Europe/Berlin".
    pub time_zone: String,
    /// Monday first.
    pub week: [Vec<WorkingSpan>; 7],
    pub holidays: Vec<Holiday>,
}

impl CalendarDef {
    /// Around the clock, every day, in UTC.
    pub fn always() -> Self {
        Self {
            name: "24×7".to_owned(),
            time_zone: "UTC".to_owned(),
            week: std::array::from_fn(|_| vec![WorkingSpan::new(0, 1440)]),
            holidays: Vec::new(),
        }
    }

    /// Monday to Friday, 9 to 5, in `time_zone`.
    pub fn office(name: &str, time_zone: &str) -> Self {
        Self {
            name: name.to_owned(),
            time_zone: time_zone.to_owned(),
            week: std::array::from_fn(
                |day| if day < 5 { vec![WorkingSpan::new(540, 1020)] } else { Vec::new() },
            ),
            holidays: Vec::new(),
        }
    }
}

/// Checks a calendar before it is saved: a name, spans that end after they start and don't
/// overlap, some working time in the week, holidays named once each. Whether the time zone
/// exists is checked on the server, which has the zone database.
pub fn check_calendar(calendar: &CalendarDef) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::default();
    if calendar.name.trim().is_empty() || calendar.name.chars().count() > 80 {
        errors.add("name", "Give the calendar a name of up to 80 characters.");
    }
    for (day, spans) in calendar.week.iter().enumerate() {
        let field = format!("week.{day}");
        let mut sorted = spans.clone();
        sorted.sort();
        if sorted.iter().any(|s| s.end <= s.start || s.end > 1440) {
            errors
                .add(&field, format!("On {}, each span must end after it starts, by 24:00.", WEEKDAYS[day]));
        } else if sorted.windows(2).any(|pair| pair[1].start < pair[0].end) {
            errors.add(&field, format!("On {}, two spans overlap.", WEEKDAYS[day]));
        }
    }
    if calendar.week.iter().all(Vec::is_empty) {
        errors.add("week", "A calendar needs some working time in the week.");
    }
    let mut dates: Vec<NaiveDate> = calendar.holidays.iter().map(|h| h.date).collect();
    dates.sort();
    if dates.windows(2).any(|pair| pair[0] == pair[1]) {
        errors.add("holidays", "A date is listed as a holiday twice.");
    }
    if calendar.holidays.iter().any(|h| h.name.trim().is_empty()) {
        errors.add("holidays", "Give each holiday a name.");
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_read_and_print_the_same() {
        let span = WorkingSpan::parse(" 09:00 - 17:30 ").unwrap();
        assert_eq!(span, WorkingSpan::new(540, 1050));
        assert_eq!(span.to_string(), "09:00-17:30");
        assert_eq!(WorkingSpan::parse("00:00-24:00"), Some(WorkingSpan::new(0, 1440)));
        for bad in ["9-5", "25:00-26:00", "09:60-10:00", "24:30-24:45", "nine"] {
            assert_eq!(WorkingSpan::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_calendar_must_make_sense() {
        assert_eq!(check_calendar(&CalendarDef::always()), Ok(()));
        assert_eq!(check_calendar(&CalendarDef::office("Berlin office", "Europe/Berlin")), Ok(()));
        let mut overlapping = CalendarDef::office("Split", "UTC");
        overlapping.week[0] = vec![WorkingSpan::new(540, 780), WorkingSpan::new(720, 1020)];
        assert!(check_calendar(&overlapping).unwrap_err().get("week.0").unwrap().contains("overlap"));
        let mut backwards = CalendarDef::office("Backwards", "UTC");
        backwards.week[2] = vec![WorkingSpan::new(1020, 540)];
        assert!(check_calendar(&backwards).unwrap_err().get("week.2").is_some());
        let mut idle = CalendarDef::office("Idle", "UTC");
        idle.week = Default::default();
        assert!(check_calendar(&idle).unwrap_err().get("week").unwrap().contains("some working time"));
        let mut twice = CalendarDef::office("Twice", "UTC");
        let day = NaiveDate::from_ymd_opt(2026, 12, 25).unwrap();
        twice.holidays =
            vec![Holiday { date: day, name: "Christmas".into() }, Holiday { date: day, name: "Xmas".into() }];
        assert!(check_calendar(&twice).unwrap_err().get("holidays").is_some());
    }
}
