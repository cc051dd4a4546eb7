//! Work records: one model for incidents, requests, tasks, problems and changes.
//! Numbers, states and priority are rules here; the store only persists them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::approval::ApprovalView;
use super::event::TimelineEvent;
use super::ids::{CatalogItemId, GroupId, RecordId, UserId};
use super::lifecycle::{HoldReason, ResolutionCode, StateCategory};
use super::markup::SafeHtml;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Incident,
    Request,
    Task,
    Problem,
    Change,
}

impl RecordKind {
    pub const ALL: [RecordKind; 5] = [
        RecordKind::Incident,
        RecordKind::Request,
        RecordKind::Task,
        RecordKind::Problem,
        RecordKind::Change,
    ];

    /// The human prefix of this kind's numbers: INC0000042.
    pub fn prefix(self) -> &'static str {
        match self {
            RecordKind::Incident => "INC",
            RecordKind::Request => "REQ",
            RecordKind::Task => "TASK",
            RecordKind::Problem => "PRB",
            RecordKind::Change => "CHG",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RecordKind::Incident => "Incident",
            RecordKind::Request => "Request",
            RecordKind::Task => "Task",
            RecordKind::Problem => "Problem",
            RecordKind::Change => "Change",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Incident => "incident",
            RecordKind::Request => "request",
            RecordKind::Task => "task",
            RecordKind::Problem => "problem",
            RecordKind::Change => "change",
        }
    }
}

/// How many digits follow the prefix. Numbers past 9,999,999 simply grow wider.
const NUMBER_DIGITS: usize = 7;

/// A record's human number, e.g. `INC0001042`: kind prefix + per-kind sequence.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RecordNumber {
    pub kind: RecordKind,
    pub seq: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    #[error("a record number starts with INC, REQ, TASK, PRB or CHG")]
    UnknownPrefix,
    #[error("a record number ends in digits")]
    BadDigits,
    #[error("sequence numbers start at 1")]
    NotPositive,
}

impl RecordNumber {
    pub fn new(kind: RecordKind, seq: i64) -> Result<Self, NumberError> {
        if seq < 1 {
            return Err(NumberError::NotPositive);
        }
        Ok(Self { kind, seq })
    }

    pub fn parse(s: &str) -> Result<Self, NumberError> {
        let s = s.trim();
        let upper = s.to_ascii_uppercase();
        // TASK must be tried before shorter prefixes could ever overlap it.
        let (kind, digits) = RecordKind::ALL
            .iter()
            .find_map(|k| upper.strip_prefix(k.prefix()).map(|rest| (*k, rest)))
            .ok_or(NumberError::UnknownPrefix)?;
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(NumberError::BadDigits);
        }
        let seq = digits.parse::<i64>().map_err(|_| NumberError::BadDigits)?;
        Self::new(kind, seq)
    }
}

impl std::fmt::Display for RecordNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{:0width$}", self.kind.prefix(), self.seq, width = NUMBER_DIGITS)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum RecordState {
    New,
    AwaitingApproval,
    InProgress,
    OnHold,
    Assessment,
    RootCauseAnalysis,
    FixInProgress,
    Authorisation,
    Scheduled,
    Implementation,
    Review,
    Resolved,
    Fulfilled,
    Closed,
    Rejected,
    Cancelled,
}

