//! Reporting incidents and moving records through their life cycle.

use chrono::{DateTime, Utc};

use crate::domain::event::{NewEvent, Visibility};
use crate::domain::ids::{GroupId, RecordId, ServiceId, UserId};
use crate::domain::incident::check_report;
use crate::domain::lifecycle::{MoveDetails, check_move};
use crate::domain::policy::{Action, Target, allows};
use crate::domain::record::{GroupChoice, Impact, Priority, RecordKind, RecordState, Urgency};
use crate::domain::sla_policy::RecordFacts;
use crate::domain::user::CurrentUser;
use crate::error::{AppError, FieldErrors};
use crate::ssr::service::records::{authorize_record, create_record};
use crate::ssr::store::{Fields, NewRecord, Store, Tx};

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
    apply(&mut tx, actor, (record.id, from, to), &kept, "Resolved", now).await?;
    if to == RecordState::Resolved {
        for person in access.to_tell(actor.id) {
            Store::notify(&mut tx, person, record.id, "resolved", now).await?;
        }
        // A parent's resolution resolves its open children, with its code and notes.
        let with_parent = format!("Resolved with its parent {}", record.number);
        for child in Store::children(&mut tx, record.id).await? {
            if check_move(RecordKind::Incident, child.state, to, &kept).is_err() {
                continue;
            }
            apply(&mut tx, actor, (child.id, child.state, to), &kept, &with_parent, now).await?;
            if child.requester_id != actor.id {
                Store::notify(&mut tx, child.requester_id, child.id, "resolved", now).await?;
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Moves one record `from` → `to` with what the move keeps, and logs it: the state, the
/// hold reason or resolution code, and a resolution's notes as a public comment that
/// starts with `resolved_as` ("Resolved").
async fn apply(
    tx: &mut Tx,
    actor: &CurrentUser,
    (record, from, to): (RecordId, RecordState, RecordState),
    kept: &MoveDetails,
    resolved_as: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    Store::apply_move(tx, record, to, kept, now).await?;
    let mut changes = vec![("state", Some(from.as_str().to_owned()), Some(to.as_str().to_owned()))];
    if let Some(reason) = kept.hold_reason {
        changes.push(("hold_reason", None, Some(reason.label().to_owned())));
    }
    if let Some(code) = kept.resolution_code {
        changes.push(("resolution_code", None, Some(code.label().to_owned())));
    }
    for event in NewEvent::changes(Some(actor.id), now, &changes) {
        Store::append_event(tx, record, &event).await?;
    }
    if to == RecordState::Resolved {
        let text = format!("{resolved_as}: {}", kept.resolution_notes);
        let event = NewEvent::comment(Some(actor.id), now, &text, Visibility::Public)
            .map_err(|e| AppError::field("resolution_notes", e.to_string()))?;
        Store::append_event(tx, record, &event).await?;
    }
    Ok(())
}

/// The fields an agent edits, as the form sends them: impact and urgency levels, group and
/// assignee ids (empty for none), category, and the major-incident flag.
pub struct FieldsForm<'a> {
    pub impact: &'a str,
    pub urgency: &'a str,
    pub group: &'a str,
    pub assignee: &'a str,
    pub category: &'a str,
    pub major: bool,
}

/// Changes a record's fields, if nobody changed it since the agent's copy (`version`).
/// Priority follows impact and urgency through the matrix; the assignee must be in the
/// group. Each change is an event; a new assignee is notified.
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
    let matrix = store.priority_matrix().await?;
    let mut errors = FieldErrors::default();
    let impact = form.impact.trim().parse().ok().and_then(Impact::from_level);
    if impact.is_none() {
        errors.add("impact", "Pick an impact from the list.");
    }
    let urgency = form.urgency.trim().parse().ok().and_then(Urgency::from_level);
    if urgency.is_none() {
        errors.add("urgency", "Pick an urgency from the list.");
    }
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
    let wanted = Fields {
        impact: impact as i64,
        urgency: urgency as i64,
        priority: i64::from(matrix.priority(impact, urgency).level()),
        assignment_group_id: group.map(|g| g.id),
        assignee_id: assignee.map(|(id, _)| *id),
        category: category.to_owned(),
        major: form.major,
    };
    let mut tx = store.begin().await?;
    let (before, current) = Store::record_fields(&mut tx, record.id).await?;
    if current != version {
        return Err(AppError::Conflict(
            "Someone changed this record after you opened it. Reload to see what changed, then try again."
                .into(),
        ));
    }
    if before == wanted {
        return Ok(());
    }
    Store::set_fields(&mut tx, record.id, &wanted).await?;
    let facts = RecordFacts {
        kind: record.kind,
        priority: u8::try_from(wanted.priority).unwrap_or(5),
        catalog_item: record.catalog_item_id,
        group: wanted.assignment_group_id,
    };
    crate::ssr::service::sla::attach(&mut tx, store, record.id, &facts, record.opened_at).await?;
    let events = NewEvent::changes(Some(actor.id), now, &field_changes(&before, &wanted, &groups));
    for event in events {
        Store::append_event(&mut tx, record.id, &event).await?;
    }
    if let Some(assignee) = wanted.assignee_id.filter(|a| Some(*a) != before.assignee_id && *a != actor.id) {
        Store::notify(&mut tx, assignee, record.id, "assigned to you", now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The changes between `before` and `after` as people read them: "P3 Moderate", group names.
fn field_changes(
    before: &Fields,
    after: &Fields,
    groups: &[GroupChoice],
) -> Vec<(&'static str, Option<String>, Option<String>)> {
    let group_name =
        |id: Option<GroupId>| id.and_then(|id| groups.iter().find(|g| g.id == id)).map(|g| g.name.clone());
    let person = |id: Option<UserId>| {
        id.and_then(|id| groups.iter().flat_map(|g| &g.members).find(|(m, _)| *m == id))
            .map(|(_, n)| n.clone())
    };
    let priority = |level: i64| {
        u8::try_from(level).ok().and_then(Priority::new).map(|p| format!("P{} {}", p.level(), p.label()))
    };
    let impact = |level: i64| Impact::from_level(level).map(|i| i.label().to_owned());
    let urgency = |level: i64| Urgency::from_level(level).map(|u| u.label().to_owned());
    let text = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    let flag = |on: bool| Some(if on { "yes" } else { "no" }.to_owned());
    vec![
        ("impact", impact(before.impact), impact(after.impact)),
        ("urgency", urgency(before.urgency), urgency(after.urgency)),
        ("priority", priority(before.priority), priority(after.priority)),
        ("group", group_name(before.assignment_group_id), group_name(after.assignment_group_id)),
        ("assignee", person(before.assignee_id), person(after.assignee_id)),
        ("category", text(&before.category), text(&after.category)),
        ("major incident", flag(before.major), flag(after.major)),
    ]
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
        group: &group.id.to_string(),
        assignee: &actor.id.to_string(),
        category: &record.category,
        major: record.major,
    };
    update_fields(store, actor, number, version, &form, now).await
}
