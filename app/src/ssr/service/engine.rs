//! The record engine: the one way a record of any kind is opened, the one way it moves from
//! state to state, and the one way its fields change. Incidents, catalog requests and their
//! fulfilment tasks, approvals, bulk changes, a parent resolving its children, service-level
//! escalations, auto-close and the demo data all come through here
//! (`server/tests/api/engine.rs` fails when something else writes a record's state).
//!
//! Each function works inside the caller's write transaction, so a use case that does more
//! (an order with its answers, a decision with its approval row) stays all or nothing.

use chrono::{DateTime, Utc};

use crate::domain::event::{EventField, NewEvent, Visibility};
use crate::domain::ids::{RecordId, UserId};
use crate::domain::lifecycle::{MoveDetails, Mover, check_move};
use crate::domain::record::{
    Impact, Priority, PriorityBasis, PriorityWish, RecordKind, RecordNumber, RecordState, Urgency,
    settle_priority,
};
use crate::domain::sla_policy::RecordFacts;
use crate::error::{AppError, FieldErrors};
use crate::ssr::service::sla;
use crate::ssr::store::{Fields, NewRecord, Store, Tx};

/// Opens `record`: its priority from the desk's matrix, its number, the created event, the
/// clocks of the first service-level policy it matches, and notifications for an assignee
/// and for a requester someone else opened it for.
pub async fn open(tx: &mut Tx, record: &NewRecord) -> Result<(RecordId, RecordNumber), AppError> {
    let matrix = Store::priority_matrix_in(tx).await?;
    let priority = matrix.priority(record.impact, record.urgency);
    let (id, number) = Store::insert_record(tx, record, priority).await?;
    for ci in &record.cis {
        Store::link_record_ci(tx, id, *ci, record.opened_by, record.opened_at).await?;
    }
    let facts = RecordFacts {
        kind: record.kind,
        priority: priority.level(),
        catalog_item: record.catalog_item,
        group: record.assignment_group,
    };
    sla::attach(tx, id, &facts, record.opened_at).await?;
    if let Some(assignee) = record.assignee.filter(|a| *a != record.opened_by) {
        Store::notify(tx, assignee, id, "assigned to you", record.opened_at).await?;
    }
    if record.requester != record.opened_by && record.kind != RecordKind::Task {
        Store::notify(tx, record.requester, id, "opened for you", record.opened_at).await?;
    }
    Ok((id, number))
}

/// One move of one record.
#[derive(Clone, Debug)]
pub struct Transition {
    pub record: RecordId,
    pub to: RecordState,
    pub details: MoveDetails,
    pub mover: Mover,
    /// Who made it, for the timeline; none for Switchboard itself.
    pub actor: Option<UserId>,
    /// The version the person's page showed; a move from an outdated page is refused.
    pub version: Option<i64>,
    /// How a resolution's public note starts: "Resolved", "Resolved with its parent INC…".
    pub resolved_as: String,
    pub at: DateTime<Utc>,
}

impl Transition {
    /// A move `mover` makes on its own account: no page version to check, no details.
    pub fn by(
        mover: Mover,
        record: RecordId,
        to: RecordState,
        actor: Option<UserId>,
        at: DateTime<Utc>,
    ) -> Self {
        Self {
            record,
            to,
            details: MoveDetails::default(),
            mover,
            actor,
            version: None,
            resolved_as: "Resolved".to_owned(),
            at,
        }
    }
}

/// Moves a record, then whatever the move sets going: the kind's life cycle decides whether
/// it may, the page's version whether it is still the record the person saw. The move is
/// logged as typed events (state, hold reason, resolution code; a resolution's notes as a
/// public reply), which is also what pauses, resumes and stops its clocks: they are read
/// from the log. Follow-ups: a resolution tells the requester and watchers and resolves the
/// open children; a cancelled request skips its approvals and cancels its tasks; a closed
/// task starts the next one or fulfils its request; a fulfilled request tells its requester.
pub async fn transition(tx: &mut Tx, first: Transition) -> Result<(), AppError> {
    let mut work = vec![first];
    while let Some(next) = work.pop() {
        work.extend(move_one(tx, next).await?);
    }
    Ok(())
}

fn refused(problems: Vec<crate::domain::lifecycle::MoveError>) -> AppError {
    let mut errors = FieldErrors::default();
    for problem in problems {
        errors.add(problem.field, problem.message);
    }
    AppError::Invalid(errors)
}

