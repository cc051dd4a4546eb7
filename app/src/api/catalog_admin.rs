//! Admins managing the catalog: items, their order, who may order them, publishing.

use leptos::prelude::*;

use crate::domain::catalog::{AdminCatalog, CatalogItem, ItemEditor};
use crate::domain::ids::{CatalogItemId, CategoryId, DepartmentId, GroupId};
#[cfg(feature = "ssr")]
use crate::domain::policy::Action;
use crate::error::AppError;

#[server(endpoint = "admin_catalog")]
pub async fn load_admin_catalog() -> Result<AdminCatalog, AppError> {
    use crate::ssr::{authorize, service, state};
    authorize(Action::ManageCatalog)?;
    service::catalog::admin_catalog(&state()?.store).await
}

#[server(endpoint = "admin_item_editor")]
pub async fn load_item_editor(id: Option<CatalogItemId>) -> Result<ItemEditor, AppError> {
    use crate::ssr::{authorize, service, state};
    authorize(Action::ManageCatalog)?;
    service::catalog::item_editor(&state()?.store, id).await
}

/// Creates (no `id`; it starts unpublished, and the editor opens on it) or updates an item.
#[server(endpoint = "admin_save_item")]
pub async fn save_item(
    id: Option<CatalogItemId>,
    category: Option<String>,
    name: String,
    slug: Option<String>,
    summary: Option<String>,
    description: Option<String>,
    keywords: Option<String>,
    group: Option<String>,
    service: Option<String>,
) -> Result<CatalogItemId, AppError> {
    use crate::domain::catalog::slugify;
    use crate::ssr::service::catalog::{ItemForm, save_item};
    use crate::ssr::{authorize, state};
    authorize(Action::ManageCatalog)?;
    let store = state()?.store;
    let parse_id = |text: Option<String>| text.and_then(|t| t.trim().parse::<i64>().ok());
    let icon = crate::ssr::service::catalog::item_icon(&store, id).await?;
    let slug = slug.filter(|s| !s.trim().is_empty()).unwrap_or_else(|| slugify(&name));
    let form = ItemForm {
        category: parse_id(category).map(CategoryId),
        name: &name,
        slug: &slug,
        summary: summary.as_deref().unwrap_or_default(),
        description: description.as_deref().unwrap_or_default(),
        icon: &icon,
        keywords: keywords.as_deref().unwrap_or_default(),
        group: parse_id(group).map(GroupId),
        service: parse_id(service).map(crate::domain::ids::CiId),
    };
    let saved = save_item(&store, id, &form).await?;
    if id.is_none() {
        leptos_axum::redirect(&format!("/admin/catalog/{saved}"));
    }
    Ok(saved)
}

#[server(endpoint = "admin_publish_item")]
pub async fn publish_item(id: CatalogItemId, published: bool) -> Result<(), AppError> {
    use crate::ssr::{authorize, service, state};
    authorize(Action::ManageCatalog)?;
    service::catalog::publish_item(&state()?.store, id, published).await
}

/// Moves an item one place `up` or `down` within its category.
#[server(endpoint = "admin_move_item")]
pub async fn move_item(id: CatalogItemId, direction: String) -> Result<(), AppError> {
    use crate::ssr::{authorize, service, state};
    authorize(Action::ManageCatalog)?;
    service::catalog::move_item(&state()?.store, id, parse_direction(&direction)?).await
}

/// Creates (no `id`) or renames a category.
#[server(endpoint = "admin_save_category")]
pub async fn save_category(
    id: Option<CategoryId>,
    name: String,
    description: Option<String>,
) -> Result<CategoryId, AppError> {
    use crate::ssr::{authorize, service, state};
    authorize(Action::ManageCatalog)?;
    service::catalog::save_category(&state()?.store, id, &name, description.as_deref().unwrap_or_default())
        .await
}

/// Moves a category one place `up` or `down` in the catalog.
#[server(endpoint = "admin_move_category")]
pub async fn move_category(id: CategoryId, direction: String) -> Result<(), AppError> {
    use crate::ssr::{authorize, service, state};
    authorize(Action::ManageCatalog)?;
    service::catalog::move_category(&state()?.store, id, parse_direction(&direction)?).await
}

/// "up" is true, "down" false.
#[cfg(feature = "ssr")]
pub(crate) fn parse_direction(direction: &str) -> Result<bool, AppError> {
    match direction {
        "up" => Ok(true),
        "down" => Ok(false),
        _ => Err(AppError::field("direction", "Move up or down.")),
    }
}

/// Who may order the item; nothing ticked means everyone.
#[server(endpoint = "admin_set_audience")]
pub async fn set_audience(
    id: CatalogItemId,
    groups: Option<Vec<GroupId>>,
    departments: Option<Vec<DepartmentId>>,
) -> Result<(), AppError> {
    use crate::ssr::{authorize, service, state};
    authorize(Action::ManageCatalog)?;
    service::catalog::set_audience(
        &state()?.store,
        id,
        groups.unwrap_or_default(),
        departments.unwrap_or_default(),
    )
    .await
}

/// Saves the item's form (a `FormSchema` as JSON) as a new version. Returns the version.
#[server(endpoint = "admin_save_form")]
pub async fn save_form(id: CatalogItemId, schema: String) -> Result<i64, AppError> {
    use crate::ssr::{authorize, service, state};
    authorize(Action::ManageCatalog)?;
    service::catalog::save_form(&state()?.store, id, &schema, chrono::Utc::now()).await
}

/// Saves how the item is approved (a list of steps as JSON) and fulfilled (tasks as JSON).
#[server(endpoint = "admin_save_plan")]
pub async fn save_plan(id: CatalogItemId, approval: String, fulfilment: String) -> Result<(), AppError> {
    use crate::ssr::{authorize, service, state};
    authorize(Action::ManageCatalog)?;
    service::catalog::save_plan(&state()?.store, id, &approval, &fulfilment).await
}

/// The item's current form, for the form editor.
#[server(endpoint = "admin_get_form")]
pub async fn get_form(id: CatalogItemId) -> Result<(CatalogItem, crate::domain::form::FormSchema), AppError> {
    use crate::ssr::{authorize, service, state};
    authorize(Action::ManageCatalog)?;
    service::catalog::item_form(&state()?.store, id).await
}
