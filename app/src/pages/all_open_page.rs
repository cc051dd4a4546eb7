//! Agents: every open record, newest activity first.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::records::{LIST_LIMIT, list_open_records};
use crate::components::loaded::loaded;
use crate::components::record_table::RecordTable;

#[component]
pub fn AllOpenPage() -> impl IntoView {
    let records = Resource::new(|| (), |_| list_open_records());
    view! {
        <Title text="All open" />
        {loaded(
            records,
            |(records, total)| {
                let shown = records.len();
                let summary = if i64::try_from(shown).unwrap_or(LIST_LIMIT) < total {
                    format!("{total} open records; the {shown} most recently updated are shown.")
                } else {
                    let noun = if total == 1 { "record" } else { "records" };
                    format!("{total} open {noun}.")
                };
                view! {
                    <header class="page-header">
                        <h1>"All open"</h1>
                        <p class="muted">{summary}</p>
                    </header>
                    <RecordTable records caption="All open records" workload=true />
                }
            },
        )}
    }
}
