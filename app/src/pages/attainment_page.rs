//! Agents: service-level attainment over a chosen period: clocks met and breached by
//! policy, group and clock, with the same table as CSV.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::api::reports::load_attainment;
use crate::components::erased::Erase;
use crate::components::error_view::ErrorView;
use crate::components::loaded::resource;
use crate::domain::attainment::Attainment;
use crate::error::AppError;

#[component]
pub fn AttainmentPage() -> impl IntoView {
    let query = use_query_map();
    let period = Memo::new(move |_| {
        let query = query.read();
        (query.get("from"), query.get("to"))
    });
    let report = resource(move || period.get(), |(from, to)| load_attainment(from, to));
    view! {
        <Title text="Service-level attainment" />
        <header class="page-header">
            <h1>"Service-level attainment"</h1>
            <p class="muted">"Clocks met and breached in the period, by policy, group and clock."</p>
        </header>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let (from, to) = period.get_untracked();
                match report.await {
                    Ok(report) => view! { <Report report /> }.erase(),
                    Err(AppError::Invalid(problems)) => {
                        view! {
                            <PeriodForm from=from.unwrap_or_default() to=to.unwrap_or_default() problems=problems.0.into_iter().collect() />
                        }
                            .erase()
                    }
                    Err(error) => view! { <ErrorView error /> }.erase(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PeriodForm(from: String, to: String, #[prop(optional)] problems: Vec<(String, String)>) -> impl IntoView {
    let message = |field: &str| problems.iter().find(|(f, _)| f == field).map(|(_, m)| m.clone());
    let (from_error, to_error) = (message("from"), message("to"));
    let (from_invalid, to_invalid) = (from_error.is_some(), to_error.is_some());
    view! {
        <Form method="GET" action="/reports/service-levels" attr:class="form form--inline panel">
            <div class="field" class:field--invalid=from_invalid>
                <label for="from">"From"</label>
                <input id="from" name="from" type="date" value=from aria-describedby="from-error" />
                <p id="from-error" class="field__error">{from_error}</p>
            </div>
            <div class="field" class:field--invalid=to_invalid>
                <label for="to">"To (included)"</label>
                <input id="to" name="to" type="date" value=to aria-describedby="to-error" />
                <p id="to-error" class="field__error">{to_error}</p>
            </div>
            <button type="submit" class="button">"Show"</button>
        </Form>
    }
}

#[component]
fn Report(report: Attainment) -> impl IntoView {
    let Attainment { period, lines } = report;
    let csv = format!("/reports/service-levels.csv?from={}&to={}", period.from, period.to);
    let (met, breached) = lines.iter().fold((0, 0), |(m, b), l| (m + l.met, b + l.breached));
    let overall = (met + breached > 0).then(|| (met * 100 + (met + breached) / 2) / (met + breached));
    view! {
        <PeriodForm from=period.from.to_string() to=period.to.to_string() />
        <p class="report__summary">
            {format!("{} to {}: {met} met, {breached} breached", period.from, period.to)}
            {overall.map(|p| format!(" ({p} % attained)"))}
            " · "
            <a href=csv download="service-levels.csv" rel="external">"Download CSV"</a>
        </p>
        {if lines.is_empty() {
            view! { <p class="empty-state">"No clock was met or breached in this period."</p> }.erase()
        } else {
            view! {
                <table class="records attainment">
                    <caption class="visually-hidden">"Attainment by policy, group and clock"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Policy"</th>
                            <th scope="col">"Group"</th>
                            <th scope="col">"Clock"</th>
                            <th scope="col">"Met"</th>
                            <th scope="col">"Breached"</th>
                            <th scope="col">"Attained"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {lines
                            .into_iter()
                            .map(|line| {
                                let percent = line.percent().map_or_else(|| "—".to_owned(), |p| format!("{p} %"));
                                view! {
                                    <tr>
                                        <td data-label="Policy">{line.policy.clone()}</td>
                                        <td data-label="Group">{line.group.clone().unwrap_or_else(|| "No group".into())}</td>
                                        <td data-label="Clock">{line.clock.clone()}</td>
                                        <td data-label="Met">{line.met}</td>
                                        <td data-label="Breached">{line.breached}</td>
                                        <td data-label="Attained">{percent}</td>
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
