//! Everyone: the services the desk supports and how each is doing now.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::api::cmdb::service_status;
use crate::components::erased::Erase;
use crate::components::loaded::{loaded, resource};
use crate::domain::cmdb::{ServiceHealth, ServiceStatus};
use crate::pages::cmdb::ServiceHealthBadge;

/// The line above the list: all well, or how many services have trouble.
fn summary(services: &[ServiceStatus]) -> String {
    match services.iter().filter(|s| s.health != ServiceHealth::Operational).count() {
        0 => "All services are operational.".to_owned(),
        1 => "1 service has a problem the desk is working on.".to_owned(),
        n => format!("{n} services have problems the desk is working on."),
    }
}

#[component]
pub fn ServicesPage() -> impl IntoView {
    let services = resource(|| (), |_| service_status());
    view! {
        <Title text="Service status" />
        <header class="page-header">
            <h1>"Service status"</h1>
            <p class="muted">"What the desk supports, and whether each is working right now."</p>
        </header>
        {loaded(services, |services| {
            if services.is_empty() {
                return view! { <p class="empty-state">"No services are listed yet."</p> }.erase();
            }
            view! {
                <p class="service-summary" role="status">{summary(&services)}</p>
                <ul class="cards services">
                    {services
                        .into_iter()
                        .map(|s| {
                            let tone = format!("card service service--{:?}", s.health).to_lowercase();
                            view! {
                                <li class=tone>
                                    <div class="card__text">
                                        <h2>
                                            <A href=format!("/cmdb/{}", s.service.id)>{s.service.name.clone()}</A>
                                        </h2>
                                        <p>{s.description.clone()}</p>
                                        {s.service.support_group_name.clone().map(|g| view! { <p class="muted">{format!("Supported by {g}")}</p> })}
                                    </div>
                                    <ServiceHealthBadge health=s.health />
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
            .erase()
        })}
    }
}
