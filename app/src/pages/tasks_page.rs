//! Group tasks: the open fulfilment tasks of the signed-in agent's groups.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::approvals::list_group_tasks;
use crate::components::erased::Erase;
use crate::components::loaded::{loaded, resource};
use crate::components::record_table::RecordTable;

#[component]
pub fn TasksPage() -> impl IntoView {
    let tasks = resource(|| (), |_| list_group_tasks());
    view! {
        <Title text="Group tasks" />
        <header class="page-header">
            <h1>"Group tasks"</h1>
            <p class="muted">"Fulfilment tasks for your groups, oldest first. Open one to work and close it."</p>
        </header>
        {loaded(
            tasks,
            |tasks| {
                if tasks.is_empty() {
                    view! { <p class="empty-state">"No open tasks for your groups."</p> }.erase()
                } else {
                    view! { <RecordTable records=tasks caption="Group tasks" workload=true /> }.erase()
                }
            },
        )}
    }
}
