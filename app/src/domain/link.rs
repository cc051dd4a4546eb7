//! Links between records, read from either end: "relates to", "parent of" / "child of",
//! "caused by" / "caused". A parent incident carries its children: resolving it resolves
//! them with its notes. One level only, so a chain or a loop can't form.

use serde::{Deserialize, Serialize};

use super::record::{RecordKind, RecordState};

/// A link as it is stored: from one record to another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    RelatesTo,
    /// `from` is the parent of `to`.
    ParentOf,
    /// `from` was caused by `to`.
    CausedBy,
}

/// A link as one of its ends reads it: "this record … that one".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkRole {
    RelatesTo,
    ParentOf,
    ChildOf,
    CausedBy,
    Caused,
}

impl LinkRole {
    pub const ALL: [LinkRole; 5] =
        [LinkRole::RelatesTo, LinkRole::ParentOf, LinkRole::ChildOf, LinkRole::CausedBy, LinkRole::Caused];

    pub fn as_str(self) -> &'static str {
        match self {
            LinkRole::RelatesTo => "relates_to",
            LinkRole::ParentOf => "parent_of",
            LinkRole::ChildOf => "child_of",
            LinkRole::CausedBy => "caused_by",
            LinkRole::Caused => "caused",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LinkRole::RelatesTo => "Relates to",
            LinkRole::ParentOf => "Parent of",
            LinkRole::ChildOf => "Child of",
            LinkRole::CausedBy => "Caused by",
            LinkRole::Caused => "Caused",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// How "this record <role> other" is stored: whether this record is the link's `from`
    /// end, and the link's kind.
    pub fn stored(self) -> (bool, LinkKind) {
        match self {
            LinkRole::RelatesTo => (true, LinkKind::RelatesTo),
            LinkRole::ParentOf => (true, LinkKind::ParentOf),
            LinkRole::ChildOf => (false, LinkKind::ParentOf),
            LinkRole::CausedBy => (true, LinkKind::CausedBy),
            LinkRole::Caused => (false, LinkKind::CausedBy),
        }
    }

    /// How a stored link reads from the end that is (or isn't) its `from`.
    pub fn seen_from(kind: LinkKind, from_end: bool) -> Self {
        match (kind, from_end) {
            (LinkKind::RelatesTo, _) => LinkRole::RelatesTo,
            (LinkKind::ParentOf, true) => LinkRole::ParentOf,
            (LinkKind::ParentOf, false) => LinkRole::ChildOf,
            (LinkKind::CausedBy, true) => LinkRole::CausedBy,
            (LinkKind::CausedBy, false) => LinkRole::Caused,
        }
    }

    /// The same link read from the other end.
    pub fn reversed(self) -> Self {
        let (from_end, kind) = self.stored();
        Self::seen_from(kind, !from_end)
    }
}

/// A linked record, as the record page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkView {
    pub role: LinkRole,
    pub number: String,
    pub title: String,
    pub state: RecordState,
}

/// What is known about the two records and their family when a link is asked for.
#[derive(Clone, Copy, Debug)]
pub struct LinkFacts {
    pub same_record: bool,
    pub already_linked: bool,
    pub kinds: (RecordKind, RecordKind),
    /// For the parent-to-be: does it have a parent itself?
    pub parent_has_parent: bool,
    /// For the child-to-be: its current parent, if any, and whether it has children.
    pub child_has_parent: bool,
    pub child_has_children: bool,
}

/// Whether "this <role> other" may be added.
pub fn check_link(role: LinkRole, facts: &LinkFacts) -> Result<(), &'static str> {
    if facts.same_record {
        return Err("A record can't be linked to itself.");
    }
    if facts.already_linked {
        return Err("These two records are already linked that way.");
    }
    if matches!(role, LinkRole::ParentOf | LinkRole::ChildOf) {
        if facts.kinds != (RecordKind::Incident, RecordKind::Incident) {
            return Err("Only incidents have parent and child incidents.");
        }
        if facts.child_has_parent {
            return Err("The child incident already has a parent; unlink it there first.");
        }
        if facts.parent_has_parent || facts.child_has_children {
            return Err("Parents and children are one level deep: a child can't be a parent too.");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> LinkFacts {
        LinkFacts {
            same_record: false,
            already_linked: false,
            kinds: (RecordKind::Incident, RecordKind::Incident),
            parent_has_parent: false,
            child_has_parent: false,
            child_has_children: false,
        }
    }

    #[test]
    fn each_end_reads_the_link_its_own_way() {
        for role in LinkRole::ALL {
            let (from_end, kind) = role.stored();
            assert_eq!(LinkRole::seen_from(kind, from_end), role);
            assert_eq!(role.reversed().reversed(), role);
            assert_eq!(LinkRole::parse(role.as_str()), Some(role));
        }
        assert_eq!(LinkRole::ChildOf.reversed(), LinkRole::ParentOf);
        assert_eq!(LinkRole::Caused.reversed(), LinkRole::CausedBy);
        assert_eq!(LinkRole::RelatesTo.reversed(), LinkRole::RelatesTo);
    }

    #[test]
    fn families_stay_one_level_deep_and_among_incidents() {
        assert_eq!(check_link(LinkRole::ParentOf, &facts()), Ok(()));
        assert!(check_link(LinkRole::RelatesTo, &LinkFacts { same_record: true, ..facts() }).is_err());
        assert!(check_link(LinkRole::Caused, &LinkFacts { already_linked: true, ..facts() }).is_err());
        let request = LinkFacts { kinds: (RecordKind::Incident, RecordKind::Request), ..facts() };
        assert_eq!(check_link(LinkRole::RelatesTo, &request), Ok(()));
        assert!(check_link(LinkRole::ChildOf, &request).unwrap_err().contains("Only incidents"));
        for deep in [
            LinkFacts { parent_has_parent: true, ..facts() },
            LinkFacts { child_has_children: true, ..facts() },
        ] {
            assert!(check_link(LinkRole::ParentOf, &deep).unwrap_err().contains("one level"));
        }
        let adopted = LinkFacts { child_has_parent: true, ..facts() };
        assert!(check_link(LinkRole::ChildOf, &adopted).unwrap_err().contains("already has a parent"));
    }
}
