//! Which state moves each kind of record allows, and what a move needs: a reason to hold,
//! a resolution code and notes to resolve. Enforced on the server; the browser offers only
//! the moves this allows.

use serde::{Deserialize, Serialize};

use super::record::{RecordKind, RecordState};

/// What an incident on hold waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(rename_all = "snake_case"))]
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
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(rename_all = "snake_case"))]
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

/// The states an agent may move a record of `kind` to from `from`. Approval and fulfilment
/// moves of requests are made by their own steps, not offered here.
pub fn next_states(kind: RecordKind, from: RecordState) -> &'static [RecordState] {
    use RecordState::*;
    match (kind, from) {
        (RecordKind::Incident | RecordKind::Problem, New) => &[InProgress, OnHold, Resolved, Cancelled],
        (RecordKind::Incident | RecordKind::Problem, InProgress) => &[OnHold, Resolved, Cancelled],
        (RecordKind::Incident | RecordKind::Problem, OnHold) => &[InProgress, Resolved, Cancelled],
        (RecordKind::Incident | RecordKind::Problem, Resolved) => &[InProgress, Closed],
        (RecordKind::Request, New) => &[InProgress, OnHold, Cancelled],
        (RecordKind::Request, AwaitingApproval) => &[Cancelled],
        (RecordKind::Request, InProgress) => &[OnHold, Fulfilled, Cancelled],
        (RecordKind::Request, OnHold) => &[InProgress, Fulfilled, Cancelled],
        (RecordKind::Request, Fulfilled) => &[InProgress, Closed],
        (RecordKind::Task | RecordKind::Change, New) => &[InProgress, OnHold, Closed, Cancelled],
        (RecordKind::Task | RecordKind::Change, InProgress) => &[OnHold, Closed, Cancelled],
        (RecordKind::Task | RecordKind::Change, OnHold) => &[InProgress, Closed, Cancelled],
        _ => &[],
    }
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

/// Checks moving a record of `kind` from `from` to `to` with `details`. Returns the details
/// the move keeps: a hold keeps only its reason, a resolution only its code and notes.
pub fn check_move(
    kind: RecordKind,
    from: RecordState,
    to: RecordState,
    details: &MoveDetails,
) -> Result<MoveDetails, Vec<MoveError>> {
    if from == to {
        return Err(vec![MoveError::new("state", format!("It is already {}.", from.label().to_lowercase()))]);
    }
    if !next_states(kind, from).contains(&to) {
        let message = match from {
            RecordState::Closed | RecordState::Cancelled | RecordState::Rejected => format!(
                "This {} is {} and can't change state any more; open a new one and link it.",
                kind.label().to_lowercase(),
                from.label().to_lowercase()
            ),
            _ => format!(
                "{} can't go from {} to {}.",
                with_article(kind),
                from.label().to_lowercase(),
                to.label().to_lowercase()
            ),
        };
        return Err(vec![MoveError::new("state", message)]);
    }
    let mut errors = Vec::new();
    let mut kept = MoveDetails::default();
    match to {
        RecordState::OnHold => match details.hold_reason {
            Some(reason) => kept.hold_reason = Some(reason),
            None => errors.push(MoveError::new("hold_reason", "Say what it is waiting for.")),
        },
        RecordState::Resolved => {
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
        _ => {}
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
                let result = check_move(RecordKind::Incident, from, to, &details);
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
            check_move(RecordKind::Incident, InProgress, OnHold, &MoveDetails::default()).unwrap_err();
        assert_eq!(errors, vec![MoveError::new("hold_reason", "Say what it is waiting for.")]);
        let mut details = hold();
        details.resolution_notes = "stray".into();
        let kept = check_move(RecordKind::Incident, InProgress, OnHold, &details).unwrap();
        assert_eq!(kept, hold());
    }

    #[test]
    fn resolving_needs_a_code_and_notes_of_sensible_length() {
        let errors = check_move(RecordKind::Incident, InProgress, Resolved, &MoveDetails::default())
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect::<Vec<_>>();
        assert_eq!(errors, ["resolution_code", "resolution_notes"]);
        let mut long = resolution();
        long.resolution_notes = "x".repeat(RESOLUTION_NOTES_MAX + 1);
        assert_eq!(
            check_move(RecordKind::Incident, New, Resolved, &long).unwrap_err()[0].field,
            "resolution_notes"
        );
        let mut padded = resolution();
        padded.resolution_notes = "  Replaced the cable.  ".into();
        assert_eq!(check_move(RecordKind::Incident, OnHold, Resolved, &padded), Ok(resolution()));
    }

    #[test]
    fn refusals_say_why_in_words() {
        let closed =
            check_move(RecordKind::Incident, Closed, InProgress, &MoveDetails::default()).unwrap_err();
        assert_eq!(
            closed[0].message,
            "This incident is closed and can't change state any more; open a new one and link it."
        );
        let skip = check_move(RecordKind::Incident, New, Closed, &MoveDetails::default()).unwrap_err();
        assert_eq!(skip[0].message, "An incident can't go from new to closed.");
        let task = check_move(RecordKind::Task, Closed, New, &MoveDetails::default()).unwrap_err();
        assert!(task[0].message.starts_with("This task is closed"), "{task:?}");
        let request = check_move(RecordKind::Request, New, Closed, &MoveDetails::default()).unwrap_err();
        assert_eq!(request[0].message, "A request can't go from new to closed.");
        let same = check_move(RecordKind::Incident, New, New, &MoveDetails::default()).unwrap_err();
        assert_eq!(same[0].message, "It is already new.");
    }

    #[test]
    fn requests_are_approved_and_fulfilled_by_their_own_steps() {
        assert!(
            check_move(RecordKind::Request, AwaitingApproval, InProgress, &MoveDetails::default()).is_err()
        );
        assert!(
            check_move(RecordKind::Request, AwaitingApproval, Cancelled, &MoveDetails::default()).is_ok()
        );
        assert!(check_move(RecordKind::Request, InProgress, Fulfilled, &MoveDetails::default()).is_ok());
        assert!(check_move(RecordKind::Request, InProgress, Resolved, &resolution()).is_err());
        assert!(check_move(RecordKind::Task, InProgress, Closed, &MoveDetails::default()).is_ok());
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
