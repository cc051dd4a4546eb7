//! Creating and moving work records.

use chrono::{DateTime, Utc};

use crate::domain::event::{Names, NewEvent, TimelineEvent, Visibility, describe, visible_to};
use crate::domain::form::{Answers, FormSchema, References, display_answer};
use crate::domain::ids::RecordId;
use crate::domain::lifecycle::{Mover, is_final, next_states};
use crate::domain::policy::{Action, RecordAccess, Target, allows, hides_existence};
use crate::domain::record::{RecordDetail, RecordKind, RecordNumber, RecordPage, RecordState};
use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::ssr::service::engine::{self, Transition};
use crate::ssr::store::{NewRecord, Store};

/// Opens a record in a transaction of its own, through the record engine.
pub async fn create_record(store: &Store, record: &NewRecord) -> Result<(RecordId, RecordNumber), AppError> {
    let mut tx = store.begin().await?;
    let opened = engine::open(&mut tx, record).await?;
    tx.commit().await?;
    Ok(opened)
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
    let timeline = visible_to(timeline(store, record.id).await?, notes);
    let may_write_work_notes = allows(actor, Action::WriteWorkNote, Target::Record(&access));
    let answers = answered(store, record.id).await?;
    let approvals = store.list_approvals(record.id).await?;
    let tasks = store.list_tasks(record.id).await?;
    let may_cancel = record.kind == RecordKind::Request
        && cancellable(record.kind, record.state)
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
    let cis = store.record_cis(record.id).await?;
    let impacted =
        if may_update { crate::ssr::service::cmdb::impacted_by(store, &cis).await? } else { Vec::new() };
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
        cis,
        impacted,
        clocks,
    })
}

/// A record's events with what each says in words, labels and names found now: the log
/// holds only codes and ids.
pub async fn timeline(store: &Store, record: RecordId) -> Result<Vec<TimelineEvent>, AppError> {
    Ok(store
        .list_events(record)
        .await?
        .into_iter()
        .map(|(mut event, names)| {
            let id = |value: &Option<String>| value.as_deref().and_then(|v| v.parse::<i64>().ok());
            let found = Found {
                from: id(&event.from_value).zip(names.from),
                to: id(&event.to_value).zip(names.to),
                to_size: names.to_size,
            };
            event.what = describe(
                event.kind,
                event.visibility,
                event.field.as_deref(),
                event.from_value.as_deref(),
                event.to_value.as_deref(),
                &found,
            );
            event
        })
        .collect())
}

/// The names one event's values point at, as the store found them, by id.
struct Found {
    from: Option<(i64, String)>,
    to: Option<(i64, String)>,
    to_size: Option<i64>,
}

impl Found {
    fn name(&self, id: i64) -> Option<String> {
        [&self.to, &self.from].into_iter().flatten().find(|(i, _)| *i == id).map(|(_, n)| n.clone())
    }
}

impl Names for Found {
    fn group(&self, id: i64) -> Option<String> {
        self.name(id)
    }
    fn person(&self, id: i64) -> Option<String> {
        self.name(id)
    }
    fn ci(&self, id: i64) -> Option<String> {
        self.name(id)
    }
    fn attachment(&self, id: i64) -> Option<String> {
        let size = u64::try_from(self.to_size?).ok()?;
        Some(format!("{} ({})", self.name(id)?, crate::domain::attachment::size_text(size)))
    }
}

/// A record whose life has ended (closed, cancelled, rejected: `lifecycle::is_final`) takes
/// no more replies or files: the requester reports a new issue instead. Agents' work notes
/// still go on.
pub fn closed_to_additions(state: RecordState) -> bool {
    is_final(state)
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
    let Some((form, answers)) = store.find_answers(record).await? else { return Ok(Vec::new()) };
    let references = crate::ssr::service::references::named(store, answers.values()).await?;
    Ok(as_read(&form, &answers, &references))
}

/// Answers as people read them: (question, answer), in the form's order.
pub fn as_read(form: &FormSchema, answers: &Answers, references: &References) -> Vec<(String, String)> {
    form.fields
        .iter()
        .filter_map(|f| answers.get(&f.key).map(|a| (f.label.clone(), display_answer(f, a, references))))
        .collect()
}

/// A record can be withdrawn while its life cycle still allows cancelling it.
pub fn cancellable(kind: RecordKind, state: RecordState) -> bool {
    next_states(kind, state).contains(&RecordState::Cancelled)
}

/// Withdraws a request: the record engine skips its pending approvals and cancels its
/// open tasks.
pub async fn cancel_request(
    store: &Store,
    actor: &CurrentUser,
    number: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (record, _) = authorize_record(store, actor, number, Action::CancelRequest).await?;
    if record.kind != RecordKind::Request {
        return Err(AppError::Conflict("Only a request can be cancelled here.".into()));
    }
    let mut tx = store.begin().await?;
    let state = Store::moving(&mut tx, record.id).await?.state;
    if !cancellable(record.kind, state) {
        return Err(AppError::Conflict(format!(
            "This request is {} and can no longer be cancelled.",
            state.label().to_lowercase()
        )));
    }
    let cancel = Transition::by(Mover::Person, record.id, RecordState::Cancelled, Some(actor.id), now);
    engine::transition(&mut tx, cancel).await?;
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

/// The records `actor` is involved in, narrowed to `filter`'s states and `text`.
pub async fn my_records(
    store: &Store,
    actor: &CurrentUser,
    filter: crate::domain::record::StateFilter,
    text: &str,
    limit: i64,
) -> Result<Vec<crate::domain::record::RecordSummary>, AppError> {
    Ok(store.list_records_for_requester(actor.id, &filter.states(), text, limit).await?)
}
