//! Reporting an incident: what is wrong, in the reporter's words, who is affected and
//! whether they can still work. Agents may report for a caller.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::incidents::{ReportIncident, load_report_choices};
use crate::components::field::Field;
use crate::components::form_status::{FormStatus, failure, field_error};
use crate::components::loaded::loaded;
use crate::domain::incident::{Blocking, Reach, ReportChoices};

#[component]
pub fn ReportPage() -> impl IntoView {
    let report = ServerAction::<ReportIncident>::new();
    let choices = Resource::new(|| (), |_| load_report_choices());
    view! {
        <Title text="Report an issue" />
        <header class="page-header">
            <h1>"Report an issue"</h1>
            <p class="muted">"Something broken or not working as it should? Tell the service desk."</p>
        </header>
        {loaded(choices, move |choices| view! { <ReportForm choices report /> })}
    }
}

#[component]
fn ReportForm(choices: ReportChoices, report: ServerAction<ReportIncident>) -> impl IntoView {
    let failure = failure(report);
    let error = move |field: &'static str| field_error(failure, field);
    let radios = move |name: &'static str,
                       legend: &'static str,
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
                                <input type="radio" name=name value=value required=true />
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
    view! {
        <ActionForm action=report attr:class="form panel report-form" attr:novalidate=true>
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
                            error=error("caller")
                        />
                    }
                })}
            <Field name="title" label="What is wrong?" hint="One line, like: Outlook keeps asking for my password." maxlength=200 error=error("title") />
            <div class="field" class:field--invalid=move || error("description").read().is_some()>
                <label for="description">"Tell us more"</label>
                <p id="description-hint" class="field__hint">"What you were doing, what you expected, any message you saw."</p>
                <textarea id="description" name="description" rows="5" maxlength="20000" aria-describedby="description-hint description-error"></textarea>
                <p id="description-error" class="field__error">{move || error("description").get()}</p>
            </div>
            {radios("reach", "Who is affected?", reach)}
            {radios("blocking", "Can you work?", blocking)}
            <div class="field">
                <label for="service">"Which service? (optional)"</label>
                <select id="service" name="service" aria-describedby="service-error">
                    <option value="">"Not sure"</option>
                    {choices
                        .services
                        .into_iter()
                        .map(|s| view! { <option value=s.id.0.to_string()>{s.name}</option> })
                        .collect_view()}
                </select>
                <p id="service-error" class="field__error">{move || error("service").get()}</p>
            </div>
            <FormStatus failure succeeded=Signal::derive(|| false) saved="" />
            <button type="submit" class="button button--primary">"Report it"</button>
        </ActionForm>
    }
}
