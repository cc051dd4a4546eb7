//! What the store's operations take and give besides domain types: new rows to insert,
//! changes to apply and rows read for one use, the same for every backend.

use chrono::{DateTime, Utc};

use crate::domain::approval::Decision;
use crate::domain::catalog::CatalogItem;
use crate::domain::event::{EventKind, NewEvent, Visibility};
use crate::domain::form::{Answers, FormSchema};
use crate::domain::ids::{
    CatalogItemId, CategoryId, CiClassId, CiId, DepartmentId, GroupId, RecordId, UserId,
};
use crate::domain::lifecycle::{HoldReason, ResolutionCode};
use crate::domain::record::{Impact, Priority, PriorityBasis, RecordKind, RecordState, Title, Urgency};
use crate::domain::sla::ClockState;
use crate::domain::user::Role;

/// One approver's row, as deciding needs it.
#[derive(sqlx::FromRow)]
pub struct ApprovalRow {
    pub id: i64,
    pub record_id: RecordId,
    pub step: i64,
    pub approver_id: UserId,
    pub decision: Option<Decision>,
}

/// A request waiting for an approver: the approval, the request, and its form and answers.
pub struct PendingRow {
    pub approval_id: i64,
    pub record_id: RecordId,
    pub number: String,
    pub title: String,
    pub requester_name: String,
    pub asked_at: DateTime<Utc>,
    pub answered: Option<(FormSchema, Answers)>,
}

/// A file to record on a record, once its bytes are stored.
pub struct NewAttachment<'a> {
    pub record: RecordId,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub size: u64,
    pub sha256: &'a str,
    pub uploaded_by: UserId,
    pub at: DateTime<Utc>,
}

/// What a download needs: the record it belongs to, and how to serve it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct StoredFile {
    pub record_number: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
}

/// A record with its whole history, as the generator makes it.
pub struct BulkRecord {
    pub kind: RecordKind,
    pub title: String,
    pub state: RecordState,
    pub priority: u8,
    pub impact: i64,
    pub urgency: i64,
    pub category: String,
    pub requester: UserId,
    pub group: Option<GroupId>,
    pub assignee: Option<UserId>,
    pub opened_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub hold_reason: Option<HoldReason>,
    pub resolution_code: Option<ResolutionCode>,
    pub events: Vec<NewEvent>,
}

/// An item as ordering needs it.
pub struct FoundItem {
    pub item: CatalogItem,
    pub category: String,
    pub group: Option<GroupId>,
    pub group_name: Option<String>,
}

/// An item's details as the admin form sets them.
pub struct ItemChanges<'a> {
    pub category: CategoryId,
    pub slug: &'a str,
    pub name: &'a str,
    pub summary: &'a str,
    pub description: &'a str,
    pub icon: &'a str,
    pub keywords: &'a str,
    pub group: Option<GroupId>,
    /// The business service it is an offering of.
    pub service: Option<CiId>,
}

pub struct NewCatalogItem<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub summary: &'a str,
    pub description: &'a str,
    pub icon: &'a str,
    pub fulfilment_group: Option<GroupId>,
    /// The business service it is an offering of.
    pub service: Option<CiId>,
}

/// A person's account as the admin form sets it.
pub struct UserChanges<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub department: Option<DepartmentId>,
    pub manager: Option<UserId>,
    pub roles: &'a [Role],
    pub groups: &'a [GroupId],
}

/// The fields agents set on a record, apart from its state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fields {
    pub impact: Impact,
    pub urgency: Urgency,
    pub priority: Priority,
    pub priority_basis: PriorityBasis,
    pub priority_reason: String,
    pub assignment_group_id: Option<GroupId>,
    pub assignee_id: Option<UserId>,
    pub category: String,
    pub major: bool,
}

/// What the record engine reads of a record it moves.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Moving {
    pub number: String,
    pub kind: RecordKind,
    pub state: RecordState,
    pub version: i64,
    #[sqlx(rename = "requester_id")]
    pub requester: UserId,
    #[sqlx(rename = "parent_id")]
    pub parent: Option<RecordId>,
}

/// A child incident, as its parent's resolution needs it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ChildRow {
    pub id: RecordId,
    pub number: String,
    pub state: RecordState,
    pub requester_id: UserId,
}

/// The names an event's values point at: a group's, a person's, a file's (with its size).
#[derive(Clone, Debug, Default)]
pub struct EventNames {
    pub from: Option<String>,
    pub to: Option<String>,
    pub to_size: Option<i64>,
}

