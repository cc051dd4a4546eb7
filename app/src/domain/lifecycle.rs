//! Which state moves each kind of record allows, and what a move needs: a reason to hold,
//! a resolution code and notes to resolve. Enforced on the server; the browser offers only
//! the moves this allows.

use serde::{Deserialize, Serialize};

use super::record::{RecordKind, RecordState};

/// What an incident on hold waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum HoldReason {
    AwaitingCaller,
    AwaitingVendor,
    AwaitingChange,
}

impl HoldReason {
    pub const ALL: [HoldReason; 3] =
        [HoldReason::AwaitingCaller, HoldReason::AwaitingVendor, HoldReason::AwaitingChange];

    pub fn as_str(self) -> &'static str {
        match self {
            HoldReason::AwaitingCaller => "awaiting_caller",
            HoldReason::AwaitingVendor => "awaiting_vendor",
            HoldReason::AwaitingChange => "awaiting_change",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            HoldReason::AwaitingCaller => "Awaiting caller",
            HoldReason::AwaitingVendor => "Awaiting vendor",
            HoldReason::AwaitingChange => "Awaiting change",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// How an incident was resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum ResolutionCode {
    Fixed,
    Workaround,
    NotReproducible,
    Duplicate,
    ResolvedByCaller,
}

impl ResolutionCode {
    pub const ALL: [ResolutionCode; 5] = [
        ResolutionCode::Fixed,
        ResolutionCode::Workaround,
        ResolutionCode::NotReproducible,
        ResolutionCode::Duplicate,
        ResolutionCode::ResolvedByCaller,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ResolutionCode::Fixed => "fixed",
            ResolutionCode::Workaround => "workaround",
            ResolutionCode::NotReproducible => "not_reproducible",
            ResolutionCode::Duplicate => "duplicate",
            ResolutionCode::ResolvedByCaller => "resolved_by_caller",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ResolutionCode::Fixed => "Fixed",
            ResolutionCode::Workaround => "Workaround given",
            ResolutionCode::NotReproducible => "Could not reproduce",
            ResolutionCode::Duplicate => "Duplicate",
            ResolutionCode::ResolvedByCaller => "Resolved by the caller",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// What a state means for the work, whatever the kind of record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StateCategory {
    /// Someone at the desk works on it.
    Open,
    /// Still to do, but waiting for someone outside the desk: a caller, a vendor, an
    /// approver, a change window.
    Waiting,
    /// Nothing more to do: resolved, fulfilled, closed, rejected or cancelled.
    Done,
}

/// The category of each state. Open and done are defined here and nowhere else: queues,
/// counts, clocks, approvals, reports and the SQL indexes follow it.
pub fn category(state: RecordState) -> StateCategory {
    use RecordState::*;
    match state {
        New | InProgress | Assessment | RootCauseAnalysis | FixInProgress | Implementation | Review => {
            StateCategory::Open
        }
        AwaitingApproval | OnHold | Authorisation | Scheduled => StateCategory::Waiting,
        Resolved | Fulfilled | Closed | Rejected | Cancelled => StateCategory::Done,
    }
}

/// What a move needs before it can be made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Requires {
    Nothing,
    /// What it waits for.
    HoldReason,
    /// A resolution code and notes the requester reads.
    Resolution,
    /// A decision of the approval steps: never offered to a person, made by the approvals.
    Approval,
}

/// One allowed move of a kind's life cycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Move {
    pub from: RecordState,
    pub to: RecordState,
    pub requires: Requires,
}

const fn mv(from: RecordState, to: RecordState, requires: Requires) -> Move {
    Move { from, to, requires }
}

/// A kind's life cycle: the states it may be in, the one it starts in, and its moves.
#[derive(Debug, PartialEq, Eq)]
pub struct Lifecycle {
    pub kind: RecordKind,
    pub initial: RecordState,
    pub states: &'static [RecordState],
    pub moves: &'static [Move],
}

