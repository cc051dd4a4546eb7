//! The queue's writes: saved views, and one change to many selected records.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::policy::Action;
use crate::domain::queue::{BulkOutcome, SavedView};
use crate::error::AppError;

/// Saves the queue's `query` string under `name` for the signed-in agent.
#[server(endpoint = "save_view")]
pub async fn save_view(name: String, query: String) -> Result<SavedView, AppError> {
    use crate::ssr::{authorize, service, state};
    let agent = authorize(Action::WorkQueue)?;
    service::queue::save_view(&state()?.store, &agent, &name, &query, chrono::Utc::now()).await
}

/// Deletes one of the signed-in agent's saved views.
#[server(endpoint = "delete_view")]
pub async fn delete_view(id: i64) -> Result<(), AppError> {
    use crate::ssr::{authorize, service, state};
    let agent = authorize(Action::WorkQueue)?;
    service::queue::delete_view(&state()?.store, &agent, id).await
}

/// Applies `change` ("assign_to_me", "assign", "move" or "priority") to the selected
/// `numbers`, with what that change needs.
#[server(endpoint = "bulk_update")]
pub async fn bulk_update(
    numbers: Option<Vec<String>>,
    change: String,
    assignee: Option<String>,
    state: Option<String>,
    hold_reason: Option<String>,
    resolution_code: Option<String>,
    resolution_notes: Option<String>,
    priority: Option<String>,
) -> Result<BulkOutcome, AppError> {
    use crate::domain::lifecycle::{HoldReason, MoveDetails, ResolutionCode};
    use crate::ssr::service::queue::{BulkForm, bulk_update};
    use crate::ssr::{authorize, state as app_state};
    let agent = authorize(Action::WorkQueue)?;
    let form = BulkForm {
        change: &change,
        assignee: assignee.as_deref().unwrap_or_default(),
        state: state.as_deref().unwrap_or_default(),
        details: MoveDetails {
            hold_reason: hold_reason.as_deref().and_then(HoldReason::parse),
            resolution_code: resolution_code.as_deref().and_then(ResolutionCode::parse),
            resolution_notes: resolution_notes.unwrap_or_default(),
        },
        priority: priority.as_deref().unwrap_or_default(),
    };
    let numbers = numbers.unwrap_or_default();
    bulk_update(&app_state()?.store, &agent, &numbers, &form, chrono::Utc::now()).await
}

/// Running service-level clocks of open records, soonest due first: of the agent's groups,
/// or of every group with `all`.
#[server(endpoint = "load_breaching")]
pub async fn load_breaching(all: Option<bool>) -> Result<crate::domain::queue::Breaching, AppError> {
    use crate::ssr::{authorize, service, state};
    let agent = authorize(Action::WorkQueue)?;
    let store = state()?.store;
    Ok(service::sla::breaching_soon(&store, &agent, all.unwrap_or(false), chrono::Utc::now()).await?)
}
