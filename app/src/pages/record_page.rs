//! One record: its details, its timeline as the viewer may read it, and a reply box.
//! A record the viewer may not read looks exactly like one that does not exist.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::record_cis::RecordCis;
use super::record_clocks::Clocks;
use super::record_links::{Attachments, Links, Watchers};
use super::record_work::{FieldsPanel, MovePanel};
use crate::api::approvals::CloseTask as CloseTaskAction;
use crate::api::cmdb::{LinkRecordCi, UnlinkRecordCi};
use crate::api::incidents::{
    AddWatcher, AssignToMe, LinkRecord, MoveRecord, RemoveWatcher, UnlinkRecord, UpdateRecord,
};
use crate::api::records::{
    AddComment, AskApprovalAgain, CancelRequest as CancelRequestAction, ReopenRequest as ReopenRequestAction,
    get_record,
};
use crate::components::erased::Erase;
use crate::components::form_status::{FormStatus, failure, field_error, saved_version, succeeded};
use crate::components::loaded::{loaded, resource};
use crate::components::priority_badge::PriorityBadge;
use crate::components::prose::Prose;
use crate::components::record_table::RecordTable;
use crate::components::server_form::{FormAction, ServerForm};
use crate::components::state_badge::StateBadge;
use crate::context::use_zone;
use crate::domain::approval::{ApprovalView, Decision};
use crate::domain::canned::CannedResponse;
use crate::domain::event::{TimelineEvent, Visibility};
use crate::domain::record::{RecordDetail, RecordPage as Page};
use crate::domain::record::{RecordKind, RecordState};
use crate::fmt;

#[component]
pub fn RecordPage() -> impl IntoView {
    let params = use_params_map();
    let number = move || params.read().get("number").unwrap_or_default();
    let actions = Actions {
        add: FormAction::new(),
        close: FormAction::new(),
        cancel: FormAction::new(),
        reopen: FormAction::new(),
        ask_again: FormAction::new(),
        move_record: FormAction::new(),
        update: FormAction::new(),
        assign: FormAction::new(),
        link: FormAction::new(),
        unlink: FormAction::new(),
        watch: FormAction::new(),
        unwatch: FormAction::new(),
        link_ci: FormAction::new(),
        unlink_ci: FormAction::new(),
    };
    let done = [
        saved_version(actions.add),
        saved_version(actions.close),
        saved_version(actions.cancel),
        saved_version(actions.reopen),
        saved_version(actions.ask_again),
        saved_version(actions.move_record),
        saved_version(actions.update),
        saved_version(actions.assign),
        saved_version(actions.link),
        saved_version(actions.unlink),
        saved_version(actions.watch),
        saved_version(actions.unwatch),
        saved_version(actions.link_ci),
        saved_version(actions.unlink_ci),
    ];
    let page =
        resource(move || (number(), done.map(|version| version.get())), |(number, _)| get_record(number));
    loaded(page, move |page| view! { <RecordView page actions /> })
}

/// What can be done on a record page; the page loads again after each.
#[derive(Clone, Copy)]
struct Actions {
    add: FormAction<AddComment>,
    close: FormAction<CloseTaskAction>,
    cancel: FormAction<CancelRequestAction>,
    reopen: FormAction<ReopenRequestAction>,
    ask_again: FormAction<AskApprovalAgain>,
    move_record: FormAction<MoveRecord>,
    update: FormAction<UpdateRecord>,
    assign: FormAction<AssignToMe>,
    link: FormAction<LinkRecord>,
    unlink: FormAction<UnlinkRecord>,
    watch: FormAction<AddWatcher>,
    unwatch: FormAction<RemoveWatcher>,
    link_ci: FormAction<LinkRecordCi>,
    unlink_ci: FormAction<UnlinkRecordCi>,
}

