//! A request's way from ordered to fulfilled: approval steps, then fulfilment tasks. Each
//! move is one transaction and leaves events on the request's timeline.

use chrono::{DateTime, Utc};

use crate::domain::approval::{
    ApprovalStep, Decision, FulfilmentPlan, StepOutcome, check_decision_comment, step_outcome,
};
use crate::domain::event::{NewEvent, Visibility};
use crate::domain::ids::{RecordId, UserId};
use crate::domain::policy::{Action, Target, allows};
use crate::domain::record::{RecordKind, RecordState, Title};
use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::ssr::store::{NewRecord, Store, StoreError, Tx};

/// Moves `record` to `to`, with the event that says so; like every state move, it counts a
/// new version of the record, so an agent's page from before it is out of date.
pub async fn move_state(
    tx: &mut Tx,
    record: RecordId,
    from: RecordState,
    to: RecordState,
    actor: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    Store::apply_move(tx, record, to, &crate::domain::lifecycle::MoveDetails::default(), now).await?;
    for event in
        NewEvent::changes(actor, now, &[("state", Some(from.as_str().into()), Some(to.as_str().into()))])
    {
        Store::append_event(tx, record, &event).await?;
    }
    Ok(())
}

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
) -> Result<(), StoreError> {
    if steps.is_empty() {
        return start_fulfilment(tx, record, RecordState::New, requester, plan, now).await;
    }
    move_state(tx, record, RecordState::New, RecordState::AwaitingApproval, None, now).await?;
    ask_step(tx, record, requester, steps, 0, now).await
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
    let (state, _, requester) = Store::record_state(&mut tx, record.id).await?;
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
    let (state, _, requester) = Store::record_state(&mut tx, approval.record_id).await?;
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
            move_state(&mut tx, approval.record_id, state, RecordState::Rejected, Some(actor.id), now)
                .await?;
        }
        StepOutcome::Approved => {
            let what = format!("approved by {}", actor.name);
            Store::notify(&mut tx, requester, approval.record_id, &what, now).await?;
            Store::skip_pending(&mut tx, approval.record_id, approval.step, now).await?;
            let next = approval.step as usize + 1;
            if next < steps.len() {
                ask_step(&mut tx, approval.record_id, requester, &steps, next, now).await?;
            } else {
                start_fulfilment(&mut tx, approval.record_id, state, requester, &plan, now).await?;
            }
        }
    }
    let number: String = sqlx::query_scalar("SELECT number FROM records WHERE id = ?")
        .bind(approval.record_id)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(number)
}

/// Fulfilment begins: the request is in progress and its first tasks (all of them, unless
/// they run in sequence) go to their groups. A request with no tasks is worked as it is, by
/// its item's group.
async fn start_fulfilment(
    tx: &mut Tx,
    record: RecordId,
    from: RecordState,
    requester: UserId,
    plan: &FulfilmentPlan,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    if plan.tasks.is_empty() {
        return move_state(tx, record, from, RecordState::InProgress, None, now).await;
    }
    move_state(tx, record, from, RecordState::InProgress, None, now).await?;
    let first = if plan.in_sequence { &plan.tasks[..1] } else { &plan.tasks[..] };
    for task in first {
        create_task(tx, record, requester, task, now).await?;
    }
    Ok(())
}

async fn create_task(
    tx: &mut Tx,
    parent: RecordId,
    requester: UserId,
    task: &crate::domain::approval::TaskTemplate,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let title = Title::parse(&task.title)
        .or_else(|_| Title::parse("Fulfilment task"))
        .map_err(|e| StoreError::Db(sqlx::Error::Protocol(e.to_string())))?;
    let mut new = NewRecord::new(RecordKind::Task, requester, title, now);
    new.parent = Some(parent);
    new.assignment_group = Some(task.group);
    Store::insert_record(tx, &new).await?;
    Ok(())
}

/// Closes every request fulfilled and every incident resolved at least `after` ago. Returns how many.
pub async fn close_fulfilled(
    store: &Store,
    after: chrono::Duration,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let due = store.fulfilled_before(now - after).await?;
    let days = after.num_days();
    for record in &due {
        let mut tx = store.begin().await?;
        let (state, _, _) = Store::record_state(&mut tx, *record).await?;
        if matches!(state, RecordState::Fulfilled | RecordState::Resolved) {
            move_state(&mut tx, *record, state, RecordState::Closed, None, now).await?;
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
    let (state, _, _) = Store::record_state(&mut tx, record.id).await?;
    if !reopenable(record.kind, state) {
        return Err(AppError::Conflict(
            "Only a fulfilled request or a resolved incident that is not yet closed can be reopened.".into(),
        ));
    }
    move_state(&mut tx, record.id, state, RecordState::InProgress, Some(actor.id), now).await?;
    Store::append_event(&mut tx, record.id, &event).await?;
    tx.commit().await?;
    Ok(())
}

/// Closes a fulfilment task. The next task in sequence starts; when the last one closes, the
/// request is fulfilled.
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
    let (state, parent, requester) = Store::record_state(&mut tx, task.id).await?;
    if !state.is_open() {
        return Err(AppError::Conflict("This task is already closed.".into()));
    }
    move_state(&mut tx, task.id, state, RecordState::Closed, Some(actor.id), now).await?;
    if let Some(parent) = parent {
        let (_, plan) = Store::request_plan(&mut tx, parent).await?;
        let (made, open) = Store::task_counts(&mut tx, parent).await?;
        let made = usize::try_from(made).unwrap_or(usize::MAX);
        if open == 0 && made < plan.tasks.len() {
            create_task(&mut tx, parent, requester, &plan.tasks[made], now).await?;
        } else if open == 0 {
            let (parent_state, _, _) = Store::record_state(&mut tx, parent).await?;
            move_state(&mut tx, parent, parent_state, RecordState::Fulfilled, None, now).await?;
            note(&mut tx, parent, None, "Everything for this request is done.", Visibility::Public, now)
                .await?;
            Store::notify(&mut tx, requester, parent, "fulfilled: everything is done", now).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
