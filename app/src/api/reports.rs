//! Reports for agents: service-level attainment over a chosen period.

use leptos::prelude::*;

use crate::domain::attainment::Attainment;
#[cfg(feature = "ssr")]
use crate::domain::policy::Action;
use crate::error::AppError;

/// Clocks met and breached from `from` to `to` (dates, both included; the last 30 days
/// when left out), by policy, group and clock.
#[server(endpoint = "load_attainment")]
pub async fn load_attainment(from: Option<String>, to: Option<String>) -> Result<Attainment, AppError> {
    use crate::ssr::{authorize, service, state};
    authorize(Action::WorkQueue)?;
    let (from, to) = (from.unwrap_or_default(), to.unwrap_or_default());
    service::sla::attainment(&state()?.store, &from, &to, chrono::Utc::now()).await
}
