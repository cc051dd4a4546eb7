//! The service desk's settings: the priority matrix and the canned responses.

use chrono::{DateTime, Utc};

use crate::domain::canned::CannedResponse;
use crate::domain::incident::PriorityMatrix;
use crate::error::AppError;
use crate::ssr::store::{Store, StoreError};

/// The matrix in force and the canned responses.
pub async fn settings(store: &Store) -> Result<(PriorityMatrix, Vec<CannedResponse>), AppError> {
    Ok((store.priority_matrix().await?, store.canned_responses().await?))
}

/// The organisation's time zone, UTC until an admin picks one.
pub async fn organisation_time_zone(store: &Store) -> Result<String, AppError> {
    Ok(store.organisation_time_zone().await?.unwrap_or_else(|| "UTC".to_owned()))
}

/// Sets the zone dates are shown in to everyone who has not chosen their own.
pub async fn save_organisation_time_zone(store: &Store, name: &str) -> Result<(), AppError> {
    let name = name.trim();
    if crate::ssr::calendar::zone(name).is_none() {
        return Err(AppError::field("time_zone", "Pick a time zone from the list."));
    }
    Ok(store.set_organisation_time_zone(name).await?)
}

/// Saves a matrix that passes its check; records opened from now on take it.
pub async fn save_matrix(store: &Store, matrix: &PriorityMatrix) -> Result<(), AppError> {
    matrix.check().map_err(|message| AppError::field("matrix", message))?;
    Ok(store.set_priority_matrix(matrix).await?)
}

/// Adds a canned response (`id` none) or changes one; titles are unique.
pub async fn save_canned(
    store: &Store,
    id: Option<i64>,
    title: &str,
    body: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let saved = store.save_canned(id, title, body, now).await.map_err(|e| match e {
        StoreError::Conflict { .. } => AppError::field("title", "Another canned response has that title."),
        other => other.into(),
    })?;
    if saved { Ok(()) } else { Err(AppError::NotFound("That canned response".into())) }
}

pub async fn delete_canned(store: &Store, id: i64) -> Result<(), AppError> {
    if store.delete_canned(id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound("That canned response".into()))
    }
}
