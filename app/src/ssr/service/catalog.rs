//! The catalog as each person may see it, and as admins change it.

use chrono::{DateTime, Utc};

use crate::domain::approval::{ApprovalStep, FulfilmentPlan};
use crate::domain::catalog::{Audience, CatalogItem, Category, check_slug};
use crate::domain::form::{FormSchema, validate_schema};
use crate::domain::ids::{CatalogItemId, CategoryId, DepartmentId, GroupId};
use crate::domain::people::parse_name;
use crate::domain::record::Title;
use crate::domain::user::CurrentUser;
use crate::error::{AppError, FieldErrors};
use crate::ssr::store::{ItemChanges, Store, StoreError};

/// The published items `user` may order, by category; empty categories are left out.
pub async fn visible_catalog(store: &Store, user: &CurrentUser) -> Result<Vec<Category>, AppError> {
    Ok(store
        .list_catalog(false)
        .await?
        .into_iter()
        .filter_map(|mut category| {
            category.items.retain(|item| item.audience.admits(user.department, &user.groups));
            (!category.items.is_empty()).then_some(category)
        })
        .collect())
}

/// Whether `user` may order `item`. An item they may not order is, for them, not there.
pub fn may_order(user: &CurrentUser, item: &CatalogItem) -> bool {
    item.audience.admits(user.department, &user.groups)
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
    /// The business service it is an offering of.
    pub service: Option<crate::domain::ids::CiId>,
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
    let known = match form.category {
        Some(category) => store.category_exists(category).await?,
        None => false,
    };
    let Some(category) = form.category.filter(|_| known) else {
        errors.add("category", "Pick a category from the list.");
        return Err(AppError::Invalid(errors));
    };
    if let Some(group) = form.group
        && !store.list_groups().await?.iter().any(|g| g.id == group)
    {
        errors.add("group", "Pick a group from the list.");
    }
    if let Some(service) = form.service
        && !crate::ssr::service::cmdb::is_listed_service(store, service).await?
    {
        errors.add("service", "Pick a service from the list.");
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
        service: form.service,
    };
    store.save_item(id, &changes).await.map_err(|e| match e {
        StoreError::Conflict { .. } => AppError::field("slug", "Another item already uses that web address."),
        StoreError::NotFound => AppError::NotFound("That catalog item".into()),
        other => other.into(),
    })
}

/// Creates (no `id`) or renames a category, after checking its name and description.
pub async fn save_category(
    store: &Store,
    id: Option<CategoryId>,
    name: &str,
    description: &str,
) -> Result<CategoryId, AppError> {
    let mut errors = FieldErrors::default();
    let name = parse_name(name, "a name").map_err(|e| errors.add("name", e)).ok();
    if name.as_ref().is_some_and(|n| n.chars().count() > 80) {
        errors.add("name", "Keep a category's name to 80 characters.");
    }
    check_length(&mut errors, "description", description.trim(), 500);
    let Some(name) = name.filter(|_| errors.is_empty()) else { return Err(AppError::Invalid(errors)) };
    let others: Vec<Category> =
        store.list_catalog(true).await?.into_iter().filter(|c| Some(c.id) != id).collect();
    if others.iter().any(|c| c.name.to_lowercase() == name.to_lowercase()) {
        return Err(AppError::field("name", "There is already a category with that name."));
    }
    // A renamed category keeps its web address, so a new one may need a number after its own.
    let base = crate::domain::catalog::slugify(&name);
    if id.is_none() && check_slug(&base).is_err() {
        return Err(AppError::field("name", "Use some letters or digits in the name."));
    }
    let slug = std::iter::once(base.clone())
        .chain((2..).map(|n| format!("{base}-{n}")))
        .find(|slug| others.iter().all(|c| c.slug != *slug))
        .unwrap_or(base);
    store
        .save_category(id, &slug, &name, description.trim())
        .await
        .map_err(AppError::missing("That category"))
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
    store
        .set_item_audience(id, &Audience { groups, departments })
        .await
        .map_err(AppError::missing("That catalog item"))
}

/// Saves `schema` (a form as JSON) as the item's new form version, after checking it.
/// Requests already made keep the version they answered.
pub async fn save_form(
    store: &Store,
    id: CatalogItemId,
    schema: &str,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let schema: FormSchema = leptos::serde_json::from_str(schema)
        .map_err(|e| AppError::field("schema", format!("That isn't a form: {e}")))?;
    validate_schema(&schema).map_err(|problems| AppError::field("schema", problems.join(" ")))?;
    let classes = store.ci_classes().await?;
    for field in &schema.fields {
        if let crate::domain::form::FieldKind::Ci { class: Some(code), .. } = &field.kind
            && !classes.iter().any(|c| c.code == *code && !c.retired)
        {
            return Err(AppError::field(
                "schema",
                format!("{}: there is no CI class {code:?}.", field.label),
            ));
        }
    }
    if store.find_item_by_id(id).await?.is_none() {
        return Err(AppError::NotFound("That catalog item".into()));
    }
    let mut tx = store.begin().await?;
    let version = Store::save_form(&mut tx, id, &schema, now).await?;
    tx.commit().await?;
    Ok(version)
}

