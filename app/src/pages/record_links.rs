//! On a record page: its files for everyone who reads it; for agents, its linked records
//! and its watchers.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::incidents::{AddWatcher, LinkRecord, RemoveWatcher, UnlinkRecord};
use crate::components::erased::Erase;
use crate::components::form_status::{FormStatus, failure, field_error, succeeded};
use crate::components::server_form::{FormAction, ServerForm};
use crate::components::state_badge::StateBadge;
use crate::context::use_zone;
use crate::domain::attachment::{AttachmentView, accepted_extensions, size_text};
use crate::domain::ids::UserId;
use crate::domain::link::{LinkRole, LinkView};
use crate::fmt;

/// The sentence for the `attach_error` code a failed upload comes back with.
fn upload_problem(code: &str, limit: u64) -> String {
    match code {
        "too_large" => format!("That file is larger than {}; attach a smaller one.", size_text(limit)),
        "kind" => {
            format!("That kind of file isn't taken. Attach one of: {}.", accepted_extensions().join(", "))
        }
        "mismatch" => "That file isn't what its name says; it may be damaged or renamed.".to_owned(),
        "empty" => "Choose a file to attach.".to_owned(),
        "name" => "Give the file a shorter name (at most 255 characters).".to_owned(),
        "too_many" => "Attach at most 10 files at a time.".to_owned(),
        "closed" => "This record is closed, so nothing more can be added to it.".to_owned(),
        _ => "The files couldn't be attached; try again.".to_owned(),
    }
}

