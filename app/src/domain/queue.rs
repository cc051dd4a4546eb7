//! The agents' queue: which records a view holds, how it is narrowed and sorted, and the
//! cursor of its next page. Parsed from the page's query string, so every view, filter and
//! page is a link.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::ids::{GroupId, UserId};
use super::record::{RecordKind, RecordState, RecordSummary};

/// The queue's default views. Each holds open records only.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    Mine,
    #[default]
    MyGroups,
    Unassigned,
    AllOpen,
}

impl View {
    pub const ALL: [View; 4] = [View::Mine, View::MyGroups, View::Unassigned, View::AllOpen];

    pub fn as_str(self) -> &'static str {
        match self {
            View::Mine => "mine",
            View::MyGroups => "my_groups",
            View::Unassigned => "unassigned",
            View::AllOpen => "all_open",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            View::Mine => "Mine",
            View::MyGroups => "My groups",
            View::Unassigned => "Unassigned",
            View::AllOpen => "All open",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// The order of a queue. Priority puts the most pressing and then the oldest first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    #[default]
    Priority,
    Created,
    Updated,
}

impl Sort {
    pub const ALL: [Sort; 3] = [Sort::Priority, Sort::Created, Sort::Updated];

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Priority => "priority",
            Sort::Created => "created",
            Sort::Updated => "updated",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Sort::Priority => "Priority, then oldest",
            Sort::Created => "Newest first",
            Sort::Updated => "Recently updated",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// Where the next page starts: just after this row in the queue's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    pub priority: i64,
    pub at: DateTime<Utc>,
    pub id: i64,
}

impl Cursor {
    /// "2.1732451200123456789.4711": priority, time in nanoseconds (exact, so rows in the
    /// same millisecond are neither skipped nor repeated), id.
    pub fn encode(&self) -> String {
        format!("{}.{}.{}", self.priority, self.at.timestamp_nanos_opt().unwrap_or(i64::MAX), self.id)
    }

    pub fn decode(text: &str) -> Option<Self> {
        let mut parts = text.split('.');
        let priority = parts.next()?.parse().ok()?;
        let at = DateTime::from_timestamp_nanos(parts.next()?.parse().ok()?);
        let id = parts.next()?.parse().ok()?;
        parts.next().is_none().then_some(Self { priority, at, id })
    }
}

/// One queue page asked for: the view, the filters, the order, and where to start.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueQuery {
    pub view: View,
    pub kind: Option<RecordKind>,
    pub state: Option<RecordState>,
    pub priority: Option<u8>,
    pub group: Option<GroupId>,
    pub assignee: Option<UserId>,
    pub created_from: Option<NaiveDate>,
    pub created_to: Option<NaiveDate>,
    pub text: String,
    pub sort: Sort,
    pub after: Option<Cursor>,
}

/// The query string's values, as the filter form and links send them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueParams {
    pub view: Option<String>,
    pub kind: Option<String>,
    pub state: Option<String>,
    pub priority: Option<String>,
    pub group: Option<String>,
    pub assignee: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub q: Option<String>,
    pub sort: Option<String>,
    pub after: Option<String>,
}

/// A filter value the queue can't use, named for the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadFilter(pub &'static str, pub &'static str);

