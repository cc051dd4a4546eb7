//! Service-level policies: which records they cover, the calendar they count on, their
//! targets, the states that stop the clock, when to warn, and what to do at a warning and
//! at a breach. A record takes the first active policy, in the admins' order, whose
//! conditions it meets.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ids::{CatalogItemId, GroupId, UserId};
use super::lifecycle::HoldReason;
use super::record::{RecordKind, RecordState};
use super::sla::Pause;
use crate::error::FieldErrors;

/// Which records a policy covers; an empty list means "any".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conditions {
    pub kinds: Vec<RecordKind>,
    pub priorities: Vec<u8>,
    pub catalog_items: Vec<CatalogItemId>,
    pub groups: Vec<GroupId>,
}

/// What a record is, as far as policies look at it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordFacts {
    pub kind: RecordKind,
    pub priority: u8,
    pub catalog_item: Option<CatalogItemId>,
    pub group: Option<GroupId>,
}

impl Conditions {
    pub fn matches(&self, facts: &RecordFacts) -> bool {
        let any_or = |empty: bool, hit: bool| empty || hit;
        any_or(self.kinds.is_empty(), self.kinds.contains(&facts.kind))
            && any_or(self.priorities.is_empty(), self.priorities.contains(&facts.priority))
            && any_or(
                self.catalog_items.is_empty(),
                facts.catalog_item.is_some_and(|i| self.catalog_items.contains(&i)),
            )
            && any_or(self.groups.is_empty(), facts.group.is_some_and(|g| self.groups.contains(&g)))
    }
}

/// A state that stops the clock: a state, or being on hold for one reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "on", content = "value")]
pub enum PauseOn {
    State(RecordState),
    Hold(HoldReason),
}

impl PauseOn {
    /// The default: on hold, awaiting the caller.
    pub const DEFAULT: PauseOn = PauseOn::Hold(HoldReason::AwaitingCaller);

    pub fn applies(self, state: RecordState, reason: Option<HoldReason>) -> bool {
        match self {
            PauseOn::State(paused) => paused == state,
            PauseOn::Hold(wanted) => state == RecordState::OnHold && reason == Some(wanted),
        }
    }

    pub fn label(self) -> String {
        match self {
            PauseOn::State(state) => state.label().to_owned(),
            PauseOn::Hold(reason) => format!("On hold: {}", reason.label().to_lowercase()),
        }
    }
}

/// What happens at a warning or a breach.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "do", content = "who")]
pub enum Escalation {
    NotifyAssignee,
    NotifyGroup,
    NotifyPerson(UserId),
    RaisePriority,
    MoveToGroup(GroupId),
}

/// A policy as admins keep it. Targets are minutes of business time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaPolicy {
    pub id: i64,
    pub name: String,
    pub active: bool,
    pub conditions: Conditions,
    pub calendar_id: i64,
    pub response_minutes: Option<u32>,
    pub resolution_minutes: Option<u32>,
    pub pause_on: Vec<PauseOn>,
    /// Warn when this share of the target has passed, 1–99.
    pub warn_percent: u8,
    pub on_warning: Vec<Escalation>,
    pub on_breach: Vec<Escalation>,
}

/// The first active policy in `policies` (in order) that covers `facts`.
pub fn pick<'a>(policies: &'a [SlaPolicy], facts: &RecordFacts) -> Option<&'a SlaPolicy> {
    policies.iter().find(|p| p.active && p.conditions.matches(facts))
}

/// What a policy may refer to, for checking it.
pub struct Known<'a> {
    pub calendars: &'a [i64],
    pub groups: &'a [GroupId],
    pub catalog_items: &'a [CatalogItemId],
    pub people: &'a [UserId],
}

