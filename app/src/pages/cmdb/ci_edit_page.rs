//! Admins: the CI form, for a new CI of a class (`/cmdb/new?class=laptop`) or an existing
//! one: the fields every CI has, then its class's attributes, each checked as it is left.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::cmdb::{SaveCi, load_ci_editor};
use crate::components::field::Field;
use crate::components::form_status::{FormStatus, failure, field_error, saved_version, succeeded};
use crate::components::loaded::{loaded, resource};
use crate::components::request_form::SchemaFields;
use crate::components::server_form::{FormAction, ServerForm};
use crate::domain::cmdb::{CiEditor, CiStatus, Criticality, LOCATION_MAX, NAME_MAX};
use crate::domain::ids::CiId;
use crate::error::AppError;

#[component]
pub fn CiEditPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let save = FormAction::<SaveCi>::new();
    let saved = saved_version(save);
    let editor = resource(
        move || {
            let id = params.read().get("id");
            (id, query.read().get("class"), saved.get())
        },
        |(id, class, _)| async move {
            match id {
                None => load_ci_editor(None, class).await,
                Some(id) => match id.parse() {
                    Ok(id) => load_ci_editor(Some(CiId(id)), None).await,
                    Err(_) => Err(AppError::NotFound("That configuration item".into())),
                },
            }
        },
    );
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <A href="/cmdb">"Configuration items"</A>
        </nav>
        {loaded(editor, move |editor| view! { <CiForm editor save /> })}
    }
}

#[component]
fn CiForm(editor: CiEditor, save: FormAction<SaveCi>) -> impl IntoView {
    let CiEditor { classes, class, schema, ci, input, owner_email, groups, today, references } = editor;
    let failure = failure(save);
    let error = move |field: &'static str| field_error(failure, field);
    let class = classes.iter().find(|c| c.id == class).cloned();
    let class_name = class.as_ref().map_or_else(String::new, |c| c.name.clone());
    let heading = match &ci {
        Some(ci) => format!("Edit {}", ci.name),
        None => format!("Add a {}", class_name.to_lowercase()),
    };
    let status_options = CiStatus::ALL
        .into_iter()
        .map(|s| view! { <option value=s.as_str() selected=s.as_str() == input.status>{s.label()}</option> })
        .collect_view();
    let criticality_options = Criticality::ALL
        .into_iter()
        .map(|c| view! { <option value=c.as_str() selected=c.as_str() == input.criticality>{c.label()}</option> })
        .collect_view();
    let group_options = groups
        .into_iter()
        .map(|g| {
            let selected = input.support_group == Some(g.id);
            view! { <option value=g.id.0.to_string() selected=selected>{g.name}</option> }
        })
        .collect_view();
    let back = ci.as_ref().map_or_else(|| "/cmdb".to_owned(), |ci| format!("/cmdb/{}", ci.id));
    view! {
        <Title text=heading.clone() />
        <header class="page-header">
            <p class="eyebrow">{class_name}</p>
            <h1>{heading}</h1>
        </header>
        <section class="panel">
            <ServerForm action=save attr:class="form ci-form" attr:novalidate=true>
                {ci
                    .as_ref()
                    .map(|ci| {
                        view! {
                            <input type="hidden" name="id" value=ci.id.0.to_string() />
                            <input type="hidden" name="version" value=ci.version.to_string() />
                        }
                    })}
                <input type="hidden" name="class" value=class.map(|c| c.code).unwrap_or_default() />
                <Field name="name" label="Name" value=input.name maxlength=NAME_MAX error=error("name") />
                <div class="field-editor__row">
                    <div class="field" class:field--invalid=move || error("status").read().is_some()>
                        <label for="status">"Status"</label>
                        <select id="status" name="status">{status_options}</select>
                        <p class="field__error">{move || error("status").get()}</p>
                    </div>
                    <div class="field" class:field--invalid=move || error("criticality").read().is_some()>
                        <label for="criticality">"Criticality"</label>
                        <select id="criticality" name="criticality">{criticality_options}</select>
                        <p class="field__error">{move || error("criticality").get()}</p>
                    </div>
                </div>
                <Field
                    name="owner"
                    label="Owner (e-mail)"
                    input_type="email"
                    value=owner_email
                    required=false
                    hint="Who is accountable for it; for a device, who uses it."
                    error=error("owner")
                />
                <div class="field" class:field--invalid=move || error("support_group").read().is_some()>
                    <label for="support_group">"Support group (optional)"</label>
                    <select id="support_group" name="support_group">
                        <option value="">"None"</option>
                        {group_options}
                    </select>
                    <p class="field__error">{move || error("support_group").get()}</p>
                </div>
                <Field
                    name="location"
                    label="Location"
                    value=input.location
                    required=false
                    maxlength=LOCATION_MAX
                    error=error("location")
                />
                <SchemaFields schema answers=input.attributes failure today references />
                <FormStatus failure succeeded=succeeded(save) saved="Saved." />
                <div class="actions">
                    <button type="submit" class="button button--primary">"Save"</button>
                    <A href=back attr:class="button button--quiet">"Back"</A>
                </div>
            </ServerForm>
        </section>
    }
}
