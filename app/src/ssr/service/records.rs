//! Creating and moving work records.

use chrono::{DateTime, Utc};

use crate::domain::event::{NewEvent, Visibility, visible_to};
use crate::domain::form::{Answers, FormSchema, display_answer};
use crate::domain::ids::RecordId;
use crate::domain::policy::{Action, RecordAccess, Target, allows, hides_existence};
use crate::domain::record::{RecordDetail, RecordKind, RecordNumber, RecordPage, RecordState};
use crate::domain::sla_policy::RecordFacts;
use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::ssr::store::{NewRecord, Store, StoreError};

/// Opens a record and appends its history, all or nothing.
pub async fn create_record(
    store: &Store,
    record: &NewRecord,
    history: &[NewEvent],
) -> Result<(RecordId, RecordNumber), StoreError> {
    let mut tx = store.begin().await?;
    let (id, number) = Store::insert_record(&mut tx, record).await?;
    let facts = RecordFacts {
        kind: record.kind,
        priority: record.priority.level(),
        catalog_item: record.catalog_item,
        group: record.assignment_group,
    };
    crate::ssr::service::sla::attach(&mut tx, store, id, &facts, record.opened_at).await?;
    for event in history {
        if let (Some("state"), Some(to)) = (event.field, event.to_value.as_deref())
            && let Some(state) = RecordState::parse(to)
        {
            Store::update_record_state(&mut tx, id, state, event.at).await?;
        }
        Store::append_event(&mut tx, id, event).await?;
    }
    tx.commit().await?;
    Ok((id, number))
}

/// The record numbered `number`, if `actor` may do `action` on it. A record the actor may
/// not read is reported exactly like one that does not exist.
pub async fn authorize_record(
    store: &Store,
    actor: &CurrentUser,
    number: &str,
    action: Action,
) -> Result<(RecordDetail, RecordAccess), AppError> {
    let not_found = || AppError::NotFound("That record".into());
    let number = RecordNumber::parse(number.trim()).map_err(|_| not_found())?;
    let (record, access) = store.find_record(&number).await?.ok_or_else(not_found)?;
    if !allows(actor, Action::ReadRecord, Target::Record(&access)) {
        return Err(not_found());
    }
    if !allows(actor, action, Target::Record(&access)) {
        return Err(if hides_existence(action) { not_found() } else { AppError::Forbidden });
    }
    Ok((record, access))
}

/// A record's page as `actor` may see it: work notes only for those allowed to read them.
pub async fn record_page(
    store: &Store,
    actor: &CurrentUser,
    number: &str,
    now: DateTime<Utc>,
) -> Result<RecordPage, AppError> {
    let (record, access) = authorize_record(store, actor, number, Action::ReadRecord).await?;
    let notes = allows(actor, Action::ReadWorkNotes, Target::Record(&access));
    let timeline = visible_to(store.list_events(record.id).await?, notes);
    let may_write_work_notes = allows(actor, Action::WriteWorkNote, Target::Record(&access));
    let answers = answered(store, record.id).await?;
    let approvals = store.list_approvals(record.id).await?;
    let tasks = store.list_tasks(record.id).await?;
    let may_cancel = record.kind == RecordKind::Request
        && cancellable(record.state)
        && allows(actor, Action::CancelRequest, Target::Record(&access));
    let may_reopen = crate::ssr::service::approvals::reopenable(record.kind, record.state)
        && allows(actor, Action::CancelRequest, Target::Record(&access));
    let may_ask_again = record.kind == RecordKind::Request
        && crate::ssr::service::approvals::approval_stuck(record.state, &approvals)
        && allows(actor, Action::ChaseApproval, Target::Record(&access));
    let may_update = allows(actor, Action::UpdateRecord, Target::Record(&access));
    let assignment = if may_update { store.assignment_choices().await? } else { Vec::new() };
    let (links, watchers, canned) = if may_update {
        (store.links_of(record.id).await?, store.watchers(record.id).await?, store.canned_responses().await?)
    } else {
        Default::default()
    };
    let attachments = store.list_attachments(record.id).await?;
    let clocks = crate::ssr::service::sla::clocks(store, &record, access.requester, now).await?;
    let open_to_replies =
        !closed_to_additions(record.state) && allows(actor, Action::ReplyToRecord, Target::Record(&access));
    Ok(RecordPage {
        record,
        answers,
        approvals,
        tasks,
        timeline,
        may_write_work_notes,
        may_cancel,
        may_reopen,
        may_ask_again,
        may_update,
        assignment,
        attachments,
        attachment_limit: crate::domain::attachment::DEFAULT_MAX_BYTES,
        open_to_replies,
        links,
        watchers,
        canned,
        clocks,
    })
}

