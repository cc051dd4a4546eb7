//! The append-only event log of a record. Every field change, comment and work note is
//! one event; timelines, audit history, notifications and SLA clocks are read from it.
//! Events are never edited or deleted (the database refuses it too).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ids::{EventId, UserId};
use super::markup::SafeHtml;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Created,
    Changed,
    Comment,
}

/// Who may read an event: public replies reach the requester, internal work notes only agents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    Public,
    Internal,
}

/// What a `changed` event changed. Its values are codes and ids (a state's code, a hold
/// reason's code, a priority's level, a group's or a person's id), never words: words are
/// found when a timeline is shown (`describe`), so renaming a label changes no history.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventField {
    State,
    HoldReason,
    ResolutionCode,
    /// A level, "1" to "5".
    Priority,
    /// Why the priority is what it is: "matrix", "escalation" or "override".
    PriorityBasis,
    /// The words an agent gave for setting the priority by hand.
    PriorityReason,
    /// A level, "1" to "3".
    Impact,
    Urgency,
    /// A group's id.
    Group,
    /// A person's id.
    Assignee,
    /// The category as typed: it is data, not a label.
    Category,
    /// "true" or "false".
    Major,
    /// A clock's warning or breach: "response:warning:75:240" (clock, what, percent used,
    /// target minutes) or "resolution:breach:480".
    ServiceLevel,
    /// An attachment's id.
    Attachment,
    /// A link as seen from this record: "child_of INC0000012".
    Link,
    /// A watcher's id.
    Watcher,
    /// A configuration item's id, named as affected.
    Ci,
}

