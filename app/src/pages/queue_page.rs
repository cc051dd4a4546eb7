//! Agents: the queue. Views (mine, my groups, unassigned, all open) with their counts,
//! filters, an order, and pages by keyset. Everything is in the query string: each view,
//! filter and page is a link, and the filter form works without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;

use crate::api::records::load_queue;
use crate::components::error_view::ErrorView;
use crate::components::record_table::RecordTable;
use crate::domain::queue::{QueuePage as Page, QueueParams, Sort, View};
use crate::domain::record::{RecordKind, RecordState};
use crate::error::AppError;

/// The query string as the queue's parameters.
fn params_from(query: &ParamsMap) -> QueueParams {
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
    let query: ParamsMap = pairs
        .into_iter()
        .filter_map(|(key, value)| value.clone().filter(|v| !v.is_empty()).map(|v| (key, v)))
        .collect();
    format!("/queue{}", query.to_query_string())
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

/// A filter's select: "any" first, then `options` as (value, label), `current` selected.
#[component]
fn FilterSelect(
    name: &'static str,
    label: &'static str,
    any: &'static str,
    current: Option<String>,
    options: Vec<(String, String)>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=name>{label}</label>
            <select id=name name=name>
                {(!any.is_empty()).then(|| view! { <option value="">{any}</option> })}
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let selected = current.as_deref() == Some(value.as_str());
                        view! { <option value=value selected=selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

#[component]
fn Filters(params: QueueParams, page: Page) -> impl IntoView {
    let pairs = |items: Vec<(&str, &str)>| -> Vec<(String, String)> {
        items.into_iter().map(|(v, l)| (v.to_owned(), l.to_owned())).collect()
    };
    let kinds = pairs(
        [RecordKind::Incident, RecordKind::Request, RecordKind::Task]
            .map(|k| (k.as_str(), k.label()))
            .to_vec(),
    );
    let states = pairs(RecordState::ALL.map(|s| (s.as_str(), s.label())).to_vec());
    let sorts = pairs(Sort::ALL.map(|s| (s.as_str(), s.label())).to_vec());
    let priorities = (1..=5u8).map(|p| (p.to_string(), format!("P{p}"))).collect();
    let groups = page.groups.iter().map(|g| (g.id.0.to_string(), g.name.clone())).collect();
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
            <FilterSelect name="kind" label="Kind" any="Any" current=params.kind.clone() options=kinds />
            <FilterSelect name="state" label="State" any="Any open" current=params.state.clone() options=states />
            <FilterSelect name="priority" label="Priority" any="Any" current=params.priority.clone() options=priorities />
            <FilterSelect name="group" label="Group" any="Any" current=params.group.clone() options=groups />
            <FilterSelect name="assignee" label="Assignee" any="Anyone" current=params.assignee.clone() options=people />
            <div class="field">
                <label for="from">"Opened from"</label>
                <input id="from" name="from" type="date" value=params.from.clone().unwrap_or_default() />
            </div>
            <div class="field">
                <label for="to">"Opened until"</label>
                <input id="to" name="to" type="date" value=params.to.clone().unwrap_or_default() />
            </div>
            <FilterSelect name="sort" label="Order" any="" current=params.sort.clone() options=sorts />
            <div class="actions">
                <button type="submit" class="button">"Apply"</button>
                <A href=href(&QueueParams { view: params.view.clone(), ..QueueParams::default() })>"Clear"</A>
            </div>
        </form>
    }
}