use RecordState as S;
use Requires as R;

const INCIDENT: Lifecycle = Lifecycle {
    kind: RecordKind::Incident,
    initial: S::New,
    states: &[S::New, S::InProgress, S::OnHold, S::Resolved, S::Closed, S::Cancelled],
    moves: &[
        mv(S::New, S::InProgress, R::Nothing),
        mv(S::New, S::OnHold, R::HoldReason),
        mv(S::New, S::Resolved, R::Resolution),
        mv(S::New, S::Cancelled, R::Nothing),
        mv(S::InProgress, S::OnHold, R::HoldReason),
        mv(S::InProgress, S::Resolved, R::Resolution),
        mv(S::InProgress, S::Cancelled, R::Nothing),
        mv(S::OnHold, S::InProgress, R::Nothing),
        mv(S::OnHold, S::Resolved, R::Resolution),
        mv(S::OnHold, S::Cancelled, R::Nothing),
        mv(S::Resolved, S::InProgress, R::Nothing),
        mv(S::Resolved, S::Closed, R::Nothing),
    ],
};

const REQUEST: Lifecycle = Lifecycle {
    kind: RecordKind::Request,
    initial: S::New,
    states: &[
        S::New,
        S::AwaitingApproval,
        S::InProgress,
        S::OnHold,
        S::Fulfilled,
        S::Closed,
        S::Rejected,
        S::Cancelled,
    ],
    moves: &[
        mv(S::New, S::AwaitingApproval, R::Approval),
        mv(S::New, S::InProgress, R::Nothing),
        mv(S::New, S::OnHold, R::HoldReason),
        mv(S::New, S::Cancelled, R::Nothing),
        mv(S::AwaitingApproval, S::InProgress, R::Approval),
        mv(S::AwaitingApproval, S::Rejected, R::Approval),
        mv(S::AwaitingApproval, S::Cancelled, R::Nothing),
        mv(S::InProgress, S::OnHold, R::HoldReason),
        mv(S::InProgress, S::Fulfilled, R::Nothing),
        mv(S::InProgress, S::Cancelled, R::Nothing),
        mv(S::OnHold, S::InProgress, R::Nothing),
        mv(S::OnHold, S::Fulfilled, R::Nothing),
        mv(S::OnHold, S::Cancelled, R::Nothing),
        mv(S::Fulfilled, S::InProgress, R::Nothing),
        mv(S::Fulfilled, S::Closed, R::Nothing),
    ],
};

const TASK: Lifecycle = Lifecycle {
    kind: RecordKind::Task,
    initial: S::New,
    states: &[S::New, S::InProgress, S::OnHold, S::Closed, S::Cancelled],
    moves: &[
        mv(S::New, S::InProgress, R::Nothing),
        mv(S::New, S::OnHold, R::HoldReason),
        mv(S::New, S::Closed, R::Nothing),
        mv(S::New, S::Cancelled, R::Nothing),
        mv(S::InProgress, S::OnHold, R::HoldReason),
        mv(S::InProgress, S::Closed, R::Nothing),
        mv(S::InProgress, S::Cancelled, R::Nothing),
        mv(S::OnHold, S::InProgress, R::Nothing),
        mv(S::OnHold, S::Closed, R::Nothing),
        mv(S::OnHold, S::Cancelled, R::Nothing),
    ],
};

