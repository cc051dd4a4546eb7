//! Home: the service catalog, with a search box that narrows it as you type
//! (and as a plain GET form without JavaScript).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::catalog::list_catalog;
use crate::components::erased::Erase;
use crate::components::error_view::ErrorView;
use crate::components::icon::Icon;
use crate::components::loaded::resource;
use crate::domain::catalog::{Category, filter_catalog};

#[component]
pub fn CatalogPage() -> impl IntoView {
    let query = use_query_map();
    let (search, set_search) = signal(query.read_untracked().get("q").unwrap_or_default());
    let catalog = resource(|| (), |_| list_catalog());
    view! {
        <Title text="Service catalog" />
        <header class="page-header">
            <h1>"How can we help?"</h1>
            <p class="muted">"Order what you need from IT. Pick an item to see what it includes."</p>
        </header>
        <form
            method="get"
            action="/"
            role="search"
            class="search"
            on:submit=|ev| ev.prevent_default()
        >
            <label for="catalog-search" class="visually-hidden">"Search the catalog"</label>
            <Icon name="search" />
            <input
                id="catalog-search"
                type="search"
                name="q"
                placeholder="Search the catalog, e.g. laptop, VPN, password"
                autocomplete="off"
                prop:value=search
                on:input=move |ev| set_search.set(event_target_value(&ev))
            />
            <button type="submit" class="button">"Search"</button>
        </form>
        <Suspense fallback=|| view! { <p class="loading">"Loading the catalog…"</p> }>
            {move || Suspend::new(async move {
                match catalog.await {
                    Ok(categories) => view! { <CatalogList categories search /> }.erase(),
                    Err(error) => view! { <ErrorView error /> }.erase(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CatalogList(categories: Vec<Category>, search: ReadSignal<String>) -> impl IntoView {
    let categories = StoredValue::new(categories);
    let shown = Memo::new(move |_| filter_catalog(&categories.read_value(), &search.get()));
    view! {
        <p class="result-count" aria-live="polite">
            {move || {
                let n: usize = shown.read().iter().map(|c| c.items.len()).sum();
                match n {
                    0 => "No items match your search.".to_owned(),
                    1 => "1 item".to_owned(),
                    n => format!("{n} items"),
                }
            }}
        </p>
        {move || {
            shown
                .get()
                .into_iter()
                .map(|category| {
                    view! {
                        <section class="catalog-category" aria-labelledby=format!("cat-{}", category.slug)>
                            <h2 id=format!("cat-{}", category.slug)>
                                <Icon name=category.icon.clone() />
                                {category.name.clone()}
                            </h2>
                            <p class="muted">{category.description.clone()}</p>
                            <ul class="cards">
                                {category
                                    .items
                                    .into_iter()
                                    .map(|item| {
                                        view! {
                                            <li class="card">
                                                <A href=format!("/catalog/{}", item.slug) attr:class="card__link">
                                                    <Icon name=item.icon.clone() />
                                                    <span class="card__title">{item.name}</span>
                                                </A>
                                                <p class="card__text">{item.summary}</p>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        </section>
                    }
                })
                .collect_view()
        }}
    }
}
