//! Admins: one service-level policy (or a new one at `/admin/service-levels/policies/new`):
//! which records it covers, its calendar and targets, what pauses it, when it warns and what
//! happens at a warning and a breach. A saved policy has a simulator: a start time and
//! pauses give the deadline, explained segment by segment as on a record.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::sla_admin::{PolicyEditor, SavePolicy, Simulate, Simulation, load_policy};
use crate::components::erased::Erase;
use crate::components::field::Field;
use crate::components::form_status::{FormStatus, failure, field_error, saved_version, succeeded};
use crate::components::loaded::{loaded, resource};
use crate::components::server_form::{FormAction, ServerForm};
use crate::context::use_zone;
use crate::domain::record::RecordKind;
use crate::domain::sla::duration_text;
use crate::domain::sla_policy::{Escalation, PauseOn};
use crate::fmt;
use crate::pages::admin::new_or_id;
use crate::pages::record_clocks::Segments;

#[component]
pub fn PolicyPage() -> impl IntoView {
    let params = use_params_map();
    let save = FormAction::<SavePolicy>::new();
    let saved = saved_version(save);
    let editor = resource(
        move || (params.read().get("id").unwrap_or_default(), saved.get()),
        |(id, _)| async move { load_policy(new_or_id(&id, "That policy")?).await },
    );
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <A href="/admin/service-levels">"Service levels"</A>
        </nav>
        {loaded(editor, move |editor| view! { <PolicyForm editor save /> })}
    }
}

