//! Admins: one person's account (or a new one): name, e-mail, manager, department, roles,
//! groups, password; and deactivation, which signs them out everywhere.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::admin::{SaveUser, SetUserActive, load_user_editor};
use crate::components::field::Field;
use crate::components::form_status::{FormStatus, failure, field_error, saved_version, succeeded};
use crate::components::loaded::{loaded, resource};
use crate::components::server_form::{FormAction, ServerForm};
use crate::domain::ids::UserId;
use crate::domain::people::{PASSWORD_MAX, UserEditor};
use crate::domain::user::Role;
use crate::error::AppError;

#[component]
pub fn UserPage() -> impl IntoView {
    let params = use_params_map();
    let save = FormAction::<SaveUser>::new();
    let set_active = FormAction::<SetUserActive>::new();
    let saved = saved_version(save);
    let activated = saved_version(set_active);
    // "new" or a number; anything else is a person who doesn't exist.
    let id = move || params.read().get("id").unwrap_or_default();
    let editor = resource(
        move || (id(), saved.get(), activated.get()),
        |(id, _, _)| async move {
            match id.as_str() {
                "new" => load_user_editor(None).await,
                other => match other.parse() {
                    Ok(id) => load_user_editor(Some(UserId(id))).await,
                    Err(_) => Err(AppError::NotFound("That person".into())),
                },
            }
        },
    );
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <A href="/admin/users">"People"</A>
        </nav>
        {loaded(editor, move |editor| view! { <UserForm editor save set_active /> })}
    }
}

#[component]
fn UserForm(
    editor: UserEditor,
    save: FormAction<SaveUser>,
    set_active: FormAction<SetUserActive>,
) -> impl IntoView {
    let UserEditor { user, departments, groups } = editor;
    let failure = failure(save);
    let error = move |field: &'static str| field_error(failure, field);
    let heading = if user.id.is_some() { user.name.clone() } else { "Add a person".to_owned() };
    let is_new = user.id.is_none();
    view! {
        <Title text=heading.clone() />
        <header class="page-header">
            <h1>{heading}</h1>
            {(!user.active).then(|| view! { <p><span class="badge badge--neutral">"Deactivated"</span></p> })}
        </header>
        <ServerForm action=save attr:class="form panel" attr:novalidate=true>
            {user.id.map(|id| view! { <input type="hidden" name="id" value=id.0.to_string() /> })}
            <Field name="name" label="Name" value=user.name.clone() maxlength=120 error=error("name") />
            <Field
                name="email"
                label="E-mail"
                input_type="email"
                value=user.email.clone()
                maxlength=254
                error=error("email")
            />
            <Field
                name="manager_email"
                label="Manager's e-mail"
                input_type="email"
                value=user.manager_email.clone().unwrap_or_default()
                hint="They approve this person's requests. Leave empty for none."
                required=false
                error=error("manager_email")
            />
            <div class="field">
                <label for="department">"Department"</label>
                <select id="department" name="department">
                    <option value="" selected=user.department.is_none()>"None"</option>
                    {departments
                        .into_iter()
                        .map(|d| {
                            let selected = user.department == Some(d.id);
                            view! { <option value=d.id.0.to_string() selected=selected>{d.name}</option> }
                        })
                        .collect_view()}
                </select>
                <p class="field__error">{move || error("department").get()}</p>
            </div>
            <fieldset class="choice">
                <legend>"Roles"</legend>
                <p class="field__hint">"Everyone can raise requests. Agents work the queue; admins also manage people and settings."</p>
                <label>
                    <input type="checkbox" name="roles[]" value="agent" checked=user.roles.contains(&Role::Agent) />
                    " Agent"
                </label>
                <label>
                    <input type="checkbox" name="roles[]" value="admin" checked=user.roles.contains(&Role::Admin) />
                    " Admin"
                </label>
                <p class="field__error">{move || error("roles").get()}</p>
            </fieldset>
            <fieldset class="choice">
                <legend>"Assignment groups"</legend>
                {groups
                    .into_iter()
                    .map(|g| {
                        let checked = user.groups.contains(&g.id);
                        view! {
                            <label>
                                <input type="checkbox" name="groups[]" value=g.id.0.to_string() checked=checked />
                                " "
                                {g.name}
                            </label>
                        }
                    })
                    .collect_view()}
                <p class="field__error">{move || error("groups").get()}</p>
            </fieldset>
            <Field
                name="password"
                label=if is_new { "Password" } else { "New password" }
                input_type="password"
                autocomplete="new-password"
                hint=if is_new {
                    "At least 10 characters. Share it with them safely."
                } else {
                    "Leave empty to keep their password. Setting one signs them out everywhere."
                }
                maxlength=PASSWORD_MAX
                required=is_new
                error=error("password")
            />
            <FormStatus failure succeeded=succeeded(save) saved="Saved." />
            <button type="submit" class="button button--primary">
                {if is_new { "Create account" } else { "Save changes" }}
            </button>
        </ServerForm>
        {user.id.map(|id| view! { <Activation id active=user.active set_active /> })}
    }
}

#[component]
fn Activation(id: UserId, active: bool, set_active: FormAction<SetUserActive>) -> impl IntoView {
    let failure = failure(set_active);
    view! {
        <section class="panel" aria-labelledby="access-heading">
            <h2 id="access-heading">"Access"</h2>
            <p class="muted">
                {if active {
                    "Deactivating signs them out everywhere and stops them signing in. Their records stay."
                } else {
                    "This account can't sign in. Reactivating lets them sign in again."
                }}
            </p>
            <ServerForm action=set_active>
                <input type="hidden" name="id" value=id.0.to_string() />
                <input type="hidden" name="active" value=(!active).to_string() />
                <FormStatus failure succeeded=Signal::derive(|| false) saved="" />
                <button type="submit" class=if active { "button button--danger" } else { "button" }>
                    {if active { "Deactivate account" } else { "Reactivate account" }}
                </button>
            </ServerForm>
        </section>
    }
}
