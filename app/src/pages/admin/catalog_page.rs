//! Admins: the whole catalog, published or not, in portal order: categories and items, with
//! adding, renaming, reordering and publishing.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::api::catalog_admin::{MoveCategory, MoveItem, PublishItem, SaveCategory, load_admin_catalog};
use crate::components::erased::Erase;
use crate::components::field::Field;
use crate::components::form_status::{FormStatus, failure, field_error, saved_version, succeeded};
use crate::components::loaded::{loaded, resource};
use crate::components::server_form::{FormAction, ServerForm};
use crate::domain::catalog::{CatalogItem, Category};
use crate::domain::ids::CategoryId;

/// The page's actions; the catalog loads again after each.
#[derive(Clone, Copy)]
struct Actions {
    publish: FormAction<PublishItem>,
    move_item: FormAction<MoveItem>,
    move_category: FormAction<MoveCategory>,
    save_category: FormAction<SaveCategory>,
    /// Which category form was sent last (`None` inside: the one adding a category), so only
    /// that form shows the answer.
    sent_from: Memo<Option<Option<CategoryId>>>,
}

#[component]
pub fn CatalogAdminPage() -> impl IntoView {
    let save_category = FormAction::<SaveCategory>::new();
    let sent_from = Memo::new(move |before: Option<&Option<Option<CategoryId>>>| {
        save_category
            .input()
            .with(|input| {
                input.as_ref().map(|i| i.field("id").and_then(|id| id.parse().ok()).map(CategoryId))
            })
            .or_else(|| before.copied().flatten())
    });
    let actions = Actions {
        publish: FormAction::new(),
        move_item: FormAction::new(),
        move_category: FormAction::new(),
        save_category,
        sent_from,
    };
    let changed = [
        saved_version(actions.publish),
        saved_version(actions.move_item),
        saved_version(actions.move_category),
        saved_version(actions.save_category),
    ];
    let catalog = resource(move || changed.map(|version| version.get()), |_| load_admin_catalog());
    view! {
        <Title text="Catalog" />
        <header class="page-header page-header--actions">
            <div>
                <h1>"Catalog"</h1>
                <p class="muted">"What people can order, in the order they see it. New items start unpublished."</p>
            </div>
            <A href="/admin/catalog/new" attr:class="button button--primary">"Add an item"</A>
        </header>
        <details class="panel add-category">
            <summary>"Add a category"</summary>
            <CategoryForm category=None actions />
        </details>
        {loaded(
            catalog,
            move |catalog| {
                catalog
                    .categories
                    .into_iter()
                    .map(|category| view! { <CategorySection category actions /> })
                    .collect_view()
            },
        )}
    }
}

#[component]
fn CategorySection(category: Category, actions: Actions) -> impl IntoView {
    let id = category.id.0.to_string();
    let moves = up_and_down(&category.name);
    let items = category.items.clone();
    let (name, slug) = (category.name.clone(), category.slug.clone());
    view! {
        <section class="catalog-admin" aria-label=name data-category=slug>
            <header class="catalog-admin__header">
                <h2>{category.name.clone()}</h2>
                <ServerForm action=actions.move_category attr:class="actions">
                    <input type="hidden" name="id" value=id />
                    {moves}
                </ServerForm>
            </header>
            {(!category.description.is_empty()).then(|| view! { <p class="muted">{category.description.clone()}</p> })}
            <details class="rename">
                <summary>{format!("Rename {}", category.name)}</summary>
                <CategoryForm category=Some(category) actions />
            </details>
            {if items.is_empty() {
                view! { <p class="empty-state">"No items yet. Add one and pick this category."</p> }.erase()
            } else {
                view! {
                    <ul class="list">
                        {items.into_iter().map(|item| view! { <ItemRow item actions /> }).collect_view()}
                    </ul>
                }
                    .erase()
            }}
        </section>
    }
}

/// Adds a category (`category` is `None`) or renames one.
#[component]
fn CategoryForm(category: Option<Category>, actions: Actions) -> impl IntoView {
    let key = category.as_ref().map(|c| c.id);
    let mine = move || actions.sent_from.get() == Some(key);
    let all_failures = failure(actions.save_category);
    let failure = Signal::derive(move || if mine() { all_failures.get() } else { None });
    let all_successes = succeeded(actions.save_category);
    let succeeded = Signal::derive(move || mine() && all_successes.get());
    let prefix = key.map_or_else(|| "new-category".to_owned(), |id| format!("category-{id}"));
    let (name, description) = match &category {
        Some(c) => (c.name.clone(), c.description.clone()),
        None => (String::new(), String::new()),
    };
    view! {
        <ServerForm action=actions.save_category attr:class="form" attr:novalidate=true>
            {key.map(|id| view! { <input type="hidden" name="id" value=id.0.to_string() /> })}
            <Field name="name" id=format!("{prefix}-name") label="Name" value=name maxlength=80 error=field_error(failure, "name") />
            <Field
                name="description"
                id=format!("{prefix}-description")
                label="Description"
                value=description
                hint="One line under its name in the catalog."
                required=false
                maxlength=500
                error=field_error(failure, "description")
            />
            <FormStatus failure succeeded saved="Saved." />
            <button type="submit" class="button button--primary">
                {if key.is_some() { "Save" } else { "Add category" }}
            </button>
        </ServerForm>
    }
}

#[component]
fn ItemRow(item: CatalogItem, actions: Actions) -> impl IntoView {
    let id = item.id.0.to_string();
    let move_id = id.clone();
    let moves = up_and_down(&item.name);
    let audience = if item.audience.is_everyone() { "Everyone" } else { "Some groups and departments" };
    view! {
        <li class="list__item list__item--row" data-item=item.slug.clone()>
            <span>
                <A href=format!("/admin/catalog/{}", item.id)>{item.name.clone()}</A>
                " "
                {if item.published {
                    view! { <span class="badge badge--ok">"Published"</span> }.erase()
                } else {
                    view! { <span class="badge badge--neutral">"Unpublished"</span> }.erase()
                }}
                <span class="muted">{format!(" · {audience} · form v{}", item.form_version)}</span>
            </span>
            <span class="actions">
                <ServerForm action=actions.move_item>
                    <input type="hidden" name="id" value=move_id />
                    {moves}
                </ServerForm>
                <ServerForm action=actions.publish>
                    <input type="hidden" name="id" value=id />
                    <input type="hidden" name="published" value=(!item.published).to_string() />
                    <button type="submit" class="button">{if item.published { "Unpublish" } else { "Publish" }}</button>
                </ServerForm>
            </span>
        </li>
    }
}

/// The buttons of a form that moves `name` one place: they send `direction`.
pub(crate) fn up_and_down(name: &str) -> impl IntoView + use<> {
    let (up, down) = (format!("Move {name} up"), format!("Move {name} down"));
    view! {
        <button type="submit" name="direction" value="up" class="button button--quiet" aria-label=up>
            "↑"
        </button>
        <button type="submit" name="direction" value="down" class="button button--quiet" aria-label=down>
            "↓"
        </button>
    }
}
