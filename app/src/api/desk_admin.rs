//! Admins: the service desk's settings: the priority matrix and the canned responses.

use leptos::prelude::*;

use crate::domain::canned::CannedResponse;
use crate::domain::incident::PriorityMatrix;
#[cfg(feature = "ssr")]
use crate::domain::policy::Action;
use crate::error::AppError;

/// What the desk settings page shows.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DeskSettings {
    pub matrix: PriorityMatrix,
    pub canned: Vec<CannedResponse>,
    /// Dates are shown in this zone to everyone who has not chosen their own.
    pub time_zone: String,
    pub time_zones: Vec<String>,
}

#[server(endpoint = "load_desk_settings")]
pub async fn load_desk_settings() -> Result<DeskSettings, AppError> {
    use crate::ssr::{authorize, service, state};
    authorize(Action::ManageSettings)?;
    let store = &state()?.store;
    let (matrix, canned) = service::desk::settings(store).await?;
    let time_zone = service::desk::organisation_time_zone(store).await?;
    Ok(DeskSettings { matrix, canned, time_zone, time_zones: crate::ssr::calendar::zone_names() })
}

/// Sets the organisation's time zone.
#[server(endpoint = "admin_save_time_zone")]
pub async fn admin_save_time_zone(time_zone: String) -> Result<(), AppError> {
    use crate::ssr::{authorize, service, state};
    authorize(Action::ManageSettings)?;
    service::desk::save_organisation_time_zone(&state()?.store, &time_zone).await
}

/// Saves the matrix; `cells` holds its nine priorities row by row (impact high to low,
/// urgency high to low).
#[server(endpoint = "admin_save_matrix")]
pub async fn admin_save_matrix(cells: Vec<String>) -> Result<(), AppError> {
    use crate::ssr::{authorize, service, state};
    authorize(Action::ManageSettings)?;
    let read: Vec<u8> = cells.iter().filter_map(|c| c.trim().parse().ok()).collect();
    if read.len() != 9 {
        return Err(AppError::field("matrix", "Pick a priority for each of the nine cells."));
    }
    let mut matrix = PriorityMatrix::default();
    for (i, level) in read.into_iter().enumerate() {
        matrix.cells[i / 3][i % 3] = level;
    }
    service::desk::save_matrix(&state()?.store, &matrix).await
}

/// Adds a canned response, or changes the one with `id`.
#[server(endpoint = "admin_save_canned")]
pub async fn admin_save_canned(id: Option<String>, title: String, body: String) -> Result<(), AppError> {
    use crate::domain::canned::check_canned;
    use crate::ssr::{authorize, service, state};
    authorize(Action::ManageSettings)?;
    let id = match id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(text) => {
            Some(text.parse::<i64>().map_err(|_| AppError::NotFound("That canned response".into()))?)
        }
    };
    let (title, body) = check_canned(&title, &body).map_err(AppError::Invalid)?;
    service::desk::save_canned(&state()?.store, id, &title, &body, chrono::Utc::now()).await
}

#[server(endpoint = "admin_delete_canned")]
pub async fn admin_delete_canned(id: i64) -> Result<(), AppError> {
    use crate::ssr::{authorize, service, state};
    authorize(Action::ManageSettings)?;
    service::desk::delete_canned(&state()?.store, id).await
}