pub struct NewRecord {
    pub kind: RecordKind,
    pub title: Title,
    pub description: String,
    pub impact: Impact,
    pub urgency: Urgency,
    pub category: String,
    pub requester: UserId,
    pub opened_by: UserId,
    pub assignment_group: Option<GroupId>,
    pub assignee: Option<UserId>,
    pub catalog_item: Option<CatalogItemId>,
    /// The record this one serves: a fulfilment task's request.
    pub parent: Option<RecordId>,
    /// The configuration items it names as affected: the reporter's laptop.
    pub cis: Vec<crate::domain::ids::CiId>,
    pub opened_at: DateTime<Utc>,
}

impl NewRecord {
    /// A new record of `kind` raised by `requester` for themselves: medium impact and
    /// urgency, unassigned. Callers change what they know better; the record engine opens it
    /// in its kind's first state with the priority the desk's matrix gives.
    pub fn new(kind: RecordKind, requester: UserId, title: Title, opened_at: DateTime<Utc>) -> Self {
        Self {
            kind,
            title,
            description: String::new(),
            impact: Impact::Medium,
            urgency: Urgency::Medium,
            category: String::new(),
            requester,
            opened_by: requester,
            assignment_group: None,
            assignee: None,
            catalog_item: None,
            parent: None,
            cis: Vec::new(),
            opened_at,
        }
    }
}

/// Clocks decided in a period, by policy, group and clock.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AttainmentRow {
    pub policy: String,
    pub group_name: Option<String>,
    pub clock: String,
    pub met: i64,
    pub breached: i64,
}

/// A record's clock as a list's badge reads it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ClockBadgeRow {
    pub record_id: RecordId,
    pub state: Option<ClockState>,
    pub due_at: Option<DateTime<Utc>>,
    pub warned: bool,
}

/// What a record's clocks count from: its events, oldest first.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ClockEvent {
    pub at: DateTime<Utc>,
    pub kind: EventKind,
    pub field: Option<String>,
    pub from_value: Option<String>,
    pub to_value: Option<String>,
    pub actor_id: Option<UserId>,
    pub visibility: Visibility,
}

/// Where a clock stands, as the job last computed it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClockMoments {
    pub warn_at: Option<DateTime<Utc>>,
    pub due_at: Option<DateTime<Utc>>,
    pub state: ClockState,
    pub stopped_at: Option<DateTime<Utc>>,
}

/// A clock a record runs, as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ClockRow {
    pub kind: String,
    pub policy_id: i64,
    pub started_at: DateTime<Utc>,
    pub target_minutes: i64,
}

/// A record with clocks, as the job needs it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ClockedRecord {
    pub id: RecordId,
    pub number: String,
    pub kind: RecordKind,
    pub priority: i64,
    pub catalog_item_id: Option<CatalogItemId>,
    pub state: crate::domain::record::RecordState,
    pub opened_at: DateTime<Utc>,
    pub requester_id: UserId,
    pub assignee_id: Option<UserId>,
    pub assignment_group_id: Option<GroupId>,
}

/// A running clock of an open record, by when it falls due.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DueClockRow {
    pub id: RecordId,
    pub number: String,
    pub kind: RecordKind,
    pub title: String,
    pub state: RecordState,
    pub priority: i64,
    pub group_name: Option<String>,
    pub assignee_name: Option<String>,
    pub clock: String,
    pub due_at: DateTime<Utc>,
    pub warned: bool,
    pub breached: bool,
}

/// What sign-in needs to decide: the stored hash and whether the account may sign in.
pub struct LoginRow {
    pub id: UserId,
    pub password_hash: Option<String>,
    pub active: bool,
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: Option<&'a str>,
    pub department: Option<DepartmentId>,
    pub manager: Option<UserId>,
    pub time_zone: &'a str,
    pub roles: &'a [Role],
}

/// A catalog item offered under a business service.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Offering {
    pub id: CatalogItemId,
    pub slug: String,
    pub name: String,
    pub published: bool,
    pub fulfilment_group: Option<GroupId>,
}

/// What a CI search asks for: a name prefix, classes (with their subclasses already
/// expanded; none is any), an owner, and whether retired CIs count.
#[derive(Clone, Debug, Default)]
pub struct CiQuery {
    pub prefix: String,
    pub classes: Vec<CiClassId>,
    pub owner: Option<UserId>,
    pub include_retired: bool,
    pub limit: i64,
}
