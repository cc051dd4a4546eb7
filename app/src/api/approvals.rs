//! Approvers deciding, and agents working the fulfilment tasks of their groups.

use leptos::prelude::*;

use crate::domain::approval::PendingApproval;
#[cfg(feature = "ssr")]
use crate::domain::policy::Action;
use crate::domain::record::RecordSummary;
use crate::error::AppError;

/// Requests waiting for the signed-in person's decision, with what was asked.
#[server(endpoint = "list_my_approvals")]
pub async fn list_my_approvals() -> Result<Vec<PendingApproval>, AppError> {
    use crate::ssr::{authorize, service, state};
    let user = authorize(Action::UsePortal)?;
    service::approvals::pending_for(&state()?.store, &user).await
}

/// Approves (`decision` "approved") or rejects ("rejected", with a comment) one approval.
#[server(endpoint = "decide_approval")]
pub async fn decide_approval(id: i64, decision: String, comment: Option<String>) -> Result<String, AppError> {
    use crate::domain::approval::Decision;
    use crate::ssr::{authorize, service, state};
    let user = authorize(Action::UsePortal)?;
    let decision = match decision.as_str() {
        "approved" => Decision::Approved,
        "rejected" => Decision::Rejected,
        _ => return Err(AppError::field("decision", "Approve or reject.")),
    };
    let comment = comment.unwrap_or_default();
    service::approvals::decide(&state()?.store, &user, id, decision, &comment, chrono::Utc::now()).await
}

/// Open fulfilment tasks of the signed-in agent's groups.
#[server(endpoint = "list_group_tasks")]
pub async fn list_group_tasks() -> Result<Vec<RecordSummary>, AppError> {
    use crate::ssr::{authorize, service, state};
    let user = authorize(Action::WorkQueue)?;
    service::approvals::group_tasks(&state()?.store, &user, crate::api::records::LIST_LIMIT).await
}

/// Closes a fulfilment task; the request moves on when its last task is done.
#[server(endpoint = "close_task")]
pub async fn close_task(number: String) -> Result<(), AppError> {
    use crate::ssr::{authorize, service, state};
    let user = authorize(Action::UsePortal)?;
    service::approvals::close_task(&state()?.store, &user, &number, chrono::Utc::now()).await
}