const PROBLEM: Lifecycle = Lifecycle {
    kind: RecordKind::Problem,
    initial: S::New,
    states: &[
        S::New,
        S::Assessment,
        S::RootCauseAnalysis,
        S::FixInProgress,
        S::Resolved,
        S::Closed,
        S::Cancelled,
    ],
    moves: &[
        mv(S::New, S::Assessment, R::Nothing),
        mv(S::New, S::Cancelled, R::Nothing),
        mv(S::Assessment, S::RootCauseAnalysis, R::Nothing),
        mv(S::Assessment, S::Cancelled, R::Nothing),
        mv(S::RootCauseAnalysis, S::FixInProgress, R::Nothing),
        mv(S::RootCauseAnalysis, S::Resolved, R::Resolution),
        mv(S::RootCauseAnalysis, S::Cancelled, R::Nothing),
        mv(S::FixInProgress, S::RootCauseAnalysis, R::Nothing),
        mv(S::FixInProgress, S::Resolved, R::Resolution),
        mv(S::FixInProgress, S::Cancelled, R::Nothing),
        mv(S::Resolved, S::RootCauseAnalysis, R::Nothing),
        mv(S::Resolved, S::Closed, R::Nothing),
    ],
};

const CHANGE: Lifecycle = Lifecycle {
    kind: RecordKind::Change,
    initial: S::New,
    states: &[
        S::New,
        S::Assessment,
        S::Authorisation,
        S::Scheduled,
        S::Implementation,
        S::Review,
        S::Closed,
        S::Rejected,
        S::Cancelled,
    ],
    moves: &[
        mv(S::New, S::Assessment, R::Nothing),
        mv(S::New, S::Cancelled, R::Nothing),
        mv(S::Assessment, S::Authorisation, R::Nothing),
        mv(S::Assessment, S::Cancelled, R::Nothing),
        mv(S::Authorisation, S::Scheduled, R::Approval),
        mv(S::Authorisation, S::Rejected, R::Approval),
        mv(S::Authorisation, S::Assessment, R::Nothing),
        mv(S::Authorisation, S::Cancelled, R::Nothing),
        mv(S::Scheduled, S::Implementation, R::Nothing),
        mv(S::Scheduled, S::Cancelled, R::Nothing),
        mv(S::Implementation, S::Review, R::Nothing),
        mv(S::Review, S::Closed, R::Nothing),
    ],
};

/// The life cycle of `kind`.
pub fn lifecycle(kind: RecordKind) -> &'static Lifecycle {
    match kind {
        RecordKind::Incident => &INCIDENT,
        RecordKind::Request => &REQUEST,
        RecordKind::Task => &TASK,
        RecordKind::Problem => &PROBLEM,
        RecordKind::Change => &CHANGE,
    }
}

impl Lifecycle {
    /// The move from `from` to `to`, if this life cycle has one.
    pub fn find(&self, from: RecordState, to: RecordState) -> Option<&'static Move> {
        self.moves.iter().find(|m| m.from == from && m.to == to)
    }
}

/// Whether nothing moves a record on from `state`, of any kind: closed, rejected,
/// cancelled. Such a record takes no more replies or files.
pub fn is_final(state: RecordState) -> bool {
    RecordKind::ALL.into_iter().all(|kind| lifecycle(kind).moves.iter().all(|m| m.from != state))
}

/// Who makes a move: a person (an agent on the record page or the queue, a requester
/// cancelling or reopening), the approval steps, or Switchboard itself (auto-close, a
/// parent resolving its children, fulfilment finishing).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mover {
    Person,
    Approval,
    System,
}

/// The states a person may move a record of `kind` to from `from`: what the record page
/// offers. Moves made by the approval steps are not among them.
pub fn next_states(kind: RecordKind, from: RecordState) -> Vec<RecordState> {
    lifecycle(kind)
        .moves
        .iter()
        .filter(|m| m.from == from && m.requires != Requires::Approval)
        .map(|m| m.to)
        .collect()
}

/// What comes with a move: the reason for a hold, the code and notes of a resolution.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoveDetails {
    pub hold_reason: Option<HoldReason>,
    pub resolution_code: Option<ResolutionCode>,
    pub resolution_notes: String,
}

/// A move refused: the form field it concerns and why, in words for the person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MoveError {
    pub field: &'static str,
    pub message: String,
}

impl MoveError {
    fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self { field, message: message.into() }
    }
}

pub const RESOLUTION_NOTES_MAX: usize = 4_000;

