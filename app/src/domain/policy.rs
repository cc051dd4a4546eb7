//! Who may do what. Every server function, page loader and REST handler asks [`allows`]
//! before it reads or changes anything; the interface hiding a button is a courtesy, never
//! the control.
//!
//! Roles add to each other: everyone is a requester, agents work every record, admins
//! also run the portal. Approving is a relation to a record (a manager, a group member),
//! decided where the approval lives, not a role.

use serde::{Deserialize, Serialize};

use super::cmdb::CiAccess;
use super::ids::UserId;
use super::user::{CurrentUser, Role};

/// Something an actor wants to do. Record actions need a [`Target::Record`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    /// Browse the catalog and read one's own requests and profile.
    UsePortal,
    /// Open a record and read its public timeline.
    ReadRecord,
    /// Read the agents-only work notes of a record.
    ReadWorkNotes,
    /// Add a reply the requester sees.
    ReplyToRecord,
    /// Add an agents-only work note.
    WriteWorkNote,
    /// See every record, in the queue.
    WorkQueue,
    /// Create, edit and deactivate people; set their roles.
    ManageUsers,
    /// Create and rename assignment groups, change their members.
    ManageGroups,
    /// Change portal-wide settings.
    ManageSettings,
    /// Create and edit catalog categories and items, their forms, plans and audiences.
    ManageCatalog,
    /// Approve or reject one approval: only the person asked.
    DecideApproval,
    /// Work a fulfilment task: close it.
    WorkTask,
    /// Ask a stuck approval step again, once who approves it is fixed.
    ChaseApproval,
    /// Change a record's state and fields.
    UpdateRecord,
    /// Report an incident for someone else: a caller on the phone, a walk-in.
    ReportForOthers,
    /// Withdraw a request that is not yet fulfilled.
    CancelRequest,
    /// Search and browse every configuration item.
    ReadCmdb,
    /// Open one CI: agents any, requesters their own devices and the published services.
    ReadCi,
    /// Create and edit CIs, their relations, classes and attributes; import them.
    ManageCmdb,
}

/// What the actor acts on: the portal as a whole, or one record as far as access goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target<'a> {
    Portal,
    Record(&'a RecordAccess),
    /// An approval, by the person it asks.
    Approver(UserId),
    /// A configuration item, as far as access goes.
    Ci(CiAccess),
}

/// The facts about a record that decide who may read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordAccess {
    pub requester: UserId,
    pub opened_by: UserId,
    pub watchers: Vec<UserId>,
    /// Everyone asked to approve it: they read what they decide on.
    pub approvers: Vec<UserId>,
}

impl RecordAccess {
    /// Who hears of a reply or a resolution: the requester and the watchers, but not the
    /// person who made it.
    pub fn to_tell(&self, actor: UserId) -> Vec<UserId> {
        let mut people: Vec<UserId> =
            std::iter::once(self.requester).chain(self.watchers.iter().copied()).collect();
        people.sort();
        people.dedup();
        people.retain(|p| *p != actor);
        people
    }

    /// The requester, whoever opened it for them, and its watchers: the people a record is about.
    pub fn involves(&self, user: UserId) -> bool {
        self.requester == user
            || self.opened_by == user
            || self.watchers.contains(&user)
            || self.approvers.contains(&user)
    }
}

/// May `actor` do `action` on `target`?
pub fn allows(actor: &CurrentUser, action: Action, target: Target<'_>) -> bool {
    let agent = actor.is_agent();
    let admin = actor.has(Role::Admin);
    match (action, target) {
        (Action::UsePortal, Target::Portal) => true,
        (Action::WorkQueue | Action::ReportForOthers | Action::ReadCmdb, Target::Portal) => agent,
        (
            Action::ManageUsers
            | Action::ManageGroups
            | Action::ManageSettings
            | Action::ManageCatalog
            | Action::ManageCmdb,
            Target::Portal,
        ) => admin,
        (Action::ReadCi, Target::Ci(ci)) => agent || ci.published_service || ci.owner == Some(actor.id),
        (Action::ReadRecord | Action::ReplyToRecord, Target::Record(record)) => {
            agent || record.involves(actor.id)
        }
        (
            Action::ReadWorkNotes
            | Action::WriteWorkNote
            | Action::WorkTask
            | Action::ChaseApproval
            | Action::UpdateRecord,
            Target::Record(_),
        ) => agent,
        (Action::DecideApproval, Target::Approver(approver)) => approver == actor.id,
        (Action::CancelRequest, Target::Record(record)) => {
            agent || record.requester == actor.id || record.opened_by == actor.id
        }
        // An action asked of the wrong kind of target is a bug in the caller: refuse it.
        _ => false,
    }
}

