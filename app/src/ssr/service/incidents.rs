//! Reporting incidents and moving records through their life cycle.

use chrono::{DateTime, Utc};

use crate::domain::event::{NewEvent, Visibility};
use crate::domain::ids::ServiceId;
use crate::domain::incident::check_report;
use crate::domain::lifecycle::{MoveDetails, check_move};
use crate::domain::policy::{Action, Target, allows};
use crate::domain::record::{RecordKind, RecordState};
use crate::domain::user::CurrentUser;
use crate::error::{AppError, FieldErrors};
use crate::ssr::service::records::{authorize_record, create_record};
use crate::ssr::store::{NewRecord, Store};

/// An incident as the report form sends it. `caller` is the e-mail of the person an agent
/// reports for (a phone call, a walk-in); empty for oneself.
pub struct ReportForm<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub reach: &'a str,
    pub blocking: &'a str,
    pub service: &'a str,
    pub caller: &'a str,
}

/// Opens an incident for the reporter, or for the caller an agent names. Returns its number.
pub async fn report(
    store: &Store,
    actor: &CurrentUser,
    form: &ReportForm<'_>,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let caller = form.caller.trim();
    if !caller.is_empty() && !allows(actor, Action::ReportForOthers, Target::Portal) {
        return Err(AppError::Forbidden);
    }
    let (report, mut errors) = match check_report(form.title, form.description, form.reach, form.blocking) {
        Ok(report) => (Some(report), FieldErrors::default()),
        Err(errors) => (None, errors),
    };
    let service = match form.service.trim() {
        "" => None,
        id => {
            let known = store.list_services().await?;
            let found = id.parse().ok().map(ServiceId).filter(|id| known.iter().any(|s| s.id == *id));
            if found.is_none() {
                errors.add("service", "Pick a service from the list.");
            }
            found
        }
    };
    let requester = match caller {
        "" => Some(actor.id),
        email => {
            let found = store.find_user_id_by_email(&email.to_lowercase()).await?;
            if found.is_none() {
                errors.add("caller", "Nobody has that e-mail address.");
            }
            found
        }
    };
    let (Some(report), Some(requester)) = (report, requester) else { return Err(AppError::Invalid(errors)) };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let matrix = store.priority_matrix().await?;
    let mut record = NewRecord::new(RecordKind::Incident, requester, report.title, now);
    record.description = report.description;
    record.priority = matrix.priority(report.impact, report.urgency);
    record.impact = report.impact as i64;
    record.urgency = report.urgency as i64;
    record.opened_by = actor.id;
    record.service = service;
    let (_, number) = create_record(store, &record, &[]).await?;
    Ok(number.to_string())
}

/// Moves a record to state `to`, if its life cycle allows it and nobody changed the record
/// since the agent's copy (`version`). A hold records its reason; a resolution its code and
/// notes, which the requester reads and is notified of.
pub async fn move_record(
    store: &Store,
    actor: &CurrentUser,
    number: &str,
    to: &str,
    version: i64,
    details: &MoveDetails,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (record, access) = authorize_record(store, actor, number, Action::UpdateRecord).await?;
    let to = RecordState::parse(to).ok_or_else(|| AppError::field("state", "Pick a state from the list."))?;
    let mut tx = store.begin().await?;
    let (from, current) = Store::state_and_version(&mut tx, record.id).await?;
    if current != version {
        return Err(AppError::Conflict(format!(
            "Someone changed this record after you opened it; it is now {}. Reload to see what changed, then try again.",
            from.label().to_lowercase()
        )));
    }
    let kept = check_move(record.kind, from, to, details).map_err(|problems| {
        let mut errors = FieldErrors::default();
        for problem in problems {
            errors.add(problem.field, problem.message);
        }
        AppError::Invalid(errors)
    })?;
    Store::apply_move(&mut tx, record.id, to, &kept, now).await?;
    let mut changes = vec![("state", Some(from.as_str().to_owned()), Some(to.as_str().to_owned()))];
    if let Some(reason) = kept.hold_reason {
        changes.push(("hold_reason", None, Some(reason.label().to_owned())));
    }
    if let Some(code) = kept.resolution_code {
        changes.push(("resolution_code", None, Some(code.label().to_owned())));
    }
    for event in NewEvent::changes(Some(actor.id), now, &changes) {
        Store::append_event(&mut tx, record.id, &event).await?;
    }
    if to == RecordState::Resolved {
        let text = format!("Resolved: {}", kept.resolution_notes);
        let event = NewEvent::comment(Some(actor.id), now, &text, Visibility::Public)
            .map_err(|e| AppError::field("resolution_notes", e.to_string()))?;
        Store::append_event(&mut tx, record.id, &event).await?;
        if access.requester != actor.id {
            Store::notify(&mut tx, access.requester, record.id, "resolved", now).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
