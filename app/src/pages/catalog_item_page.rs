//! One catalog item: what it is, what it includes, who fulfils it, and its form.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::catalog::get_order_form;
use crate::components::icon::Icon;
use crate::components::loaded::{loaded, resource};
use crate::components::request_form::RequestForm;

#[component]
pub fn CatalogItemPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let order = resource(
        move || (params.read().get("slug").unwrap_or_default(), query.read().get("draft")),
        |(slug, draft)| get_order_form(slug, draft),
    );
    view! {
        {loaded(
            order,
            |order| {
                let item = order.item.clone();
                let next = match &order.team {
                    Some(team) => format!("The {team} team fulfils it. You can follow every step under My requests."),
                    None => "You can follow every step under My requests.".to_owned(),
                };
                view! {
                    <Title text=item.name.clone() />
                    <nav class="breadcrumbs" aria-label="Breadcrumb">
                        <A href="/">"Catalog"</A>
                        <span aria-hidden="true">" / "</span>
                        <span>{order.category.clone()}</span>
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
                        <section class="panel order" aria-labelledby="order-heading">
                            <h2 id="order-heading">"Request it"</h2>
                            <p class="muted">{next}</p>
                            <RequestForm order />
                        </section>
                    </article>
                }
            },
        )}
    }
}
