//! Admins: the service desk's settings. The priority matrix (which priority each impact and
//! urgency give) and the canned responses agents insert into replies.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::desk_admin::{
    AdminDeleteCanned, AdminSaveCanned, AdminSaveMatrix, AdminSaveTimeZone, DeskSettings, load_desk_settings,
};
use crate::components::field::{Field, ZoneOptions};
use crate::components::form_status::{FormStatus, failure, field_error, saved_version, succeeded};
use crate::components::loaded::{loaded, resource};
use crate::components::server_form::{FormAction, ServerForm};
use crate::domain::canned::CannedResponse;
use crate::domain::record::{Impact, Priority, Urgency};

#[derive(Clone, Copy)]
struct Actions {
    matrix: FormAction<AdminSaveMatrix>,
    time_zone: FormAction<AdminSaveTimeZone>,
    save: FormAction<AdminSaveCanned>,
    delete: FormAction<AdminDeleteCanned>,
    /// Which canned response form was sent last ("new" for the one adding), so only that
    /// form shows the answer.
    sent_from: Memo<Option<String>>,
}

#[component]
pub fn DeskPage() -> impl IntoView {
    let save = FormAction::<AdminSaveCanned>::new();
    let sent_from = Memo::new(move |before: Option<&Option<String>>| {
        save.input()
            .with(|input| input.as_ref().map(|i| i.field("id").unwrap_or_else(|| "new".into())))
            .or_else(|| before.cloned().flatten())
    });
    let actions = Actions {
        matrix: FormAction::new(),
        time_zone: FormAction::new(),
        save,
        delete: FormAction::new(),
        sent_from,
    };
    let done = [
        saved_version(actions.matrix),
        saved_version(actions.time_zone),
        saved_version(actions.save),
        saved_version(actions.delete),
    ];
    let settings = resource(move || done.map(|d| d.get()), |_| load_desk_settings());
    view! {
        <Title text="Service desk settings" />
        <header class="page-header">
            <h1>"Service desk settings"</h1>
        </header>
        {loaded(settings, move |settings| view! { <Settings settings actions /> })}
    }
}