/// Moves one record and returns the moves that follow from it.
async fn move_one(tx: &mut Tx, t: Transition) -> Result<Vec<Transition>, AppError> {
    let record = Store::moving(tx, t.record).await?;
    if let Some(version) = t.version
        && version != record.version
    {
        return Err(AppError::Conflict(format!(
            "Someone changed this record after you opened it; it is now {}. Reload to see what changed, then try again.",
            record.state.label().to_lowercase()
        )));
    }
    let from = record.state;
    let kept = check_move(record.kind, from, t.to, &t.details, t.mover).map_err(refused)?;
    Store::apply_move(tx, t.record, t.to, &kept, t.at).await?;
    let mut changes =
        vec![(EventField::State, Some(from.as_str().to_owned()), Some(t.to.as_str().to_owned()))];
    if let Some(reason) = kept.hold_reason {
        changes.push((EventField::HoldReason, None, Some(reason.as_str().to_owned())));
    }
    if let Some(code) = kept.resolution_code {
        changes.push((EventField::ResolutionCode, None, Some(code.as_str().to_owned())));
    }
    for event in NewEvent::changes(t.actor, t.at, &changes) {
        Store::append_event(tx, t.record, &event).await?;
    }
    let mut follow = Vec::new();
    match (record.kind, t.to) {
        (_, RecordState::Resolved) => {
            let text = format!("{}: {}", t.resolved_as, kept.resolution_notes);
            let event = NewEvent::comment(t.actor, t.at, &text, Visibility::Public)
                .map_err(|e| AppError::field("resolution_notes", e.to_string()))?;
            Store::append_event(tx, t.record, &event).await?;
            for person in Store::people_to_tell(tx, t.record, t.actor).await? {
                Store::notify(tx, person, t.record, "resolved", t.at).await?;
            }
            let with_parent = format!("Resolved with its parent {}", record.number);
            for child in Store::children(tx, t.record).await? {
                if check_move(RecordKind::Incident, child.state, t.to, &kept, Mover::System).is_ok() {
                    follow.push(Transition {
                        details: kept.clone(),
                        resolved_as: with_parent.clone(),
                        ..Transition::by(Mover::System, child.id, t.to, t.actor, t.at)
                    });
                }
            }
        }
        (RecordKind::Request, RecordState::Cancelled) => {
            Store::skip_all_pending(tx, t.record, t.at).await?;
            for task in Store::open_task_ids(tx, t.record).await? {
                follow.push(Transition::by(Mover::System, task, RecordState::Cancelled, t.actor, t.at));
            }
        }
        (RecordKind::Request, RecordState::Fulfilled) => {
            Store::notify(tx, record.requester, t.record, "fulfilled: everything is done", t.at).await?;
        }
        (RecordKind::Task, RecordState::Closed) => {
            if let Some(parent) = record.parent {
                follow.extend(next_task_or_fulfil(tx, parent, t.at).await?);
            }
        }
        _ => {}
    }
    Ok(follow)
}

/// After a task closes: the request's next task in sequence, or, when every task is done,
/// the request fulfilled.
async fn next_task_or_fulfil(
    tx: &mut Tx,
    request: RecordId,
    at: DateTime<Utc>,
) -> Result<Vec<Transition>, AppError> {
    let parent = Store::moving(tx, request).await?;
    if parent.kind != RecordKind::Request || !parent.state.is_open() {
        return Ok(Vec::new());
    }
    let (_, plan) = Store::request_plan(tx, request).await?;
    let (made, open) = Store::task_counts(tx, request).await?;
    if open > 0 {
        return Ok(Vec::new());
    }
    let made = usize::try_from(made).unwrap_or(usize::MAX);
    if let Some(task) = plan.tasks.get(made) {
        open_task(tx, request, parent.requester, task, at).await?;
        return Ok(Vec::new());
    }
    let event = NewEvent::comment(None, at, "Everything for this request is done.", Visibility::Public)
        .map_err(|e| AppError::internal(&e))?;
    Store::append_event(tx, request, &event).await?;
    Ok(vec![Transition::by(Mover::System, request, RecordState::Fulfilled, None, at)])
}

/// Opens a fulfilment task of `request` for its group.
pub async fn open_task(
    tx: &mut Tx,
    request: RecordId,
    requester: UserId,
    task: &crate::domain::approval::TaskTemplate,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let title = crate::domain::record::Title::parse(&task.title)
        .or_else(|_| crate::domain::record::Title::parse("Fulfilment task"))
        .map_err(|e| AppError::internal(&e))?;
    let mut new = NewRecord::new(RecordKind::Task, requester, title, at);
    new.parent = Some(request);
    new.assignment_group = Some(task.group);
    open(tx, &new).await?;
    Ok(())
}