/// "An incident", "A request".
fn with_article(kind: RecordKind) -> String {
    let noun = kind.label().to_lowercase();
    let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u']) { "An" } else { "A" };
    format!("{article} {noun}")
}

/// The fewest moves that take a new record of `kind` to `target`, approvals included, in
/// the life cycle's order of preference: how the demo and the generator give a record a
/// history its life cycle allows. None when `target` can't be reached.
pub fn path_to(kind: RecordKind, target: RecordState) -> Option<Vec<Move>> {
    let cycle = lifecycle(kind);
    let mut came_by: Vec<(RecordState, Option<Move>)> = vec![(cycle.initial, None)];
    let mut next = 0;
    while next < came_by.len() {
        let (at, _) = came_by[next];
        if at == target {
            let mut path = Vec::new();
            let mut state = at;
            while let Some((_, Some(step))) = came_by.iter().find(|(s, _)| *s == state) {
                path.push(*step);
                state = step.from;
            }
            path.reverse();
            return Some(path);
        }
        for step in cycle.moves.iter().filter(|m| m.from == at) {
            if !came_by.iter().any(|(s, _)| *s == step.to) {
                came_by.push((step.to, Some(*step)));
            }
        }
        next += 1;
    }
    None
}

/// "in progress, on hold or resolved".
fn in_words(states: &[RecordState]) -> String {
    let words: Vec<String> = states.iter().map(|s| s.label().to_lowercase()).collect();
    match words.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// Checks `mover` moving a record of `kind` from `from` to `to` with `details`. Returns
/// the details the move keeps: a hold keeps only its reason, a resolution only its code and
/// notes. A refusal names the moves that are allowed.
pub fn check_move(
    kind: RecordKind,
    from: RecordState,
    to: RecordState,
    details: &MoveDetails,
    mover: Mover,
) -> Result<MoveDetails, Vec<MoveError>> {
    if from == to {
        return Err(vec![MoveError::new("state", format!("It is already {}.", from.label().to_lowercase()))]);
    }
    let found = lifecycle(kind)
        .find(from, to)
        .filter(|m| m.requires != Requires::Approval || mover == Mover::Approval);
    let Some(found) = found else {
        let noun = kind.label().to_lowercase();
        let allowed = next_states(kind, from);
        let message = if is_final(from) {
            format!(
                "This {noun} is {} and can't change state any more; open a new one and link it.",
                from.label().to_lowercase()
            )
        } else if lifecycle(kind).find(from, to).is_some() {
            format!(
                "{} goes from {} to {} only through its approval. From {} it can go to {}.",
                with_article(kind),
                from.label().to_lowercase(),
                to.label().to_lowercase(),
                from.label().to_lowercase(),
                in_words(&allowed)
            )
        } else if allowed.is_empty() {
            format!(
                "{} can't go from {} to {}; it moves on through its approval.",
                with_article(kind),
                from.label().to_lowercase(),
                to.label().to_lowercase()
            )
        } else {
            format!(
                "{} can't go from {} to {}. From {} it can go to {}.",
                with_article(kind),
                from.label().to_lowercase(),
                to.label().to_lowercase(),
                from.label().to_lowercase(),
                in_words(&allowed)
            )
        };
        return Err(vec![MoveError::new("state", message)]);
    };
    let mut errors = Vec::new();
    let mut kept = MoveDetails::default();
    match found.requires {
        Requires::HoldReason => match details.hold_reason {
            Some(reason) => kept.hold_reason = Some(reason),
            None => errors.push(MoveError::new("hold_reason", "Say what it is waiting for.")),
        },
        Requires::Resolution => {
            match details.resolution_code {
                Some(code) => kept.resolution_code = Some(code),
                None => errors.push(MoveError::new("resolution_code", "Pick how it was resolved.")),
            }
            let notes = details.resolution_notes.trim();
            if notes.is_empty() {
                errors
                    .push(MoveError::new("resolution_notes", "Say what was done; the requester reads this."));
            } else if notes.chars().count() > RESOLUTION_NOTES_MAX {
                errors.push(MoveError::new("resolution_notes", "Keep the notes to 4,000 characters."));
            }
            kept.resolution_notes = notes.to_owned();
        }
        Requires::Nothing | Requires::Approval => {}
    }
    if errors.is_empty() { Ok(kept) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RecordState::*;

    fn resolution() -> MoveDetails {
        MoveDetails {
            resolution_code: Some(ResolutionCode::Fixed),
            resolution_notes: "Replaced the cable.".into(),
            ..MoveDetails::default()
        }
    }

    fn hold() -> MoveDetails {
        MoveDetails { hold_reason: Some(HoldReason::AwaitingVendor), ..MoveDetails::default() }
    }

    /// Every pair of incident states, allowed or not, against the table of the life cycle.
    #[test]
    fn every_incident_move_is_allowed_or_refused_as_the_life_cycle_says() {
        let allowed = [
            (New, InProgress),
            (New, OnHold),
            (New, Resolved),
            (New, Cancelled),
            (InProgress, OnHold),
            (InProgress, Resolved),
            (InProgress, Cancelled),
            (OnHold, InProgress),
            (OnHold, Resolved),
            (OnHold, Cancelled),
            (Resolved, InProgress),
            (Resolved, Closed),
        ];
        for from in RecordState::ALL {
            for to in RecordState::ALL {
                let details = match to {
                    OnHold => hold(),
                    Resolved => resolution(),
                    _ => MoveDetails::default(),
                };
                let result = check_move(RecordKind::Incident, from, to, &details, Mover::Person);
                assert_eq!(result.is_ok(), allowed.contains(&(from, to)), "{from:?} → {to:?}: {result:?}");
                if let Err(errors) = result {
                    assert_eq!(errors[0].field, "state");
                }
            }
        }
    }

    #[test]
    fn a_hold_needs_its_reason_and_keeps_nothing_else() {
        let errors =
            check_move(RecordKind::Incident, InProgress, OnHold, &MoveDetails::default(), Mover::Person)
                .unwrap_err();
        assert_eq!(errors, vec![MoveError::new("hold_reason", "Say what it is waiting for.")]);
        let mut details = hold();
        details.resolution_notes = "stray".into();
        let kept = check_move(RecordKind::Incident, InProgress, OnHold, &details, Mover::Person).unwrap();
        assert_eq!(kept, hold());
    }

    #[test]
    fn resolving_needs_a_code_and_notes_of_sensible_length() {
        let errors =
            check_move(RecordKind::Incident, InProgress, Resolved, &MoveDetails::default(), Mover::Person)
                .unwrap_err()
                .into_iter()
                .map(|e| e.field)
                .collect::<Vec<_>>();
        assert_eq!(errors, ["resolution_code", "resolution_notes"]);
        let mut long = resolution();
        long.resolution_notes = "x".repeat(RESOLUTION_NOTES_MAX + 1);
        assert_eq!(
            check_move(RecordKind::Incident, New, Resolved, &long, Mover::Person).unwrap_err()[0].field,
            "resolution_notes"
        );
        let mut padded = resolution();
        padded.resolution_notes = "  Replaced the cable.  ".into();
        assert_eq!(
            check_move(RecordKind::Incident, OnHold, Resolved, &padded, Mover::Person),
            Ok(resolution())
        );
    }

    #[test]
    fn refusals_say_why_in_words() {
        let closed =
            check_move(RecordKind::Incident, Closed, InProgress, &MoveDetails::default(), Mover::Person)
                .unwrap_err();
        assert_eq!(
            closed[0].message,
            "This incident is closed and can't change state any more; open a new one and link it."
        );
        let skip = check_move(RecordKind::Incident, New, Closed, &MoveDetails::default(), Mover::Person)
            .unwrap_err();
        assert_eq!(
            skip[0].message,
            "An incident can't go from new to closed. From new it can go to in progress, on hold, resolved or cancelled."
        );
        let task =
            check_move(RecordKind::Task, Closed, New, &MoveDetails::default(), Mover::Person).unwrap_err();
        assert!(task[0].message.starts_with("This task is closed"), "{task:?}");
        let request =
            check_move(RecordKind::Request, New, Closed, &MoveDetails::default(), Mover::Person).unwrap_err();
        assert!(
            request[0]
                .message
                .starts_with("A request can't go from new to closed. From new it can go to in progress"),
            "{request:?}"
        );
        let same =
            check_move(RecordKind::Incident, New, New, &MoveDetails::default(), Mover::Person).unwrap_err();
        assert_eq!(same[0].message, "It is already new.");
    }

    #[test]
    fn requests_are_approved_and_fulfilled_by_their_own_steps() {
        assert!(
            check_move(
                RecordKind::Request,
                AwaitingApproval,
                InProgress,
                &MoveDetails::default(),
                Mover::Person
            )
            .is_err()
        );
        assert!(
            check_move(
                RecordKind::Request,
                AwaitingApproval,
                Cancelled,
                &MoveDetails::default(),
                Mover::Person
            )
            .is_ok()
        );
        assert!(
            check_move(RecordKind::Request, InProgress, Fulfilled, &MoveDetails::default(), Mover::Person)
                .is_ok()
        );
        assert!(check_move(RecordKind::Request, InProgress, Resolved, &resolution(), Mover::Person).is_err());
        assert!(
            check_move(RecordKind::Task, InProgress, Closed, &MoveDetails::default(), Mover::Person).is_ok()
        );
    }

    #[test]
    fn approval_moves_are_made_by_the_approvals_and_named_as_such() {
        let approve = check_move(
            RecordKind::Request,
            AwaitingApproval,
            InProgress,
            &MoveDetails::default(),
            Mover::Approval,
        );
        assert!(approve.is_ok());
        let by_hand =
            check_move(RecordKind::Change, Authorisation, Scheduled, &MoveDetails::default(), Mover::Person)
                .unwrap_err();
        assert_eq!(
            by_hand[0].message,
            "A change goes from authorisation to scheduled only through its approval. From authorisation it can go to assessment or cancelled."
        );
        assert!(!next_states(RecordKind::Change, Authorisation).contains(&Scheduled));
    }

    /// The problem and change life cycles, move by move.
    #[test]
    fn problems_and_changes_follow_their_own_life_cycles() {
        let walk = |kind: RecordKind, path: &[RecordState], mover: Mover| {
            for pair in path.windows(2) {
                let details = if pair[1] == Resolved { resolution() } else { MoveDetails::default() };
                assert!(check_move(kind, pair[0], pair[1], &details, mover).is_ok(), "{kind:?} {pair:?}");
            }
        };
        walk(
            RecordKind::Problem,
            &[New, Assessment, RootCauseAnalysis, FixInProgress, Resolved, Closed],
            Mover::Person,
        );
        walk(RecordKind::Change, &[New, Assessment, Authorisation], Mover::Person);
        walk(RecordKind::Change, &[Authorisation, Scheduled], Mover::Approval);
        walk(RecordKind::Change, &[Scheduled, Implementation, Review, Closed], Mover::Person);
        assert!(
            check_move(RecordKind::Change, Authorisation, Rejected, &MoveDetails::default(), Mover::Approval)
                .is_ok()
        );
        assert!(
            check_move(RecordKind::Problem, FixInProgress, Resolved, &MoveDetails::default(), Mover::Person)
                .is_err()
        );
        assert!(check_move(RecordKind::Problem, New, OnHold, &hold(), Mover::Person).is_err());
        assert!(
            check_move(RecordKind::Change, Implementation, Closed, &MoveDetails::default(), Mover::Person)
                .is_err()
        );
        assert!(!Assessment.allowed_for(RecordKind::Incident));
        assert!(Review.allowed_for(RecordKind::Change));
    }

    #[test]
    fn every_life_cycle_is_whole() {
        for kind in RecordKind::ALL {
            let cycle = lifecycle(kind);
            assert_eq!(cycle.kind, kind);
            assert!(cycle.states.contains(&cycle.initial), "{kind:?}");
            for m in cycle.moves {
                assert!(cycle.states.contains(&m.from) && cycle.states.contains(&m.to), "{kind:?}: {m:?}");
                assert_ne!(m.from, m.to);
                match m.requires {
                    Requires::HoldReason => assert_eq!(m.to, OnHold),
                    Requires::Resolution => assert_eq!(m.to, Resolved),
                    _ => {}
                }
            }
            for state in cycle.states {
                let leaves = cycle.moves.iter().any(|m| m.from == *state);
                assert_eq!(leaves, state.is_open() || !is_final(*state), "{kind:?}: {state:?}");
                let reached = *state == cycle.initial || cycle.moves.iter().any(|m| m.to == *state);
                assert!(reached, "{kind:?}: nothing reaches {state:?}");
            }
        }
    }

    #[test]
    fn open_waiting_and_done_are_one_definition() {
        let done: Vec<_> = RecordState::ALL.into_iter().filter(|s| !s.is_open()).collect();
        assert_eq!(done, [Resolved, Fulfilled, Closed, Rejected, Cancelled]);
        let waiting: Vec<_> =
            RecordState::ALL.into_iter().filter(|s| s.category() == StateCategory::Waiting).collect();
        assert_eq!(waiting, [AwaitingApproval, OnHold, Authorisation, Scheduled]);
        let ended: Vec<_> = RecordState::ALL.into_iter().filter(|s| is_final(*s)).collect();
        assert_eq!(ended, [Closed, Rejected, Cancelled]);
    }

    #[test]
    fn every_state_of_a_kind_is_reached_by_the_fewest_allowed_moves() {
        let states = |kind, target| path_to(kind, target).map(|p| p.iter().map(|m| m.to).collect::<Vec<_>>());
        assert_eq!(states(RecordKind::Incident, Closed), Some(vec![Resolved, Closed]));
        assert_eq!(states(RecordKind::Request, Closed), Some(vec![InProgress, Fulfilled, Closed]));
        assert_eq!(states(RecordKind::Request, Rejected), Some(vec![AwaitingApproval, Rejected]));
        assert_eq!(
            states(RecordKind::Change, Review),
            Some(vec![Assessment, Authorisation, Scheduled, Implementation, Review])
        );
        assert_eq!(states(RecordKind::Incident, New), Some(vec![]));
        assert_eq!(states(RecordKind::Incident, Fulfilled), None);
        for kind in RecordKind::ALL {
            for state in lifecycle(kind).states {
                let path =
                    path_to(kind, *state).unwrap_or_else(|| panic!("{kind:?} never reaches {state:?}"));
                let mut at = lifecycle(kind).initial;
                for step in path {
                    assert_eq!(step.from, at);
                    assert!(lifecycle(kind).find(step.from, step.to).is_some());
                    at = step.to;
                }
                assert_eq!(at, *state);
            }
        }
    }

    #[test]
    fn every_offered_state_is_one_the_kind_can_be_in() {
        for kind in RecordKind::ALL {
            for from in RecordState::ALL {
                for to in next_states(kind, from) {
                    assert!(to.allowed_for(kind), "{kind:?}: {from:?} → {to:?}");
                }
            }
        }
    }

    #[test]
    fn codes_and_reasons_read_back_from_their_names() {
        for code in ResolutionCode::ALL {
            assert_eq!(ResolutionCode::parse(code.as_str()), Some(code));
        }
        for reason in HoldReason::ALL {
            assert_eq!(HoldReason::parse(reason.as_str()), Some(reason));
        }
        assert_eq!(HoldReason::parse("lunch"), None);
    }
}
