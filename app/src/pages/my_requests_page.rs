//! The signed-in user's own records.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::api::records::list_my_records;
use crate::components::loaded::loaded;
use crate::components::record_table::RecordTable;

#[component]
pub fn MyRequestsPage() -> impl IntoView {
    let records = Resource::new(|| (), |_| list_my_records());
    view! {
        <Title text="My requests" />
        <header class="page-header">
            <h1>"My requests"</h1>
            <p class="muted">"Everything you have asked for or reported, latest first."</p>
        </header>
        {loaded(
            records,
            |records| {
                if records.is_empty() {
                    view! {
                        <section class="empty-state">
                            <h2>"Nothing here yet"</h2>
                            <p>"When you order something or report a problem, it shows up here so you can follow it."</p>
                            <A href="/" attr:class="button button--primary">"Browse the catalog"</A>
                        </section>
                    }
                        .into_any()
                } else {
                    view! { <RecordTable records caption="My requests" /> }.into_any()
                }
            },
        )}
    }
}
