//! The service catalog.

use leptos::prelude::*;

use crate::domain::catalog::{CatalogItem, Category};
#[cfg(feature = "ssr")]
use crate::domain::policy::Action;
use crate::error::AppError;

#[server(endpoint = "list_catalog")]
pub async fn list_catalog() -> Result<Vec<Category>, AppError> {
    use crate::ssr::{authorize, state};
    authorize(Action::UsePortal)?;
    Ok(state()?.store.list_catalog().await?)
}

/// An orderable item and the name of its category.
#[server(endpoint = "get_catalog_item")]
pub async fn get_catalog_item(slug: String) -> Result<(CatalogItem, String), AppError> {
    use crate::ssr::{authorize, state};
    authorize(Action::UsePortal)?;
    state()?
        .store
        .find_catalog_item(&slug)
        .await?
        .ok_or_else(|| AppError::NotFound("That catalog item".into()))
}
