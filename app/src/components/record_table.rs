//! A list of records: a table on wide screens, stacked cards on phones (same markup).

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::priority_badge::PriorityBadge;
use crate::components::state_badge::StateBadge;
use crate::domain::record::RecordSummary;
use crate::fmt;

#[component]
pub fn RecordTable(
    records: Vec<RecordSummary>,
    caption: &'static str,
    /// Agents' columns: priority, group, assignee, requester.
    #[prop(optional)]
    workload: bool,
) -> impl IntoView {
    view! {
        <table class="records">
            <caption class="visually-hidden">{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">"Number"</th>
                    <th scope="col">"Title"</th>
                    <th scope="col">"State"</th>
                    {workload
                        .then(|| {
                            view! {
                                <th scope="col">"Priority"</th>
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
                        view! {
                            <tr>
                                <td data-label="Number" class="records__number">{r.number.clone()}</td>
                                <td data-label="Title" class="records__title">
                                    <A href=format!("/records/{}", r.number)>{r.title}</A>
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
                                    <time datetime=fmt::iso(r.updated_at)>{fmt::date_time(r.updated_at)}</time>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