/// The record's files, and a plain form to add more (it works without JavaScript: the
/// page comes back saying what happened).
#[component]
pub fn Attachments(
    number: String,
    files: Vec<AttachmentView>,
    limit: u64,
    may_attach: bool,
) -> impl IntoView {
    let zone = use_zone();
    let query = use_query_map();
    let problem = query.read_untracked().get("attach_error").map(|code| upload_problem(&code, limit));
    let attached = query.read_untracked().get("attached").and_then(|n| n.parse::<usize>().ok());
    let accept = accepted_extensions().iter().map(|e| format!(".{e}")).collect::<Vec<_>>().join(",");
    view! {
        <section class="attachments" id="attachments" aria-labelledby="attachments-heading">
            <h2 id="attachments-heading">"Files"</h2>
            {if files.is_empty() {
                view! { <p class="muted">"No files yet."</p> }.erase()
            } else {
                view! {
                    <ul class="list attachments__list">
                        {files
                            .into_iter()
                            .map(|f| {
                                view! {
                                    <li class="list__item">
                                        <a href=f.href() rel="external" download=f.file_name.clone()>{f.file_name.clone()}</a>
                                        <span class="muted">
                                            {format!(" · {} · {} · ", size_text(f.size), f.uploaded_by)}
                                            <time datetime=fmt::iso(f.uploaded_at)>{zone.date_time(f.uploaded_at)}</time>
                                        </span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .erase()
            }}
            {may_attach
                .then(|| {
                    view! {
                        <form
                            method="post"
                            action=format!("/records/{number}/attachments")
                            enctype="multipart/form-data"
                            class="form attach-form"
                        >
                            <div class="field" class:field--invalid=problem.is_some()>
                                <label for="files">"Attach files"</label>
                                <p id="files-hint" class="field__hint">
                                    {format!("Up to 10 files, each at most {}: screenshots, PDFs, documents, logs.", size_text(limit))}
                                </p>
                                <input id="files" name="files" type="file" multiple accept=accept aria-describedby="files-hint files-error" />
                                <p id="files-error" class="field__error" role="alert">{problem.clone()}</p>
                            </div>
                            {attached
                                .map(|n| {
                                    let text = if n == 1 { "1 file attached.".to_owned() } else { format!("{n} files attached.") };
                                    view! { <p class="form-ok" role="status">{text}</p> }
                                })}
                            <button type="submit" class="button">"Attach"</button>
                        </form>
                    }
                })}
        </section>
    }
}

/// For agents: the records linked to this one, read from this end, and a form to link another.
#[component]
pub fn Links(
    number: String,
    links: Vec<LinkView>,
    link: FormAction<LinkRecord>,
    unlink: FormAction<UnlinkRecord>,
) -> impl IntoView {
    let failure = failure(link);
    let other_error = field_error(failure, "other");
    let unlink_failure = crate::components::form_status::failure(unlink);
    let this = number.clone();
    view! {
        <section class="panel links" aria-labelledby="links-heading">
            <h2 id="links-heading">"Linked records"</h2>
            {(!links.is_empty())
                .then(|| {
                    view! {
                        <ul class="list">
                            {links
                                .into_iter()
                                .map(|l| {
                                    let label = format!("Unlink {} {}", l.role.label().to_lowercase(), l.number);
                                    let here = this.clone();
                                    view! {
                                        <li class="list__item link-row">
                                            <span class="muted">{l.role.label()}</span>
                                            " "
                                            <A href=format!("/records/{}", l.number)>{format!("{} {}", l.number, l.title)}</A>
                                            " "
                                            <StateBadge state=l.state />
                                            <ServerForm action=unlink attr:class="link-row__remove">
                                                <input type="hidden" name="number" value=here />
                                                <input type="hidden" name="role" value=l.role.as_str() />
                                                <input type="hidden" name="other" value=l.number.clone() />
                                                <button type="submit" class="button button--quiet" aria-label=label>"Unlink"</button>
                                            </ServerForm>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })}
            <FormStatus failure=unlink_failure succeeded=Signal::derive(|| false) saved="" />
            <ServerForm action=link attr:class="form link-form" attr:novalidate=true>
                <input type="hidden" name="number" value=number />
                <div class="field-editor__row">
                    <div class="field">
                        <label for="link-role">"This record"</label>
                        <select id="link-role" name="role">
                            {LinkRole::ALL.iter().map(|r| view! { <option value=r.as_str()>{r.label()}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field" class:field--invalid=move || other_error.read().is_some()>
                        <label for="link-other">"Record number"</label>
                        <input id="link-other" name="other" placeholder="INC0000042" maxlength="20" aria-describedby="link-other-error" />
                        <p id="link-other-error" class="field__error">{move || other_error.get()}</p>
                    </div>
                </div>
                <FormStatus failure succeeded=succeeded(link) saved="Linked." />
                <button type="submit" class="button">"Link"</button>
            </ServerForm>
        </section>
    }
}

/// For agents: who watches the record (they read it and hear of replies and its resolution).
#[component]
pub fn Watchers(
    number: String,
    watchers: Vec<(UserId, String)>,
    watch: FormAction<AddWatcher>,
    unwatch: FormAction<RemoveWatcher>,
) -> impl IntoView {
    let failure = failure(watch);
    let email_error = field_error(failure, "email");
    let this = number.clone();
    view! {
        <section class="panel watchers" aria-labelledby="watchers-heading">
            <h2 id="watchers-heading">"Watchers"</h2>
            <p class="field__hint">"Watchers read this record and are told of replies and its resolution."</p>
            {if watchers.is_empty() {
                view! { <p class="muted">"Nobody watches it."</p> }.erase()
            } else {
                view! {
                    <ul class="list">
                        {watchers
                            .into_iter()
                            .map(|(id, name)| {
                                let label = format!("Stop {name} watching");
                                let here = this.clone();
                                view! {
                                    <li class="list__item link-row">
                                        {name}
                                        <ServerForm action=unwatch attr:class="link-row__remove">
                                            <input type="hidden" name="number" value=here />
                                            <input type="hidden" name="user" value=id.0.to_string() />
                                            <button type="submit" class="button button--quiet" aria-label=label>"Remove"</button>
                                        </ServerForm>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .erase()
            }}
            <ServerForm action=watch attr:class="form watch-form" attr:novalidate=true>
                <input type="hidden" name="number" value=number />
                <div class="field" class:field--invalid=move || email_error.read().is_some()>
                    <label for="watcher-email">"Add a watcher (e-mail)"</label>
                    <input id="watcher-email" name="email" type="email" maxlength="254" aria-describedby="watcher-email-error" />
                    <p id="watcher-email-error" class="field__error">{move || email_error.get()}</p>
                </div>
                <FormStatus failure succeeded=succeeded(watch) saved="Added." />
                <button type="submit" class="button">"Add watcher"</button>
            </ServerForm>
        </section>
    }
}
