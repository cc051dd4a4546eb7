//! The CMDB: searching configuration items, a CI's page with its relations, drawing, impact
//! and history, the CI form, a requester's own devices, and the services' status.

pub mod ci_edit_page;
pub mod ci_graph_view;
pub mod ci_list_page;
pub mod ci_page;
pub mod devices_page;
pub mod import_page;
pub mod services_page;

use leptos::prelude::*;

use crate::domain::cmdb::{CiStatus, ServiceHealth};

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

#[component]
pub fn ServiceHealthBadge(health: ServiceHealth) -> impl IntoView {
    let tone = match health {
        ServiceHealth::Operational => "ok",
        ServiceHealth::Degraded => "warn",
        ServiceHealth::Down => "danger",
    };
    view! { <span class=format!("badge badge--{tone} health")>{health.label()}</span> }
}
