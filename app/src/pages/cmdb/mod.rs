//! The CMDB: searching configuration items, a CI's page with its relations, drawing, impact
//! and history, the CI form, and a requester's own devices.

pub mod ci_edit_page;
pub mod ci_graph_view;
pub mod ci_list_page;
pub mod ci_page;
pub mod devices_page;

use leptos::prelude::*;

use crate::domain::cmdb::CiStatus;

#[component]
pub fn CiStatusBadge(status: CiStatus) -> impl IntoView {
    let tone = match status {
        CiStatus::Planned => "info",
        CiStatus::InOperation => "ok",
        CiStatus::InMaintenance => "warn",
        CiStatus::Retired => "neutral",
    };
    view! { <span class=format!("badge badge--{tone}")>{status.label()}</span> }
}
