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

/// The longest target a policy may set: 366 days.
pub const MAX_TARGET_MINUTES: u32 = 366 * 24 * 60;

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
        (Some(m), _) | (_, Some(m)) if m > MAX_TARGET_MINUTES => {
            errors.add("targets", "A target can be at most 366 days.");
        }
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

impl PauseOn {
    /// Every choice the admin form offers, in its order.
    pub fn choices() -> Vec<PauseOn> {
        let mut all: Vec<PauseOn> = HoldReason::ALL.into_iter().map(PauseOn::Hold).collect();
        all.push(PauseOn::State(RecordState::OnHold));
        all.push(PauseOn::State(RecordState::AwaitingApproval));
        all
    }

    /// "hold:awaiting_caller", "state:on_hold": its value in a form.
    pub fn key(self) -> String {
        match self {
            PauseOn::State(state) => format!("state:{}", state.as_str()),
            PauseOn::Hold(reason) => format!("hold:{}", reason.as_str()),
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        match key.split_once(':')? {
            ("state", state) => RecordState::parse(state).map(PauseOn::State),
            ("hold", reason) => HoldReason::parse(reason).map(PauseOn::Hold),
            _ => None,
        }
    }
}

impl Escalation {
    /// The escalations that take no one: their form values and labels.
    pub const PLAIN: [(Escalation, &'static str, &'static str); 3] = [
        (Escalation::NotifyAssignee, "notify_assignee", "Notify the assignee"),
        (Escalation::NotifyGroup, "notify_group", "Notify the group's members"),
        (Escalation::RaisePriority, "raise_priority", "Raise the priority one step"),
    ];
}

/// A target that isn't written as a duration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BadTarget;

/// Reads a target: "8 h", "30 min", "1 h 30 min", "2h30m"; empty means no target.
pub fn parse_target(text: &str) -> Result<Option<u32>, BadTarget> {
    let text = text.trim().to_lowercase();
    if text.is_empty() {
        return Ok(None);
    }
    let mut minutes: u32 = 0;
    let mut number = String::new();
    let mut rest = text.as_str();
    let mut read_any = false;
    while !rest.is_empty() {
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        number.clear();
        number.push_str(&rest[..digits]);
        rest = rest[digits..].trim_start();
        let unit_len = rest.len() - rest.trim_start_matches(|c: char| c.is_alphabetic()).len();
        let unit = &rest[..unit_len];
        rest = rest[unit_len..].trim_start();
        let value: u32 = number.parse().map_err(|_| BadTarget)?;
        let scale = match unit {
            "d" | "day" | "days" => 1440,
            "h" | "hr" | "hrs" | "hour" | "hours" => 60,
            "m" | "min" | "mins" | "minute" | "minutes" => 1,
            _ => return Err(BadTarget),
        };
        minutes = value.checked_mul(scale).and_then(|m| minutes.checked_add(m)).ok_or(BadTarget)?;
        read_any = true;
    }
    if read_any { Ok(Some(minutes)) } else { Err(BadTarget) }
}

/// A target as the form shows it: "8 h", "1 h 30 min", "30 min".
pub fn target_text(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// A policy as its admin form sends it. Lists are the checked boxes' values.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyForm {
    pub name: String,
    pub active: bool,
    pub kinds: Vec<String>,
    pub priorities: Vec<String>,
    pub catalog_items: Vec<String>,
    pub groups: Vec<String>,
    pub calendar: String,
    pub response: String,
    pub resolution: String,
    pub pause_on: Vec<String>,
    pub warn_percent: String,
    pub on_warning: Vec<String>,
    pub on_breach: Vec<String>,
    /// Someone else to notify, by e-mail.
    pub warning_person: String,
    pub breach_person: String,
    /// A group to move the record to, by id.
    pub warning_group: String,
    pub breach_group: String,
}

impl PolicyForm {
    /// The form of a saved policy; `email_of` names the people it notifies.
    pub fn of(policy: &SlaPolicy, email_of: impl Fn(UserId) -> String) -> Self {
        let plain = |actions: &[Escalation]| -> Vec<String> {
            Escalation::PLAIN
                .iter()
                .filter(|(e, ..)| actions.contains(e))
                .map(|(_, key, _)| (*key).to_owned())
                .collect()
        };
        let person = |actions: &[Escalation]| {
            actions
                .iter()
                .find_map(|a| if let Escalation::NotifyPerson(p) = a { Some(email_of(*p)) } else { None })
                .unwrap_or_default()
        };
        let moved_to = |actions: &[Escalation]| {
            actions
                .iter()
                .find_map(|a| if let Escalation::MoveToGroup(g) = a { Some(g.0.to_string()) } else { None })
                .unwrap_or_default()
        };
        let c = &policy.conditions;
        Self {
            name: policy.name.clone(),
            active: policy.active,
            kinds: c.kinds.iter().map(|k| k.as_str().to_owned()).collect(),
            priorities: c.priorities.iter().map(u8::to_string).collect(),
            catalog_items: c.catalog_items.iter().map(|i| i.0.to_string()).collect(),
            groups: c.groups.iter().map(|g| g.0.to_string()).collect(),
            calendar: policy.calendar_id.to_string(),
            response: policy.response_minutes.map(target_text).unwrap_or_default(),
            resolution: policy.resolution_minutes.map(target_text).unwrap_or_default(),
            pause_on: policy.pause_on.iter().map(|p| p.key()).collect(),
            warn_percent: policy.warn_percent.to_string(),
            on_warning: plain(&policy.on_warning),
            on_breach: plain(&policy.on_breach),
            warning_person: person(&policy.on_warning),
            breach_person: person(&policy.on_breach),
            warning_group: moved_to(&policy.on_warning),
            breach_group: moved_to(&policy.on_breach),
        }
    }

