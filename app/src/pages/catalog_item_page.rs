//! One catalog item: what it is, what it includes, who fulfils it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::catalog::get_catalog_item;
use crate::components::icon::Icon;
use crate::components::loaded::loaded;

#[component]
pub fn CatalogItemPage() -> impl IntoView {
    let params = use_params_map();
    let item = Resource::new(move || params.read().get("slug").unwrap_or_default(), get_catalog_item);
    view! {
        {loaded(
            item,
            |(item, category)| {
                view! {
                            <Title text=item.name.clone() />
                            <nav class="breadcrumbs" aria-label="Breadcrumb">
                                <A href="/">"Catalog"</A>
                                <span aria-hidden="true">" / "</span>
                                <span>{category}</span>
                            </nav>
                            <article class="item">
                                <header class="page-header">
                                    <h1>
                                        <Icon name=item.icon.clone() />
                                        {item.name.clone()}
                                    </h1>
                                    <p class="lead">{item.summary.clone()}</p>
                                </header>
                                {item
                                    .description
                                    .split("\n\n")
                                    .map(|paragraph| view! { <p>{paragraph.to_owned()}</p> })
                                    .collect_view()}
                            </article>
                }
            },
        )}
    }
}
