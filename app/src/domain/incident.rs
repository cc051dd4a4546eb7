//! Reporting an incident: what a requester says in their own words, and how that becomes
//! impact, urgency and priority.

use serde::{Deserialize, Serialize};

use super::record::{Impact, Priority, Title, Urgency};
use crate::error::FieldErrors;

/// What the report form offers: the services, whether the reporter may report for a
/// caller, the largest file they may attach, and what they typed last time if it didn't go
/// through.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportChoices {
    /// The business services the portal lists, to say which one is affected.
    pub services: Vec<super::ci_graph::CiNode>,
    /// The reporter's own devices, to say which one it is about.
    pub devices: Vec<super::ci_graph::CiNode>,
    pub for_others: bool,
    pub attachment_limit: u64,
    pub draft: Option<ReportDraft>,
}

/// A report as it was sent, kept with its problems when it didn't go through, so the form
/// comes back as the person left it. Files are chosen again: browsers can't be handed them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportDraft {
    pub title: String,
    pub description: String,
    pub reach: String,
    pub blocking: String,
    pub service: String,
    pub caller: String,
    /// The id of the reporter's device it is about, if they picked one.
    #[serde(default)]
    pub device: String,
    pub errors: FieldErrors,
}

/// Who is affected, as the person reporting says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reach {
    JustMe,
    MyTeam,
    ManyPeople,
}

impl Reach {
    pub const ALL: [Reach; 3] = [Reach::JustMe, Reach::MyTeam, Reach::ManyPeople];

    pub fn as_str(self) -> &'static str {
        match self {
            Reach::JustMe => "just_me",
            Reach::MyTeam => "my_team",
            Reach::ManyPeople => "many_people",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Reach::JustMe => "Just me",
            Reach::MyTeam => "My team",
            Reach::ManyPeople => "Many people",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn impact(self) -> Impact {
        match self {
            Reach::JustMe => Impact::Low,
            Reach::MyTeam => Impact::Medium,
            Reach::ManyPeople => Impact::High,
        }
    }
}

/// Whether the person can still work, as they say it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Blocking {
    CanWork,
    Blocked,
}

impl Blocking {
    pub const ALL: [Blocking; 2] = [Blocking::CanWork, Blocking::Blocked];

    pub fn as_str(self) -> &'static str {
        match self {
            Blocking::CanWork => "can_work",
            Blocking::Blocked => "blocked",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Blocking::CanWork => "I can still work",
            Blocking::Blocked => "I'm blocked",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.as_str() == s)
    }

    /// Someone who can still work is not the lowest urgency: they still reported it.
    pub fn urgency(self) -> Urgency {
        match self {
            Blocking::CanWork => Urgency::Medium,
            Blocking::Blocked => Urgency::High,
        }
    }
}

/// Which priority each impact × urgency gives. Admins may change it; by default, the ITIL
/// matrix where the two levels add up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorityMatrix {
    /// `cells[impact - 1][urgency - 1]`, each 1–5.
    pub cells: [[u8; 3]; 3],
}

impl Default for PriorityMatrix {
    fn default() -> Self {
        Self { cells: [[1, 2, 3], [2, 3, 4], [3, 4, 5]] }
    }
}

impl PriorityMatrix {
    pub fn priority(&self, impact: Impact, urgency: Urgency) -> Priority {
        let level = self.cells[impact as usize - 1][urgency as usize - 1];
        Priority::new(level).unwrap_or(Priority::LOWEST)
    }

    /// The impact and urgency that give `wanted`, changing as little as possible: the
    /// current impact with another urgency, else the current urgency with another impact,
    /// else the first cell that gives it. `None` when no cell does.
    pub fn levels_for(
        &self,
        wanted: Priority,
        impact: Impact,
        urgency: Urgency,
    ) -> Option<(Impact, Urgency)> {
        let gives = |&(i, u): &(Impact, Urgency)| self.priority(i, u) == wanted;
        let same_impact = Urgency::ALL.iter().map(|u| (impact, *u));
        let same_urgency = Impact::ALL.iter().map(|i| (*i, urgency));
        let any = Impact::ALL.iter().flat_map(|i| Urgency::ALL.iter().map(|u| (*i, *u)));
        std::iter::once((impact, urgency)).chain(same_impact).chain(same_urgency).chain(any).find(gives)
    }