    /// The policy the form describes (with `id`), checked against what exists; `person_of`
    /// finds an active user by e-mail.
    pub fn parse(
        &self,
        id: i64,
        known: &Known<'_>,
        person_of: impl Fn(&str) -> Option<UserId>,
    ) -> Result<SlaPolicy, FieldErrors> {
        let mut errors = FieldErrors::default();
        let mut ids = |values: &[String], field: &str| -> Vec<i64> {
            let read: Vec<i64> = values.iter().filter_map(|v| v.trim().parse().ok()).collect();
            if read.len() != values.len() {
                errors.add(field, "One of the choices isn't one the form offers.");
            }
            read
        };
        let priorities = ids(&self.priorities, "conditions").into_iter().map(|p| p as u8).collect();
        let catalog_items = ids(&self.catalog_items, "conditions").into_iter().map(CatalogItemId).collect();
        let groups = ids(&self.groups, "conditions").into_iter().map(GroupId).collect();
        let kinds = self
            .kinds
            .iter()
            .map(|k| RecordKind::ALL.into_iter().find(|kind| kind.as_str() == k))
            .collect::<Option<Vec<_>>>()
            .unwrap_or_else(|| {
                errors.add("conditions", "One of the record kinds isn't one the form offers.");
                Vec::new()
            });
        let mut target = |text: &str, field: &str| {
            parse_target(text).unwrap_or_else(|BadTarget| {
                errors.add(field, "Write the target as 8 h, 30 min or 1 h 30 min.");
                None
            })
        };
        let (response_minutes, resolution_minutes) =
            (target(&self.response, "response"), target(&self.resolution, "resolution"));
        let pause_on = self.pause_on.iter().filter_map(|k| PauseOn::from_key(k)).collect();
        let warn_percent = self.warn_percent.trim().trim_end_matches('%').trim().parse().unwrap_or(0);
        let mut actions = |plain: &[String], person: &str, field: &str| {
            let mut out: Vec<Escalation> = Escalation::PLAIN
                .iter()
                .filter(|(_, key, _)| plain.iter().any(|p| p == key))
                .map(|(e, ..)| *e)
                .collect();
            let person = person.trim();
            if !person.is_empty() {
                match person_of(person) {
                    Some(id) => out.push(Escalation::NotifyPerson(id)),
                    None => errors.add(field, "No active user has that e-mail."),
                }
            }
            out
        };
        let mut on_warning = actions(&self.on_warning, &self.warning_person, "warning_person");
        let mut on_breach = actions(&self.on_breach, &self.breach_person, "breach_person");
        for (group, list) in [(&self.warning_group, &mut on_warning), (&self.breach_group, &mut on_breach)] {
            match group.trim() {
                "" => {}
                group => match group.parse() {
                    Ok(group) => list.push(Escalation::MoveToGroup(GroupId(group))),
                    Err(_) => errors.add("actions", "Pick the group from the list."),
                },
            }
        }
        let policy = SlaPolicy {
            id,
            name: self.name.trim().to_owned(),
            active: self.active,
            conditions: Conditions { kinds, priorities, catalog_items, groups },
            calendar_id: self.calendar.trim().parse().unwrap_or(0),
            response_minutes,
            resolution_minutes,
            pause_on,
            warn_percent,
            on_warning,
            on_breach,
        };
        if let Err(more) = check_policy(&policy, known) {
            for (field, message) in more.0 {
                errors.add(&field, message);
            }
        }
        if errors.is_empty() { Ok(policy) } else { Err(errors) }
    }
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
        let mut endless = policy(Conditions::default());
        endless.resolution_minutes = Some(MAX_TARGET_MINUTES + 1);
        assert!(check_policy(&endless, &known).unwrap_err().get("targets").unwrap().contains("366 days"));
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