#[component]
fn Settings(settings: DeskSettings, actions: Actions) -> impl IntoView {
    let DeskSettings { matrix, canned, time_zone, time_zones } = settings;
    let zone_failure = failure(actions.time_zone);
    let matrix_failure = failure(actions.matrix);
    let matrix_error = field_error(matrix_failure, "matrix");
    let rows = Impact::ALL
        .iter()
        .enumerate()
        .map(|(i, impact)| {
            let cells = Urgency::ALL
                .iter()
                .enumerate()
                .map(|(u, urgency)| {
                    let current = matrix.cells[i][u];
                    let label =
                        format!("Priority for {} impact and {} urgency", impact.label(), urgency.label());
                    view! {
                        <td>
                            <select name="cells[]" aria-label=label>
                                {(1..=5u8)
                                    .filter_map(Priority::new)
                                    .map(|p| {
                                        view! {
                                            <option value=p.level().to_string() selected=p.level() == current>
                                                {format!("P{} {}", p.level(), p.label())}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                        </td>
                    }
                })
                .collect_view();
            view! {
                <tr>
                    <th scope="row">{impact.label()}</th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="matrix-heading">
            <h2 id="matrix-heading">"Priority matrix"</h2>
            <p class="field__hint">"Impact down, urgency across. A wider impact or a more pressing urgency can't give a lower priority. New changes of impact or urgency use it; existing priorities stay."</p>
            <ServerForm action=actions.matrix attr:class="form">
                <div class="table-scroll">
                    <table class="matrix">
                        <thead>
                            <tr>
                                <th scope="col">"Impact \\ Urgency"</th>
                                {Urgency::ALL.iter().map(|u| view! { <th scope="col">{u.label()}</th> }).collect_view()}
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <p class="field__error" role="alert">{move || matrix_error.get()}</p>
                <FormStatus failure=matrix_failure succeeded=succeeded(actions.matrix) saved="Matrix saved." />
                <button type="submit" class="button button--primary">"Save matrix"</button>
            </ServerForm>
        </section>
        <section class="panel" aria-labelledby="zone-heading">
            <h2 id="zone-heading">"Time zone"</h2>
            <ServerForm action=actions.time_zone attr:class="form">
                <div class="field" class:field--invalid=move || field_error(zone_failure, "time_zone").read().is_some()>
                    <label for="org-time-zone">"The organisation's time zone"</label>
                    <select id="org-time-zone" name="time_zone" aria-describedby="org-time-zone-hint org-time-zone-error">
                        <ZoneOptions zones=time_zones current=time_zone />
                    </select>
                    <p id="org-time-zone-hint" class="field__hint">"Dates and times are shown in it to everyone who has not chosen their own zone in their profile."</p>
                    <p id="org-time-zone-error" class="field__error">{move || field_error(zone_failure, "time_zone").get()}</p>
                </div>
                <FormStatus failure=zone_failure succeeded=succeeded(actions.time_zone) saved="Time zone saved." />
                <button type="submit" class="button button--primary">"Save time zone"</button>
            </ServerForm>
        </section>
        <section class="panel" aria-labelledby="canned-heading">
            <h2 id="canned-heading">"Canned responses"</h2>
            <p class="field__hint">"Agents insert these into a reply and adjust them before sending."</p>
            <ul class="list">
                {canned.into_iter().map(|c| view! { <CannedEditor canned=c actions /> }).collect_view()}
            </ul>
            <details class="add-canned">
                <summary>"Add a canned response"</summary>
                <CannedForm canned=None actions />
            </details>
        </section>
    }
}

#[component]
fn CannedEditor(canned: CannedResponse, actions: Actions) -> impl IntoView {
    let id = canned.id.to_string();
    let title = canned.title.clone();
    view! {
        <li class="list__item">
            <details>
                <summary>{title.clone()}</summary>
                <CannedForm canned=Some(canned) actions />
                <ServerForm action=actions.delete>
                    <input type="hidden" name="id" value=id />
                    <button type="submit" class="button button--danger" aria-label=format!("Delete {title}")>"Delete"</button>
                </ServerForm>
            </details>
        </li>
    }
}

/// Adds a canned response (`canned` none) or edits one.
#[component]
fn CannedForm(canned: Option<CannedResponse>, actions: Actions) -> impl IntoView {
    let key = canned.as_ref().map_or_else(|| "new".to_owned(), |c| c.id.to_string());
    // Only the form that was sent shows the answer.
    let sent_key = key.clone();
    let mine = Signal::derive(move || actions.sent_from.get().as_deref() == Some(sent_key.as_str()));
    let failure_all = failure(actions.save);
    let failure = Signal::derive(move || if mine.get() { failure_all.get() } else { None });
    let ok = succeeded(actions.save);
    let (title, body) = canned.as_ref().map(|c| (c.title.clone(), c.body.clone())).unwrap_or_default();
    let body_error = field_error(failure, "body");
    let body_id = format!("canned-body-{key}");
    view! {
        <ServerForm action=actions.save attr:class="form">
            {canned.map(|c| view! { <input type="hidden" name="id" value=c.id.to_string() /> })}
            <Field name="title" id=format!("canned-title-{key}") label="Title" value=title maxlength=80 error=field_error(failure, "title") />
            <div class="field" class:field--invalid=move || body_error.read().is_some()>
                <label for=body_id.clone()>"Reply"</label>
                <textarea id=body_id name="body" rows="4" maxlength="20000" required>{body}</textarea>
                <p class="field__error">{move || body_error.get()}</p>
            </div>
            <FormStatus failure succeeded=Signal::derive(move || mine.get() && ok.get()) saved="Saved." />
            <button type="submit" class="button button--primary">"Save"</button>
        </ServerForm>
    }
}