impl RecordState {
    pub const ALL: [RecordState; 16] = [
        RecordState::New,
        RecordState::AwaitingApproval,
        RecordState::InProgress,
        RecordState::OnHold,
        RecordState::Assessment,
        RecordState::RootCauseAnalysis,
        RecordState::FixInProgress,
        RecordState::Authorisation,
        RecordState::Scheduled,
        RecordState::Implementation,
        RecordState::Review,
        RecordState::Resolved,
        RecordState::Fulfilled,
        RecordState::Closed,
        RecordState::Rejected,
        RecordState::Cancelled,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            RecordState::New => "New",
            RecordState::AwaitingApproval => "Awaiting approval",
            RecordState::InProgress => "In progress",
            RecordState::OnHold => "On hold",
            RecordState::Assessment => "Assessment",
            RecordState::RootCauseAnalysis => "Root-cause analysis",
            RecordState::FixInProgress => "Fix in progress",
            RecordState::Authorisation => "Authorisation",
            RecordState::Scheduled => "Scheduled",
            RecordState::Implementation => "Implementation",
            RecordState::Review => "Review",
            RecordState::Resolved => "Resolved",
            RecordState::Fulfilled => "Fulfilled",
            RecordState::Closed => "Closed",
            RecordState::Rejected => "Rejected",
            RecordState::Cancelled => "Cancelled",
        }
    }

    /// Still needs work from someone (open or waiting): counts in queues, backlogs and
    /// running clocks. The one definition; SQL lists are made from it.
    pub fn is_open(self) -> bool {
        self.category() != StateCategory::Done
    }

    /// What this state means for the work, whatever the kind.
    pub fn category(self) -> StateCategory {
        super::lifecycle::category(self)
    }

    /// The states a record of `kind` may be in.
    pub fn allowed_for(self, kind: RecordKind) -> bool {
        super::lifecycle::lifecycle(kind).states.contains(&self)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RecordState::New => "new",
            RecordState::AwaitingApproval => "awaiting_approval",
            RecordState::InProgress => "in_progress",
            RecordState::OnHold => "on_hold",
            RecordState::Assessment => "assessment",
            RecordState::RootCauseAnalysis => "root_cause_analysis",
            RecordState::FixInProgress => "fix_in_progress",
            RecordState::Authorisation => "authorisation",
            RecordState::Scheduled => "scheduled",
            RecordState::Implementation => "implementation",
            RecordState::Review => "review",
            RecordState::Resolved => "resolved",
            RecordState::Fulfilled => "fulfilled",
            RecordState::Closed => "closed",
            RecordState::Rejected => "rejected",
            RecordState::Cancelled => "cancelled",
        }
    }
}

/// How widely a disruption is felt. 1 is the widest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Impact {
    High = 1,
    Medium = 2,
    Low = 3,
}

/// How soon it must be dealt with. 1 is the most pressing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Urgency {
    High = 1,
    Medium = 2,
    Low = 3,
}

/// P1 (critical) to P5 (planning).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Priority(u8);

impl Priority {
    pub const LOWEST: Priority = Priority(5);

    pub fn new(level: u8) -> Option<Self> {
        (1..=5).contains(&level).then_some(Self(level))
    }

    pub fn level(self) -> u8 {
        self.0
    }

    pub fn label(self) -> &'static str {
        match self.0 {
            1 => "Critical",
            2 => "High",
            3 => "Moderate",
            4 => "Low",
            _ => "Planning",
        }
    }

    /// The default ITIL matrix: impact and urgency each 1–3; their sum picks the priority.
    pub fn from_matrix(impact: Impact, urgency: Urgency) -> Self {
        let sum = impact as u8 + urgency as u8;
        Self(sum - 1)
    }
}

/// Why a record's priority is what it is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum PriorityBasis {
    /// Impact × urgency through the desk's matrix.
    #[default]
    Matrix,
    /// Raised by a service-level escalation.
    Escalation,
    /// Set by an agent, with a reason.
    Override,
}

impl PriorityBasis {
    pub fn as_str(self) -> &'static str {
        match self {
            PriorityBasis::Matrix => "matrix",
            PriorityBasis::Escalation => "escalation",
            PriorityBasis::Override => "override",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PriorityBasis::Matrix => "From impact and urgency",
            PriorityBasis::Escalation => "Raised by a service-level escalation",
            PriorityBasis::Override => "Set by hand",
        }
    }
}

/// What an edit asks of a record's priority.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PriorityWish {
    /// Leave it be, unless impact or urgency change: then the matrix decides again.
    Keep,
    /// Follow the matrix again.
    FromMatrix,
    /// Set by hand, with the reason.
    Set(Priority, String),
    /// One step up (P1 stays P1), for a service-level escalation.
    Raise,
}

