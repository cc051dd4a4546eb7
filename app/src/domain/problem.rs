//! Problems: what a problem's analysis holds (root cause, cause code, workaround, fix), what
//! resolving one or publishing it as a known error needs, and which known errors an
//! incident matches.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ids::{CiId, RecordId};
use crate::error::FieldErrors;

/// What kind of cause a problem's root cause is, for reporting across problems.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum CauseCode {
    SoftwareDefect,
    Configuration,
    Capacity,
    Hardware,
    Network,
    Supplier,
    Process,
    Security,
}

impl CauseCode {
    pub const ALL: [CauseCode; 8] = [
        CauseCode::SoftwareDefect,
        CauseCode::Configuration,
        CauseCode::Capacity,
        CauseCode::Hardware,
        CauseCode::Network,
        CauseCode::Supplier,
        CauseCode::Process,
        CauseCode::Security,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CauseCode::SoftwareDefect => "software_defect",
            CauseCode::Configuration => "configuration",
            CauseCode::Capacity => "capacity",
            CauseCode::Hardware => "hardware",
            CauseCode::Network => "network",
            CauseCode::Supplier => "supplier",
            CauseCode::Process => "process",
            CauseCode::Security => "security",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CauseCode::SoftwareDefect => "Software defect",
            CauseCode::Configuration => "Configuration",
            CauseCode::Capacity => "Capacity",
            CauseCode::Hardware => "Hardware failure",
            CauseCode::Network => "Network",
            CauseCode::Supplier => "Supplier or third party",
            CauseCode::Process => "Process or procedure",
            CauseCode::Security => "Security",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// The longest root cause, in characters (Markdown).
pub const ROOT_CAUSE_MAX: usize = 20_000;
/// The longest workaround or fix, in characters (Markdown).
pub const WORKAROUND_MAX: usize = 10_000;

/// What the desk has learnt about a problem.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Analysis {
    /// Markdown.
    pub root_cause: String,
    pub cause_code: Option<CauseCode>,
    /// How to restore service until the fix is in, in words an agent can pass on.
    pub workaround: String,
    /// What removes the cause.
    pub fix: String,
}

/// An analysis as a form sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalysisInput {
    pub root_cause: String,
    pub cause_code: String,
    pub workaround: String,
    pub fix: String,
}

/// Checks an analysis field by field; every part may still be empty.
pub fn validate_analysis(input: &AnalysisInput) -> Result<Analysis, FieldErrors> {
    let mut errors = FieldErrors::default();
    let text = |field: &str, value: &str, max: usize, errors: &mut FieldErrors| {
        let value = value.trim();
        if value.chars().count() > max {
            errors.add(field, format!("At most {max} characters."));
        }
        value.to_owned()
    };
    let root_cause = text("root_cause", &input.root_cause, ROOT_CAUSE_MAX, &mut errors);
    let workaround = text("workaround", &input.workaround, WORKAROUND_MAX, &mut errors);
    let fix = text("fix", &input.fix, WORKAROUND_MAX, &mut errors);
    let cause_code = match input.cause_code.trim() {
        "" => None,
        code => {
            let parsed = CauseCode::parse(code);
            if parsed.is_none() {
                errors.add("cause_code", "Choose a cause code from the list.");
            }
            parsed
        }
    };
    if errors.is_empty() { Ok(Analysis { root_cause, cause_code, workaround, fix }) } else { Err(errors) }
}

impl Analysis {
    /// What resolving the problem needs: its root cause, and what kind of cause it is.
    pub fn check_resolvable(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        if self.root_cause.is_empty() {
            errors.add("root_cause", "Record the root cause before resolving the problem.");
        }
        if self.cause_code.is_none() {
            errors.add("cause_code", "Choose a cause code before resolving the problem.");
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    /// What publishing the problem as a known error needs: a workaround to pass on.
    pub fn check_publishable(&self) -> Result<(), FieldErrors> {
        if self.workaround.is_empty() {
            return Err(FieldErrors::one("workaround", "A known error needs a workaround to pass on."));
        }
        Ok(())
    }
}

/// A problem published as a known error, as the list and an incident's matches show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownError {
    pub problem: RecordId,
    pub number: String,
    pub title: String,
    pub category: String,
    pub workaround: String,
    pub published_at: DateTime<Utc>,
}

/// What an incident and a known error are compared by.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Traits {
    pub cis: BTreeSet<CiId>,
    pub category: String,
    pub words: BTreeSet<String>,
}

impl Traits {
    pub fn new(cis: impl IntoIterator<Item = CiId>, category: &str, text: &str) -> Self {
        Self { cis: cis.into_iter().collect(), category: category.trim().to_lowercase(), words: words(text) }
    }
}

/// Why a known error is offered for an incident.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Match {
    /// Higher is a better match.
    pub score: u32,
    pub same_ci: bool,
    pub same_category: bool,
    /// The words both use, in order.
    pub shared_words: Vec<String>,
}

