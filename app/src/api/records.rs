//! Record lists: the requester's own, and the agents' open work.

use leptos::prelude::*;

use crate::domain::record::RecordSummary;
use crate::error::AppError;

/// How many rows a plain list shows. Paging arrives with the agent workspace.
pub const LIST_LIMIT: i64 = 200;

/// The records the signed-in user asked for.
#[server(endpoint = "list_my_records")]
pub async fn list_my_records() -> Result<Vec<RecordSummary>, AppError> {
    use crate::ssr::{actor, state};
    let actor = actor()?;
    Ok(state()?.store.list_records_for_requester(actor.id, LIST_LIMIT).await?)
}

/// Every open record, with the total count. Agents only.
#[server(endpoint = "list_open_records")]
pub async fn list_open_records() -> Result<(Vec<RecordSummary>, i64), AppError> {
    use crate::ssr::{actor, state};
    let actor = actor()?;
    if !actor.is_agent() {
        return Err(AppError::Forbidden);
    }
    let store = state()?.store;
    Ok((store.list_open_records(LIST_LIMIT).await?, store.count_open_records().await?))
}