/// The priority after an edit: it stays what it is, however it came to be, until someone
/// changes impact or urgency (the matrix decides again) or the priority itself.
pub fn settle_priority(
    current: (Priority, PriorityBasis),
    levels_changed: bool,
    wish: &PriorityWish,
    from_matrix: Priority,
) -> (Priority, PriorityBasis) {
    match wish {
        PriorityWish::Set(priority, _) => (*priority, PriorityBasis::Override),
        PriorityWish::FromMatrix => (from_matrix, PriorityBasis::Matrix),
        PriorityWish::Raise => (
            Priority::new(current.0.level().saturating_sub(1).max(1)).unwrap_or(current.0),
            PriorityBasis::Escalation,
        ),
        PriorityWish::Keep if levels_changed => (from_matrix, PriorityBasis::Matrix),
        PriorityWish::Keep => current,
    }
}

impl Impact {
    pub const ALL: [Impact; 3] = [Impact::High, Impact::Medium, Impact::Low];

    pub fn label(self) -> &'static str {
        match self {
            Impact::High => "High: many people",
            Impact::Medium => "Medium: a team",
            Impact::Low => "Low: one person",
        }
    }

    pub fn from_level(level: i64) -> Option<Self> {
        match level {
            1 => Some(Impact::High),
            2 => Some(Impact::Medium),
            3 => Some(Impact::Low),
            _ => None,
        }
    }
}

impl Urgency {
    pub const ALL: [Urgency; 3] = [Urgency::High, Urgency::Medium, Urgency::Low];

    pub fn label(self) -> &'static str {
        match self {
            Urgency::High => "High: work has stopped",
            Urgency::Medium => "Medium: slowed down",
            Urgency::Low => "Low: can wait",
        }
    }

    pub fn from_level(level: i64) -> Option<Self> {
        match level {
            1 => Some(Urgency::High),
            2 => Some(Urgency::Medium),
            3 => Some(Urgency::Low),
            _ => None,
        }
    }
}

/// One line of a record list: what My requests and the queues show.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordSummary {
    pub id: RecordId,
    pub number: String,
    pub kind: RecordKind,
    pub title: String,
    pub state: RecordState,
    pub priority: Priority,
    pub requester_name: String,
    pub group_name: Option<String>,
    pub assignee_name: Option<String>,
    pub updated_at: DateTime<Utc>,
}

/// A record as its page shows it. The description arrives sanitized.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordDetail {
    pub id: RecordId,
    pub number: String,
    pub kind: RecordKind,
    pub title: String,
    pub description: SafeHtml,
    pub state: RecordState,
    pub priority: Priority,
    pub category: String,
    pub requester_name: String,
    pub opened_by_name: String,
    pub group_name: Option<String>,
    pub assignee_name: Option<String>,
    pub catalog_item_name: Option<String>,
    pub catalog_item_id: Option<CatalogItemId>,
    pub opened_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub impact: i64,
    pub urgency: i64,
    pub group_id: Option<GroupId>,
    pub assignee_id: Option<UserId>,
    pub hold_reason: Option<HoldReason>,
    pub resolution_code: Option<ResolutionCode>,
    pub resolution_notes: String,
    pub major: bool,
    /// Why the priority is what it is, and an agent's words when set by hand.
    pub priority_basis: PriorityBasis,
    pub priority_reason: String,
    /// Goes up with every change; an edit names the version it was made from.
    pub version: i64,
}

/// An assignment group and its active members, for picking who works a record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupChoice {
    pub id: GroupId,
    pub name: String,
    pub members: Vec<(UserId, String)>,
}

