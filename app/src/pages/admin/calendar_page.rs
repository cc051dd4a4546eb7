//! Admins: one business calendar (or a new one at `/admin/service-levels/calendars/new`):
//! its name, time zone, the working hours of each weekday and its holidays.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::sla_admin::{CalendarEditor, SaveCalendar, load_calendar};
use crate::components::erased::Erase;
use crate::components::field::Field;
use crate::components::form_status::{FormStatus, failure, field_error, saved_version, succeeded};
use crate::components::loaded::{loaded, resource};
use crate::components::server_form::{FormAction, ServerForm};
use crate::domain::calendar::WEEKDAYS;
use crate::pages::admin::new_or_id;

/// The form's names for the weekdays, Monday first, matching `WEEKDAYS`.
const DAY_FIELDS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const DAY_ERRORS: [&str; 7] = ["week.0", "week.1", "week.2", "week.3", "week.4", "week.5", "week.6"];

#[component]
pub fn CalendarPage() -> impl IntoView {
    let params = use_params_map();
    let save = FormAction::<SaveCalendar>::new();
    let saved = saved_version(save);
    let editor = resource(
        move || (params.read().get("id").unwrap_or_default(), saved.get()),
        |(id, _)| async move { load_calendar(new_or_id(&id, "That calendar")?).await },
    );
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <A href="/admin/service-levels">"Service levels"</A>
        </nav>
        {loaded(editor, move |editor| view! { <CalendarForm editor save /> })}
    }
}

#[component]
fn CalendarForm(editor: CalendarEditor, save: FormAction<SaveCalendar>) -> impl IntoView {
    let CalendarEditor { id, form, zones } = editor;
    let failure = failure(save);
    let title = if id.is_some() { form.name.clone() } else { "New calendar".to_owned() };
    let zone_error = field_error(failure, "time_zone");
    let week_error = field_error(failure, "week");
    let holiday_error = field_error(failure, "holidays");
    let days = (0..7)
        .map(|day| {
            let value = form.week.get(day).cloned().unwrap_or_default();
            view! {
                <Field
                    name=DAY_FIELDS[day]
                    label=WEEKDAYS[day]
                    value
                    required=false
                    maxlength=200
                    error=field_error(failure, DAY_ERRORS[day])
                />
            }
        })
        .collect_view();
    view! {
        <Title text=title.clone() />
        <header class="page-header">
            <h1>{title}</h1>
        </header>
        <ServerForm action=save attr:class="form panel" attr:novalidate=true>
            {id.map(|id| view! { <input type="hidden" name="id" value=id.to_string() /> })}
            <Field name="name" label="Name" value=form.name.clone() maxlength=80 error=field_error(failure, "name") />
            <div class="field" class:field--invalid=move || zone_error.read().is_some()>
                <label for="time_zone">"Time zone"</label>
                <p id="time_zone-hint" class="field__hint">"Its IANA name, such as Europe/Berlin. Daylight-saving changes follow it."</p>
                <input
                    id="time_zone"
                    name="time_zone"
                    list="zones"
                    value=form.time_zone.clone()
                    required
                    autocomplete="off"
                    aria-invalid=move || zone_error.read().is_some().to_string()
                    aria-describedby="time_zone-hint time_zone-error"
                />
                <datalist id="zones">{zones.into_iter().map(|z| view! { <option value=z /> }).collect_view()}</datalist>
                <p id="time_zone-error" class="field__error">{move || zone_error.get()}</p>
            </div>
            <fieldset class="fieldset">
                <legend>"Working hours"</legend>
                <p class="field__hint">"Per day, as 09:00-17:00; several spans separated by commas (09:00-12:30, 13:30-17:00). Leave a day empty for no working hours."</p>
                <p class="field__error" role="alert">{move || week_error.get()}</p>
                {days}
            </fieldset>
            <div class="field" class:field--invalid=move || holiday_error.read().is_some()>
                <label for="holidays">"Holidays"</label>
                <p id="holidays-hint" class="field__hint">"One per line: the date, then its name. 2026-12-25 Christmas Day"</p>
                <textarea
                    id="holidays"
                    name="holidays"
                    rows="6"
                    aria-invalid=move || holiday_error.read().is_some().to_string()
                    aria-describedby="holidays-hint holidays-error"
                >
                    {form.holidays.clone()}
                </textarea>
                <p id="holidays-error" class="field__error">{move || holiday_error.get()}</p>
            </div>
            <FormStatus failure succeeded=succeeded(save) saved="Calendar saved." />
            <button type="submit" class="button button--primary">
                {if id.is_some() { "Save calendar" } else { "Add calendar" }}
            </button>
        </ServerForm>
    }
    .erase()
}
