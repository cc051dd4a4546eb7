//! Reporting an incident: what is wrong, in the reporter's words, who is affected, whether
//! they can still work, and files such as a screenshot. Agents may report for a caller.
//!
//! The form is a plain multipart post to `POST /incidents` (it carries files), the same with
//! or without JavaScript. When it doesn't go through, the server keeps what was typed as a
//! draft and sends the browser back to `/report?draft=…`, where the form shows it again
//! with each problem beside its field.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::incidents::load_report_choices;
use crate::components::field::Field;
use crate::components::loaded::{loaded, resource};
use crate::domain::attachment::{accepted_extensions, size_text};
use crate::domain::incident::{Blocking, Reach, ReportChoices};

#[component]
pub fn ReportPage() -> impl IntoView {
    let query = use_query_map();
    let draft = move || query.read().get("draft");
    let choices = resource(draft, load_report_choices);
    view! {
        <Title text="Report an issue" />
        <header class="page-header">
            <h1>"Report an issue"</h1>
            <p class="muted">"Something broken or not working as it should? Tell the service desk."</p>
        </header>
        {loaded(choices, move |choices| view! { <ReportForm choices /> })}
    }
}

#[component]
fn ReportForm(choices: ReportChoices) -> impl IntoView {
    let draft = choices.draft.clone().unwrap_or_default();
    let errors = StoredValue::new(draft.errors.clone());
    let error = move |field: &'static str| {
        let message = errors.with_value(|e| e.get(field).map(str::to_owned));
        Signal::derive(move || message.clone())
    };
    let radios = move |name: &'static str,
                       legend: &'static str,
                       chosen: String,
                       options: Vec<(&'static str, &'static str)>| {
        let message = error(name);
        view! {
            <fieldset class="choice" class:field--invalid=move || message.read().is_some() aria-describedby=format!("{name}-error")>
                <legend>{legend}</legend>
                {options
                    .into_iter()
                    .map(|(value, label)| {
                        view! {
                            <label>
                                <input type="radio" name=name value=value required=true checked=chosen == value />
                                " "
                                {label}
                            </label>
                        }
                    })
                    .collect_view()}
                <p id=format!("{name}-error") class="field__error">{move || message.get()}</p>
            </fieldset>
        }
    };
    let reach = Reach::ALL.iter().map(|r| (r.as_str(), r.label())).collect();
    let blocking = Blocking::ALL.iter().map(|b| (b.as_str(), b.label())).collect();
    let accept = accepted_extensions().iter().map(|e| format!(".{e}")).collect::<Vec<_>>().join(",");
    let files_error = error("files");
    let failed = choices.draft.is_some();
    let query = use_query_map();
    let device = if draft.device.is_empty() {
        query.read_untracked().get("ci").unwrap_or_default()
    } else {
        draft.device.clone()
    };
    let device_error = error("device");
    let devices = (!choices.devices.is_empty()).then(|| {
        view! {
            <fieldset class="choice devices-choice" class:field--invalid=move || device_error.read().is_some() aria-describedby="device-error">
                <legend>"Is it about one of your devices? (optional)"</legend>
                <label>
                    <input type="radio" name="device" value="" checked=device.is_empty() />
                    " No, or not sure"
                </label>
                {choices
                    .devices
                    .iter()
                    .map(|d| {
                        let value = d.id.0.to_string();
                        let checked = value == device;
                        view! {
                            <label>
                                <input type="radio" name="device" value=value checked=checked />
                                " "
                                {d.name.clone()}
                                <span class="muted">{format!(" · {}", d.class_name)}</span>
                            </label>
                        }
                    })
                    .collect_view()}
                <p id="device-error" class="field__error">{move || device_error.get()}</p>
            </fieldset>
        }
    });
    view! {
        <form method="post" action="/incidents" enctype="multipart/form-data" class="form panel report-form" novalidate>
            {failed
                .then(|| {
                    view! {
                        <p class="form-error" role="alert">
                            "It wasn't sent yet: see the notes beside the fields. Any files need choosing again."
                        </p>
                    }
                })}
            {choices
                .for_others
                .then(|| {
                    view! {
                        <Field
                            name="caller"
                            label="For whom (e-mail)"
                            input_type="email"
                            hint="A caller on the phone or at the desk. Leave empty to report it for yourself."
                            required=false
                            value=draft.caller.clone()
                            error=error("caller")
                        />
                    }
                })}
            <Field
                name="title"
                label="What is wrong?"
                hint="One line, like: Outlook keeps asking for my password."
                maxlength=200
                value=draft.title.clone()
                error=error("title")
            />
            <div class="field" class:field--invalid=move || error("description").read().is_some()>
                <label for="description">"Tell us more"</label>
                <p id="description-hint" class="field__hint">"What you were doing, what you expected, any message you saw."</p>
                <textarea id="description" name="description" rows="5" maxlength="20000" aria-describedby="description-hint description-error">
                    {draft.description.clone()}
                </textarea>
                <p id="description-error" class="field__error">{move || error("description").get()}</p>
            </div>
            {devices}
            {radios("reach", "Who is affected?", draft.reach.clone(), reach)}
            {radios("blocking", "Can you work?", draft.blocking.clone(), blocking)}
            <div class="field">
                <label for="service">"Which service? (optional)"</label>
                <select id="service" name="service" aria-describedby="service-error">
                    <option value="">"Not sure"</option>
                    {choices
                        .services
                        .into_iter()
                        .map(|s| {
                            let value = s.id.0.to_string();
                            let selected = value == draft.service;
                            view! { <option value=value selected=selected>{s.name}</option> }
                        })
                        .collect_view()}
                </select>
                <p id="service-error" class="field__error">{move || error("service").get()}</p>
            </div>
            <div class="field" class:field--invalid=move || files_error.read().is_some()>
                <label for="files">"Screenshots or files (optional)"</label>
                <p id="files-hint" class="field__hint">
                    {format!("Up to 10 files, each at most {}.", size_text(choices.attachment_limit))}
                </p>
                <input id="files" name="files" type="file" multiple accept=accept aria-describedby="files-hint files-error" />
                <p id="files-error" class="field__error">{move || files_error.get()}</p>
            </div>
            <button type="submit" class="button button--primary">"Report it"</button>
        </form>
    }
}
