//! The append-only event log of a record. Every field change, comment and work note is
//! one event; timelines, audit history, notifications and SLA clocks are read from it.
//! Events are never edited or deleted (the database refuses it too).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ids::{EventId, UserId};
use super::markup::SafeHtml;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Created,
    Changed,
    Comment,
}

/// Who may read an event: public replies reach the requester, internal work notes only agents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    Public,
    Internal,
}

/// An event about to be appended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEvent {
    pub actor: Option<UserId>,
    pub at: DateTime<Utc>,
    pub kind: EventKind,
    pub field: Option<&'static str>,
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
        fields: &[(&'static str, Option<String>, Option<String>)],
    ) -> Vec<Self> {
        fields
            .iter()
            .filter(|(_, from, to)| from != to)
            .map(|(field, from, to)| Self {
                kind: EventKind::Changed,
                field: Some(field),
                from_value: from.clone(),
                to_value: to.clone(),
                ..Self::created(actor, at)
            })
            .collect()
    }
}

/// An event as a timeline shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineEvent {
    pub id: EventId,
    pub actor_name: Option<String>,
    pub at: DateTime<Utc>,
    pub kind: EventKind,
    pub field: Option<String>,
    pub from_value: Option<String>,
    pub to_value: Option<String>,
    pub body: Option<SafeHtml>,
    pub visibility: Visibility,
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
                ("state", Some("new".into()), Some("in_progress".into())),
                ("priority", Some("3".into()), Some("3".into())),
                ("assignee", None, Some("Ada".into())),
            ],
        );
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].field, Some("state"));
        assert_eq!(events[0].from_value.as_deref(), Some("new"));
        assert_eq!(events[0].to_value.as_deref(), Some("in_progress"));
        assert_eq!(events[1].field, Some("assignee"));
        assert_eq!(events[1].from_value, None);
        assert!(events.iter().all(|e| e.kind == EventKind::Changed));
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
            body: None,
            visibility,
        };
        let all = vec![event(1, Visibility::Public), event(2, Visibility::Internal)];
        let seen: Vec<_> = visible_to(all.clone(), false).iter().map(|e| e.id).collect();
        assert_eq!(seen, vec![EventId(1)]);
        assert_eq!(visible_to(all, true).len(), 2);
    }
}