/// Words that say nothing about what is wrong.
const STOP_WORDS: &[&str] = &[
    "and", "are", "but", "can", "cannot", "does", "doesn", "for", "from", "has", "have", "not", "now", "the",
    "this", "that", "was", "when", "with", "will", "won", "work", "working", "again", "any", "get", "got",
    "our", "out", "please", "since", "today", "very", "all", "its", "into", "after",
];

/// The words of `text` a match goes by: lower case, letters and digits, three or more long,
/// without the words that say nothing.
pub fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_lowercase)
        .filter(|w| !STOP_WORDS.contains(&w.as_str()))
        .collect()
}

/// How many words in common make a match by words alone.
const SHARED_WORDS_ALONE: usize = 2;

/// Whether known error `known` matches `incident`, and why: the same CI or service, the same
/// category with a word in common, or enough words in common. `None` when it does not.
pub fn match_known_error(incident: &Traits, known: &Traits) -> Option<Match> {
    let same_ci = !incident.cis.is_disjoint(&known.cis);
    let same_category = !incident.category.is_empty() && incident.category == known.category;
    let shared_words: Vec<String> = incident.words.intersection(&known.words).cloned().collect();
    let shared = shared_words.len();
    let matches = same_ci || (same_category && shared >= 1) || shared >= SHARED_WORDS_ALONE;
    if !matches {
        return None;
    }
    let score = u32::from(same_ci) * 100
        + u32::from(same_category) * 20
        + u32::try_from(shared.min(20)).unwrap_or(20) * 10;
    Some(Match { score, same_ci, same_category, shared_words })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(root_cause: &str, cause_code: &str, workaround: &str) -> AnalysisInput {
        AnalysisInput {
            root_cause: root_cause.to_owned(),
            cause_code: cause_code.to_owned(),
            workaround: workaround.to_owned(),
            fix: String::new(),
        }
    }

    #[test]
    fn an_analysis_is_checked_field_by_field_and_may_start_empty() {
        assert_eq!(validate_analysis(&AnalysisInput::default()), Ok(Analysis::default()));
        let saved =
            validate_analysis(&input("  The certificate expired. ", "configuration", " Restart the agent "))
                .unwrap();
        assert_eq!(saved.root_cause, "The certificate expired.");
        assert_eq!(saved.cause_code, Some(CauseCode::Configuration));
        assert_eq!(saved.workaround, "Restart the agent");

        let long = "x".repeat(ROOT_CAUSE_MAX + 1);
        let errors = validate_analysis(&input(&long, "gremlins", "")).unwrap_err();
        assert_eq!(errors.get("root_cause"), Some("At most 20000 characters."));
        assert_eq!(errors.get("cause_code"), Some("Choose a cause code from the list."));
        assert!(errors.get("workaround").is_none());
    }

    #[test]
    fn resolving_needs_a_root_cause_and_its_code_and_publishing_a_workaround() {
        let empty = Analysis::default();
        let errors = empty.check_resolvable().unwrap_err();
        assert!(errors.get("root_cause").is_some() && errors.get("cause_code").is_some());
        assert_eq!(
            empty.check_publishable().unwrap_err().get("workaround"),
            Some("A known error needs a workaround to pass on.")
        );
        let known = validate_analysis(&input("Disk full", "capacity", "Clear the spool")).unwrap();
        assert!(known.check_resolvable().is_ok() && known.check_publishable().is_ok());
        for code in CauseCode::ALL {
            assert_eq!(CauseCode::parse(code.as_str()), Some(code));
        }
    }

    #[test]
    fn a_known_error_matches_by_ci_by_category_and_a_word_or_by_words_alone() {
        let known =
            Traits::new([CiId(7)], "Email", "Outlook cannot connect to the mail server after the update");
        let on_the_ci = Traits::new([CiId(7)], "", "Something odd");
        let found = match_known_error(&on_the_ci, &known).unwrap();
        assert!(found.same_ci && !found.same_category && found.shared_words.is_empty());

        let same_category = Traits::new([], "email", "Outlook keeps asking for a password");
        let found = match_known_error(&same_category, &known).unwrap();
        assert!(found.same_category);
        assert_eq!(found.shared_words, ["outlook"]);

        let by_words = Traits::new([CiId(9)], "Printing", "Mail server will not connect");
        let found = match_known_error(&by_words, &known).unwrap();
        assert_eq!(found.shared_words, ["connect", "mail", "server"]);
        assert!(found.score < match_known_error(&on_the_ci, &known).unwrap().score, "a CI counts most");

        let unrelated = Traits::new([CiId(9)], "Printing", "The printer jams on page two");
        assert_eq!(match_known_error(&unrelated, &known), None);
        let one_word = Traits::new([], "", "outlook is slow");
        assert_eq!(match_known_error(&one_word, &known), None, "one word alone is not enough");
        assert!(words("The VPN won't work, again!").contains("vpn"));
        assert!(!words("The VPN won't work, again!").contains("the"));
    }
}
