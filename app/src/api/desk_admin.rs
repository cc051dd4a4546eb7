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
}

#[server(endpoint = "load_desk_settings")]
pub async fn load_desk_settings() -> Result<DeskSettings, AppError> {
    use crate::ssr::{authorize, state};
    authorize(Action::ManageSettings)?;
    let store = state()?.store;
    Ok(DeskSettings { matrix: store.priority_matrix().await?, canned: store.canned_responses().await? })
}

/// Saves the matrix; `cells` holds its nine priorities row by row (impact high to low,
/// urgency high to low).
#[server(endpoint = "admin_save_matrix")]
pub async fn admin_save_matrix(cells: Vec<String>) -> Result<(), AppError> {
    use crate::ssr::{authorize, state};
    authorize(Action::ManageSettings)?;
    let read: Vec<u8> = cells.iter().filter_map(|c| c.trim().parse().ok()).collect();
    if read.len() != 9 {
        return Err(AppError::field("matrix", "Pick a priority for each of the nine cells."));
    }
    let mut matrix = PriorityMatrix::default();
    for (i, level) in read.into_iter().enumerate() {
        matrix.cells[i / 3][i % 3] = level;
    }
    matrix.check().map_err(|message| AppError::field("matrix", message))?;
    state()?.store.set_priority_matrix(&matrix).await?;
    Ok(())
}

/// Adds a canned response, or changes the one with `id`.
#[server(endpoint = "admin_save_canned")]
pub async fn admin_save_canned(id: Option<String>, title: String, body: String) -> Result<(), AppError> {
    use crate::domain::canned::check_canned;
    use crate::ssr::{authorize, state};
    authorize(Action::ManageSettings)?;
    let id = match id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(text) => {
            Some(text.parse::<i64>().map_err(|_| AppError::NotFound("That canned response".into()))?)
        }
    };
    let (title, body) = check_canned(&title, &body).map_err(AppError::Invalid)?;
    let saved =
        state()?.store.save_canned(id, &title, &body, chrono::Utc::now()).await.map_err(|e| match e {
            crate::ssr::store::StoreError::Conflict { .. } => {
                AppError::field("title", "Another canned response has that title.")
            }
            other => other.into(),
        })?;
    if saved { Ok(()) } else { Err(AppError::NotFound("That canned response".into())) }
}

#[server(endpoint = "admin_delete_canned")]
pub async fn admin_delete_canned(id: i64) -> Result<(), AppError> {
    use crate::ssr::{authorize, state};
    authorize(Action::ManageSettings)?;
    if state()?.store.delete_canned(id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound("That canned response".into()))
    }
}
