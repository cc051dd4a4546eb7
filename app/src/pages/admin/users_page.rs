//! Admins: everyone with an account, searchable, with their roles and whether they may sign in.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::admin::list_users;
use crate::components::erased::Erase;
use crate::components::loaded::{loaded, resource};
use crate::domain::people::UserSummary;
use crate::domain::user::Role;

#[component]
pub fn UsersPage() -> impl IntoView {
    let query = use_query_map();
    let search = move || query.read().get("q").unwrap_or_default();
    let users = resource(search, |q| list_users(Some(q)));
    view! {
        <Title text="People" />
        <header class="page-header page-header--actions">
            <div>
                <h1>"People"</h1>
                <p class="muted">"Accounts, roles and groups."</p>
            </div>
            <A href="/admin/users/new" attr:class="button button--primary">"Add a person"</A>
        </header>
        <form method="get" action="/admin/users" class="search" role="search">
            <label for="q" class="visually-hidden">"Search people"</label>
            <input id="q" name="q" type="search" placeholder="Name or e-mail" value=search maxlength="120" />
            <button type="submit" class="button">"Search"</button>
        </form>
        {loaded(
            users,
            |users| {
                if users.is_empty() {
                    view! { <p class="empty-state">"Nobody matches that search."</p> }.erase()
                } else {
                    view! { <UserTable users /> }.erase()
                }
            },
        )}
    }
}

#[component]
fn UserTable(users: Vec<UserSummary>) -> impl IntoView {
    view! {
        <table class="records">
            <caption class="visually-hidden">"People"</caption>
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"E-mail"</th>
                    <th scope="col">"Department"</th>
                    <th scope="col">"Roles"</th>
                    <th scope="col">"Status"</th>
                </tr>
            </thead>
            <tbody>
                {users
                    .into_iter()
                    .map(|user| {
                        let roles = role_names(&user.roles);
                        view! {
                            <tr>
                                <td data-label="Name" class="records__title">
                                    <A href=format!("/admin/users/{}", user.id)>{user.name}</A>
                                </td>
                                <td data-label="E-mail">{user.email}</td>
                                <td data-label="Department">{user.department.unwrap_or_else(|| "—".into())}</td>
                                <td data-label="Roles">{roles}</td>
                                <td data-label="Status">
                                    {if user.active {
                                        view! { <span class="badge badge--ok">"Active"</span> }.erase()
                                    } else {
                                        view! { <span class="badge badge--neutral">"Deactivated"</span> }.erase()
                                    }}
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// "Agent, Admin", or "Requester" for people with no extra role.
pub fn role_names(roles: &[Role]) -> String {
    if roles.is_empty() {
        return "Requester".into();
    }
    roles
        .iter()
        .map(|r| match r {
            Role::Agent => "Agent",
            Role::Admin => "Admin",
        })
        .collect::<Vec<_>>()
        .join(", ")
}