/// Saves how the item is approved and fulfilled, after checking every group exists and
/// every task has a title. Requests already made keep the plan they started with.
pub async fn save_plan(
    store: &Store,
    id: CatalogItemId,
    approval: &str,
    fulfilment: &str,
) -> Result<(), AppError> {
    let steps: Vec<ApprovalStep> = leptos::serde_json::from_str(approval)
        .map_err(|e| AppError::field("approval", format!("That isn't a list of approval steps: {e}")))?;
    let plan: FulfilmentPlan = leptos::serde_json::from_str(fulfilment)
        .map_err(|e| AppError::field("fulfilment", format!("That isn't a fulfilment plan: {e}")))?;
    let groups = store.list_groups().await?;
    let known = |group: &GroupId| groups.iter().any(|g| g.id == *group);
    let mut errors = FieldErrors::default();
    if steps.iter().any(|s| matches!(s, ApprovalStep::Group { group, .. } if !known(group))) {
        errors.add("approval", "An approval step names a group that doesn't exist.");
    }
    if plan.tasks.iter().any(|t| !known(&t.group)) {
        errors.add("fulfilment", "A task names a group that doesn't exist.");
    } else if plan.tasks.iter().any(|t| Title::parse(&t.title).is_err()) {
        errors.add("fulfilment", "Every task needs a title of up to 200 characters.");
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    if store.find_item_by_id(id).await?.is_none() {
        return Err(AppError::NotFound("That catalog item".into()));
    }
    let mut tx = store.begin().await?;
    Store::set_item_plan(&mut tx, id, &steps, &plan).await?;
    tx.commit().await?;
    Ok(())
}

/// The whole catalog as admins see it, with the groups and departments to choose from.
pub async fn admin_catalog(store: &Store) -> Result<crate::domain::catalog::AdminCatalog, AppError> {
    Ok(crate::domain::catalog::AdminCatalog {
        categories: store.list_catalog(true).await?,
        groups: store.list_groups().await?,
        departments: store.list_departments().await?,
    })
}

/// The item editor: item `id` (or a new one) with its plan and what can be picked.
pub async fn item_editor(
    store: &Store,
    id: Option<crate::domain::ids::CatalogItemId>,
) -> Result<crate::domain::catalog::ItemEditor, AppError> {
    let (item, group, service, (approval, fulfilment)) = match id {
        Some(id) => {
            let (item, group) = store
                .find_item_by_id(id)
                .await?
                .ok_or_else(|| AppError::NotFound("That catalog item".into()))?;
            (Some(item), group, store.item_service(id).await?, store.item_plan(id).await?)
        }
        None => (None, None, None, Default::default()),
    };
    let categories = store.list_catalog(true).await?.into_iter().map(|c| (c.id, c.name)).collect();
    Ok(crate::domain::catalog::ItemEditor {
        item,
        group,
        approval,
        fulfilment,
        categories,
        groups: store.list_groups().await?,
        departments: store.list_departments().await?,
        service,
        services: crate::ssr::service::cmdb::published_services(store, &store.ci_classes().await?).await?,
    })
}

/// The icon item `id` has now (none for a new item): the editor keeps it.
pub async fn item_icon(
    store: &Store,
    id: Option<crate::domain::ids::CatalogItemId>,
) -> Result<String, AppError> {
    Ok(match id {
        Some(id) => store.find_item_by_id(id).await?.map(|(item, _)| item.icon).unwrap_or_default(),
        None => String::new(),
    })
}

pub async fn publish_item(
    store: &Store,
    id: crate::domain::ids::CatalogItemId,
    published: bool,
) -> Result<(), AppError> {
    store.set_item_published(id, published).await.map_err(AppError::missing("That catalog item"))
}

/// Moves an item one place up or down within its category.
pub async fn move_item(
    store: &Store,
    id: crate::domain::ids::CatalogItemId,
    up: bool,
) -> Result<(), AppError> {
    store.move_item(id, up).await.map_err(AppError::missing("That catalog item"))
}

/// Moves a category one place up or down in the catalog.
pub async fn move_category(
    store: &Store,
    id: crate::domain::ids::CategoryId,
    up: bool,
) -> Result<(), AppError> {
    store.move_category(id, up).await.map_err(AppError::missing("That category"))
}

/// Item `id` with its current form, for the form editor.
pub async fn item_form(
    store: &Store,
    id: crate::domain::ids::CatalogItemId,
) -> Result<(CatalogItem, crate::domain::form::FormSchema), AppError> {
    let (item, _) =
        store.find_item_by_id(id).await?.ok_or_else(|| AppError::NotFound("That catalog item".into()))?;
    let form = store.find_form(id, item.form_version).await?.unwrap_or_default();
    Ok((item, form))
}
