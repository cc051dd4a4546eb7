//! Everyone: the devices they own, to open one or report an issue with it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::api::cmdb::my_devices;
use crate::components::erased::Erase;
use crate::components::loaded::{loaded, resource};
use crate::pages::cmdb::CiStatusBadge;

#[component]
pub fn DevicesPage() -> impl IntoView {
    let devices = resource(|| (), |_| my_devices());
    view! {
        <Title text="My devices" />
        <header class="page-header">
            <h1>"My devices"</h1>
            <p class="muted">"The laptops, phones and other equipment registered to you."</p>
        </header>
        {loaded(devices, |devices| {
            if devices.is_empty() {
                return view! {
                    <p class="empty-state">"No devices are registered to you. If that's wrong, report it and the desk will put it right."</p>
                }
                    .erase();
            }
            view! {
                <ul class="cards devices">
                    {devices
                        .into_iter()
                        .map(|d| {
                            view! {
                                <li class="card device">
                                    <div class="card__text">
                                        <h2>
                                            <A href=format!("/cmdb/{}", d.id)>{d.name.clone()}</A>
                                        </h2>
                                        <p class="muted">{d.class_name.clone()} " " <CiStatusBadge status=d.status /></p>
                                    </div>
                                    <A href=format!("/report?ci={}", d.id) attr:class="button">"Report an issue with it"</A>
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
