//! Records: the requester's own, the agents' open work, one record's page and its replies.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::policy::Action;
use crate::domain::queue::{QueuePage, QueueParams};
use crate::domain::record::{RecordPage, RecordSummary};
use crate::error::AppError;

/// How many rows a plain list shows. Paging arrives with the agent workspace.
pub const LIST_LIMIT: i64 = 200;

/// The records the signed-in user is involved in, newest first, narrowed by state
/// ("open", "done", … as `StateFilter` names them) and by words in the title or number.
#[server(endpoint = "list_my_records")]
pub async fn list_my_records(
    state: Option<String>,
    q: Option<String>,
) -> Result<Vec<RecordSummary>, AppError> {
    use crate::domain::record::StateFilter;
    let actor = crate::ssr::authorize(Action::UsePortal)?;
    let filter = StateFilter::parse(state.as_deref().unwrap_or_default());
    let text = q.unwrap_or_default();
    let text = text.trim();
    if text.chars().count() > 100 {
        return Err(AppError::field("q", "Search with fewer than 100 characters."));
    }
    crate::ssr::service::records::my_records(&crate::ssr::state()?.store, &actor, filter, text, LIST_LIMIT)
        .await
}

/// One page of the agents' queue: a view, narrowed by the filters, in the chosen order,
/// from the cursor on; with the count of every view. Agents only.
#[server(endpoint = "load_queue")]
pub async fn load_queue(params: Option<QueueParams>) -> Result<QueuePage, AppError> {
    use crate::ssr::{authorize, service, state};
    let agent = authorize(Action::WorkQueue)?;
    let query = params.unwrap_or_default().parse().map_err(|bad| AppError::field(bad.0, bad.1))?;
    service::queue::page(&state()?.store, &agent, &query).await
}

/// One record as the signed-in user may see it; "not found" when they may not.
#[server(endpoint = "get_record")]
pub async fn get_record(number: String) -> Result<RecordPage, AppError> {
    use crate::ssr::{authorize, service, state};
    let actor = authorize(Action::UsePortal)?;
    let state = state()?;
    let mut page = service::records::record_page(&state.store, &actor, &number, chrono::Utc::now()).await?;
    page.attachment_limit = state.attachments.max_bytes;
    Ok(page)
}

/// Withdraws a request that is not yet fulfilled.
#[server(endpoint = "cancel_request")]
pub async fn cancel_request(number: String) -> Result<(), AppError> {
    use crate::ssr::{authorize, service, state};
    let actor = authorize(Action::UsePortal)?;
    service::records::cancel_request(&state()?.store, &actor, &number, chrono::Utc::now()).await
}

/// Reopens a fulfilled request that isn't done, saying what is missing.
#[server(endpoint = "reopen_request")]
pub async fn reopen_request(number: String, reason: String) -> Result<(), AppError> {
    use crate::ssr::{authorize, service, state};
    let actor = authorize(Action::UsePortal)?;
    service::approvals::reopen_request(&state()?.store, &actor, &number, &reason, chrono::Utc::now()).await
}

/// Asks a request's stuck approval step again, once an admin has fixed who approves it.
#[server(endpoint = "ask_approval_again")]
pub async fn ask_approval_again(number: String) -> Result<(), AppError> {
    use crate::ssr::{authorize, service, state};
    let actor = authorize(Action::UsePortal)?;
    service::approvals::ask_again(&state()?.store, &actor, &number, chrono::Utc::now()).await
}

/// Adds a reply (`visibility` "public") or an agents-only work note ("internal").
#[server(endpoint = "add_comment")]
pub async fn add_comment(number: String, body: String, visibility: String) -> Result<(), AppError> {
    use crate::domain::event::Visibility;
    use crate::ssr::{authorize, service, state};
    let actor = authorize(Action::UsePortal)?;
    let visibility = match visibility.as_str() {
        "public" => Visibility::Public,
        "internal" => Visibility::Internal,
        _ => return Err(AppError::field("visibility", "Choose a reply or a work note.")),
    };
    service::records::add_comment(&state()?.store, &actor, &number, &body, visibility, chrono::Utc::now())
        .await
}