/// A change to a record's fields other than its state, as a person or an escalation asks it.
#[derive(Clone, Debug)]
pub struct FieldChange {
    pub impact: Impact,
    pub urgency: Urgency,
    pub priority: PriorityWish,
    pub group: Option<crate::domain::ids::GroupId>,
    pub assignee: Option<UserId>,
    pub category: String,
    pub major: bool,
}

impl FieldChange {
    /// The record's fields as they are, to change one or two of them.
    pub fn from(fields: &Fields) -> Self {
        Self {
            impact: fields.impact,
            urgency: fields.urgency,
            priority: PriorityWish::Keep,
            group: fields.assignment_group_id,
            assignee: fields.assignee_id,
            category: fields.category.clone(),
            major: fields.major,
        }
    }
}

/// Changes a record's fields, if `version` (when given) is still its version. The priority
/// follows `settle_priority`; each changed field is a typed event; the clocks follow a new
/// priority or group, keeping what has passed; a new assignee is notified. Returns whether
/// anything changed.
pub async fn change_fields(
    tx: &mut Tx,
    record: RecordId,
    version: Option<i64>,
    change: &FieldChange,
    actor: Option<UserId>,
    at: DateTime<Utc>,
) -> Result<bool, AppError> {
    let (before, current) = Store::record_fields(tx, record).await?;
    if let Some(version) = version
        && version != current
    {
        return Err(AppError::Conflict(
            "Someone changed this record after you opened it. Reload to see what changed, then try again."
                .into(),
        ));
    }
    let matrix = Store::priority_matrix_in(tx).await?;
    let levels_changed = (before.impact, before.urgency) != (change.impact, change.urgency);
    let (priority, basis) = settle_priority(
        (before.priority, before.priority_basis),
        levels_changed,
        &change.priority,
        matrix.priority(change.impact, change.urgency),
    );
    let reason = match &change.priority {
        PriorityWish::Set(_, reason) => reason.clone(),
        _ if basis == PriorityBasis::Override => before.priority_reason.clone(),
        _ => String::new(),
    };
    let wanted = Fields {
        impact: change.impact,
        urgency: change.urgency,
        priority,
        priority_basis: basis,
        priority_reason: reason,
        assignment_group_id: change.group,
        assignee_id: change.assignee,
        category: change.category.clone(),
        major: change.major,
    };
    if before == wanted {
        return Ok(false);
    }
    Store::set_fields(tx, record, &wanted, at).await?;
    if (before.priority, before.assignment_group_id) != (wanted.priority, wanted.assignment_group_id) {
        let (kind, catalog_item, opened_at) = Store::clock_subject(tx, record).await?;
        let facts = RecordFacts {
            kind,
            priority: wanted.priority.level(),
            catalog_item,
            group: wanted.assignment_group_id,
        };
        sla::attach(tx, record, &facts, opened_at).await?;
    }
    for event in NewEvent::changes(actor, at, &field_changes(&before, &wanted)) {
        Store::append_event(tx, record, &event).await?;
    }
    if let Some(assignee) = wanted.assignee_id.filter(|a| Some(*a) != before.assignee_id && Some(*a) != actor)
    {
        Store::notify(tx, assignee, record, "assigned to you", at).await?;
    }
    Ok(true)
}

/// The typed events between `before` and `after`: levels, ids and codes.
fn field_changes(before: &Fields, after: &Fields) -> Vec<(EventField, Option<String>, Option<String>)> {
    let level = |l: i64| Some(l.to_string());
    let priority = |p: Priority| Some(p.level().to_string());
    let id = |i: Option<i64>| i.map(|i| i.to_string());
    let text = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    let mut changes = vec![
        (EventField::Impact, level(before.impact as i64), level(after.impact as i64)),
        (EventField::Urgency, level(before.urgency as i64), level(after.urgency as i64)),
        (EventField::Priority, priority(before.priority), priority(after.priority)),
        (
            EventField::PriorityBasis,
            Some(before.priority_basis.as_str().to_owned()),
            Some(after.priority_basis.as_str().to_owned()),
        ),
    ];
    if after.priority_basis == PriorityBasis::Override && after.priority_reason != before.priority_reason {
        changes.push((
            EventField::PriorityReason,
            text(&before.priority_reason),
            text(&after.priority_reason),
        ));
    }
    changes.extend([
        (
            EventField::Group,
            id(before.assignment_group_id.map(|g| g.0)),
            id(after.assignment_group_id.map(|g| g.0)),
        ),
        (EventField::Assignee, id(before.assignee_id.map(|u| u.0)), id(after.assignee_id.map(|u| u.0))),
        (EventField::Category, text(&before.category), text(&after.category)),
        (EventField::Major, Some(before.major.to_string()), Some(after.major.to_string())),
    ]);
    changes
}
