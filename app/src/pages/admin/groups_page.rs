//! Admins: the assignment groups, and a form to add one.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::api::admin::{SaveGroup, list_groups};
use crate::components::field::Field;
use crate::components::form_status::{FormStatus, failure, field_error, saved_version, succeeded};
use crate::components::loaded::{loaded, resource};
use crate::components::server_form::{FormAction, ServerForm};

#[component]
pub fn GroupsPage() -> impl IntoView {
    let save = FormAction::<SaveGroup>::new();
    let saved = saved_version(save);
    let groups = resource(move || saved.get(), |_| list_groups());
    let failure = failure(save);
    view! {
        <Title text="Groups" />
        <header class="page-header">
            <h1>"Assignment groups"</h1>
            <p class="muted">"Teams that records are assigned to. Agents belong to one or more."</p>
        </header>
        {loaded(
            groups,
            |groups| {
                view! {
                    <ul class="list">
                        {groups
                            .into_iter()
                            .map(|g| {
                                let members = match g.members {
                                    1 => "1 member".to_owned(),
                                    n => format!("{n} members"),
                                };
                                view! {
                                    <li class="list__item">
                                        <A href=format!("/admin/groups/{}", g.id)>{g.name}</A>
                                        <span class="muted">{members}</span>
                                        <p class="muted">{g.description}</p>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
            },
        )}
        <section class="panel" aria-labelledby="new-group-heading">
            <h2 id="new-group-heading">"Add a group"</h2>
            <ServerForm action=save attr:class="form" attr:novalidate=true>
                <Field name="name" label="Name" maxlength=120 error=field_error(failure, "name") />
                <Field
                    name="description"
                    label="What it handles"
                    required=false
                    maxlength=500
                    error=field_error(failure, "description")
                />
                <FormStatus failure succeeded=succeeded(save) saved="Group added." />
                <button type="submit" class="button button--primary">"Add group"</button>
            </ServerForm>
        </section>
    }
}
