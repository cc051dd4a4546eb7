//! The service-level attainment report: over a chosen period, how many clocks were met and
//! how many breached, by policy, group and clock, and the same as CSV.

use super::cmdb_csv::cell;
use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;

/// The days a report covers, both included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// The longest period a report covers.
    pub const MAX_DAYS: i64 = 366;

    /// Reads "2026-11-01" and "2026-11-30"; either left empty means the last 30 days up to
    /// `today`.
    pub fn parse(from: &str, to: &str, today: NaiveDate) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let mut day = |text: &str, field: &str, default: NaiveDate| match text.trim() {
            "" => Some(default),
            text => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .filter(|d| (1970..=9999).contains(&d.year()))
                .or_else(|| {
                    errors.add(field, "Give a date such as 2026-11-01.");
                    None
                }),
        };
        let to = day(to, "to", today);
        let from = day(from, "from", to.unwrap_or(today) - Duration::days(29));
        let (Some(from), Some(to)) = (from, to) else { return Err(errors) };
        if from > to {
            errors.add("to", "The period must end on or after its first day.");
        } else if (to - from).num_days() >= Self::MAX_DAYS {
            errors.add("to", "Report on at most 366 days at a time.");
        }
        if errors.is_empty() { Ok(Self { from, to }) } else { Err(errors) }
    }
}

/// Clocks of one policy, group and kind decided in the period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttainmentLine {
    pub policy: String,
    pub group: Option<String>,
    /// "First response" or "Resolution".
    pub clock: String,
    pub met: i64,
    pub breached: i64,
}

impl AttainmentLine {
    /// The share met, in whole percent; none when nothing was decided.
    pub fn percent(&self) -> Option<i64> {
        let all = self.met + self.breached;
        (all > 0).then(|| (self.met * 100 + all / 2) / all)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attainment {
    pub period: Period,
    pub lines: Vec<AttainmentLine>,
}

impl Attainment {
    /// The report as CSV, a header line first. Text that a spreadsheet would read as a
    /// formula is quoted with a leading apostrophe.
    pub fn csv(&self) -> String {
        let mut out = String::from("policy,group,clock,met,breached,attainment_percent\r\n");
        for line in &self.lines {
            let cells = [
                cell(&line.policy),
                cell(line.group.as_deref().unwrap_or("")),
                cell(&line.clock),
                line.met.to_string(),
                line.breached.to_string(),
                line.percent().map(|p| p.to_string()).unwrap_or_default(),
            ];
            out.push_str(&cells.join(","));
            out.push_str("\r\n");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_period_defaults_to_the_last_thirty_days_and_must_make_sense() {
        let today = day("2026-11-24");
        assert_eq!(Period::parse("", "", today), Ok(Period { from: day("2026-10-26"), to: today }));
        assert_eq!(
            Period::parse("2026-11-01", "2026-11-30", today),
            Ok(Period { from: day("2026-11-01"), to: day("2026-11-30") })
        );
        assert!(Period::parse("2026-11-30", "2026-11-01", today).unwrap_err().get("to").is_some());
        assert!(Period::parse("2025-01-01", "2026-11-01", today).unwrap_err().get("to").is_some());
        assert!(Period::parse("yesterday", "", today).unwrap_err().get("from").is_some());
        assert!(Period::parse("", "+262142-12-31", today).unwrap_err().get("to").is_some());
    }

    #[test]
    fn csv_quotes_what_needs_it_and_defuses_formulas() {
        let report = Attainment {
            period: Period { from: day("2026-11-01"), to: day("2026-11-30") },
            lines: vec![
                AttainmentLine {
                    policy: "P1, \"urgent\"".into(),
                    group: Some("=HYPERLINK(\"x\")".into()),
                    clock: "Resolution".into(),
                    met: 3,
                    breached: 1,
                },
                AttainmentLine {
                    policy: "Office".into(),
                    group: None,
                    clock: "First response".into(),
                    met: 0,
                    breached: 0,
                },
            ],
        };
        assert_eq!(
            report.csv(),
            "policy,group,clock,met,breached,attainment_percent\r\n\
             \"P1, \"\"urgent\"\"\",\"'=HYPERLINK(\"\"x\"\")\",Resolution,3,1,75\r\n\
             Office,,First response,0,0,\r\n"
        );
    }
}
