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

impl CalendarDef {
    /// "Mon–Fri 09:00-17:00; Sat 10:00-14:00": the week in one line, days with the same
    /// hours run together, days off left out.
    pub fn week_summary(&self) -> String {
        const SHORT: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        let mut parts = Vec::new();
        let mut day = 0;
        while day < 7 {
            let mut last = day;
            while last + 1 < 7 && self.week[last + 1] == self.week[day] {
                last += 1;
            }
            if !self.week[day].is_empty() {
                let days = if last == day {
                    SHORT[day].to_owned()
                } else {
                    format!("{}–{}", SHORT[day], SHORT[last])
                };
                parts.push(format!("{days} {}", spans_text(&self.week[day])));
            }
            day = last + 1;
        }
        parts.join("; ")
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

/// A calendar as its admin form sends it: each weekday's spans as text
/// ("09:00-12:30, 13:30-17:00", empty for a day off) and one holiday per line
/// ("2026-12-25 Christmas Day").
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarForm {
    pub name: String,
    pub time_zone: String,
    pub week: Vec<String>,
    pub holidays: String,
}

impl CalendarForm {
    /// The form of a saved calendar, to edit it.
    pub fn of(calendar: &CalendarDef) -> Self {
        Self {
            name: calendar.name.clone(),
            time_zone: calendar.time_zone.clone(),
            week: calendar.week.iter().map(|spans| spans_text(spans)).collect(),
            holidays: calendar
                .holidays
                .iter()
                .map(|h| format!("{} {}", h.date, h.name))
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }

    /// The calendar the form describes, or a message beside each field that is wrong.
    pub fn parse(&self) -> Result<CalendarDef, FieldErrors> {
        let mut errors = FieldErrors::default();
        let mut week: [Vec<WorkingSpan>; 7] = Default::default();
        for (day, spans) in week.iter_mut().enumerate() {
            let text = self.week.get(day).map_or("", String::as_str);
            match parse_spans(text) {
                Some(read) => *spans = read,
                None => errors.add(
                    &format!("week.{day}"),
                    format!("On {}, write hours as 09:00-17:00, several separated by commas.", WEEKDAYS[day]),
                ),
            }
        }
        let mut holidays = Vec::new();
        for (number, line) in self.holidays.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let line = line.trim();
            let (date, name) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
            match NaiveDate::parse_from_str(date, "%Y-%m-%d") {
                Ok(date) => holidays.push(Holiday { date, name: name.trim().to_owned() }),
                Err(_) => errors.add(
                    "holidays",
                    format!(
                        "Line {}: start with the date as 2026-12-25, then the holiday's name.",
                        number + 1
                    ),
                ),
            }
        }
        holidays.sort_by_key(|h| h.date);
        let calendar = CalendarDef {
            name: self.name.trim().to_owned(),
            time_zone: self.time_zone.trim().to_owned(),
            week,
            holidays,
        };
        if calendar.time_zone.is_empty() {
            errors.add("time_zone", "Pick the time zone its hours are kept in.");
        }
        if let Err(more) = check_calendar(&calendar) {
            for (field, message) in more.0 {
                errors.add(&field, message);
            }
        }
        if errors.is_empty() { Ok(calendar) } else { Err(errors) }
    }
}

/// Reads a day's spans: "09:00-12:30, 13:30-17:00"; empty is a day off.
pub fn parse_spans(text: &str) -> Option<Vec<WorkingSpan>> {
    text.split([',', ';']).filter(|part| !part.trim().is_empty()).map(WorkingSpan::parse).collect()
}

pub fn spans_text(spans: &[WorkingSpan]) -> String {
    spans.iter().map(WorkingSpan::to_string).collect::<Vec<_>>().join(", ")
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

    #[test]
    fn a_week_reads_in_one_line() {
        assert_eq!(CalendarDef::always().week_summary(), "Mon–Sun 00:00-24:00");
        let mut office = CalendarDef::office("Office", "UTC");
        office.week[5] = vec![WorkingSpan::new(600, 840)];
        assert_eq!(office.week_summary(), "Mon–Fri 09:00-17:00; Sat 10:00-14:00");
    }

    #[test]
    fn the_admin_form_reads_back_what_it_shows() {
        let mut office = CalendarDef::office("Berlin office", "Europe/Berlin");
        office.week[4] = vec![WorkingSpan::new(540, 720), WorkingSpan::new(780, 960)];
        office.holidays = vec![Holiday {
            date: NaiveDate::from_ymd_opt(2026, 12, 25).unwrap(),
            name: "Christmas Day".into(),
        }];
        let form = CalendarForm::of(&office);
        assert_eq!(form.week[4], "09:00-12:00, 13:00-16:00");
        assert_eq!(form.week[6], "");
        assert_eq!(form.holidays, "2026-12-25 Christmas Day");
        assert_eq!(form.parse(), Ok(office));
    }

    #[test]
    fn the_admin_form_explains_each_wrong_field() {
        let form = CalendarForm {
            name: " ".into(),
            time_zone: "".into(),
            week: vec!["09:00-17:00".into(), "9 to 5".into(), "08:00-12:00, 11:00-15:00".into()],
            holidays: "2026-12-25 Christmas Day\n25.12.2026 Christmas".into(),
        };
        let errors = form.parse().unwrap_err();
        assert!(errors.get("name").is_some());
        assert!(errors.get("time_zone").is_some());
        assert!(errors.get("week.1").unwrap().contains("09:00-17:00"));
        assert!(errors.get("week.2").unwrap().contains("overlap"));
        assert!(errors.get("holidays").unwrap().starts_with("Line 2"));
        let idle = CalendarForm { name: "Idle".into(), time_zone: "UTC".into(), ..CalendarForm::default() };
        assert!(idle.parse().unwrap_err().get("week").unwrap().contains("some working time"));
    }
}
