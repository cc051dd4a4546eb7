//! Agents: every configuration item, searched by name and narrowed by class; admins add CIs.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::cmdb::{list_ci_classes, search_cis};
use crate::components::erased::Erase;
use crate::components::loaded::{loaded, resource};
use crate::domain::ci_graph::CiNode;
use crate::domain::cmdb::{CiClass, lineage};
use crate::pages::cmdb::CiStatusBadge;

/// A class's name indented by its depth in the hierarchy, for a select.
fn indented(classes: &[CiClass], class: &CiClass) -> String {
    let depth = lineage(classes, class.id).map_or(1, |line| line.len());
    format!("{}{}", "\u{a0}\u{a0}".repeat(depth - 1), class.name)
}

#[component]
pub fn CiListPage() -> impl IntoView {
    let query = use_query_map();
    let text = move || query.read().get("q").unwrap_or_default();
    let class = move || query.read().get("class").unwrap_or_default();
    let found = resource(move || (text(), class()), |(q, class)| search_cis(Some(q), Some(class)));
    let classes = resource(|| (), |_| list_ci_classes());
    view! {
        <Title text="Configuration items" />
        <header class="page-header page-header--actions">
            <div>
                <h1>"Configuration items"</h1>
                <p class="muted">"Services, applications, servers, devices, and how they depend on each other."</p>
            </div>
        </header>
        {loaded(classes, move |(classes, can_edit)| {
            let chosen = class();
            let options = classes
                .iter()
                .filter(|c| !c.retired)
                .map(|c| {
                    let selected = c.code == chosen;
                    view! { <option value=c.code.clone() selected=selected>{indented(&classes, c)}</option> }
                })
                .collect_view();
            let new_options = classes
                .iter()
                .filter(|c| !c.retired)
                .map(|c| view! { <option value=c.code.clone()>{indented(&classes, c)}</option> })
                .collect_view();
            view! {
                <form method="get" action="/cmdb" class="filters ci-search" role="search">
                    <div class="field">
                        <label for="ci-q">"Name starts with"</label>
                        <input id="ci-q" name="q" type="search" value=text() maxlength="120" />
                    </div>
                    <div class="field">
                        <label for="ci-class">"Class"</label>
                        <select id="ci-class" name="class">
                            <option value="">"Any class"</option>
                            {options}
                        </select>
                    </div>
                    <button type="submit" class="button">"Search"</button>
                </form>
                {(!chosen.is_empty()).then(|| {
                    let href = format!("/cmdb/export.csv?class={chosen}");
                    view! { <p><a href=href rel="external" download>"Download this class as CSV"</a></p> }
                })}
                {can_edit
                    .then(|| {
                        view! {
                            <form method="get" action="/cmdb/new" class="form--inline add-ci">
                                <label for="new-class">"Add a CI of class"</label>
                                <select id="new-class" name="class">{new_options}</select>
                                <button type="submit" class="button button--primary">"Add"</button>
                            </form>
                            <p><A href="/cmdb/import">"Import CIs or relations from CSV"</A></p>
                        }
                    })}
            }
        })}
        {loaded(found, |found| {
            if found.is_empty() {
                view! { <p class="empty-state">"No configuration item matches."</p> }.erase()
            } else {
                view! { <CiTable cis=found caption="Configuration items" /> }.erase()
            }
        })}
    }
}

/// CIs as a table on wide screens, stacked on phones.
#[component]
pub fn CiTable(cis: Vec<CiNode>, caption: &'static str) -> impl IntoView {
    view! {
        <table class="records">
            <caption class="visually-hidden">{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Class"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Owner"</th>
                    <th scope="col">"Support group"</th>
                </tr>
            </thead>
            <tbody>
                {cis
                    .into_iter()
                    .map(|ci| {
                        view! {
                            <tr>
                                <td data-label="Name" class="records__title">
                                    <A href=format!("/cmdb/{}", ci.id)>{ci.name}</A>
                                </td>
                                <td data-label="Class">{ci.class_name}</td>
                                <td data-label="Status">
                                    <CiStatusBadge status=ci.status />
                                </td>
                                <td data-label="Owner">{ci.owner_name.unwrap_or_else(|| "—".into())}</td>
                                <td data-label="Support group">{ci.support_group_name.unwrap_or_else(|| "—".into())}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
