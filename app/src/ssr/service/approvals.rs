//! A request's way from ordered to fulfilled: approval steps, then fulfilment tasks. Each
//! move is one transaction and leaves events on the request's timeline.

use chrono::{DateTime, Utc};

use crate::domain::approval::{
    ApprovalStep, Decision, FulfilmentPlan, StepOutcome, check_decision_comment, step_outcome,
};
use crate::domain::event::{NewEvent, Visibility};
use crate::domain::ids::{RecordId, UserId};
use crate::domain::lifecycle::Mover;
use crate::domain::policy::{Action, Target, allows};
use crate::domain::record::{RecordKind, RecordState};
use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::ssr::service::engine::{self, Transition};
use crate::ssr::store::{Store, StoreError, Tx};

async fn note(
    tx: &mut Tx,
    record: RecordId,
    actor: Option<UserId>,
    text: &str,
    visibility: Visibility,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    if let Ok(event) = NewEvent::comment(actor, now, text, visibility) {
        Store::append_event(tx, record, &event).await?;
    }
    Ok(())
}

/// Starts a new request on its plan: its first approval step, or fulfilment when it needs none.
pub async fn start_request(
    tx: &mut Tx,
    record: RecordId,
    requester: UserId,
    steps: &[ApprovalStep],
    plan: &FulfilmentPlan,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if steps.is_empty() {
        return start_fulfilment(tx, record, requester, plan, now).await;
    }
    let waiting = Transition::by(Mover::Approval, record, RecordState::AwaitingApproval, None, now);
    engine::transition(tx, waiting).await?;
    Ok(ask_step(tx, record, requester, steps, 0, now).await?)
}

/// Who may approve `step` of `requester`'s request, or why nobody can.
async fn approvers_of_step(
    tx: &mut Tx,
    requester: UserId,
    step: &ApprovalStep,
) -> Result<Result<Vec<UserId>, &'static str>, StoreError> {
    let (approvers, missing) = match step {
        ApprovalStep::Manager => (
            Store::manager_of(tx, requester).await?.into_iter().collect::<Vec<_>>(),
            "The requester has no active manager. An admin must set one under People, then ask for approval again here.",
        ),
        ApprovalStep::Group { group, .. } => (
            Store::group_member_ids(tx, *group).await?.into_iter().filter(|u| *u != requester).collect(),
            "The approving group has no active members other than the requester. An admin must add members under Groups, then ask for approval again here.",
        ),
    };
    Ok(if approvers.is_empty() { Err(missing) } else { Ok(approvers) })
}

async fn ask(
    tx: &mut Tx,
    record: RecordId,
    index: usize,
    approvers: Vec<UserId>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    for approver in approvers {
        Store::insert_approval(tx, record, index as i64, approver, now).await?;
        Store::notify(tx, approver, record, "needs your approval", now).await?;
    }
    Ok(())
}

/// Asks the approvers of step `index`. When nobody can approve it, the request waits and
/// says so: agents see what to fix in a work note, and every admin is notified.
async fn ask_step(
    tx: &mut Tx,
    record: RecordId,
    requester: UserId,
    steps: &[ApprovalStep],
    index: usize,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let Some(step) = steps.get(index) else { return Ok(()) };
    let missing = match approvers_of_step(tx, requester, step).await? {
        Ok(approvers) => return ask(tx, record, index, approvers, now).await,
        Err(missing) => missing,
    };
    tracing::warn!(record = %record, step = index, "approval step has no approvers");
    let text = format!("Approval step {} has nobody to approve it. {missing}", index + 1);
    note(tx, record, None, &text, Visibility::Internal, now).await?;
    for admin in Store::admin_ids(tx).await? {
        Store::notify(tx, admin, record, "has nobody to approve it", now).await?;
    }
    note(
        tx,
        record,
        None,
        "Waiting for an approver to be assigned. The service desk has been told.",
        Visibility::Public,
        now,
    )
    .await
}

/// Whether the approval of a request waiting for it is stuck: nobody is asked.
pub fn approval_stuck(state: RecordState, approvals: &[crate::domain::approval::ApprovalView]) -> bool {
    state == RecordState::AwaitingApproval && approvals.iter().all(|a| a.decision.is_some())
}