#[component]
fn RecordView(page: Page, actions: Actions) -> impl IntoView {
    let Actions {
        add,
        close,
        cancel,
        reopen,
        ask_again,
        move_record,
        update,
        assign,
        link,
        unlink,
        watch,
        unwatch,
        link_ci,
        unlink_ci,
    } = actions;
    let Page {
        record,
        answers,
        approvals,
        tasks,
        timeline,
        may_write_work_notes,
        may_cancel,
        may_reopen,
        may_ask_again,
        may_update,
        assignment,
        attachments,
        attachment_limit,
        open_to_replies,
        links,
        watchers,
        canned,
        cis,
        impacted,
        clocks,
    } = page;
    let closable_task = may_write_work_notes && record.kind == RecordKind::Task && record.state.is_open();
    let query = use_query_map();
    let just_ordered = query.read_untracked().get("ordered").is_some();
    let just_reported = query.read_untracked().get("reported").is_some();
    let number = record.number.clone();
    // Three parts, each type-erased: one view type for the whole page is too deep to compile.
    let head = view! {
            <header class="page-header">
                <p class="eyebrow records__number">{format!("{} · {}", record.kind.label(), record.number)}</p>
                <h1>{record.title.clone()}</h1>
                <p class="record__badges">
                    <StateBadge state=record.state />
                    <PriorityBadge priority=record.priority />
                    {(open_to_replies || may_write_work_notes)
                        .then(|| view! { <a class="record__jump" href="#composer">"Reply"</a> })}
                </p>
            </header>
            {just_ordered
                .then(|| {
                    view! {
                        <section class="notice notice--ok" role="status">
                            <h2>{format!("Request {} is in", record.number)}</h2>
                            <p>
                                {match &record.group_name {
                                    Some(team) => format!("The {team} team picks it up next. Every step shows here, and under My requests."),
                                    None => "The service desk picks it up next. Every step shows here, and under My requests.".to_owned(),
                                }}
                            </p>
                        </section>
                    }
                })}
            {just_reported
                .then(|| {
                    view! {
                        <section class="notice notice--ok" role="status">
                            <h2>{format!("Incident {} is reported", record.number)}</h2>
                            <p>"The service desk looks at it next. Replies and every change show here, and you are notified."</p>
                        </section>
                    }
                })}
            <RecordFacts record=record.clone() />
            <Resolution record=record.clone() />
            {may_update
                .then(|| {
                    view! {
                        <div class="work-panels">
                            <FieldsPanel record=record.clone() groups=assignment update assign />
                            <MovePanel record=record.clone() action=move_record />
                        </div>
                    }
                })}
            {(!clocks.is_empty()).then(|| view! { <Clocks clocks /> }.erase())}
    }
    .erase();
    let body = view! {
            {(!answers.is_empty())
                .then(|| {
                    view! {
                        <section class="answers" aria-labelledby="answers-heading">
                            <h2 id="answers-heading">"Answers"</h2>
                            <dl class="facts facts--stacked">
                                {answers
                                    .into_iter()
                                    .map(|(question, answer)| {
                                        view! {
                                            <div>
                                                <dt>{question}</dt>
                                                <dd>{answer}</dd>
                                            </div>
                                        }
                                    })
                                    .collect_view()}
                            </dl>
                        </section>
                    }
                })}
            {(!record.description.as_str().is_empty())
                .then(|| {
                    view! {
                        <section class="record__description" aria-label="Description">
                            <Prose html=record.description.clone() />
                        </section>
                    }
                })}
            {(may_update || !cis.is_empty())
                .then(|| view! { <RecordCis number=record.number.clone() cis impacted may_update link_ci unlink_ci /> })}
            {(!approvals.is_empty()).then(|| view! { <ApprovalChain approvals /> })}
            {may_ask_again.then(|| view! { <AskAgain number=record.number.clone() ask_again /> })}
            {(!tasks.is_empty())
                .then(|| {
                    let done = tasks.iter().filter(|t| !t.state.is_open()).count();
                    let total = tasks.len();
                    view! {
                        <section class="tasks" aria-labelledby="tasks-heading">
                            <h2 id="tasks-heading">{format!("Fulfilment: {done} of {total} tasks done")}</h2>
                            <RecordTable records=tasks caption="Fulfilment tasks" workload=true />
                        </section>
                    }
                })}
            {may_update
                .then(|| {
                    view! {
                        <div class="work-panels">
                            <Links number=record.number.clone() links link unlink />
                            <Watchers number=record.number.clone() watchers watch unwatch />
                        </div>
                    }
                })}
            {closable_task.then(|| view! { <CloseTask number=record.number.clone() close /> })}
            {may_cancel.then(|| view! { <CancelRequest number=record.number.clone() cancel /> })}
            {may_reopen.then(|| view! { <ReopenRequest number=record.number.clone() kind=record.kind reopen /> })}
    }
    .erase();
    let activity = view! {
            <section class="timeline" aria-labelledby="timeline-heading">
                <h2 id="timeline-heading">"Activity"</h2>
                <ol class="timeline__list">
                    {timeline.into_iter().map(|event| view! { <TimelineItem event /> }).collect_view()}
                </ol>
            </section>
            <Attachments number=number.clone() files=attachments limit=attachment_limit may_attach=open_to_replies />
            {if open_to_replies || may_write_work_notes {
                view! { <CommentForm number add may_write_work_notes open_to_replies canned /> }.erase()
            } else {
                view! {
                    <p class="notice closed-note">
                        {format!("{} is {}. Still a problem? ", record.number, record.state.label().to_lowercase())}
                        <A href="/report">"Report a new issue"</A>
                        {format!(" and mention {}.", record.number)}
                    </p>
                }
                    .erase()
            }}
    }
    .erase();
    view! {
        <Title text=format!("{} · {}", record.number, record.title) />
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            {if may_write_work_notes {
                view! { <A href="/queue">"Queue"</A> }.erase()
            } else {
                view! { <A href="/requests">"My requests"</A> }.erase()
            }}
            <span aria-hidden="true">" / "</span>
            <span>{record.number.clone()}</span>
        </nav>
        <article class="record">{head}{body}{activity}</article>
    }
}

