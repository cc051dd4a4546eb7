//! Admins: the whole catalog, published or not, in portal order, with publish and reorder.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::api::catalog_admin::{MoveItem, PublishItem, load_admin_catalog};
use crate::components::form_status::saved_version;
use crate::components::loaded::loaded;
use crate::domain::catalog::CatalogItem;

#[component]
pub fn CatalogAdminPage() -> impl IntoView {
    let publish = ServerAction::<PublishItem>::new();
    let move_item = ServerAction::<MoveItem>::new();
    let (published, moved) = (saved_version(publish), saved_version(move_item));
    let catalog = Resource::new(move || (published.get(), moved.get()), |_| load_admin_catalog());
    view! {
        <Title text="Catalog" />
        <header class="page-header page-header--actions">
            <div>
                <h1>"Catalog"</h1>
                <p class="muted">"What people can order, in the order they see it. New items start unpublished."</p>
            </div>
            <A href="/admin/catalog/new" attr:class="button button--primary">"Add an item"</A>
        </header>
        {loaded(
            catalog,
            move |catalog| {
                catalog
                    .categories
                    .into_iter()
                    .map(|category| {
                        view! {
                            <section class="catalog-admin" aria-label=category.name.clone()>
                                <h2>{category.name.clone()}</h2>
                                <ul class="list">
                                    {category
                                        .items
                                        .into_iter()
                                        .map(|item| view! { <ItemRow item publish move_item /> })
                                        .collect_view()}
                                </ul>
                            </section>
                        }
                    })
                    .collect_view()
            },
        )}
    }
}

#[component]
fn ItemRow(
    item: CatalogItem,
    publish: ServerAction<PublishItem>,
    move_item: ServerAction<MoveItem>,
) -> impl IntoView {
    let id = item.id.0.to_string();
    let move_id = id.clone();
    let (up_label, down_label) = (format!("Move {} up", item.name), format!("Move {} down", item.name));
    let audience = if item.audience.is_everyone() { "Everyone" } else { "Some groups and departments" };
    view! {
        <li class="list__item list__item--row" data-item=item.slug.clone()>
            <span>
                <A href=format!("/admin/catalog/{}", item.id)>{item.name.clone()}</A>
                " "
                {if item.published {
                    view! { <span class="badge badge--ok">"Published"</span> }.into_any()
                } else {
                    view! { <span class="badge badge--neutral">"Unpublished"</span> }.into_any()
                }}
                <span class="muted">{format!(" · {audience} · form v{}", item.form_version)}</span>
            </span>
            <span class="actions">
                <ActionForm action=move_item>
                    <input type="hidden" name="id" value=move_id />
                    <button type="submit" name="direction" value="up" class="button button--quiet" aria-label=up_label>
                        "↑"
                    </button>
                    <button type="submit" name="direction" value="down" class="button button--quiet" aria-label=down_label>
                        "↓"
                    </button>
                </ActionForm>
                <ActionForm action=publish>
                    <input type="hidden" name="id" value=id />
                    <input type="hidden" name="published" value=(!item.published).to_string() />
                    <button type="submit" class="button">{if item.published { "Unpublish" } else { "Publish" }}</button>
                </ActionForm>
            </span>
        </li>
    }
}
