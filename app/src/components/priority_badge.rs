//! P1–P5 with its name, loudest for the most urgent.

use leptos::prelude::*;

use crate::domain::record::Priority;

#[component]
pub fn PriorityBadge(priority: Priority) -> impl IntoView {
    let level = priority.level();
    view! {
        <span class=format!("priority priority--{level}") title=priority.label()>
            {format!("P{level}")}
            <span class="priority__label">{format!(" {}", priority.label())}</span>
        </span>
    }
}