/// Everything the record page needs: the record, the timeline the viewer may read, and
/// what the viewer may add to it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordPage {
    pub record: RecordDetail,
    /// A request's answers to its catalog form, in the form's order: (question, answer).
    pub answers: Vec<(String, String)>,
    /// Who was asked to approve it, and what they decided.
    pub approvals: Vec<ApprovalView>,
    /// Its fulfilment tasks, in the order they were made.
    pub tasks: Vec<RecordSummary>,
    pub timeline: Vec<TimelineEvent>,
    pub may_write_work_notes: bool,
    /// A request the viewer may still withdraw.
    pub may_cancel: bool,
    /// A fulfilled request the viewer may reopen.
    pub may_reopen: bool,
    /// A request waiting for approval with nobody asked, which the viewer may ask again.
    pub may_ask_again: bool,
    /// The viewer may change the record's state and fields.
    pub may_update: bool,
    /// The groups and their members to assign from, for those who may update it.
    pub assignment: Vec<GroupChoice>,
    /// Files on it, for everyone who reads it.
    pub attachments: Vec<crate::domain::attachment::AttachmentView>,
    /// The largest file that may be attached, in bytes.
    pub attachment_limit: u64,
    /// The viewer may reply to it and attach files: it isn't closed.
    pub open_to_replies: bool,
    /// For those who may update it: its linked records, its watchers, and the desk's
    /// canned responses.
    pub links: Vec<crate::domain::link::LinkView>,
    pub watchers: Vec<(UserId, String)>,
    pub canned: Vec<crate::domain::canned::CannedResponse>,
    /// The configuration items it names as affected, for everyone who reads it.
    pub cis: Vec<crate::domain::ci_graph::CiNode>,
    /// For those who may update it: the business services those CIs' outage reaches.
    pub impacted: Vec<crate::domain::cmdb::ImpactedService>,
    /// Its service-level clocks, each with what explains it.
    pub clocks: Vec<crate::domain::sla::ClockView>,
}

/// The state choices of My requests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StateFilter {
    #[default]
    All,
    /// Still being worked on: new, awaiting approval, in progress, on hold.
    Open,
    AwaitingApproval,
    /// Fulfilled or resolved: done, not yet closed.
    Done,
    /// Closed, rejected or cancelled.
    Ended,
}

impl StateFilter {
    pub const ALL: [StateFilter; 5] = [
        StateFilter::All,
        StateFilter::Open,
        StateFilter::AwaitingApproval,
        StateFilter::Done,
        StateFilter::Ended,
    ];

    /// Unknown text is `All`: a hand-edited URL still shows something sensible.
    pub fn parse(s: &str) -> Self {
        Self::ALL.into_iter().find(|f| f.as_str() == s).unwrap_or_default()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            StateFilter::All => "all",
            StateFilter::Open => "open",
            StateFilter::AwaitingApproval => "awaiting_approval",
            StateFilter::Done => "done",
            StateFilter::Ended => "ended",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            StateFilter::All => "All",
            StateFilter::Open => "Open",
            StateFilter::AwaitingApproval => "Awaiting approval",
            StateFilter::Done => "Done",
            StateFilter::Ended => "Closed, rejected or cancelled",
        }
    }

    /// The states this choice keeps; empty for all. Follows the life cycles' categories.
    pub fn states(self) -> Vec<RecordState> {
        let keep =
            |wanted: fn(RecordState) -> bool| RecordState::ALL.into_iter().filter(|s| wanted(*s)).collect();
        match self {
            StateFilter::All => Vec::new(),
            StateFilter::Open => keep(RecordState::is_open),
            StateFilter::AwaitingApproval => vec![RecordState::AwaitingApproval],
            StateFilter::Done => keep(|s| !s.is_open() && !super::lifecycle::is_final(s)),
            StateFilter::Ended => keep(super::lifecycle::is_final),
        }
    }
}

/// The title every record must have: trimmed, 1–200 characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Title(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TitleError {
    #[error("Give it a short title.")]
    Empty,
    #[error("Keep the title under 200 characters.")]
    TooLong,
}

impl Title {
    pub const MAX: usize = 200;