/// Why a refusal is shown as "not found": a record the actor may not read must look
/// exactly like one that does not exist.
pub fn hides_existence(action: Action) -> bool {
    matches!(action, Action::ReadRecord | Action::ReplyToRecord | Action::ReadCi)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: i64, roles: &[Role]) -> CurrentUser {
        CurrentUser {
            id: UserId(id),
            name: format!("Person {id}"),
            email: format!("p{id}@example.com"),
            roles: roles.to_vec(),
            time_zone: "UTC".into(),
            department: None,
            groups: Vec::new(),
        }
    }

    fn record(requester: i64, opened_by: i64, watchers: &[i64]) -> RecordAccess {
        RecordAccess {
            requester: UserId(requester),
            opened_by: UserId(opened_by),
            watchers: watchers.iter().copied().map(UserId).collect(),
            approvers: Vec::new(),
        }
    }

    #[test]
    fn requesters_read_and_reply_only_where_they_are_involved() {
        let maya = person(1, &[]);
        for (r, expected) in [
            (record(1, 1, &[]), true),
            (record(2, 1, &[]), true),
            (record(2, 2, &[1]), true),
            (record(2, 3, &[4]), false),
        ] {
            assert_eq!(allows(&maya, Action::ReadRecord, Target::Record(&r)), expected, "{r:?}");
            assert_eq!(allows(&maya, Action::ReplyToRecord, Target::Record(&r)), expected, "{r:?}");
            assert!(!allows(&maya, Action::ReadWorkNotes, Target::Record(&r)));
            assert!(!allows(&maya, Action::WriteWorkNote, Target::Record(&r)));
        }
        assert!(allows(&maya, Action::CancelRequest, Target::Record(&record(1, 1, &[]))));
        assert!(
            !allows(&maya, Action::CancelRequest, Target::Record(&record(2, 2, &[1]))),
            "watching is not owning"
        );
    }

    #[test]
    fn only_the_person_asked_decides_an_approval_and_they_may_read_the_request() {
        let manager = person(7, &[]);
        let admin = person(9, &[Role::Admin]);
        assert!(allows(&manager, Action::DecideApproval, Target::Approver(UserId(7))));
        assert!(!allows(&admin, Action::DecideApproval, Target::Approver(UserId(7))), "not even an admin");
        let mut asked = record(2, 2, &[]);
        assert!(!allows(&manager, Action::ReadRecord, Target::Record(&asked)));
        asked.approvers.push(UserId(7));
        assert!(allows(&manager, Action::ReadRecord, Target::Record(&asked)));
        assert!(!allows(&manager, Action::WorkTask, Target::Record(&asked)));
    }

    #[test]
    fn agents_work_every_record_and_its_notes() {
        let sam = person(5, &[Role::Agent]);
        let foreign = record(2, 3, &[]);
        for action in
            [Action::ReadRecord, Action::ReplyToRecord, Action::ReadWorkNotes, Action::WriteWorkNote]
        {
            assert!(allows(&sam, action, Target::Record(&foreign)), "{action:?}");
        }
        assert!(allows(&sam, Action::WorkQueue, Target::Portal));
        assert!(!allows(&sam, Action::ManageUsers, Target::Portal));
        assert!(!allows(&sam, Action::ManageGroups, Target::Portal));
    }

    #[test]
    fn only_admins_run_the_portal() {
        let alex = person(9, &[Role::Admin]);
        let maya = person(1, &[]);
        for action in
            [Action::ManageUsers, Action::ManageGroups, Action::ManageSettings, Action::ManageCatalog]
        {
            assert!(allows(&alex, action, Target::Portal), "{action:?}");
            assert!(!allows(&maya, action, Target::Portal), "{action:?}");
        }
        assert!(allows(&alex, Action::WorkQueue, Target::Portal));
        assert!(!allows(&maya, Action::WorkQueue, Target::Portal));
    }

    #[test]
    fn requesters_see_their_own_devices_and_published_services_agents_every_ci_admins_edit() {
        let maya = person(1, &[]);
        let sam = person(5, &[Role::Agent]);
        let alex = person(9, &[Role::Admin]);
        let laptop = |owner| Target::Ci(CiAccess { owner: Some(UserId(owner)), published_service: false });
        let service = Target::Ci(CiAccess { owner: Some(UserId(9)), published_service: true });
        assert!(allows(&maya, Action::ReadCi, laptop(1)));
        assert!(!allows(&maya, Action::ReadCi, laptop(2)));
        assert!(allows(&maya, Action::ReadCi, service));
        assert!(allows(&sam, Action::ReadCi, laptop(2)));
        assert!(!allows(&maya, Action::ReadCmdb, Target::Portal));
        assert!(allows(&sam, Action::ReadCmdb, Target::Portal));
        assert!(!allows(&sam, Action::ManageCmdb, Target::Portal));
        assert!(allows(&alex, Action::ManageCmdb, Target::Portal));
        assert!(hides_existence(Action::ReadCi));
    }

    #[test]
    fn an_action_on_the_wrong_target_is_refused() {
        let alex = person(9, &[Role::Admin]);
        let r = record(9, 9, &[]);
        assert!(!allows(&alex, Action::ReadRecord, Target::Portal));
        assert!(!allows(&alex, Action::ManageUsers, Target::Record(&r)));
    }
}