impl QueueParams {
    /// The same queue from its first page, with empty values left out: what a saved view keeps.
    pub fn first_page(&self) -> QueueParams {
        let keep = |value: &Option<String>| {
            value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned)
        };
        QueueParams {
            view: keep(&self.view),
            kind: keep(&self.kind),
            state: keep(&self.state),
            priority: keep(&self.priority),
            group: keep(&self.group),
            assignee: keep(&self.assignee),
            from: keep(&self.from),
            to: keep(&self.to),
            q: keep(&self.q),
            sort: keep(&self.sort),
            after: None,
        }
    }

    /// Reads the query string. Empty values mean "any"; a value that can't be read is an
    /// error naming the filter, never silently ignored.
    pub fn parse(&self) -> Result<QueueQuery, BadFilter> {
        fn given(value: &Option<String>) -> Option<&str> {
            value.as_deref().map(str::trim).filter(|v| !v.is_empty())
        }
        fn read<T>(
            value: &Option<String>,
            field: &'static str,
            message: &'static str,
            parse: impl Fn(&str) -> Option<T>,
        ) -> Result<Option<T>, BadFilter> {
            given(value).map(|v| parse(v).ok_or(BadFilter(field, message))).transpose()
        }
        let kind = |s: &str| RecordKind::ALL.into_iter().find(|k| k.as_str() == s);
        let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let query = QueueQuery {
            view: read(&self.view, "view", "Pick a view from the list.", View::parse)?.unwrap_or_default(),
            kind: read(&self.kind, "kind", "Pick a kind from the list.", kind)?,
            state: read(&self.state, "state", "Pick a state from the list.", RecordState::parse)?,
            priority: read(&self.priority, "priority", "Pick a priority from 1 to 5.", |s| {
                s.parse().ok().filter(|p| (1..=5).contains(p))
            })?,
            group: read(&self.group, "group", "Pick a group from the list.", |s| {
                s.parse().ok().map(GroupId)
            })?,
            assignee: read(&self.assignee, "assignee", "Pick a person from the list.", |s| {
                s.parse().ok().map(UserId)
            })?,
            created_from: read(&self.from, "from", "Enter a date like 2026-11-24.", date)?,
            created_to: read(&self.to, "to", "Enter a date like 2026-11-24.", date)?,
            text: given(&self.q).unwrap_or_default().chars().take(200).collect(),
            sort: read(&self.sort, "sort", "Pick an order from the list.", Sort::parse)?.unwrap_or_default(),
            after: read(
                &self.after,
                "after",
                "That page link is broken; start from the first page.",
                Cursor::decode,
            )?,
        };
        if let (Some(from), Some(to)) = (query.created_from, query.created_to)
            && from > to
        {
            return Err(BadFilter("to", "The end date is before the start date."));
        }
        Ok(query)
    }
}

/// How many open records each view holds, for the signed-in agent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewCounts {
    pub mine: i64,
    pub my_groups: i64,
    pub unassigned: i64,
    pub all_open: i64,
}

impl ViewCounts {
    pub fn of(&self, view: View) -> i64 {
        match view {
            View::Mine => self.mine,
            View::MyGroups => self.my_groups,
            View::Unassigned => self.unassigned,
            View::AllOpen => self.all_open,
        }
    }
}

/// One page of a queue: its rows, the cursor of the next page (if any), and the counts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueuePage {
    pub rows: Vec<RecordSummary>,
    pub next: Option<String>,
    pub counts: ViewCounts,
    /// The groups and their members, for the filters.
    pub groups: Vec<super::record::GroupChoice>,
    /// The agent's own saved views, in the order they saved them.
    pub saved: Vec<SavedView>,
    /// The most pressing service-level clock of each row that runs one.
    pub badges: Vec<super::sla::ClockBadge>,
}

/// The "breaching soon" view: running clocks by when they fall due.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breaching {
    /// Every group's records, or only the agent's groups'.
    pub all_groups: bool,
    pub clocks: Vec<super::sla::DueClock>,
    /// When the list was read, for "in 2 h" and "40 min ago".
    pub now: DateTime<Utc>,
}

pub const PAGE_SIZE: i64 = 50;

/// A queue an agent saved under a name: its view, filters and order as a query string.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedView {
    pub id: i64,
    pub name: String,
    /// "view=mine&kind=incident", without a page cursor.
    pub query: String,
}

pub const SAVED_VIEW_NAME_MAX: usize = 60;
pub const SAVED_VIEWS_MAX: usize = 30;

/// Checks a saved view's name: said, and short enough for a tab.
pub fn check_view_name(name: &str) -> Result<String, &'static str> {
    let name = name.trim();
    match name.chars().count() {
        0 => Err("Give the view a name."),
        n if n > SAVED_VIEW_NAME_MAX => Err("Keep the name to 60 characters."),
        _ => Ok(name.to_owned()),
    }
}

/// What an agent does at once to the rows they selected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BulkChange {
    AssignToMe,
    Assign,
    Move,
    Priority,
}

impl BulkChange {
    pub const ALL: [BulkChange; 4] = [Self::AssignToMe, Self::Assign, Self::Move, Self::Priority];

