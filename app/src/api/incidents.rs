//! Reporting incidents, and agents moving records through their life cycle.

use leptos::prelude::*;

use crate::domain::incident::ReportChoices;
#[cfg(feature = "ssr")]
use crate::domain::policy::Action;
use crate::error::AppError;

/// What the report form offers the signed-in person.
/// With `draft`, what the person typed in a report that didn't go through.
#[server(endpoint = "report_choices")]
pub async fn load_report_choices(draft: Option<String>) -> Result<ReportChoices, AppError> {
    use crate::ssr::{authorize, service, state};
    let user = authorize(Action::UsePortal)?;
    let state = state()?;
    service::incidents::report_choices(&state.store, &user, draft.as_deref(), state.attachments.max_bytes)
        .await
}

/// Opens an incident; the browser goes to it.
#[server(endpoint = "report_incident")]
pub async fn report_incident(
    title: String,
    description: Option<String>,
    reach: Option<String>,
    blocking: Option<String>,
    service: Option<String>,
    caller: Option<String>,
    device: Option<String>,
) -> Result<String, AppError> {
    use crate::ssr::service::incidents::{ReportForm, report};
    use crate::ssr::{authorize, state};
    let user = authorize(Action::UsePortal)?;
    let form = ReportForm {
        title: &title,
        description: description.as_deref().unwrap_or_default(),
        reach: reach.as_deref().unwrap_or_default(),
        blocking: blocking.as_deref().unwrap_or_default(),
        service: service.as_deref().unwrap_or_default(),
        caller: caller.as_deref().unwrap_or_default(),
        device: device.as_deref().unwrap_or_default(),
    };
    let number = report(&state()?.store, &user, &form, chrono::Utc::now()).await?;
    leptos_axum::redirect(&format!("/records/{number}?reported=1"));
    Ok(number)
}

/// Moves a record to `state`; `version` is the one the agent's page showed.
#[server(endpoint = "move_record")]
pub async fn move_record(
    number: String,
    state: String,
    version: i64,
    hold_reason: Option<String>,
    resolution_code: Option<String>,
    resolution_notes: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::lifecycle::{HoldReason, MoveDetails, ResolutionCode};
    use crate::ssr::{authorize, service};
    let user = authorize(Action::UsePortal)?;
    let details = MoveDetails {
        hold_reason: hold_reason.as_deref().and_then(HoldReason::parse),
        resolution_code: resolution_code.as_deref().and_then(ResolutionCode::parse),
        resolution_notes: resolution_notes.unwrap_or_default(),
    };
    let store = crate::ssr::state()?.store;
    service::incidents::move_record(&store, &user, &number, &state, version, &details, chrono::Utc::now())
        .await
}

/// Sets a record's impact, urgency, priority (from them, or by hand with a reason), group,
/// assignee, category and major flag.
#[server(endpoint = "update_record")]
pub async fn update_record(
    number: String,
    version: i64,
    impact: String,
    urgency: String,
    priority: Option<String>,
    priority_reason: Option<String>,
    group: Option<String>,
    assignee: Option<String>,
    category: Option<String>,
    major: Option<String>,
) -> Result<(), AppError> {
    use crate::ssr::service::incidents::{FieldsForm, update_fields};
    use crate::ssr::{authorize, state};
    let user = authorize(Action::UsePortal)?;
    let form = FieldsForm {
        impact: &impact,
        urgency: &urgency,
        priority: priority.as_deref().unwrap_or("keep"),
        priority_reason: priority_reason.as_deref().unwrap_or_default(),
        group: group.as_deref().unwrap_or_default(),
        assignee: assignee.as_deref().unwrap_or_default(),
        category: category.as_deref().unwrap_or_default(),
        major: major.is_some_and(|m| m == "true" || m == "on"),
    };
    update_fields(&state()?.store, &user, &number, version, &form, chrono::Utc::now()).await
}

/// Assigns the record to the signed-in agent.
#[server(endpoint = "assign_to_me")]
pub async fn assign_to_me(number: String, version: i64) -> Result<(), AppError> {
    use crate::ssr::{authorize, service, state};
    let user = authorize(Action::UsePortal)?;
    service::incidents::assign_to_me(&state()?.store, &user, &number, version, chrono::Utc::now()).await
}

/// Links record `number` to `other` as "number <role> other" (relates_to, parent_of,
/// child_of, caused_by, caused).
#[server(endpoint = "link_record")]
pub async fn link_record(number: String, role: String, other: String) -> Result<(), AppError> {
    use crate::ssr::{authorize, service, state};
    let user = authorize(Action::UsePortal)?;
    service::links::link(&state()?.store, &user, &number, &role, other.trim(), chrono::Utc::now()).await
}

/// Removes the link "number <role> other".
#[server(endpoint = "unlink_record")]
pub async fn unlink_record(number: String, role: String, other: String) -> Result<(), AppError> {
    use crate::ssr::{authorize, service, state};
    let user = authorize(Action::UsePortal)?;
    service::links::unlink(&state()?.store, &user, &number, &role, other.trim(), chrono::Utc::now()).await
}

/// Adds the person with `email` to the record's watchers.
#[server(endpoint = "add_watcher")]
pub async fn add_watcher(number: String, email: String) -> Result<(), AppError> {
    use crate::ssr::{authorize, service, state};
    let user = authorize(Action::UsePortal)?;
    service::links::watch(&state()?.store, &user, &number, &email, chrono::Utc::now()).await
}

/// Removes person `user` from the record's watchers.
#[server(endpoint = "remove_watcher")]
pub async fn remove_watcher(number: String, user: i64) -> Result<(), AppError> {
    use crate::domain::ids::UserId;
    use crate::ssr::{authorize, service, state};
    let actor = authorize(Action::UsePortal)?;
    service::links::unwatch(&state()?.store, &actor, &number, UserId(user), chrono::Utc::now()).await
}
