//! Reporting incidents and moving records through their life cycle.

use chrono::{DateTime, Utc};

use crate::domain::ids::CiId;
use crate::domain::incident::check_report;
use crate::domain::lifecycle::{MoveDetails, Mover};
use crate::domain::policy::{Action, Target, allows};
use crate::domain::record::{GroupChoice, Impact, Priority, PriorityWish, RecordKind, RecordState, Urgency};
use crate::domain::user::CurrentUser;
use crate::error::{AppError, FieldErrors};
use crate::ssr::service::engine::{self, FieldChange, Transition};
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
    /// The id of one of the requester's devices, or empty.
    pub device: &'a str,
}

/// What the report form offers `actor`, with what they typed in a report that didn't go
/// through (`draft`, theirs only).
pub async fn report_choices(
    store: &Store,
    actor: &CurrentUser,
    draft: Option<&str>,
    attachment_limit: u64,
) -> Result<crate::domain::incident::ReportChoices, AppError> {
    let draft = match draft.map(str::trim).filter(|t| !t.is_empty()) {
        Some(token) => store.report_draft(actor.id, token).await?,
        None => None,
    };
    Ok(crate::domain::incident::ReportChoices {
        services: crate::ssr::service::cmdb::published_services(store, &store.ci_classes().await?).await?,
        devices: crate::ssr::service::cmdb::my_devices(store, actor).await?,
        for_others: allows(actor, Action::ReportForOthers, Target::Portal),
        attachment_limit,
        draft,
    })
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
            let found = match id.parse().ok().map(CiId) {
                Some(id) if crate::ssr::service::cmdb::is_listed_service(store, id).await? => Some(id),
                _ => None,
            };
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
    let device = match (form.device.trim(), requester) {
        ("", _) | (_, None) => None,
        (id, Some(requester)) => {
            let found = match id.parse().ok().map(CiId) {
                Some(id) => store.find_ci(id).await?,
                None => None,
            };
            match found {
                Some(ci)
                    if ci.owner == Some(requester) && ci.status != crate::domain::cmdb::CiStatus::Retired =>
                {
                    Some(ci.id)
                }
                _ => {
                    errors.add("device", "Pick one of the devices registered to whoever it is for.");
                    None
                }
            }
        }
    };
    let (Some(report), Some(requester)) = (report, requester) else { return Err(AppError::Invalid(errors)) };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let mut record = NewRecord::new(RecordKind::Incident, requester, report.title, now);
    record.description = report.description;
    record.impact = report.impact;
    record.urgency = report.urgency;
    record.opened_by = actor.id;
    record.cis = device.into_iter().chain(service).collect();
    let (_, number) = create_record(store, &record).await?;
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
    let (record, _) = authorize_record(store, actor, number, Action::UpdateRecord).await?;
    let to = RecordState::parse(to).ok_or_else(|| AppError::field("state", "Pick a state from the list."))?;
    let mut tx = store.begin().await?;
    let moved = Transition {
        details: details.clone(),
        version: Some(version),
        ..Transition::by(Mover::Person, record.id, to, Some(actor.id), now)
    };
    engine::transition(&mut tx, moved).await?;
    tx.commit().await?;
    Ok(())
}

/// The fields an agent edits, as the form sends them: impact and urgency levels, the
/// priority ("matrix" to follow them, or a level set by hand with its reason), group and
/// assignee ids (empty for none), category, and the major-incident flag.
pub struct FieldsForm<'a> {
    pub impact: &'a str,
    pub urgency: &'a str,
    pub priority: &'a str,
    pub priority_reason: &'a str,
    pub group: &'a str,
    pub assignee: &'a str,
    pub category: &'a str,
    pub major: bool,
}

/// Most an agent may write for setting a priority by hand.
pub const PRIORITY_REASON_MAX: usize = 200;