    #[test]
    fn targets_read_as_people_write_them() {
        assert_eq!(parse_target("8 h"), Ok(Some(480)));
        assert_eq!(parse_target("1 h 30 min"), Ok(Some(90)));
        assert_eq!(parse_target("2h30m"), Ok(Some(150)));
        assert_eq!(parse_target("3 days"), Ok(Some(4320)));
        assert_eq!(parse_target(" "), Ok(None));
        for bad in ["90", "soon", "h", "1 h 30", "99999999999 h"] {
            assert_eq!(parse_target(bad), Err(BadTarget), "{bad}");
        }
        for minutes in [1, 30, 60, 90, 480, 4321] {
            assert_eq!(parse_target(&target_text(minutes)), Ok(Some(minutes)));
        }
    }

    #[test]
    fn the_admin_form_reads_back_what_it_shows_and_explains_the_rest() {
        let known = Known {
            calendars: &[1],
            groups: &[GroupId(3)],
            catalog_items: &[CatalogItemId(7)],
            people: &[UserId(5)],
        };
        let mut saved = policy(Conditions {
            kinds: vec![RecordKind::Incident],
            priorities: vec![1, 2],
            ..Conditions::default()
        });
        saved.on_warning.push(Escalation::NotifyPerson(UserId(5)));
        saved.on_warning.push(Escalation::MoveToGroup(GroupId(3)));
        saved.on_breach.push(Escalation::MoveToGroup(GroupId(3)));
        let email_of = |id: UserId| format!("person{}@example.com", id.0);
        let person_of = |email: &str| (email == "person5@example.com").then_some(UserId(5));
        let form = PolicyForm::of(&saved, email_of);
        assert_eq!((form.response.as_str(), form.resolution.as_str()), ("15 min", "4 h"));
        assert_eq!(form.parse(1, &known, person_of), Ok(saved));
        let wrong = PolicyForm {
            response: "soon".into(),
            warning_person: "nobody@example.com".into(),
            kinds: vec!["incident".into()],
            catalog_items: vec!["7".into()],
            ..form
        };
        let errors = wrong.parse(1, &known, person_of).unwrap_err();
        assert!(errors.get("response").is_some());
        assert!(errors.get("warning_person").is_some());
        assert!(errors.get("conditions").unwrap().contains("never apply"));
    }

    #[test]
    fn pause_choices_travel_as_keys() {
        for choice in PauseOn::choices() {
            assert_eq!(PauseOn::from_key(&choice.key()), Some(choice));
        }
        assert_eq!(PauseOn::from_key("state:nonsense"), None);
    }
}