#[component]
fn ApprovalChain(approvals: Vec<ApprovalView>) -> impl IntoView {
    let zone = use_zone();
    view! {
        <section class="approvals" aria-labelledby="approvals-heading">
            <h2 id="approvals-heading">"Approval"</h2>
            <ol class="list">
                {approvals
                    .into_iter()
                    .map(|a| {
                        let (tone, status) = match a.decision {
                            None => ("warn", "Waiting"),
                            Some(Decision::Approved) => ("ok", "Approved"),
                            Some(Decision::Rejected) => ("danger", "Rejected"),
                            Some(Decision::Skipped) => ("neutral", "Not needed"),
                        };
                        let when = a.decided_at.unwrap_or(a.asked_at);
                        view! {
                            <li class="list__item">
                                <span class=format!("badge badge--{tone}")>{status}</span>
                                " "
                                <strong>{a.approver_name}</strong>
                                <span class="muted">
                                    {format!(" · step {} · ", a.step + 1)}
                                    <time datetime=fmt::iso(when)>{zone.date_time(when)}</time>
                                </span>
                                {(!a.comment.is_empty()).then(|| view! { <p>{a.comment}</p> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}

/// For agents, on a request waiting for an approval nobody was asked for.
#[component]
fn AskAgain(number: String, ask_again: FormAction<AskApprovalAgain>) -> impl IntoView {
    let failure = failure(ask_again);
    view! {
        <section class="notice notice--warn stuck" aria-labelledby="stuck-heading">
            <h2 id="stuck-heading">"Nobody is asked to approve this"</h2>
            <p>"The work notes say who is missing. Once an admin has set the requester's manager or the group's members, ask again."</p>
            <ServerForm action=ask_again>
                <input type="hidden" name="number" value=number />
                <FormStatus failure succeeded=Signal::derive(|| false) saved="" />
                <button type="submit" class="button button--primary">"Ask for approval again"</button>
            </ServerForm>
        </section>
    }
}

#[component]
fn CloseTask(number: String, close: FormAction<CloseTaskAction>) -> impl IntoView {
    let failure = failure(close);
    view! {
        <ServerForm action=close attr:class="panel">
            <input type="hidden" name="number" value=number />
            <FormStatus failure succeeded=succeeded(close) saved="Task closed." />
            <button type="submit" class="button button--primary">"Close task"</button>
        </ServerForm>
    }
}

#[component]
fn CancelRequest(number: String, cancel: FormAction<CancelRequestAction>) -> impl IntoView {
    let failure = failure(cancel);
    view! {
        <details class="panel cancel">
            <summary>"Cancel this request"</summary>
            <p class="muted">"Anything not yet done for it stops. You can't undo this."</p>
            <ServerForm action=cancel>
                <input type="hidden" name="number" value=number />
                <FormStatus failure succeeded=Signal::derive(|| false) saved="" />
                <button type="submit" class="button button--danger">"Cancel request"</button>
            </ServerForm>
        </details>
    }
}

#[component]
fn ReopenRequest(number: String, kind: RecordKind, reopen: FormAction<ReopenRequestAction>) -> impl IntoView {
    let failure = failure(reopen);
    let error = field_error(failure, "reason");
    view! {
        <details class="panel reopen">
            <summary>"Not done? Reopen it"</summary>
            <ServerForm action=reopen attr:class="form">
                <input type="hidden" name="number" value=number />
                <div class="field" class:field--invalid=move || error.read().is_some()>
                    <label for="reason">"What is still missing?"</label>
                    <textarea id="reason" name="reason" rows="3" maxlength="2000" aria-describedby="reason-error"></textarea>
                    <p id="reason-error" class="field__error">{move || error.get()}</p>
                </div>
                <button type="submit" class="button">{format!("Reopen {}", kind.label().to_lowercase())}</button>
            </ServerForm>
        </details>
    }
}

#[component]
fn RecordFacts(record: RecordDetail) -> impl IntoView {
    let zone = use_zone();
    let or_dash = |value: Option<String>| value.unwrap_or_else(|| "—".into());
    view! {
        <dl class="facts">
            <div>
                <dt>"Requested for"</dt>
                <dd>{record.requester_name}</dd>
            </div>
            <div>
                <dt>"Opened by"</dt>
                <dd>{record.opened_by_name}</dd>
            </div>
            <div>
                <dt>"Opened"</dt>
                <dd>
                    <time datetime=fmt::iso(record.opened_at)>{zone.date_time(record.opened_at)}</time>
                </dd>
            </div>
            <div>
                <dt>"Group"</dt>
                <dd>{or_dash(record.group_name)}</dd>
            </div>
            <div>
                <dt>"Assigned to"</dt>
                <dd>{record.assignee_name.unwrap_or_else(|| "Not yet assigned".into())}</dd>
            </div>
            {record
                .catalog_item_name
                .map(|item| {
                    view! {
                        <div>
                            <dt>"Catalog item"</dt>
                            <dd>{item}</dd>
                        </div>
                    }
                })}
        </dl>
    }
}

/// Why it is on hold, or how it was resolved.
#[component]
fn Resolution(record: RecordDetail) -> impl IntoView {
    match (record.state, record.hold_reason, record.resolution_code) {
        (RecordState::OnHold, Some(reason), _) => view! {
            <p class="notice notice--warn">{format!("On hold: {}.", reason.label().to_lowercase())}</p>
        }
        .erase(),
        (RecordState::Resolved | RecordState::Closed, _, Some(code)) => view! {
            <section class="notice notice--ok resolution" aria-labelledby="resolution-heading">
                <h2 id="resolution-heading">{format!("Resolution: {}", code.label())}</h2>
                <p class="pre-wrap">{record.resolution_notes}</p>
            </section>
        }
        .erase(),
        _ => ().erase(),
    }
}

#[component]
fn TimelineItem(event: TimelineEvent) -> impl IntoView {
    let zone = use_zone();
    let who = event.actor_name.clone().unwrap_or_else(|| "Switchboard".into());
    let internal = event.visibility == Visibility::Internal;
    let what = event.what.clone();
    view! {
        <li class="timeline__item" class:timeline__item--internal=internal>
            <p class="timeline__meta">
                <strong>{who}</strong>
                " "
                {what}
                " · "
                <time datetime=fmt::iso(event.at)>{zone.date_time(event.at)}</time>
            </p>
            {event.body.map(|html| view! { <Prose html /> })}
        </li>
    }
}

/// The reply box. Agents choose between a reply the requester reads and a work note for
/// agents only; the two look different (colour, icon, label, button) so they can't be
/// confused. On a closed record only a work note is left.
#[component]
fn CommentForm(
    number: String,
    add: FormAction<AddComment>,
    may_write_work_notes: bool,
    open_to_replies: bool,
    canned: Vec<CannedResponse>,
) -> impl IntoView {
    let failure = failure(add);
    let body_error = field_error(failure, "body");
    let sent = saved_version(add);
    let pending = add.pending();
    let canned = StoredValue::new(canned);
    let hydrated = crate::context::use_hydrated();
    let heading = match (may_write_work_notes, open_to_replies) {
        (true, true) => "Add a reply or work note",
        (true, false) => "Add a work note",
        (false, _) => "Add a comment",
    };
    view! {
        <section class="composer" id="composer" aria-labelledby="composer-heading">
            <h2 id="composer-heading">{heading}</h2>
            // Re-rendered after each post, so the box starts empty again.
            {move || {
                sent.track();
                let number = number.clone();
                let body = NodeRef::<leptos::html::Textarea>::new();
                let insert = move |ev: leptos::ev::Event| {
                    let chosen = event_target_value(&ev);
                    let text = canned.with_value(|c| c.iter().find(|r| r.id.to_string() == chosen).map(|r| r.body.clone()));
                    if let (Some(text), Some(area)) = (text, body.get()) {
                        let current = area.value();
                        let joined = if current.trim().is_empty() { text } else { format!("{}\n\n{text}", current.trim_end()) };
                        area.set_value(&joined);
                        let _ = area.focus();
                    }
                };
                view! {
                    <ServerForm action=add attr:class="form composer__form">
                        <input type="hidden" name="number" value=number />
                        {match (may_write_work_notes, open_to_replies) {
                            (true, true) => view! {
                                <fieldset class="choice composer__modes">
                                    <legend>"Who sees it"</legend>
                                    <label class="composer__mode composer__mode--public">
                                        <input type="radio" name="visibility" value="public" checked />
                                        <span aria-hidden="true">"✉ "</span>
                                        " Reply — visible to the requester"
                                    </label>
                                    <label class="composer__mode composer__mode--internal">
                                        <input type="radio" name="visibility" value="internal" />
                                        <span aria-hidden="true">"🔒 "</span>
                                        " Work note — agents only"
                                    </label>
                                </fieldset>
                            }
                            .erase(),
                            (true, false) => view! {
                                <input type="hidden" name="visibility" value="internal" />
                                <p class="composer__mode composer__mode--internal">"🔒 Work note — agents only. The record is closed to replies."</p>
                            }
                            .erase(),
                            (false, _) => view! { <input type="hidden" name="visibility" value="public" /> }.erase(),
                        }}
                        {(may_write_work_notes && open_to_replies && !canned.with_value(Vec::is_empty))
                            .then(|| {
                                view! {
                                    <div class="field canned" hidden=move || !hydrated.get()>
                                        <label for="canned">"Insert a canned response"</label>
                                        <select id="canned" on:change=insert>
                                            <option value="">"Choose…"</option>
                                            {canned
                                                .get_value()
                                                .into_iter()
                                                .map(|r| view! { <option value=r.id.to_string()>{r.title}</option> })
                                                .collect_view()}
                                        </select>
                                    </div>
                                }
                            })}
                        <div class="field" class:field--invalid=move || body_error.read().is_some()>
                            <label for="body">"Message"</label>
                            <p id="body-hint" class="field__hint">"Markdown works: **bold**, lists, links."</p>
                            <textarea
                                id="body"
                                name="body"
                                rows="4"
                                maxlength="20000"
                                required
                                node_ref=body
                                aria-invalid=move || body_error.read().is_some().to_string()
                                aria-describedby="body-hint body-error"
                            ></textarea>
                            <p id="body-error" class="field__error">
                                {move || body_error.get()}
                            </p>
                        </div>
                        <button type="submit" class="button button--primary composer__send" disabled=pending>
                            "Send"
                        </button>
                    </ServerForm>
                }
            }}
            <FormStatus failure succeeded=succeeded(add) saved="Sent." />
        </section>
    }
}