    pub fn as_str(self) -> &'static str {
        match self {
            BulkChange::AssignToMe => "assign_to_me",
            BulkChange::Assign => "assign",
            BulkChange::Move => "move",
            BulkChange::Priority => "priority",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            BulkChange::AssignToMe => "Assign to me",
            BulkChange::Assign => "Assign to…",
            BulkChange::Move => "Change state to…",
            BulkChange::Priority => "Change priority to…",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// At most this many rows change in one go: two queue pages.
pub const BULK_MAX: usize = 100;

/// What a bulk change did: the records it changed, and each one it couldn't with why.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkOutcome {
    pub done: Vec<String>,
    pub failed: Vec<(String, String)>,
}

impl BulkOutcome {
    /// "Changed 3 records." and, for each one left as it was, its number and why.
    pub fn summary(&self) -> String {
        let changed = match self.done.len() {
            1 => "Changed 1 record.".to_owned(),
            n => format!("Changed {n} records."),
        };
        let failed = self.failed.iter().map(|(number, why)| format!(" {number}: {why}"));
        std::iter::once(changed).chain(failed).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_and_nothing_else_does() {
        let cursor =
            Cursor { priority: 2, at: DateTime::from_timestamp_nanos(1_732_451_200_123_456_789), id: 4711 };
        assert_eq!(Cursor::decode(&cursor.encode()), Some(cursor));
        for bad in ["", "1.2", "1.2.3.4", "a.b.c", "1.99999999999999999999.3"] {
            assert_eq!(Cursor::decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_bulk_outcome_names_what_it_left_alone() {
        let outcome = BulkOutcome {
            done: vec!["INC0000001".into()],
            failed: vec![("INC0000002".into(), "An incident can't go from new to closed.".into())],
        };
        assert_eq!(
            outcome.summary(),
            "Changed 1 record. INC0000002: An incident can't go from new to closed."
        );
        assert_eq!(BulkChange::parse("assign_to_me"), Some(BulkChange::AssignToMe));
        assert_eq!(BulkChange::parse("delete"), None);
        assert_eq!(check_view_name("  P1 network  "), Ok("P1 network".to_owned()));
        assert!(check_view_name(" ").is_err());
        assert!(check_view_name(&"x".repeat(61)).is_err());
    }

    #[test]
    fn empty_values_mean_any_and_defaults_apply() {
        let query = QueueParams { kind: Some(" ".into()), ..QueueParams::default() }.parse().unwrap();
        assert_eq!(query, QueueQuery::default());
        assert_eq!(query.view, View::MyGroups);
        assert_eq!(query.sort, Sort::Priority);
    }

    #[test]
    fn every_filter_is_read_and_a_bad_one_is_named() {
        let params = QueueParams {
            view: Some("unassigned".into()),
            kind: Some("incident".into()),
            state: Some("on_hold".into()),
            priority: Some("2".into()),
            group: Some("3".into()),
            assignee: Some("9".into()),
            from: Some("2026-11-01".into()),
            to: Some("2026-11-24".into()),
            q: Some(" vpn ".into()),
            sort: Some("updated".into()),
            after: None,
        };
        let query = params.parse().unwrap();
        assert_eq!(query.view, View::Unassigned);
        assert_eq!(query.kind, Some(RecordKind::Incident));
        assert_eq!(query.state, Some(RecordState::OnHold));
        assert_eq!(
            (query.priority, query.group, query.assignee),
            (Some(2), Some(GroupId(3)), Some(UserId(9)))
        );
        assert_eq!(query.text, "vpn");
        assert_eq!(query.sort, Sort::Updated);
        for (params, field) in [
            (QueueParams { priority: Some("9".into()), ..QueueParams::default() }, "priority"),
            (QueueParams { kind: Some("ticket".into()), ..QueueParams::default() }, "kind"),
            (QueueParams { from: Some("24/11/2026".into()), ..QueueParams::default() }, "from"),
            (QueueParams { after: Some("x".into()), ..QueueParams::default() }, "after"),
            (
                QueueParams {
                    from: Some("2026-11-24".into()),
                    to: Some("2026-11-01".into()),
                    ..QueueParams::default()
                },
                "to",
            ),
        ] {
            assert_eq!(params.parse().unwrap_err().0, field);
        }
    }
}