/// Checks a policy before it is saved; above all, that its conditions can match a record.
pub fn check_policy(policy: &SlaPolicy, known: &Known<'_>) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::default();
    if policy.name.trim().is_empty() || policy.name.chars().count() > 80 {
        errors.add("name", "Give the policy a name of up to 80 characters.");
    }
    if !known.calendars.contains(&policy.calendar_id) {
        errors.add("calendar", "Pick a calendar from the list.");
    }
    match (policy.response_minutes, policy.resolution_minutes) {
        (None, None) => errors.add("targets", "Set a first-response target, a resolution target, or both."),
        (Some(0), _) | (_, Some(0)) => errors.add("targets", "A target must be at least one minute."),
        _ => {}
    }
    if !(1..=99).contains(&policy.warn_percent) {
        errors.add("warn_percent", "Warn somewhere between 1 % and 99 % of the target.");
    }
    let conditions = &policy.conditions;
    if conditions.priorities.iter().any(|p| !(1..=5).contains(p)) {
        errors.add("conditions", "Priorities run from P1 to P5.");
    }
    if !conditions.catalog_items.is_empty()
        && !conditions.kinds.is_empty()
        && !conditions.kinds.contains(&RecordKind::Request)
    {
        errors.add(
            "conditions",
            "Catalog items are only ordered as requests, so this policy could never apply.",
        );
    }
    if conditions.groups.iter().any(|g| !known.groups.contains(g)) {
        errors.add("conditions", "One of the groups no longer exists.");
    }
    if conditions.catalog_items.iter().any(|i| !known.catalog_items.contains(i)) {
        errors.add("conditions", "One of the catalog items no longer exists.");
    }
    for action in policy.on_warning.iter().chain(&policy.on_breach) {
        match action {
            Escalation::NotifyPerson(person) if !known.people.contains(person) => {
                errors.add("actions", "The person to notify isn't an active user.");
            }
            Escalation::MoveToGroup(group) if !known.groups.contains(group) => {
                errors.add("actions", "The group to move it to no longer exists.");
            }
            _ => {}
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

/// One step of a record's state history: from `at`, it was `state` (with the hold reason).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateSpell {
    pub at: DateTime<Utc>,
    pub state: RecordState,
    pub hold_reason: Option<HoldReason>,
}

/// The pauses in a record's history: the spells in a state the policy pauses on. The last
/// one is open while the record is still in it.
pub fn pauses(history: &[StateSpell], pause_on: &[PauseOn]) -> Vec<Pause> {
    let mut out: Vec<Pause> = Vec::new();
    for spell in history {
        let pausing = pause_on.iter().any(|p| p.applies(spell.state, spell.hold_reason));
        match (out.last_mut(), pausing) {
            (Some(open), false) if open.end.is_none() => open.end = Some(spell.at),
            (Some(open), true) if open.end.is_none() => {}
            (_, true) => out.push(Pause { start: spell.at, end: None }),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;

    fn policy(conditions: Conditions) -> SlaPolicy {
        SlaPolicy {
            id: 1,
            name: "P1 incidents".into(),
            active: true,
            conditions,
            calendar_id: 1,
            response_minutes: Some(15),
            resolution_minutes: Some(240),
            pause_on: vec![PauseOn::DEFAULT],
            warn_percent: 75,
            on_warning: vec![Escalation::NotifyAssignee],
            on_breach: vec![Escalation::NotifyGroup, Escalation::RaisePriority],
        }
    }

    fn facts(kind: RecordKind, priority: u8) -> RecordFacts {
        RecordFacts { kind, priority, catalog_item: None, group: Some(GroupId(3)) }
    }

    #[test]
    fn the_first_active_policy_that_matches_applies() {
        let p1 = policy(Conditions {
            kinds: vec![RecordKind::Incident],
            priorities: vec![1],
            ..Conditions::default()
        });
        let mut inactive = policy(Conditions::default());
        inactive.active = false;
        let any = SlaPolicy { id: 2, ..policy(Conditions::default()) };
        let policies = [p1, inactive, any];
        assert_eq!(pick(&policies, &facts(RecordKind::Incident, 1)).map(|p| p.id), Some(1));
        assert_eq!(pick(&policies, &facts(RecordKind::Incident, 3)).map(|p| p.id), Some(2));
        let grouped = Conditions { groups: vec![GroupId(4)], ..Conditions::default() };
        assert!(!grouped.matches(&facts(RecordKind::Incident, 3)));
        assert!(!grouped.matches(&RecordFacts { group: None, ..facts(RecordKind::Incident, 3) }));
    }

    #[test]
    fn a_policy_that_can_never_match_is_refused() {
        let known =
            Known { calendars: &[1], groups: &[GroupId(3)], catalog_items: &[CatalogItemId(7)], people: &[] };
        assert_eq!(check_policy(&policy(Conditions::default()), &known), Ok(()));
        let impossible = policy(Conditions {
            kinds: vec![RecordKind::Incident],
            catalog_items: vec![CatalogItemId(7)],
            ..Conditions::default()
        });
        assert!(
            check_policy(&impossible, &known).unwrap_err().get("conditions").unwrap().contains("never apply")
        );
        let mut untargeted = policy(Conditions::default());
        (untargeted.response_minutes, untargeted.resolution_minutes) = (None, None);
        untargeted.warn_percent = 100;
        untargeted.calendar_id = 9;
        untargeted.on_breach = vec![Escalation::MoveToGroup(GroupId(99))];
        let errors = check_policy(&untargeted, &known).unwrap_err();
        for field in ["targets", "warn_percent", "calendar", "actions"] {
            assert!(errors.get(field).is_some(), "{field}: {errors:?}");
        }
    }

    #[test]
    fn pauses_come_from_the_state_history() {
        let t =
            |minutes: i64| DateTime::from_timestamp(1_764_000_000, 0).unwrap() + Duration::minutes(minutes);
        let spell = |at: i64, state: RecordState, hold_reason: Option<HoldReason>| StateSpell {
            at: t(at),
            state,
            hold_reason,
        };
        let history = [
            spell(0, RecordState::New, None),
            spell(10, RecordState::OnHold, Some(HoldReason::AwaitingVendor)),
            spell(20, RecordState::OnHold, Some(HoldReason::AwaitingCaller)),
            spell(30, RecordState::InProgress, None),
            spell(40, RecordState::OnHold, Some(HoldReason::AwaitingCaller)),
        ];
        assert_eq!(
            pauses(&history, &[PauseOn::DEFAULT]),
            vec![Pause { start: t(20), end: Some(t(30)) }, Pause { start: t(40), end: None }]
        );
        let any_hold = [PauseOn::State(RecordState::OnHold)];
        assert_eq!(pauses(&history, &any_hold)[0], Pause { start: t(10), end: Some(t(30)) });
        assert_eq!(pauses(&history, &[]), vec![]);
    }
}