/// Asks a stuck approval step again, once an admin has fixed who approves it. Refused,
/// saying why, while somebody is already asked or when still nobody can approve it.
pub async fn ask_again(
    store: &Store,
    actor: &CurrentUser,
    number: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (record, _) =
        crate::ssr::service::records::authorize_record(store, actor, number, Action::ChaseApproval).await?;
    let mut tx = store.begin().await?;
    let request = Store::moving(&mut tx, record.id).await?;
    let (state, requester) = (request.state, request.requester);
    let (last_step, pending) = Store::approval_progress(&mut tx, record.id).await?;
    if state != RecordState::AwaitingApproval || pending > 0 {
        return Err(AppError::Conflict("This request isn't stuck: its approvers are already asked.".into()));
    }
    let index = last_step.map_or(0, |s| s as usize + 1);
    let (steps, _) = Store::request_plan(&mut tx, record.id).await?;
    let Some(step) = steps.get(index) else {
        return Err(AppError::Conflict("This request has no approval step left to ask.".into()));
    };
    let approvers = approvers_of_step(&mut tx, requester, step).await?.map_err(|missing| {
        AppError::Conflict(format!("Still nobody can approve step {}. {missing}", index + 1))
    })?;
    let text = format!("Asked for approval of step {} again.", index + 1);
    note(&mut tx, record.id, Some(actor.id), &text, Visibility::Public, now).await?;
    ask(&mut tx, record.id, index, approvers, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Records `actor`'s decision on approval `id`, and moves the request on when the step is decided.
pub async fn decide(
    store: &Store,
    actor: &CurrentUser,
    id: i64,
    decision: Decision,
    comment: &str,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    if decision == Decision::Skipped {
        return Err(AppError::field("decision", "Approve or reject."));
    }
    let comment = check_decision_comment(decision, comment).map_err(|e| AppError::field("comment", e))?;
    let not_found = || AppError::NotFound("That approval".into());
    let mut tx = store.begin().await?;
    let approval = Store::find_approval(&mut tx, id).await?.ok_or_else(not_found)?;
    if !allows(actor, Action::DecideApproval, Target::Approver(approval.approver_id)) {
        return Err(not_found());
    }
    let request = Store::moving(&mut tx, approval.record_id).await?;
    let (state, requester) = (request.state, request.requester);
    if approval.decision.is_some() || state != RecordState::AwaitingApproval {
        return Err(AppError::Conflict("This approval has already been decided.".into()));
    }
    Store::decide_approval(&mut tx, id, decision, &comment, now).await?;
    let verb = if decision == Decision::Approved { "Approved" } else { "Rejected" };
    let text = if comment.is_empty() { format!("{verb}.") } else { format!("{verb}: {comment}") };
    note(&mut tx, approval.record_id, Some(actor.id), &text, Visibility::Public, now).await?;

    let (steps, plan) = Store::request_plan(&mut tx, approval.record_id).await?;
    let all = matches!(steps.get(approval.step as usize), Some(ApprovalStep::Group { all: true, .. }));
    let decisions = Store::step_decisions(&mut tx, approval.record_id, approval.step).await?;
    match step_outcome(all, &decisions) {
        StepOutcome::Waiting => {}
        StepOutcome::Rejected => {
            let what = format!("rejected by {}: {comment}", actor.name);
            Store::notify(&mut tx, requester, approval.record_id, &what, now).await?;
            Store::skip_pending(&mut tx, approval.record_id, approval.step, now).await?;
            let rejected = Transition::by(
                Mover::Approval,
                approval.record_id,
                RecordState::Rejected,
                Some(actor.id),
                now,
            );
            engine::transition(&mut tx, rejected).await?;
        }
        StepOutcome::Approved => {
            let what = format!("approved by {}", actor.name);
            Store::notify(&mut tx, requester, approval.record_id, &what, now).await?;
            Store::skip_pending(&mut tx, approval.record_id, approval.step, now).await?;
            let next = approval.step as usize + 1;
            if next < steps.len() {
                ask_step(&mut tx, approval.record_id, requester, &steps, next, now).await?;
            } else {
                start_fulfilment(&mut tx, approval.record_id, requester, &plan, now).await?;
            }
        }
    }
    tx.commit().await?;
    Ok(request.number)
}

/// Fulfilment begins: the request is in progress and its first tasks (all of them, unless
/// they run in sequence) go to their groups. A request with no tasks is worked as it is, by
/// its item's group.
async fn start_fulfilment(
    tx: &mut Tx,
    record: RecordId,
    requester: UserId,
    plan: &FulfilmentPlan,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    engine::transition(tx, Transition::by(Mover::Approval, record, RecordState::InProgress, None, now))
        .await?;
    let first = if plan.in_sequence { &plan.tasks[..plan.tasks.len().min(1)] } else { &plan.tasks[..] };
    for task in first {
        engine::open_task(tx, record, requester, task, now).await?;
    }
    Ok(())
}

/// Closes every request fulfilled and every incident resolved at least `after` ago. Returns how many.
pub async fn close_fulfilled(
    store: &Store,
    after: chrono::Duration,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let due = store.fulfilled_before(now - after).await?;
    let days = after.num_days();
    for record in &due {
        let mut tx = store.begin().await?;
        let state = Store::moving(&mut tx, *record).await?.state;
        if !state.is_open() && !crate::domain::lifecycle::is_final(state) {
            engine::transition(
                &mut tx,
                Transition::by(Mover::System, *record, RecordState::Closed, None, now),
            )
            .await?;
            let done = if state == RecordState::Resolved { "resolved" } else { "fulfilled" };
            let text = format!("Closed automatically {days} days after it was {done}.");
            note(&mut tx, *record, None, &text, Visibility::Public, now).await?;
        }
        tx.commit().await?;
    }
    Ok(due.len())
}

/// Whether the requester may reopen a record of `kind` in `state`: done, not yet closed.
pub fn reopenable(kind: RecordKind, state: RecordState) -> bool {
    matches!(
        (kind, state),
        (RecordKind::Request, RecordState::Fulfilled) | (RecordKind::Incident, RecordState::Resolved)
    )
}

/// Reopens a fulfilled request or a resolved incident whose requester says it isn't done;
/// the desk picks it up again.
pub async fn reopen_request(
    store: &Store,
    actor: &CurrentUser,
    number: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (record, _) =
        crate::ssr::service::records::authorize_record(store, actor, number, Action::CancelRequest).await?;
    if reason.trim().is_empty() {
        return Err(AppError::field("reason", "Say what is still missing, so the desk knows."));
    }
    let event =
        NewEvent::comment(Some(actor.id), now, &format!("Reopened: {}", reason.trim()), Visibility::Public)
            .map_err(|e| AppError::field("reason", e.to_string()))?;
    let mut tx = store.begin().await?;
    let state = Store::moving(&mut tx, record.id).await?.state;
    if !reopenable(record.kind, state) {
        return Err(AppError::Conflict(
            "Only a fulfilled request or a resolved incident that is not yet closed can be reopened.".into(),
        ));
    }
    let reopened = Transition::by(Mover::Person, record.id, RecordState::InProgress, Some(actor.id), now);
    engine::transition(&mut tx, reopened).await?;
    Store::append_event(&mut tx, record.id, &event).await?;
    tx.commit().await?;
    Ok(())
}

/// Closes a fulfilment task; the record engine starts the next task in sequence, or
/// fulfils the request when it was the last.
pub async fn close_task(
    store: &Store,
    actor: &CurrentUser,
    number: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (task, _) =
        crate::ssr::service::records::authorize_record(store, actor, number, Action::WorkTask).await?;
    if task.kind != RecordKind::Task {
        return Err(AppError::field("number", "Only a fulfilment task can be closed here."));
    }
    let mut tx = store.begin().await?;
    if !Store::moving(&mut tx, task.id).await?.state.is_open() {
        return Err(AppError::Conflict("This task is already closed.".into()));
    }
    let closed = Transition::by(Mover::Person, task.id, RecordState::Closed, Some(actor.id), now);
    engine::transition(&mut tx, closed).await?;
    tx.commit().await?;
    Ok(())
}

/// Requests waiting for `user`'s decision, with what was asked.
pub async fn pending_for(
    store: &Store,
    user: &CurrentUser,
) -> Result<Vec<crate::domain::approval::PendingApproval>, AppError> {
    let pending = store.list_pending_approvals(user.id).await?;
    let referenced: Vec<&crate::domain::form::Answer> = pending
        .iter()
        .filter_map(|row| row.answered.as_ref())
        .flat_map(|(_, answers)| answers.values())
        .collect();
    let references = crate::ssr::service::references::named(store, referenced).await?;
    Ok(pending
        .into_iter()
        .map(|row| crate::domain::approval::PendingApproval {
            approval_id: row.approval_id,
            number: row.number,
            title: row.title,
            requester_name: row.requester_name,
            asked_at: row.asked_at,
            answers: row
                .answered
                .map(|(form, answers)| crate::ssr::service::records::as_read(&form, &answers, &references))
                .unwrap_or_default(),
        })
        .collect())
}

/// Open fulfilment tasks of `user`'s groups, oldest first.
pub async fn group_tasks(
    store: &Store,
    user: &CurrentUser,
    limit: i64,
) -> Result<Vec<crate::domain::record::RecordSummary>, AppError> {
    Ok(store.list_group_tasks(user.id, limit).await?)
}