/// A group of checkboxes named `name[]`, with `checked` ticked.
#[component]
fn Checks(
    name: &'static str,
    legend: &'static str,
    options: Vec<(String, String)>,
    checked: Vec<String>,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    view! {
        <fieldset class="fieldset checks">
            <legend>{legend}</legend>
            {hint.map(|hint| view! { <p class="field__hint">{hint}</p> })}
            {options
                .into_iter()
                .map(|(value, label)| {
                    let on = checked.contains(&value);
                    view! {
                        <label class="check">
                            <input type="checkbox" name=format!("{name}[]") value=value checked=on />
                            " "
                            {label}
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

#[component]
fn PolicyForm(editor: PolicyEditor, save: FormAction<SavePolicy>) -> impl IntoView {
    let PolicyEditor { id, form, calendars, groups, catalog_items } = editor;
    let failure = failure(save);
    let title = if id.is_some() { form.name.clone() } else { "New policy".to_owned() };
    let error_line = move |field: &'static str| {
        let message = field_error(failure, field);
        view! { <p class="field__error" role="alert" data-error=field>{move || message.get()}</p> }
    };
    let kinds = [RecordKind::Incident, RecordKind::Request, RecordKind::Problem, RecordKind::Change]
        .into_iter()
        .map(|k| (k.as_str().to_owned(), k.label().to_owned()))
        .collect();
    let priorities = (1..=5).map(|p| (p.to_string(), format!("P{p}"))).collect();
    let group_options: Vec<(String, String)> =
        groups.iter().map(|(g, n)| (g.0.to_string(), n.clone())).collect();
    let item_options = catalog_items.iter().map(|(i, n)| (i.0.to_string(), n.clone())).collect();
    let pause_options = PauseOn::choices().into_iter().map(|p| (p.key(), p.label())).collect();
    let plain = || -> Vec<(String, String)> {
        Escalation::PLAIN.iter().map(|(_, key, label)| ((*key).to_owned(), (*label).to_owned())).collect()
    };
    let (warning_group, breach_group) = (form.warning_group.clone(), form.breach_group.clone());
    let calendar = form.calendar.clone();
    view! {
        <Title text=title.clone() />
        <header class="page-header">
            <h1>{title}</h1>
        </header>
        <ServerForm action=save attr:class="form panel" attr:novalidate=true>
            {id.map(|id| view! { <input type="hidden" name="id" value=id.to_string() /> })}
            <Field name="name" label="Name" value=form.name.clone() maxlength=80 error=field_error(failure, "name") />
            <label class="check">
                <input type="checkbox" name="active" value="on" checked=form.active />
                " Active: records can take this policy"
            </label>
            <h2>"Which records"</h2>
            <p class="field__hint">"Nothing ticked in a group means any. A record takes the first active policy it matches."</p>
            {error_line("conditions")}
            <Checks name="kinds" legend="Kind" options=kinds checked=form.kinds.clone() />
            <Checks name="priorities" legend="Priority" options=priorities checked=form.priorities.clone() />
            <Checks name="groups" legend="Assignment group" options=group_options.clone() checked=form.groups.clone() />
            <details>
                <summary>"Catalog items"</summary>
                <Checks name="catalog_items" legend="Catalog item" options=item_options checked=form.catalog_items.clone() />
            </details>
            <h2>"Targets"</h2>
            <div class="field">
                <label for="calendar">"Calendar"</label>
                <select id="calendar" name="calendar">
                    {calendars
                        .into_iter()
                        .map(|(id, name)| {
                            let value = id.to_string();
                            let selected = value == calendar;
                            view! { <option value=value selected=selected>{name}</option> }
                        })
                        .collect_view()}
                </select>
                {error_line("calendar")}
            </div>
            {error_line("targets")}
            <Field
                name="response"
                label="First response within"
                value=form.response.clone()
                hint="Business time on the calendar, such as 30 min or 4 h. Empty: no target."
                required=false
                maxlength=40
                error=field_error(failure, "response")
            />
            <Field
                name="resolution"
                label="Resolution within"
                value=form.resolution.clone()
                hint="Such as 8 h or 2 d (days of 24 business hours). Empty: no target."
                required=false
                maxlength=40
                error=field_error(failure, "resolution")
            />
            <Checks
                name="pause_on"
                legend="The clock pauses while the record is"
                options=pause_options
                checked=form.pause_on.clone()
            />
            <Field
                name="warn_percent"
                label="Warn at (% of the target used)"
                input_type="number"
                inputmode="numeric"
                value=form.warn_percent.clone()
                maxlength=3
                error=field_error(failure, "warn_percent")
            />
            <h2>"Escalations"</h2>
            {error_line("actions")}
            <Checks name="on_warning" legend="At a warning" options=plain() checked=form.on_warning.clone() />
            <Field
                name="warning_person"
                label="At a warning, also notify (e-mail)"
                input_type="email"
                value=form.warning_person.clone()
                required=false
                error=field_error(failure, "warning_person")
            />
            <GroupChoice name="warning_group" label="At a warning, move it to" groups=group_options.clone() chosen=warning_group />
            <Checks name="on_breach" legend="At a breach" options=plain() checked=form.on_breach.clone() />
            <Field
                name="breach_person"
                label="At a breach, also notify (e-mail)"
                input_type="email"
                value=form.breach_person.clone()
                required=false
                error=field_error(failure, "breach_person")
            />
            <GroupChoice name="breach_group" label="At a breach, move it to" groups=group_options.clone() chosen=breach_group />
            <FormStatus failure succeeded=succeeded(save) saved="Policy saved." />
            <button type="submit" class="button button--primary">
                {if id.is_some() { "Save policy" } else { "Add policy" }}
            </button>
        </ServerForm>
        {id.map(|policy| view! { <Simulator policy /> })}
    }
    .erase()
}

/// A group to move the record to, or none.
#[component]
fn GroupChoice(
    name: &'static str,
    label: &'static str,
    groups: Vec<(String, String)>,
    chosen: String,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=name>{label}</label>
            <select id=name name=name>
                <option value="">"Keep its group"</option>
                {groups
                    .into_iter()
                    .map(|(value, group)| {
                        let selected = value == chosen;
                        view! { <option value=value selected=selected>{group}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// Where this policy puts a deadline for a start time and pauses, and why.
#[component]
fn Simulator(policy: i64) -> impl IntoView {
    let simulate = FormAction::<Simulate>::new();
    let failure = failure(simulate);
    let result = move || simulate.value().get().and_then(Result::ok);
    view! {
        <section class="panel" aria-labelledby="simulator-heading">
            <h2 id="simulator-heading">"Simulator"</h2>
            <p class="field__hint">"Times are in the calendar's own time zone. Try a start just before a weekend or a holiday."</p>
            <ServerForm action=simulate attr:class="form" attr:novalidate=true>
                <input type="hidden" name="policy" value=policy.to_string() />
                <div class="field">
                    <label for="sim-clock">"Clock"</label>
                    <select id="sim-clock" name="clock">
                        <option value="resolution">"Resolution"</option>
                        <option value="response">"First response"</option>
                    </select>
                    <p class="field__error">{move || field_error(failure, "clock").get()}</p>
                </div>
                <Field
                    name="start"
                    id="sim-start"
                    label="Opened at"
                    input_type="datetime-local"
                    error=field_error(failure, "start")
                />
                <div class="field">
                    <label for="sim-pauses">"Pauses"</label>
                    <p class="field__hint">"One per line: 2026-11-27 16:30 - 2026-11-30 10:00"</p>
                    <textarea id="sim-pauses" name="pauses" rows="3"></textarea>
                    <p class="field__error">{move || field_error(failure, "pauses").get()}</p>
                </div>
                <button type="submit" class="button button--primary">"Show the deadline"</button>
            </ServerForm>
            {move || result().map(|simulation| view! { <SimulationResult simulation /> })}
        </section>
    }
    .erase()
}

#[component]
fn SimulationResult(simulation: Simulation) -> impl IntoView {
    let zone = use_zone();
    let Simulation { clock, calendar, time_zone, deadline, warn_at, paused, explanation, local, .. } =
        simulation;
    let local_due = local.last().and_then(|l| l.split(" – ").nth(1)).unwrap_or_default().to_owned();
    view! {
        <div class="simulation" role="status">
            <p class="simulation__due">
                <strong>{format!("Due {local_due} ({time_zone})")}</strong>
                {deadline.map(|d| view! { " · " <time datetime=fmt::iso(d)>{zone.date_time_named(d)}</time> })}
            </p>
            <dl class="clock__facts">
                <div>
                    <dt>"Clock"</dt>
                    <dd>{clock}</dd>
                </div>
                <div>
                    <dt>"Calendar"</dt>
                    <dd>{calendar}</dd>
                </div>
                <div>
                    <dt>"Warns"</dt>
                    <dd>{warn_at.map(|at| zone.date_time_named(at)).unwrap_or_else(|| "—".into())}</dd>
                </div>
                <div>
                    <dt>"Paused"</dt>
                    <dd>{duration_text(paused)}</dd>
                </div>
            </dl>
            <h3>"Why this deadline"</h3>
            <Segments segments=explanation local />
        </div>
    }
    .erase()
}
