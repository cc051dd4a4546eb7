//! A list of records: a table on wide screens, stacked cards on phones (same markup).

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::priority_badge::PriorityBadge;
use crate::components::state_badge::StateBadge;
use crate::context::use_zone;
use crate::domain::record::RecordSummary;
use crate::domain::sla::ClockBadge;
use crate::fmt;

#[component]
pub fn RecordTable(
    records: Vec<RecordSummary>,
    caption: &'static str,
    /// Agents' columns: priority, group, assignee, requester.
    #[prop(optional)]
    workload: bool,
    /// A checkbox per row (`numbers[]`), kept in this signal, and one to select the page.
    #[prop(optional)]
    selection: Option<RwSignal<Vec<String>>>,
    /// With agents' columns: each record's most pressing service-level clock.
    #[prop(optional)]
    badges: Vec<ClockBadge>,
) -> impl IntoView {
    let zone = use_zone();
    let all: Vec<String> = records.iter().map(|r| r.number.clone()).collect();
    let page_count = all.len();
    view! {
        <table class="records" class:records--selectable=selection.is_some()>
            <caption class="visually-hidden">{caption}</caption>
            <thead>
                <tr>
                    {selection
                        .map(|selected| {
                            view! {
                                <th scope="col" class="records__select">
                                    <input
                                        type="checkbox"
                                        aria-label="Select every row on this page"
                                        prop:checked=move || selected.with(|s| page_count > 0 && s.len() == page_count)
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            selected.set(if on { all.clone() } else { Vec::new() });
                                        }
                                    />
                                </th>
                            }
                        })}
                    <th scope="col">"Number"</th>
                    <th scope="col">"Title"</th>
                    <th scope="col">"State"</th>
                    {workload
                        .then(|| {
                            view! {
                                <th scope="col">"Priority"</th>
                                <th scope="col">"Service level"</th>
                                <th scope="col">"Requester"</th>
                                <th scope="col">"Group"</th>
                                <th scope="col">"Assignee"</th>
                            }
                        })}
                    <th scope="col">"Updated"</th>
                </tr>
            </thead>
            <tbody>
                {records
                    .into_iter()
                    .map(|r| {
                        let number = r.number.clone();
                        let title = r.title.clone();
                        let badge = badges.iter().find(|b| b.record == r.id).cloned();
                        view! {
                            <tr data-number=r.number.clone()>
                                {selection
                                    .map(|selected| {
                                        let (mine, toggled) = (number.clone(), number.clone());
                                        view! {
                                            <td class="records__select">
                                                <input
                                                    type="checkbox"
                                                    name="numbers[]"
                                                    value=number.clone()
                                                    aria-label=format!("Select {number}")
                                                    prop:checked=move || selected.with(|s| s.contains(&mine))
                                                    on:change=move |ev| {
                                                        let on = event_target_checked(&ev);
                                                        selected.update(|s| {
                                                            s.retain(|n| *n != toggled);
                                                            if on {
                                                                s.push(toggled.clone());
                                                            }
                                                        });
                                                    }
                                                />
                                            </td>
                                        }
                                    })}
                                <td data-label="Number" class="records__number">{r.number.clone()}</td>
                                <td data-label="Title" class="records__title">
                                    <A href=format!("/records/{}", r.number) attr:title=title>{r.title}</A>
                                </td>
                                <td data-label="State">
                                    <StateBadge state=r.state />
                                </td>
                                {workload
                                    .then(|| {
                                        view! {
                                            <td data-label="Priority">
                                                <PriorityBadge priority=r.priority />
                                            </td>
                                            <td data-label="Service level" class="records__sla">
                                                {badge
                                                    .map(|b| {
                                                        view! {
                                                            <span class=format!("badge badge--{}", b.tone())>{b.text(&zone)}</span>
                                                        }
                                                    })}
                                            </td>
                                            <td data-label="Requester">{r.requester_name}</td>
                                            <td data-label="Group">
                                                {r.group_name.unwrap_or_else(|| "—".into())}
                                            </td>
                                            <td data-label="Assignee">
                                                {r.assignee_name.unwrap_or_else(|| "Unassigned".into())}
                                            </td>
                                        }
                                    })}
                                <td data-label="Updated">
                                    <time datetime=fmt::iso(r.updated_at)>{zone.date_time(r.updated_at)}</time>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