    pub fn parse(s: &str) -> Result<Self, TitleError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(TitleError::Empty);
        }
        if s.chars().count() > Self::MAX {
            return Err(TitleError::TooLong);
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_prefix_and_seven_digits() {
        let n = RecordNumber::new(RecordKind::Incident, 1042).unwrap();
        assert_eq!(n.to_string(), "INC0001042");
        assert_eq!(RecordNumber::new(RecordKind::Task, 7).unwrap().to_string(), "TASK0000007");
        assert_eq!(RecordNumber::new(RecordKind::Change, 12_345_678).unwrap().to_string(), "CHG12345678");
    }

    #[test]
    fn numbers_round_trip_through_parse() {
        for kind in RecordKind::ALL {
            let n = RecordNumber::new(kind, 99).unwrap();
            assert_eq!(RecordNumber::parse(&n.to_string()), Ok(n));
        }
        assert_eq!(RecordNumber::parse(" req0000003 ").unwrap().seq, 3);
    }

    #[test]
    fn malformed_numbers_are_rejected() {
        assert_eq!(RecordNumber::parse("XYZ0000001"), Err(NumberError::UnknownPrefix));
        assert_eq!(RecordNumber::parse("INC"), Err(NumberError::BadDigits));
        assert_eq!(RecordNumber::parse("INC12a"), Err(NumberError::BadDigits));
        assert_eq!(RecordNumber::parse("INC-0001"), Err(NumberError::BadDigits));
        assert_eq!(RecordNumber::parse("INC0000000"), Err(NumberError::NotPositive));
        assert_eq!(RecordNumber::new(RecordKind::Request, 0), Err(NumberError::NotPositive));
    }

    #[test]
    fn priority_follows_the_impact_urgency_matrix() {
        use Impact as I;
        use Urgency as U;
        assert_eq!(Priority::from_matrix(I::High, U::High).level(), 1);
        assert_eq!(Priority::from_matrix(I::High, U::Medium).level(), 2);
        assert_eq!(Priority::from_matrix(I::Medium, U::High).level(), 2);
        assert_eq!(Priority::from_matrix(I::Medium, U::Medium).level(), 3);
        assert_eq!(Priority::from_matrix(I::Low, U::High).level(), 3);
        assert_eq!(Priority::from_matrix(I::Low, U::Medium).level(), 4);
        assert_eq!(Priority::from_matrix(I::Low, U::Low).level(), 5);
    }

    #[test]
    fn an_escalated_or_chosen_priority_holds_until_impact_urgency_or_priority_change() {
        let p = |level| Priority::new(level).unwrap();
        let escalated = settle_priority((p(3), PriorityBasis::Matrix), false, &PriorityWish::Raise, p(3));
        assert_eq!(escalated, (p(2), PriorityBasis::Escalation));
        assert_eq!(settle_priority(escalated, false, &PriorityWish::Keep, p(3)), escalated);
        assert_eq!(
            settle_priority(escalated, true, &PriorityWish::Keep, p(4)),
            (p(4), PriorityBasis::Matrix)
        );
        let chosen = settle_priority(escalated, false, &PriorityWish::Set(p(1), "CEO".into()), p(3));
        assert_eq!(chosen, (p(1), PriorityBasis::Override));
        assert_eq!(
            settle_priority(chosen, false, &PriorityWish::FromMatrix, p(3)),
            (p(3), PriorityBasis::Matrix)
        );
        assert_eq!(settle_priority((p(1), PriorityBasis::Matrix), false, &PriorityWish::Raise, p(1)).0, p(1));
    }

    #[test]
    fn states_round_trip_through_their_names() {
        for state in RecordState::ALL {
            assert_eq!(RecordState::parse(state.as_str()), Some(state));
        }
        assert_eq!(RecordState::parse("In progress"), None);
    }

    #[test]
    fn only_work_in_flight_counts_as_open() {
        assert!(RecordState::New.is_open());
        assert!(RecordState::OnHold.is_open());
        assert!(!RecordState::Resolved.is_open());
        assert!(!RecordState::Closed.is_open());
        assert!(!RecordState::Rejected.is_open());
    }

    #[test]
    fn incidents_are_never_fulfilled_and_requests_never_resolved() {
        assert!(!RecordState::Fulfilled.allowed_for(RecordKind::Incident));
        assert!(!RecordState::Resolved.allowed_for(RecordKind::Request));
        assert!(RecordState::AwaitingApproval.allowed_for(RecordKind::Request));
    }

    #[test]
    fn titles_are_trimmed_and_bounded() {
        assert_eq!(Title::parse("  Printer jam ").unwrap().as_str(), "Printer jam");
        assert_eq!(Title::parse("   "), Err(TitleError::Empty));
        assert_eq!(Title::parse(&"x".repeat(201)), Err(TitleError::TooLong));
        assert!(Title::parse(&"é".repeat(200)).is_ok());
    }
}
