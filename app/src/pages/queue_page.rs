//! Agents: the queue. Views (mine, my groups, unassigned, all open) with their counts,
//! filters, an order, and pages by keyset. Everything is in the query string: each view,
//! filter and page is a link, and the filter form works without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::records::load_queue;
use crate::components::error_view::ErrorView;
use crate::components::record_table::RecordTable;
use crate::domain::queue::{QueuePage as Page, QueueParams, Sort, View};
use crate::domain::record::{RecordKind, RecordState};
use crate::error::AppError;

/// The query string as the queue's parameters.
fn params_from(query: &leptos_router::params::ParamsMap) -> QueueParams {
    let get = |key: &str| query.get(key);
    QueueParams {
        view: get("view"),
        kind: get("kind"),
        state: get("state"),
        priority: get("priority"),
        group: get("group"),
        assignee: get("assignee"),
        from: get("from"),
        to: get("to"),
        q: get("q"),
        sort: get("sort"),
        after: get("after"),
    }
}

/// `/queue?…` for `params`, leaving out what is empty.
fn href(params: &QueueParams) -> String {
    let pairs = [
        ("view", &params.view),
        ("kind", &params.kind),
        ("state", &params.state),
        ("priority", &params.priority),
        ("group", &params.group),
        ("assignee", &params.assignee),
        ("from", &params.from),
        ("to", &params.to),
        ("q", &params.q),
        ("sort", &params.sort),
        ("after", &params.after),
    ];
    let query: Vec<String> = pairs
        .iter()
        .filter_map(|(key, value)| value.as_deref().filter(|v| !v.is_empty()).map(|v| (key, v)))
        .map(|(key, value)| format!("{key}={}", urlencoding(value)))
        .collect();
    if query.is_empty() { "/queue".into() } else { format!("/queue?{}", query.join("&")) }
}

fn urlencoding(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b' ' => "+".into(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[component]
pub fn QueuePage() -> impl IntoView {
    let query = use_query_map();
    let params = Memo::new(move |_| params_from(&query.read()));
    let page = Resource::new(move || params.get(), |params| load_queue(Some(params)));
    view! {
        <Title text="Queue" />
        <header class="page-header">
            <h1>"Queue"</h1>
        </header>
        <Suspense fallback=|| view! { <p class="loading">"Loading the queue…"</p> }>
            {move || Suspend::new(async move {
                let current = params.get_untracked();
                match page.await {
                    Ok(page) => view! { <Queue page params=current /> }.into_any(),
                    Err(AppError::Invalid(problems)) => {
                        let messages: Vec<String> = problems.0.into_values().collect();
                        view! {
                            <p class="form-error" role="alert">{messages.join(" ")}</p>
                            <p><A href="/queue">"Start again from My groups"</A></p>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorView error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Queue(page: Page, params: QueueParams) -> impl IntoView {
    let view = params.view.as_deref().and_then(View::parse).unwrap_or_default();
    let tabs = View::ALL
        .iter()
        .map(|v| {
            let link = QueueParams { view: Some(v.as_str().into()), after: None, ..params.clone() };
            let current = (*v == view).then_some("page");
            view! {
                <li>
                    <A href=href(&link) attr:aria-current=current attr:class="tab">
                        {v.label()}
                        " "
                        <span class="tab__count">{page.counts.of(*v)}</span>
                    </A>
                </li>
            }
        })
        .collect_view();
    let next = page.next.clone().map(|after| href(&QueueParams { after: Some(after), ..params.clone() }));
    let first = params.after.is_some().then(|| href(&QueueParams { after: None, ..params.clone() }));
    let empty = page.rows.is_empty();
    view! {
        <nav aria-label="Views">
            <ul class="tabs">{tabs}</ul>
        </nav>
        <Filters params=params.clone() page=page.clone() />
        {if empty {
            view! { <p class="empty-state">"Nothing here. Try another view or fewer filters."</p> }.into_any()
        } else {
            view! { <RecordTable records=page.rows caption="Queue" workload=true /> }.into_any()
        }}
        <nav class="pager" aria-label="Pages">
            {first.map(|href| view! { <A href=href>"First page"</A> })}
            {next.map(|href| view! { <A href=href attr:rel="next">"Next page"</A> })}
        </nav>
    }
}

#[component]
fn Filters(params: QueueParams, page: Page) -> impl IntoView {
    let chosen = |value: &Option<String>, option: &str| value.as_deref() == Some(option);
    let people: Vec<(String, String)> = {
        let mut people: Vec<(String, String)> = page
            .groups
            .iter()
            .flat_map(|g| g.members.iter().map(|(id, name)| (id.0.to_string(), name.clone())))
            .collect();
        people.sort_by(|a, b| a.1.cmp(&b.1));
        people.dedup();
        people
    };
    view! {
        <form method="get" action="/queue" class="filters queue-filters" aria-label="Filters">
            <input type="hidden" name="view" value=params.view.clone().unwrap_or_default() />
            <div class="field">
                <label for="q">"Words or number"</label>
                <input id="q" name="q" type="search" value=params.q.clone().unwrap_or_default() />
            </div>
            <div class="field">
                <label for="kind">"Kind"</label>
                <select id="kind" name="kind">
                    <option value="">"Any"</option>
                    {[RecordKind::Incident, RecordKind::Request, RecordKind::Task]
                        .into_iter()
                        .map(|k| view! { <option value=k.as_str() selected=chosen(&params.kind, k.as_str())>{k.label()}</option> })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="state">"State"</label>
                <select id="state" name="state">
                    <option value="">"Any open"</option>
                    {RecordState::ALL
                        .into_iter()
                        .map(|s| view! { <option value=s.as_str() selected=chosen(&params.state, s.as_str())>{s.label()}</option> })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="priority">"Priority"</label>
                <select id="priority" name="priority">
                    <option value="">"Any"</option>
                    {(1..=5u8)
                        .map(|p| {
                            let value = p.to_string();
                            let selected = chosen(&params.priority, &value);
                            view! { <option value=value.clone() selected=selected>{format!("P{p}")}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="group">"Group"</label>
                <select id="group" name="group">
                    <option value="">"Any"</option>
                    {page
                        .groups
                        .iter()
                        .map(|g| {
                            let value = g.id.0.to_string();
                            let selected = chosen(&params.group, &value);
                            view! { <option value=value.clone() selected=selected>{g.name.clone()}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="assignee">"Assignee"</label>
                <select id="assignee" name="assignee">
                    <option value="">"Anyone"</option>
                    {people
                        .into_iter()
                        .map(|(id, name)| {
                            let selected = chosen(&params.assignee, &id);
                            view! { <option value=id selected=selected>{name}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="from">"Opened from"</label>
                <input id="from" name="from" type="date" value=params.from.clone().unwrap_or_default() />
            </div>
            <div class="field">
                <label for="to">"Opened until"</label>
                <input id="to" name="to" type="date" value=params.to.clone().unwrap_or_default() />
            </div>
            <div class="field">
                <label for="sort">"Order"</label>
                <select id="sort" name="sort">
                    {Sort::ALL
                        .into_iter()
                        .map(|s| view! { <option value=s.as_str() selected=chosen(&params.sort, s.as_str())>{s.label()}</option> })
                        .collect_view()}
                </select>
            </div>
            <div class="actions">
                <button type="submit" class="button">"Apply"</button>
                <A href=href(&QueueParams { view: params.view.clone(), ..QueueParams::default() })>"Clear"</A>
            </div>
        </form>
    }
}