impl EventField {
    pub const ALL: [EventField; 17] = [
        EventField::State,
        EventField::HoldReason,
        EventField::ResolutionCode,
        EventField::Priority,
        EventField::PriorityBasis,
        EventField::PriorityReason,
        EventField::Impact,
        EventField::Urgency,
        EventField::Group,
        EventField::Assignee,
        EventField::Category,
        EventField::Major,
        EventField::ServiceLevel,
        EventField::Attachment,
        EventField::Link,
        EventField::Watcher,
        EventField::Ci,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventField::State => "state",
            EventField::HoldReason => "hold_reason",
            EventField::ResolutionCode => "resolution_code",
            EventField::Priority => "priority",
            EventField::PriorityBasis => "priority_basis",
            EventField::PriorityReason => "priority_reason",
            EventField::Impact => "impact",
            EventField::Urgency => "urgency",
            EventField::Group => "group",
            EventField::Assignee => "assignee",
            EventField::Category => "category",
            EventField::Major => "major",
            EventField::ServiceLevel => "service_level",
            EventField::Attachment => "attachment",
            EventField::Link => "link",
            EventField::Watcher => "watcher",
            EventField::Ci => "ci",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

/// An event about to be appended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEvent {
    pub actor: Option<UserId>,
    pub at: DateTime<Utc>,
    pub kind: EventKind,
    pub field: Option<EventField>,
    pub from_value: Option<String>,
    pub to_value: Option<String>,
    pub body: Option<String>,
    pub visibility: Visibility,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommentError {
    #[error("Write something before sending.")]
    Empty,
    #[error("Keep a comment under 20,000 characters.")]
    TooLong,
}

impl NewEvent {
    pub fn created(actor: Option<UserId>, at: DateTime<Utc>) -> Self {
        Self {
            actor,
            at,
            kind: EventKind::Created,
            field: None,
            from_value: None,
            to_value: None,
            body: None,
            visibility: Visibility::Public,
        }
    }

    pub fn comment(
        actor: Option<UserId>,
        at: DateTime<Utc>,
        body: &str,
        visibility: Visibility,
    ) -> Result<Self, CommentError> {
        let body = body.trim();
        if body.is_empty() {
            return Err(CommentError::Empty);
        }
        if body.chars().count() > 20_000 {
            return Err(CommentError::TooLong);
        }
        Ok(Self {
            body: Some(body.to_owned()),
            visibility,
            kind: EventKind::Comment,
            ..Self::created(actor, at)
        })
    }

    /// One `changed` event per field whose value differs; nothing for unchanged fields.
    pub fn changes(
        actor: Option<UserId>,
        at: DateTime<Utc>,
        fields: &[(EventField, Option<String>, Option<String>)],
    ) -> Vec<Self> {
        fields
            .iter()
            .filter(|(_, from, to)| from != to)
            .map(|(field, from, to)| Self {
                kind: EventKind::Changed,
                field: Some(*field),
                from_value: from.clone(),
                to_value: to.clone(),
                ..Self::created(actor, at)
            })
            .collect()
    }
}

/// An event as a timeline shows it: `what` says it in words ("changed state from In
/// progress to On hold"); the stored codes stay beside it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineEvent {
    pub id: EventId,
    pub actor_name: Option<String>,
    pub at: DateTime<Utc>,
    pub kind: EventKind,
    pub field: Option<String>,
    pub from_value: Option<String>,
    pub to_value: Option<String>,
    pub what: String,
    pub body: Option<SafeHtml>,
    pub visibility: Visibility,
}

/// The names a timeline needs that the domain can't know: groups, people and files by id.
pub trait Names {
    fn group(&self, id: i64) -> Option<String>;
    fn person(&self, id: i64) -> Option<String>;
    fn attachment(&self, id: i64) -> Option<String>;
    fn ci(&self, id: i64) -> Option<String>;
}

/// What an event says, in words, for a timeline.
pub fn describe(
    kind: EventKind,
    visibility: Visibility,
    field: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
    names: &dyn Names,
) -> String {
    match kind {
        EventKind::Created => "opened this".to_owned(),
        EventKind::Comment if visibility == Visibility::Internal => {
            "added a work note (agents only)".to_owned()
        }
        EventKind::Comment => "replied".to_owned(),
        EventKind::Changed => match field.and_then(EventField::parse) {
            Some(field) => describe_change(field, from, to, names),
            None => format!(
                "changed {} from {} to {}",
                field.unwrap_or("a field").replace('_', " "),
                from.unwrap_or("nothing"),
                to.unwrap_or("nothing")
            ),
        },
    }
}

fn describe_change(field: EventField, from: Option<&str>, to: Option<&str>, names: &dyn Names) -> String {
    use super::lifecycle::{HoldReason, ResolutionCode};
    use super::record::{Impact, Priority, RecordState, Urgency};
    let id = |value: &str| value.parse::<i64>().ok();
    let word = |value: Option<&str>| -> String {
        let Some(value) = value else { return "nothing".to_owned() };
        let known = match field {
            EventField::State => RecordState::parse(value).map(|s| s.label().to_owned()),
            EventField::HoldReason => HoldReason::parse(value).map(|r| r.label().to_owned()),
            EventField::ResolutionCode => ResolutionCode::parse(value).map(|c| c.label().to_owned()),
            EventField::Priority => id(value)
                .and_then(|l| u8::try_from(l).ok())
                .and_then(Priority::new)
                .map(|p| format!("P{} {}", p.level(), p.label())),
            EventField::Impact => id(value).and_then(Impact::from_level).map(|i| i.label().to_owned()),
            EventField::Urgency => id(value).and_then(Urgency::from_level).map(|u| u.label().to_owned()),
            EventField::Group => id(value).and_then(|g| names.group(g)),
            EventField::Assignee | EventField::Watcher => id(value).and_then(|p| names.person(p)),
            EventField::Attachment => id(value).and_then(|a| names.attachment(a)),
            EventField::Ci => id(value).and_then(|c| names.ci(c)),
            EventField::Link => value.split_once(' ').and_then(|(role, number)| {
                super::link::LinkRole::parse(role).map(|r| format!("{} {number}", r.label()))
            }),
            EventField::Major => Some(if value == "true" { "yes" } else { "no" }.to_owned()),
            EventField::ServiceLevel => service_level_words(value),
            EventField::PriorityBasis | EventField::PriorityReason | EventField::Category => None,
        };
        known.unwrap_or_else(|| value.to_owned())
    };
    match field {
        EventField::HoldReason => format!("put it on hold: {}", word(to)),
        EventField::ResolutionCode => format!("resolved it as {}", word(to)),
        EventField::Attachment => format!("attached {}", word(to)),
        EventField::ServiceLevel => word(to),
        EventField::Major if to == Some("true") => "marked it a major incident".to_owned(),
        EventField::Major => "took the major-incident mark off".to_owned(),
        EventField::PriorityBasis => match to {
            Some("escalation") => "raised the priority: a service-level escalation".to_owned(),
            Some("override") => "set the priority by hand".to_owned(),
            _ => "let the priority follow impact and urgency".to_owned(),
        },
        EventField::PriorityReason => format!("gave the priority's reason: {}", to.unwrap_or("none")),
        EventField::Link | EventField::Watcher | EventField::Ci => {
            let what = match field {
                EventField::Link => "link",
                EventField::Watcher => "watcher",
                _ => "configuration item",
            };
            match (from, to) {
                (_, Some(_)) => format!("added {what}: {}", word(to)),
                (Some(_), None) => format!("removed {what}: {}", word(from)),
                (None, None) => format!("changed a {what}"),
            }
        }
        _ => format!("changed {} from {} to {}", field.as_str().replace('_', " "), word(from), word(to)),
    }
}

/// "response:warning:75:240" → "First response warning: 75 % of 4 h used";
/// "resolution:breach:480" → "Resolution target of 8 h breached".
pub fn service_level_words(value: &str) -> Option<String> {
    let parts: Vec<&str> = value.split(':').collect();
    let clock = match *parts.first()? {
        "response" => "First response",
        "resolution" => "Resolution",
        _ => return None,
    };
    let target = |minutes: &str| {
        minutes.parse::<i64>().ok().map(|m| super::sla::duration_text(chrono::Duration::minutes(m)))
    };
    match parts.as_slice() {
        [_, "warning", percent, minutes] => {
            Some(format!("{clock} warning: {percent} % of {} used", target(minutes)?))
        }
        [_, "breach", minutes] => Some(format!("{clock} target of {} breached", target(minutes)?)),
        _ => None,
    }
}

/// A service-level event's value: which clock, a warning (with the share used) or a
/// breach, and the target in minutes.
pub fn service_level_value(response: bool, warning_percent: Option<u8>, target_minutes: i64) -> String {
    let clock = if response { "response" } else { "resolution" };
    match warning_percent {
        Some(percent) => format!("{clock}:warning:{percent}:{target_minutes}"),
        None => format!("{clock}:breach:{target_minutes}"),
    }
}

/// What `viewer_is_agent` may read of a timeline: requesters never see internal notes.
pub fn visible_to(events: Vec<TimelineEvent>, viewer_is_agent: bool) -> Vec<TimelineEvent> {
    events.into_iter().filter(|e| viewer_is_agent || e.visibility == Visibility::Public).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000, 0).unwrap()
    }

    #[test]
    fn only_fields_that_differ_become_events() {
        let events = NewEvent::changes(
            Some(UserId(1)),
            now(),
            &[
                (EventField::State, Some("new".into()), Some("in_progress".into())),
                (EventField::Priority, Some("3".into()), Some("3".into())),
                (EventField::Assignee, None, Some("7".into())),
            ],
        );
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].field, Some(EventField::State));
        assert_eq!(events[0].from_value.as_deref(), Some("new"));
        assert_eq!(events[0].to_value.as_deref(), Some("in_progress"));
        assert_eq!(events[1].field, Some(EventField::Assignee));
        assert_eq!(events[1].from_value, None);
        assert!(events.iter().all(|e| e.kind == EventKind::Changed));
    }

    struct Directory;

    impl Names for Directory {
        fn group(&self, id: i64) -> Option<String> {
            (id == 2).then(|| "Network".to_owned())
        }
        fn person(&self, id: i64) -> Option<String> {
            (id == 7).then(|| "Ada Lovelace".to_owned())
        }
        fn attachment(&self, _: i64) -> Option<String> {
            None
        }
        fn ci(&self, id: i64) -> Option<String> {
            (id == 4).then(|| "db-01".to_owned())
        }
    }

    fn words(field: EventField, from: Option<&str>, to: Option<&str>) -> String {
        describe(EventKind::Changed, Visibility::Public, Some(field.as_str()), from, to, &Directory)
    }

    /// The log holds codes and ids; a timeline reads them in words.
    #[test]
    fn the_timeline_reads_in_words() {
        assert_eq!(
            words(EventField::State, Some("in_progress"), Some("on_hold")),
            "changed state from In progress to On hold"
        );
        assert_eq!(
            words(EventField::HoldReason, None, Some("awaiting_caller")),
            "put it on hold: Awaiting caller"
        );
        assert_eq!(
            words(EventField::Priority, Some("3"), Some("1")),
            "changed priority from P3 Moderate to P1 Critical"
        );
        assert_eq!(words(EventField::Group, None, Some("2")), "changed group from nothing to Network");
        assert_eq!(
            words(EventField::Assignee, Some("7"), None),
            "changed assignee from Ada Lovelace to nothing"
        );
        assert_eq!(
            words(EventField::Link, None, Some("child_of INC0000012")),
            "added link: Child of INC0000012"
        );
        assert_eq!(words(EventField::Watcher, Some("7"), None), "removed watcher: Ada Lovelace");
        assert_eq!(words(EventField::Ci, None, Some("4")), "added configuration item: db-01");
        assert_eq!(words(EventField::Major, Some("false"), Some("true")), "marked it a major incident");
        assert_eq!(
            words(EventField::ServiceLevel, None, Some(&service_level_value(true, Some(75), 240))),
            "First response warning: 75 % of 4 h used"
        );
        assert_eq!(
            words(EventField::ServiceLevel, None, Some(&service_level_value(false, None, 90))),
            "Resolution target of 1 h 30 min breached"
        );
        assert_eq!(
            words(EventField::PriorityBasis, Some("matrix"), Some("escalation")),
            "raised the priority: a service-level escalation"
        );
    }

    #[test]
    fn fields_read_back_from_their_codes() {
        for field in EventField::ALL {
            assert_eq!(EventField::parse(field.as_str()), Some(field));
        }
    }

    #[test]
    fn a_comment_needs_words() {
        assert_eq!(NewEvent::comment(None, now(), "  \n ", Visibility::Public), Err(CommentError::Empty));
        let e = NewEvent::comment(None, now(), " Rebooted it ", Visibility::Internal).unwrap();
        assert_eq!(e.body.as_deref(), Some("Rebooted it"));
        assert_eq!(e.visibility, Visibility::Internal);
        assert_eq!(
            NewEvent::comment(None, now(), &"a".repeat(20_001), Visibility::Public),
            Err(CommentError::TooLong)
        );
    }

    #[test]
    fn requesters_never_see_internal_notes() {
        let event = |id, visibility| TimelineEvent {
            id: EventId(id),
            actor_name: None,
            at: now(),
            kind: EventKind::Comment,
            field: None,
            from_value: None,
            to_value: None,
            what: String::new(),
            body: None,
            visibility,
        };
        let all = vec![event(1, Visibility::Public), event(2, Visibility::Internal)];
        let seen: Vec<_> = visible_to(all.clone(), false).iter().map(|e| e.id).collect();
        assert_eq!(seen, vec![EventId(1)]);
        assert_eq!(visible_to(all, true).len(), 2);
    }
}
