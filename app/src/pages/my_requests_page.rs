//! The signed-in user's own records, newest first, narrowed by state and by words.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::records::list_my_records;
use crate::components::erased::Erase;
use crate::components::loaded::{loaded, resource};
use crate::components::record_table::RecordTable;
use crate::domain::record::StateFilter;

#[component]
pub fn MyRequestsPage() -> impl IntoView {
    let query = use_query_map();
    let state = move || query.read().get("state").unwrap_or_default();
    let text = move || query.read().get("q").unwrap_or_default();
    let records = resource(move || (state(), text()), |(state, q)| list_my_records(Some(state), Some(q)));
    let current = StateFilter::parse(&query.read_untracked().get("state").unwrap_or_default());
    view! {
        <Title text="My requests" />
        <header class="page-header">
            <h1>"My requests"</h1>
            <p class="muted">"Everything you have asked for or reported, newest first."</p>
        </header>
        <form method="get" action="/requests" class="filters" role="search">
            <div class="field">
                <label for="state">"Show"</label>
                <select id="state" name="state">
                    {StateFilter::ALL
                        .into_iter()
                        .map(|f| view! { <option value=f.as_str() selected=f == current>{f.label()}</option> })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="q">"Search"</label>
                <input id="q" name="q" type="search" value=text placeholder="Title or number" maxlength="100" />
            </div>
            <button type="submit" class="button">"Apply"</button>
        </form>
        {loaded(
            records,
            move |records| {
                let filtered = !state().is_empty() && state() != "all" || !text().is_empty();
                if records.is_empty() && filtered {
                    view! { <p class="empty-state">"Nothing matches. Try another state or fewer words."</p> }
                        .erase()
                } else if records.is_empty() {
                    view! {
                        <section class="empty-state">
                            <h2>"Nothing here yet"</h2>
                            <p>"When you order something or report a problem, it shows up here so you can follow it."</p>
                            <A href="/" attr:class="button button--primary">"Browse the catalog"</A>
                        </section>
                    }
                        .erase()
                } else {
                    view! { <RecordTable records caption="My requests" /> }.erase()
                }
            },
        )}
    }
}
