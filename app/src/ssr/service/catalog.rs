//! The catalog as each person may see it, and as admins change it.

use crate::domain::catalog::{Audience, CatalogItem, Category, check_slug};
use crate::domain::ids::{CatalogItemId, CategoryId, DepartmentId, GroupId};
use crate::domain::people::parse_name;
use crate::domain::user::CurrentUser;
use crate::error::{AppError, FieldErrors};
use crate::ssr::store::{ItemChanges, Store, StoreError};

/// The published items `user` may order, by category; empty categories are left out.
pub async fn visible_catalog(store: &Store, user: &CurrentUser) -> Result<Vec<Category>, AppError> {
    let (department, groups) = store.memberships(user.id).await?;
    Ok(store
        .list_catalog(false)
        .await?
        .into_iter()
        .filter_map(|mut category| {
            category.items.retain(|item| item.audience.admits(department, &groups));
            (!category.items.is_empty()).then_some(category)
        })
        .collect())
}

/// Whether `user` may order `item`. An item they may not order is, for them, not there.
pub async fn may_order(store: &Store, user: &CurrentUser, item: &CatalogItem) -> Result<bool, AppError> {
    if item.audience.is_everyone() {
        return Ok(true);
    }
    let (department, groups) = store.memberships(user.id).await?;
    Ok(item.audience.admits(department, &groups))
}

/// An item's details as the admin form sends them.
pub struct ItemForm<'a> {
    pub category: Option<CategoryId>,
    pub name: &'a str,
    pub slug: &'a str,
    pub summary: &'a str,
    pub description: &'a str,
    pub icon: &'a str,
    pub keywords: &'a str,
    pub group: Option<GroupId>,
}

fn check_length(errors: &mut FieldErrors, field: &str, text: &str, max: usize) {
    if text.chars().count() > max {
        errors.add(field, format!("Keep it to {max} characters."));
    }
}

/// Checks and saves an item; a new one starts unpublished, to be checked before it shows.
pub async fn save_item(
    store: &Store,
    id: Option<CatalogItemId>,
    form: &ItemForm<'_>,
) -> Result<CatalogItemId, AppError> {
    let mut errors = FieldErrors::default();
    let name = parse_name(form.name, "a name").map_err(|e| errors.add("name", e)).ok();
    let slug = form.slug.trim();
    if let Err(e) = check_slug(slug) {
        errors.add("slug", e);
    }
    check_length(&mut errors, "summary", form.summary.trim(), 200);
    check_length(&mut errors, "description", form.description.trim(), 5_000);
    check_length(&mut errors, "keywords", form.keywords.trim(), 300);
    let categories = store.list_catalog(true).await?;
    let Some(category) = form.category.filter(|c| categories.iter().any(|k| k.id == *c)) else {
        errors.add("category", "Pick a category from the list.");
        return Err(AppError::Invalid(errors));
    };
    if let Some(group) = form.group
        && !store.list_groups().await?.iter().any(|g| g.id == group)
    {
        errors.add("group", "Pick a group from the list.");
    }
    let Some(name) = name.filter(|_| errors.is_empty()) else { return Err(AppError::Invalid(errors)) };
    let icon = if form.icon.trim().is_empty() { "box" } else { form.icon.trim() };
    let changes = ItemChanges {
        category,
        slug,
        name: &name,
        summary: form.summary.trim(),
        description: form.description.trim(),
        icon,
        keywords: form.keywords.trim(),
        group: form.group,
    };
    store.save_item(id, &changes).await.map_err(|e| match e {
        StoreError::Conflict { .. } => AppError::field("slug", "Another item already uses that web address."),
        StoreError::NotFound => AppError::NotFound("That catalog item".into()),
        other => other.into(),
    })
}

/// Who may order an item: groups and departments that exist, or everyone when both are empty.
pub async fn set_audience(
    store: &Store,
    id: CatalogItemId,
    groups: Vec<GroupId>,
    departments: Vec<DepartmentId>,
) -> Result<(), AppError> {
    let known_groups = store.list_groups().await?;
    let known_departments = store.list_departments().await?;
    if groups.iter().any(|g| !known_groups.iter().any(|k| k.id == *g))
        || departments.iter().any(|d| !known_departments.iter().any(|k| k.id == *d))
    {
        return Err(AppError::field("audience", "Pick groups and departments from the lists."));
    }
    store.set_item_audience(id, &Audience { groups, departments }).await.map_err(|e| match e {
        StoreError::NotFound => AppError::NotFound("That catalog item".into()),
        other => other.into(),
    })
}
