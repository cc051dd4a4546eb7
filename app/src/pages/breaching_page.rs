//! Agents: "Breaching soon": the running service-level clocks of open records, soonest due
//! first, those already past their target at the top; of the agent's groups or of all.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::queue::load_breaching;
use crate::components::erased::Erase;
use crate::components::loaded::{loaded, resource};
use crate::components::priority_badge::PriorityBadge;
use crate::components::state_badge::StateBadge;
use crate::context::use_zone;
use crate::domain::queue::Breaching;
use crate::domain::sla::duration_text;
use crate::fmt;

#[component]
pub fn BreachingPage() -> impl IntoView {
    let query = use_query_map();
    let all = Memo::new(move |_| query.read().get("groups").as_deref() == Some("all"));
    let clocks = resource(move || all.get(), |all| load_breaching(Some(all)));
    view! {
        <Title text="Breaching soon" />
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <A href="/queue">"Queue"</A>
        </nav>
        <header class="page-header">
            <h1>"Breaching soon"</h1>
            <p class="muted">"Running service-level clocks, the soonest due first."</p>
        </header>
        {loaded(clocks, move |breaching| view! { <DueList breaching /> })}
    }
}

#[component]
fn DueList(breaching: Breaching) -> impl IntoView {
    let zone = use_zone();
    let Breaching { all_groups, clocks, now } = breaching;
    let tab = |label: &'static str, href: &'static str, current: bool| {
        view! {
            <li>
                <A href=href attr:class="tab" attr:aria-current=current.then_some("page")>{label}</A>
            </li>
        }
    };
    view! {
        <nav aria-label="Whose records">
            <ul class="tabs">
                {tab("My groups", "/queue/breaching", !all_groups)}
                {tab("All groups", "/queue/breaching?groups=all", all_groups)}
            </ul>
        </nav>
        {if clocks.is_empty() {
            view! { <p class="empty-state">"No running clocks here."</p> }.erase()
        } else {
            view! {
                <table class="records">
                    <caption class="visually-hidden">"Clocks by when they fall due"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Due"</th>
                            <th scope="col">"Number"</th>
                            <th scope="col">"Title"</th>
                            <th scope="col">"Clock"</th>
                            <th scope="col">"Priority"</th>
                            <th scope="col">"State"</th>
                            <th scope="col">"Group"</th>
                            <th scope="col">"Assignee"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {clocks
                            .into_iter()
                            .map(|clock| {
                                let left = clock.left(now);
                                let (tone, when) = if clock.breached || left <= chrono::Duration::zero() {
                                    ("danger", format!("Breached {} ago", duration_text(-left)))
                                } else if clock.warned {
                                    ("warn", format!("In {}", duration_text(left)))
                                } else {
                                    ("neutral", format!("In {}", duration_text(left)))
                                };
                                view! {
                                    <tr data-number=clock.number.clone()>
                                        <td data-label="Due">
                                            <span class="due">
                                                <span class=format!("badge badge--{tone}")>{when}</span>
                                                <time class="muted" datetime=fmt::iso(clock.due_at)>{zone.date_time_named(clock.due_at)}</time>
                                            </span>
                                        </td>
                                        <td data-label="Number" class="records__number">{clock.number.clone()}</td>
                                        <td data-label="Title" class="records__title">
                                            <A href=format!("/records/{}", clock.number)>{clock.title}</A>
                                        </td>
                                        <td data-label="Clock">{clock.clock}</td>
                                        <td data-label="Priority">
                                            <PriorityBadge priority=clock.priority />
                                        </td>
                                        <td data-label="State">
                                            <StateBadge state=clock.state />
                                        </td>
                                        <td data-label="Group">{clock.group_name.unwrap_or_else(|| "—".into())}</td>
                                        <td data-label="Assignee">{clock.assignee_name.unwrap_or_else(|| "Unassigned".into())}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            }
                .erase()
        }}
    }
    .erase()
}