    /// Every cell is a priority, and a wider impact or a more pressing urgency never gives a
    /// lower priority than a narrower or less pressing one.
    pub fn check(&self) -> Result<(), String> {
        if self.cells.iter().flatten().any(|p| !(1..=5).contains(p)) {
            return Err("Every cell needs a priority from 1 to 5.".into());
        }
        for i in 0..3 {
            for u in 0..3 {
                let here = self.cells[i][u];
                if (i > 0 && self.cells[i - 1][u] > here) || (u > 0 && self.cells[i][u - 1] > here) {
                    return Err(
                        "A wider impact or a more pressing urgency can't give a lower priority.".into()
                    );
                }
            }
        }
        Ok(())
    }
}

/// What a person reports, checked: a title, their description, and impact and urgency.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub title: Title,
    pub description: String,
    pub impact: Impact,
    pub urgency: Urgency,
}

pub const DESCRIPTION_MAX: usize = 20_000;

/// Checks a report as the form sends it: every problem beside its field at once.
pub fn check_report(
    title: &str,
    description: &str,
    reach: &str,
    blocking: &str,
) -> Result<Report, FieldErrors> {
    let mut errors = FieldErrors::default();
    let title = Title::parse(title).map_err(|e| errors.add("title", e.to_string())).ok();
    if description.chars().count() > DESCRIPTION_MAX {
        errors.add("description", "Keep the description to 20,000 characters.");
    }
    let reach = Reach::parse(reach).or_else(|| {
        errors.add("reach", "Say who is affected.");
        None
    });
    let blocking = Blocking::parse(blocking).or_else(|| {
        errors.add("blocking", "Say whether you can still work.");
        None
    });
    match (title, reach, blocking) {
        (Some(title), Some(reach), Some(blocking)) if errors.is_empty() => Ok(Report {
            title,
            description: description.trim().to_owned(),
            impact: reach.impact(),
            urgency: blocking.urgency(),
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_matrix_adds_impact_and_urgency() {
        let matrix = PriorityMatrix::default();
        assert_eq!(matrix.priority(Impact::High, Urgency::High).level(), 1);
        assert_eq!(matrix.priority(Impact::Medium, Urgency::High).level(), 2);
        assert_eq!(matrix.priority(Impact::Low, Urgency::Low).level(), 5);
        assert_eq!(matrix.check(), Ok(()));
    }

    #[test]
    fn words_people_use_become_priorities() {
        let matrix = PriorityMatrix::default();
        let p =
            |reach: Reach, blocking: Blocking| matrix.priority(reach.impact(), blocking.urgency()).level();
        assert_eq!(p(Reach::ManyPeople, Blocking::Blocked), 1);
        assert_eq!(p(Reach::JustMe, Blocking::Blocked), 3);
        assert_eq!(p(Reach::JustMe, Blocking::CanWork), 4);
    }

    #[test]
    fn an_edited_matrix_must_make_sense() {
        let mut matrix = PriorityMatrix::default();
        matrix.cells[0][0] = 0;
        assert!(matrix.check().unwrap_err().contains("from 1 to 5"));
        let mut inverted = PriorityMatrix::default();
        inverted.cells[0][0] = 4;
        assert!(inverted.check().unwrap_err().contains("can't give a lower priority"));
        let mut stricter = PriorityMatrix::default();
        stricter.cells[1][1] = 2;
        assert_eq!(stricter.check(), Ok(()));
        assert_eq!(stricter.priority(Impact::Medium, Urgency::Medium).level(), 2);
    }

    #[test]
    fn a_wanted_priority_changes_as_little_as_it_can() {
        let matrix = PriorityMatrix::default();
        let p = |level| Priority::new(level).unwrap();
        assert_eq!(
            matrix.levels_for(p(3), Impact::Medium, Urgency::Medium),
            Some((Impact::Medium, Urgency::Medium))
        );
        assert_eq!(
            matrix.levels_for(p(2), Impact::Medium, Urgency::Low),
            Some((Impact::Medium, Urgency::High))
        );
        assert_eq!(matrix.levels_for(p(1), Impact::Low, Urgency::High), Some((Impact::High, Urgency::High)));
        let mut no_p5 = PriorityMatrix::default();
        no_p5.cells[2][2] = 4;
        assert_eq!(no_p5.levels_for(p(5), Impact::Low, Urgency::Low), None);
    }

    #[test]
    fn a_report_names_each_problem() {
        let errors = check_report(" ", &"x".repeat(DESCRIPTION_MAX + 1), "everyone", "").unwrap_err();
        for field in ["title", "description", "reach", "blocking"] {
            assert!(errors.get(field).is_some(), "{field}: {errors:?}");
        }
        let report = check_report(" Printer jams ", " On floor 2 ", "my_team", "can_work").unwrap();
        assert_eq!(report.title.as_str(), "Printer jams");
        assert_eq!(report.description, "On floor 2");
        assert_eq!((report.impact, report.urgency), (Impact::Medium, Urgency::Medium));
    }
}