/// A closed, cancelled or rejected record takes no more replies or files: the requester
/// reports a new issue instead. Agents' work notes still go on.
pub fn closed_to_additions(state: RecordState) -> bool {
    matches!(state, RecordState::Closed | RecordState::Cancelled | RecordState::Rejected)
}

/// Why a reply or a file can't be added to a record that is `state`.
pub fn closed_message(number: &str, state: RecordState) -> AppError {
    AppError::Conflict(format!(
        "{number} is {}, so nothing more can be added to it. Report a new issue and mention {number}.",
        state.label().to_lowercase()
    ))
}

/// A request's answers as people read them: (question, answer), in its form's order.
pub async fn answered(store: &Store, record: RecordId) -> Result<Vec<(String, String)>, AppError> {
    Ok(store.find_answers(record).await?.map(|(form, answers)| as_read(&form, &answers)).unwrap_or_default())
}

/// Answers as people read them: (question, answer), in the form's order.
pub fn as_read(form: &FormSchema, answers: &Answers) -> Vec<(String, String)> {
    form.fields
        .iter()
        .filter_map(|f| answers.get(&f.key).map(|a| (f.label.clone(), display_answer(f, a))))
        .collect()
}

/// A request can be withdrawn until it is fulfilled.
pub fn cancellable(state: RecordState) -> bool {
    matches!(
        state,
        RecordState::New | RecordState::AwaitingApproval | RecordState::InProgress | RecordState::OnHold
    )
}

/// Withdraws a request: pending approvals are no longer needed and open tasks are cancelled.
pub async fn cancel_request(
    store: &Store,
    actor: &CurrentUser,
    number: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    use crate::ssr::service::approvals::move_state;
    let (record, _) = authorize_record(store, actor, number, Action::CancelRequest).await?;
    if record.kind != RecordKind::Request {
        return Err(AppError::Conflict("Only a request can be cancelled here.".into()));
    }
    let mut tx = store.begin().await?;
    let (state, _, _) = Store::record_state(&mut tx, record.id).await?;
    if !cancellable(state) {
        return Err(AppError::Conflict(format!(
            "This request is {} and can no longer be cancelled.",
            state.label().to_lowercase()
        )));
    }
    Store::skip_all_pending(&mut tx, record.id, now).await?;
    for task in Store::open_task_ids(&mut tx, record.id).await? {
        let (task_state, _, _) = Store::record_state(&mut tx, task).await?;
        move_state(&mut tx, task, task_state, RecordState::Cancelled, Some(actor.id), now).await?;
    }
    move_state(&mut tx, record.id, state, RecordState::Cancelled, Some(actor.id), now).await?;
    tx.commit().await?;
    Ok(())
}

/// Adds a reply (public) or a work note (internal) to a record's timeline.
pub async fn add_comment(
    store: &Store,
    actor: &CurrentUser,
    number: &str,
    body: &str,
    visibility: Visibility,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let action = match visibility {
        Visibility::Public => Action::ReplyToRecord,
        Visibility::Internal => Action::WriteWorkNote,
    };
    let (record, access) = authorize_record(store, actor, number, action).await?;
    if visibility == Visibility::Public && closed_to_additions(record.state) {
        return Err(closed_message(&record.number, record.state));
    }
    let event = NewEvent::comment(Some(actor.id), now, body, visibility)
        .map_err(|e| AppError::field("body", e.to_string()))?;
    let mut tx = store.begin().await?;
    Store::append_event(&mut tx, record.id, &event).await?;
    if visibility == Visibility::Public {
        let text = format!("{} replied", actor.name);
        for person in access.to_tell(actor.id) {
            Store::notify(&mut tx, person, record.id, &text, now).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
