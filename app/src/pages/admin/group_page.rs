//! Admins: one group: its name and description, and who is in it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::admin::{AddGroupMember, RemoveGroupMember, SaveGroup, get_group};
use crate::components::field::Field;
use crate::components::form_status::{FormStatus, failure, field_error, saved_version, succeeded};
use crate::components::loaded::{loaded, resource};
use crate::components::server_form::{FormAction, ServerForm};
use crate::domain::ids::GroupId;
use crate::domain::people::GroupDetail;
use crate::error::AppError;

#[component]
pub fn GroupPage() -> impl IntoView {
    let params = use_params_map();
    let save = FormAction::<SaveGroup>::new();
    let add = FormAction::<AddGroupMember>::new();
    let remove = FormAction::<RemoveGroupMember>::new();
    let (saved, added, removed) = (saved_version(save), saved_version(add), saved_version(remove));
    let group = resource(
        move || (params.read().get("id").unwrap_or_default(), saved.get(), added.get(), removed.get()),
        |(id, ..)| async move {
            match id.parse() {
                Ok(id) => get_group(GroupId(id)).await,
                Err(_) => Err(AppError::NotFound("That group".into())),
            }
        },
    );
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <A href="/admin/groups">"Groups"</A>
        </nav>
        {loaded(group, move |detail| view! { <GroupForms detail save add remove /> })}
    }
}

#[component]
fn GroupForms(
    detail: GroupDetail,
    save: FormAction<SaveGroup>,
    add: FormAction<AddGroupMember>,
    remove: FormAction<RemoveGroupMember>,
) -> impl IntoView {
    let GroupDetail { group, members } = detail;
    let id = group.id.0.to_string();
    let save_id = id.clone();
    let save_failure = failure(save);
    let add_failure = failure(add);
    view! {
        <Title text=group.name.clone() />
        <header class="page-header">
            <h1>{group.name.clone()}</h1>
        </header>
        <div class="panels">
            <section class="panel" aria-labelledby="rename-heading">
                <h2 id="rename-heading">"Name"</h2>
                <ServerForm action=save attr:class="form" attr:novalidate=true>
                    <input type="hidden" name="id" value=save_id />
                    <Field name="name" label="Name" value=group.name maxlength=120 error=field_error(save_failure, "name") />
                    <Field
                        name="description"
                        label="What it handles"
                        value=group.description
                        required=false
                        maxlength=500
                        error=field_error(save_failure, "description")
                    />
                    <FormStatus failure=save_failure succeeded=succeeded(save) saved="Saved." />
                    <button type="submit" class="button button--primary">"Save"</button>
                </ServerForm>
            </section>
            <section class="panel" aria-labelledby="members-heading">
                <h2 id="members-heading">{format!("Members ({})", members.len())}</h2>
                <ul class="list">
                    {members
                        .into_iter()
                        .map(|m| {
                            let id = id.clone();
                            let remove_label = format!("Remove {}", m.name);
                            view! {
                                <li class="list__item list__item--row">
                                    <span>
                                        <A href=format!("/admin/users/{}", m.id)>{m.name.clone()}</A>
                                        <span class="muted">" "{m.email}</span>
                                    </span>
                                    <ServerForm action=remove>
                                        <input type="hidden" name="id" value=id />
                                        <input type="hidden" name="user" value=m.id.0.to_string() />
                                        <button type="submit" class="button button--quiet" aria-label=remove_label>
                                            "Remove"
                                        </button>
                                    </ServerForm>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                <ServerForm action=add attr:class="form" attr:novalidate=true>
                    <input type="hidden" name="id" value=id />
                    <Field
                        name="email"
                        label="Add someone by e-mail"
                        input_type="email"
                        error=field_error(add_failure, "email")
                    />
                    <FormStatus failure=add_failure succeeded=succeeded(add) saved="Added." />
                    <button type="submit" class="button">"Add member"</button>
                </ServerForm>
            </section>
        </div>
    }
}
