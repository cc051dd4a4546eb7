//! Admins: one catalog item's details and who may order it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::plan_editor::PlanEditor;
use crate::api::catalog_admin::{SaveItem, SavePlan, SetAudience, load_item_editor};
use crate::components::field::Field;
use crate::components::form_status::{FormStatus, failure, field_error, saved_version, succeeded};
use crate::components::loaded::{loaded, resource};
use crate::components::server_form::{FormAction, ServerForm};
use crate::domain::catalog::ItemEditor;
use crate::domain::ids::CatalogItemId;
use crate::error::AppError;

#[component]
pub fn ItemAdminPage() -> impl IntoView {
    let params = use_params_map();
    let save = FormAction::<SaveItem>::new();
    let audience = FormAction::<SetAudience>::new();
    let plan = FormAction::<SavePlan>::new();
    let (saved, audience_saved, plan_saved) =
        (saved_version(save), saved_version(audience), saved_version(plan));
    let editor = resource(
        move || {
            (params.read().get("id").unwrap_or_default(), saved.get(), audience_saved.get(), plan_saved.get())
        },
        |(id, ..)| async move {
            match id.as_str() {
                "new" => load_item_editor(None).await,
                other => match other.parse() {
                    Ok(id) => load_item_editor(Some(CatalogItemId(id))).await,
                    Err(_) => Err(AppError::NotFound("That catalog item".into())),
                },
            }
        },
    );
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <A href="/admin/catalog">"Catalog"</A>
        </nav>
        {loaded(editor, move |editor| view! { <ItemForms editor save audience plan /> })}
    }
}

#[component]
fn ItemForms(
    editor: ItemEditor,
    save: FormAction<SaveItem>,
    audience: FormAction<SetAudience>,
    plan: FormAction<SavePlan>,
) -> impl IntoView {
    let ItemEditor { item, group, approval, fulfilment, categories, groups, departments, service, services } =
        editor;
    let plan_editor = item.as_ref().map(|i| {
        view! { <PlanEditor item=i.id steps=approval plan=fulfilment groups=groups.clone() save=plan /> }
    });
    let failure = failure(save);
    let error = move |field: &'static str| field_error(failure, field);
    let heading = item.as_ref().map_or_else(|| "Add an item".to_owned(), |i| i.name.clone());
    let value = {
        let item = item.clone();
        move |f: fn(&crate::domain::catalog::CatalogItem) -> String| item.as_ref().map(f).unwrap_or_default()
    };
    let category = item.as_ref().map(|i| i.category_id);
    let group_choices = groups.clone();
    let audience_form = item.clone().map(|item| {
        let groups = group_choices;
        let audience_failure = crate::components::form_status::failure(audience);
        let id = item.id.0.to_string();
        view! {
            <section class="panel" aria-labelledby="audience-heading">
                <h2 id="audience-heading">"Who may order it"</h2>
                <p class="muted">"Tick nothing and everyone may. Otherwise only members of the ticked groups and people in the ticked departments see it."</p>
                <ServerForm action=audience attr:class="form">
                    <input type="hidden" name="id" value=id />
                    <fieldset class="choice">
                        <legend>"Groups"</legend>
                        {groups
                            .iter()
                            .map(|g| {
                                let checked = item.audience.groups.contains(&g.id);
                                view! {
                                    <label>
                                        <input type="checkbox" name="groups[]" value=g.id.0.to_string() checked=checked />
                                        " "
                                        {g.name.clone()}
                                    </label>
                                }
                            })
                            .collect_view()}
                    </fieldset>
                    <fieldset class="choice">
                        <legend>"Departments"</legend>
                        {departments
                            .iter()
                            .map(|d| {
                                let checked = item.audience.departments.contains(&d.id);
                                view! {
                                    <label>
                                        <input type="checkbox" name="departments[]" value=d.id.0.to_string() checked=checked />
                                        " "
                                        {d.name.clone()}
                                    </label>
                                }
                            })
                            .collect_view()}
                    </fieldset>
                    <FormStatus failure=audience_failure succeeded=succeeded(audience) saved="Saved." />
                    <button type="submit" class="button button--primary">"Save who may order"</button>
                </ServerForm>
            </section>
        }
    });
    view! {
        <Title text=heading.clone() />
        <header class="page-header">
            <h1>{heading}</h1>
            {item
                .as_ref()
                .map(|i| {
                    view! {
                        <p class="actions">
                            <A href=format!("/admin/catalog/{}/form", i.id) attr:class="button">"Edit its form"</A>
                            <A href=format!("/catalog/{}", i.slug)>"See it as people do"</A>
                        </p>
                    }
                })}
        </header>
        <div class="panels">
            <ServerForm action=save attr:class="form panel" attr:novalidate=true>
                {item.as_ref().map(|i| view! { <input type="hidden" name="id" value=i.id.0.to_string() /> })}
                <div class="field">
                    <label for="category">"Category"</label>
                    <select id="category" name="category">
                        {categories
                            .into_iter()
                            .map(|(id, name)| view! { <option value=id.0.to_string() selected=category == Some(id)>{name}</option> })
                            .collect_view()}
                    </select>
                    <p class="field__error">{move || error("category").get()}</p>
                </div>
                <Field name="name" label="Name" value=value(|i| i.name.clone()) maxlength=120 error=error("name") />
                <Field
                    name="slug"
                    label="Web address"
                    value=value(|i| i.slug.clone())
                    hint="The last part of its link, like new-laptop. Made from the name when empty."
                    required=false
                    maxlength=60
                    error=error("slug")
                />
                <Field name="summary" label="Summary" value=value(|i| i.summary.clone()) required=false maxlength=200 error=error("summary") />
                <div class="field">
                    <label for="description">"Description"</label>
                    <textarea id="description" name="description" rows="5" maxlength="5000">{value(|i| i.description.clone())}</textarea>
                    <p class="field__error">{move || error("description").get()}</p>
                </div>
                <Field
                    name="keywords"
                    label="Search keywords"
                    value=value(|i| i.keywords.clone())
                    hint="Other words people use for it."
                    required=false
                    maxlength=300
                    error=error("keywords")
                />
                <div class="field">
                    <label for="group">"Fulfilled by"</label>
                    <select id="group" name="group">
                        <option value="" selected=group.is_none()>"Nobody yet"</option>
                        {groups
                            .iter()
                            .map(|g| view! { <option value=g.id.0.to_string() selected=group == Some(g.id)>{g.name.clone()}</option> })
                            .collect_view()}
                    </select>
                    <p class="field__error">{move || error("group").get()}</p>
                </div>
                <div class="field" class:field--invalid=move || error("service").read().is_some()>
                    <label for="service">"Offering of service"</label>
                    <select id="service" name="service" aria-describedby="service-hint service-error">
                        <option value="" selected=service.is_none()>"None"</option>
                        {services
                            .iter()
                            .map(|s| view! { <option value=s.id.0.to_string() selected=service == Some(s.id)>{s.name.clone()}</option> })
                            .collect_view()}
                    </select>
                    <p id="service-hint" class="field__hint">"The service's page lists it with the service level that covers its requests."</p>
                    <p id="service-error" class="field__error">{move || error("service").get()}</p>
                </div>
                <FormStatus failure succeeded=succeeded(save) saved="Saved." />
                <button type="submit" class="button button--primary">{if item.is_some() { "Save" } else { "Create item" }}</button>
            </ServerForm>
            {audience_form}
            {plan_editor}
        </div>
    }
}