/// Changes a record's fields, if nobody changed it since the agent's copy (`version`).
/// The priority follows impact and urgency through the matrix unless an agent sets it, with
/// a reason; the assignee must be in the group. The record engine logs and notifies.
pub async fn update_fields(
    store: &Store,
    actor: &CurrentUser,
    number: &str,
    version: i64,
    form: &FieldsForm<'_>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (record, _) = authorize_record(store, actor, number, Action::UpdateRecord).await?;
    let groups = store.assignment_choices().await?;
    let mut errors = FieldErrors::default();
    let impact = form.impact.trim().parse().ok().and_then(Impact::from_level);
    if impact.is_none() {
        errors.add("impact", "Pick an impact from the list.");
    }
    let urgency = form.urgency.trim().parse().ok().and_then(Urgency::from_level);
    if urgency.is_none() {
        errors.add("urgency", "Pick an urgency from the list.");
    }
    let reason = form.priority_reason.trim();
    let priority = match form.priority.trim() {
        "" | "keep" => PriorityWish::Keep,
        "matrix" => PriorityWish::FromMatrix,
        level => match level.parse().ok().and_then(Priority::new) {
            Some(p) if p == record.priority && reason.is_empty() => PriorityWish::Keep,
            Some(_) if reason.is_empty() => {
                errors.add("priority_reason", "Say why the priority is set by hand.");
                PriorityWish::Keep
            }
            Some(_) if reason.chars().count() > PRIORITY_REASON_MAX => {
                errors.add("priority_reason", "Keep the reason to 200 characters.");
                PriorityWish::Keep
            }
            Some(p) => PriorityWish::Set(p, reason.to_owned()),
            None => {
                errors.add("priority", "Pick a priority from the list.");
                PriorityWish::Keep
            }
        },
    };
    let id = |text: &str| text.trim().parse::<i64>().ok();
    let group = match form.group.trim() {
        "" => None,
        text => {
            let found = id(text).and_then(|g| groups.iter().find(|c| c.id.0 == g));
            if found.is_none() {
                errors.add("group", "Pick a group from the list.");
            }
            found
        }
    };
    let assignee = match (form.assignee.trim(), group) {
        ("", _) => None,
        (text, Some(group)) => {
            let found = id(text).and_then(|u| group.members.iter().find(|(m, _)| m.0 == u));
            if found.is_none() {
                errors.add("assignee", format!("Pick someone in {}.", group.name));
            }
            found
        }
        (_, None) => {
            errors.add("assignee", "Pick a group first; the assignee must be one of its members.");
            None
        }
    };
    let category = form.category.trim();
    if category.chars().count() > 80 {
        errors.add("category", "Keep the category to 80 characters.");
    }
    if form.major && record.kind != RecordKind::Incident {
        errors.add("major", "Only an incident can be a major incident.");
    }
    let (Some(impact), Some(urgency)) = (impact, urgency) else { return Err(AppError::Invalid(errors)) };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let change = FieldChange {
        impact,
        urgency,
        priority,
        group: group.map(|g| g.id),
        assignee: assignee.map(|(id, _)| *id),
        category: category.to_owned(),
        major: form.major,
    };
    let mut tx = store.begin().await?;
    if engine::change_fields(&mut tx, record.id, Some(version), &change, Some(actor.id), now).await? {
        tx.commit().await?;
    }
    Ok(())
}

/// Assigns the record to the signed-in agent, keeping everything else. They must be in its
/// group; a record without a group goes to the agent's first group.
pub async fn assign_to_me(
    store: &Store,
    actor: &CurrentUser,
    number: &str,
    version: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (record, _) = authorize_record(store, actor, number, Action::UpdateRecord).await?;
    let groups = store.assignment_choices().await?;
    let mine = |g: &&GroupChoice| g.members.iter().any(|(m, _)| *m == actor.id);
    let group = match record.group_id {
        Some(id) => groups.iter().find(|g| g.id == id).filter(mine).ok_or_else(|| {
            AppError::field(
                "assignee",
                format!(
                    "You aren't in {}; move it to one of your groups first.",
                    record.group_name.as_deref().unwrap_or("its group")
                ),
            )
        })?,
        None => groups
            .iter()
            .find(mine)
            .ok_or_else(|| AppError::field("assignee", "You aren't in any assignment group yet."))?,
    };
    let form = FieldsForm {
        impact: &record.impact.to_string(),
        urgency: &record.urgency.to_string(),
        priority: "keep",
        priority_reason: "",
        group: &group.id.to_string(),
        assignee: &actor.id.to_string(),
        category: &record.category,
        major: record.major,
    };
    update_fields(store, actor, number, version, &form, now).await
}
