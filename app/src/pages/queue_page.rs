//! Agents: the queue. Views (mine, my groups, unassigned, all open) with their counts, the
//! agent's saved views, filters, an order, and pages by keyset. Everything is in the query
//! string: each view, filter and page is a link, and the filter form works without
//! JavaScript. Selected rows change together; keys move through the rows.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;

use crate::api::queue::{BulkUpdate, DeleteView, SaveView};
use crate::api::records::load_queue;
use crate::components::erased::Erase;
use crate::components::error_view::ErrorView;
use crate::components::form_status::{FormStatus, failure, field_error, saved_version};
use crate::components::loaded::resource;
use crate::components::record_table::RecordTable;
use crate::components::server_form::{FormAction, ServerForm};
use crate::domain::lifecycle::{HoldReason, ResolutionCode};
use crate::domain::queue::{BulkChange, QueuePage as Page, QueueParams, SavedView, Sort, View};
use crate::domain::record::{Priority, RecordKind, RecordState};
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

/// The queue's writes, made here so their results outlive the page they reload.
#[derive(Clone, Copy)]
struct Writes {
    bulk: FormAction<BulkUpdate>,
    save: FormAction<SaveView>,
    delete: FormAction<DeleteView>,
}

#[component]
pub fn QueuePage() -> impl IntoView {
    let query = use_query_map();
    let params = Memo::new(move |_| params_from(&query.read()));
    let writes = Writes { bulk: FormAction::new(), save: FormAction::new(), delete: FormAction::new() };
    let done = [saved_version(writes.bulk), saved_version(writes.save), saved_version(writes.delete)];
    let page = resource(
        move || (params.get(), done.map(|version| version.get())),
        |(params, _)| load_queue(Some(params)),
    );
    view! {
        <Title text="Queue" />
        <header class="page-header">
            <h1>"Queue"</h1>
        </header>
        <Suspense fallback=|| view! { <p class="loading">"Loading the queue…"</p> }>
            {move || Suspend::new(async move {
                let current = params.get_untracked();
                match page.await {
                    Ok(page) => view! { <Queue page params=current writes /> }.erase(),
                    Err(AppError::Invalid(problems)) => {
                        let messages: Vec<String> = problems.0.into_values().collect();
                        view! {
                            <p class="form-error" role="alert">{messages.join(" ")}</p>
                            <p><A href="/queue">"Start again from My groups"</A></p>
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
fn Queue(page: Page, params: QueueParams, writes: Writes) -> impl IntoView {
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
    let this_query =
        href(&params.first_page()).trim_start_matches("/queue?").trim_start_matches("/queue").to_owned();
    view! {
        <div class="queue-bar">
            <nav aria-label="Views">
                <ul class="tabs">
                    {tabs}
                    <li>
                        <A href="/queue/breaching" attr:class="tab">"Breaching soon"</A>
                    </li>
                </ul>
            </nav>
            <SavedViews saved=page.saved.clone() query=this_query writes />
        </div>
        <Filters params=params.clone() page=page.clone() />
        {if empty {
            view! { <p class="empty-state">"Nothing here. Try another view or fewer filters."</p> }.erase()
        } else {
            view! { <Worklist page=page.clone() bulk=writes.bulk /> }.erase()
        }}
        <nav class="pager" aria-label="Pages">
            {first.map(|href| view! { <A href=href>"First page"</A> })}
            {next.map(|href| view! { <A href=href attr:rel="next">"Next page"</A> })}
        </nav>
    }
}

/// The agent's saved views as links, each with a delete button, and a form that saves the
/// queue as it is now filtered under a name.
#[component]
fn SavedViews(saved: Vec<SavedView>, query: String, writes: Writes) -> impl IntoView {
    let Writes { save, delete, .. } = writes;
    let save_failure = failure(save);
    let name_error = field_error(save_failure, "name");
    let delete_failure = failure(delete);
    view! {
        <section class="saved-views" aria-label="Saved views">
            {(!saved.is_empty())
                .then(|| {
                    view! {
                        <ul class="saved-views__list">
                            {saved
                                .into_iter()
                                .map(|v| {
                                    let link = if v.query.is_empty() { "/queue".to_owned() } else { format!("/queue?{}", v.query) };
                                    let name = v.name.clone();
                                    view! {
                                        <li class="saved-view">
                                            <A href=link attr:class="saved-view__link">{name}</A>
                                            <ServerForm action=delete attr:class="saved-view__delete">
                                                <input type="hidden" name="id" value=v.id.to_string() />
                                                <button type="submit" class="button button--quiet" aria-label=format!("Delete saved view {}", v.name)>
                                                    "×"
                                                </button>
                                            </ServerForm>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })}
            <FormStatus failure=delete_failure succeeded=Signal::derive(|| false) saved="" />
            <details class="save-view">
                <summary>"Save this view"</summary>
                <ServerForm action=save attr:class="form save-view__form">
                    <input type="hidden" name="query" value=query />
                    <div class="field" class:field--invalid=move || name_error.read().is_some()>
                        <label for="view-name">"Name"</label>
                        <input id="view-name" name="name" maxlength="60" required aria-describedby="view-name-error" />
                        <p id="view-name-error" class="field__error">{move || name_error.get()}</p>
                    </div>
                    <button type="submit" class="button">"Save view"</button>
                </ServerForm>
            </details>
            {move || {
                save.value()
                    .get()
                    .and_then(Result::ok)
                    .map(|v| view! { <p class="form-ok" role="status">{format!("Saved as “{}”.", v.name)}</p> })
            }}
        </section>
    }
}

/// The rows with a checkbox each, the bulk change bar above them, and the keys: j and k
/// move between rows, Enter opens one, a assigns it to me, x selects it.
#[component]
fn Worklist(page: Page, bulk: FormAction<BulkUpdate>) -> impl IntoView {
    let selected = RwSignal::new(Vec::<String>::new());
    let numbers: Vec<String> = page.rows.iter().map(|r| r.number.clone()).collect();
    keyboard(numbers, selected, bulk);
    let failure = failure(bulk);
    let (change, set_change) = signal(String::new());
    let hydrated = crate::context::use_hydrated();
    let hide = move |wanted: &'static str| Signal::derive(move || hydrated.get() && change.get() != wanted);
    let message = move || {
        failure.get().map(|error| match error {
            AppError::Invalid(fields) => fields.0.into_values().collect::<Vec<_>>().join(" "),
            other => other.to_string(),
        })
    };
    let outcome = move || bulk.value().get().and_then(Result::ok).map(|o| o.summary());
    let targets: Vec<(String, String)> = page
        .groups
        .iter()
        .flat_map(|g| {
            std::iter::once((format!("{}:", g.id), format!("{} (the group)", g.name))).chain(
                g.members
                    .iter()
                    .map(move |(id, name)| (format!("{}:{}", g.id, id), format!("{name} · {}", g.name))),
            )
        })
        .collect();
    let states = [RecordState::InProgress, RecordState::OnHold, RecordState::Resolved, RecordState::Closed]
        .map(|s| (s.as_str().to_owned(), s.label().to_owned()))
        .to_vec();
    let holds = HoldReason::ALL.iter().map(|r| (r.as_str().to_owned(), r.label().to_owned())).collect();
    let codes = ResolutionCode::ALL.iter().map(|c| (c.as_str().to_owned(), c.label().to_owned())).collect();
    let priorities = (1..=5u8)
        .filter_map(Priority::new)
        .map(|p| (p.level().to_string(), format!("P{} {}", p.level(), p.label())))
        .collect();
    view! {
        <ServerForm action=bulk attr:class="worklist" attr:novalidate=true>
            <div class="bulk" role="group" aria-label="Change the selected rows">
                <p class="bulk__count" aria-live="polite">
                    {move || match selected.with(Vec::len) {
                        0 => "Select rows to change several at once.".to_owned(),
                        1 => "1 selected".to_owned(),
                        n => format!("{n} selected"),
                    }}
                </p>
                <div class="field">
                    <label for="bulk-change">"Do"</label>
                    <select id="bulk-change" name="change" on:change=move |ev| set_change.set(event_target_value(&ev))>
                        <option value="">"Choose…"</option>
                        {BulkChange::ALL.iter().map(|c| view! { <option value=c.as_str()>{c.label()}</option> }).collect_view()}
                    </select>
                </div>
                <SelectField id="bulk-assignee" name="assignee" label="Assign to" any="Choose…" current=None options=targets hidden=hide("assign") />
                <SelectField id="bulk-state" name="state" label="State" any="Choose…" current=None options=states hidden=hide("move") />
                <SelectField id="bulk-hold" name="hold_reason" label="Waiting for (on hold)" any="Choose…" current=None options=holds hidden=hide("move") />
                <SelectField id="bulk-code" name="resolution_code" label="Resolution (resolved)" any="Choose…" current=None options=codes hidden=hide("move") />
                <div class="field" hidden=hide("move")>
                    <label for="bulk-notes">"What was done (resolved)"</label>
                    <input id="bulk-notes" name="resolution_notes" maxlength="4000" />
                </div>
                <SelectField id="bulk-priority" name="priority" label="Priority" any="Choose…" current=None options=priorities hidden=hide("priority") />
                <button type="submit" class="button button--primary">"Apply to selected"</button>
                <p class="muted keys-hint">"Keys: j and k move, Enter opens, a assigns to me, x selects."</p>
            </div>
            {move || message().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
            {move || outcome().map(|m| view! { <p class="form-ok" role="status">{m}</p> })}
            <RecordTable records=page.rows caption="Queue" workload=true selection=selected badges=page.badges />
        </ServerForm>
    }
}

/// The queue's keys, once the page runs in the browser. They stay out of the way while
/// someone types in a field or holds a modifier.
fn keyboard(numbers: Vec<String>, selected: RwSignal<Vec<String>>, bulk: FormAction<BulkUpdate>) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        use leptos::web_sys::{HtmlElement, KeyboardEvent};
        let current = StoredValue::new(None::<usize>);
        let focus = |index: usize| {
            let row = document().query_selector(&format!(
                "table.records tbody tr:nth-child({}) .records__title a",
                index + 1
            ));
            if let Some(link) = row.ok().flatten().and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
                let _ = link.focus();
            }
        };
        let handle = window_event_listener(leptos::ev::keydown, move |ev: KeyboardEvent| {
            if ev.ctrl_key() || ev.meta_key() || ev.alt_key() || numbers.is_empty() {
                return;
            }
            let typing = ev
                .target()
                .and_then(|t| t.dyn_into::<leptos::web_sys::Element>().ok())
                .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"));
            if typing {
                return;
            }
            let last = numbers.len() - 1;
            let at = current.get_value();
            match ev.key().as_str() {
                "j" => {
                    let next = at.map_or(0, |i| (i + 1).min(last));
                    current.set_value(Some(next));
                    focus(next);
                }
                "k" => {
                    let previous = at.map_or(0, |i| i.saturating_sub(1));
                    current.set_value(Some(previous));
                    focus(previous);
                }
                "x" => {
                    if let Some(number) = at.and_then(|i| numbers.get(i)).cloned() {
                        selected.update(|s| {
                            if s.contains(&number) {
                                s.retain(|n| *n != number);
                            } else {
                                s.push(number);
                            }
                        });
                    }
                }
                "a" => {
                    if let Some(number) = at.and_then(|i| numbers.get(i)).cloned() {
                        bulk.send(&[
                            ("numbers[]", number.as_str()),
                            ("change", BulkChange::AssignToMe.as_str()),
                        ]);
                    }
                }
                _ => return,
            }
            ev.prevent_default();
        });
        on_cleanup(move || handle.remove());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (numbers, selected, bulk);
}

/// A labelled select: "any" first (unless empty), then `options` as (value, label),
/// `current` selected. Its id is `name` unless given.
#[component]
fn SelectField(
    name: &'static str,
    label: &'static str,
    any: &'static str,
    current: Option<String>,
    options: Vec<(String, String)>,
    #[prop(optional)] id: Option<&'static str>,
    #[prop(optional, into)] hidden: Signal<bool>,
) -> impl IntoView {
    let id = id.unwrap_or(name);
    view! {
        <div class="field" hidden=hidden>
            <label for=id>{label}</label>
            <select id=id name=name>
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
            <SelectField name="kind" label="Kind" any="Any" current=params.kind.clone() options=kinds />
            <SelectField name="state" label="State" any="Any open" current=params.state.clone() options=states />
            <SelectField name="priority" label="Priority" any="Any" current=params.priority.clone() options=priorities />
            <SelectField name="group" label="Group" any="Any" current=params.group.clone() options=groups />
            <SelectField name="assignee" label="Assignee" any="Anyone" current=params.assignee.clone() options=people />
            <div class="field">
                <label for="from">"Opened from"</label>
                <input id="from" name="from" type="date" value=params.from.clone().unwrap_or_default() />
            </div>
            <div class="field">
                <label for="to">"Opened until"</label>
                <input id="to" name="to" type="date" value=params.to.clone().unwrap_or_default() />
            </div>
            <SelectField name="sort" label="Order" any="" current=params.sort.clone() options=sorts />
            <div class="actions">
                <button type="submit" class="button">"Apply"</button>
                <A href=href(&QueueParams { view: params.view.clone(), ..QueueParams::default() })>"Clear"</A>
            </div>
        </form>
    }
}
