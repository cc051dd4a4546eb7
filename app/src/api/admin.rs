//! Admins managing people and assignment groups.

use leptos::prelude::*;

use crate::domain::ids::{GroupId, UserId};
use crate::domain::people::{GroupDetail, GroupSummary, UserEditor, UserSummary};
#[cfg(feature = "ssr")]
use crate::domain::policy::Action;
use crate::error::AppError;

/// How many people the list shows at once; the search narrows it.
pub const USER_LIST_LIMIT: i64 = 100;

#[server(endpoint = "admin_list_users")]
pub async fn list_users(query: Option<String>) -> Result<Vec<UserSummary>, AppError> {
    use crate::ssr::{authorize, state};
    authorize(Action::ManageUsers)?;
    let query = query.unwrap_or_default();
    if query.chars().count() > 120 {
        return Err(AppError::field("q", "Search with fewer than 120 characters."));
    }
    crate::ssr::service::directory::list_users(&state()?.store, query.trim(), USER_LIST_LIMIT).await
}

/// The user form: the person `id` (or a blank one) with departments and groups to pick.
#[server(endpoint = "admin_user_editor")]
pub async fn load_user_editor(id: Option<UserId>) -> Result<UserEditor, AppError> {
    use crate::ssr::{authorize, service, state};
    authorize(Action::ManageUsers)?;
    service::directory::user_editor(&state()?.store, id).await
}

/// Creates (no `id`) or updates a person. A new person is shown on their own page.
#[server(endpoint = "admin_save_user")]
pub async fn save_user(
    id: Option<UserId>,
    name: String,
    email: String,
    manager_email: Option<String>,
    department: Option<String>,
    roles: Option<Vec<String>>,
    groups: Option<Vec<GroupId>>,
    password: Option<String>,
) -> Result<UserId, AppError> {
    use crate::domain::ids::DepartmentId;
    use crate::domain::people::UserInput;
    use crate::ssr::service::directory::{UserForm, create_user, update_user};
    use crate::ssr::{authorize, state};
    let admin = authorize(Action::ManageUsers)?;
    let store = state()?.store;
    let department = match department.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(DepartmentId(
            text.parse().map_err(|_| AppError::field("department", "Pick a department from the list."))?,
        )),
    };
    let roles = roles.unwrap_or_default();
    let groups = groups.unwrap_or_default();
    let form = UserForm {
        input: UserInput {
            name: &name,
            email: &email,
            manager_email: manager_email.as_deref().unwrap_or(""),
            roles: &roles,
        },
        department,
        groups: &groups,
        password: password.as_deref().unwrap_or(""),
    };
    match id {
        Some(id) => {
            update_user(&store, &admin, id, &form).await?;
            Ok(id)
        }
        None => {
            let id = create_user(&store, &form, chrono::Utc::now()).await?;
            leptos_axum::redirect(&format!("/admin/users/{id}"));
            Ok(id)
        }
    }
}

/// Deactivates (signing them out everywhere) or reactivates a person.
#[server(endpoint = "admin_set_user_active")]
pub async fn set_user_active(id: UserId, active: bool) -> Result<(), AppError> {
    use crate::ssr::{authorize, service, state};
    let admin = authorize(Action::ManageUsers)?;
    service::directory::set_user_active(&state()?.store, &admin, id, active).await
}

#[server(endpoint = "admin_list_groups")]
pub async fn list_groups() -> Result<Vec<GroupSummary>, AppError> {
    use crate::ssr::{authorize, service, state};
    authorize(Action::ManageGroups)?;
    service::directory::list_groups(&state()?.store).await
}

#[server(endpoint = "admin_get_group")]
pub async fn get_group(id: GroupId) -> Result<GroupDetail, AppError> {
    use crate::ssr::{authorize, service, state};
    authorize(Action::ManageGroups)?;
    service::directory::group(&state()?.store, id).await
}

/// Creates a group (no `id`, then shows its page) or renames one.
#[server(endpoint = "admin_save_group")]
pub async fn save_group(
    id: Option<GroupId>,
    name: String,
    description: Option<String>,
) -> Result<GroupId, AppError> {
    use crate::ssr::{authorize, service, state};
    authorize(Action::ManageGroups)?;
    let store = state()?.store;
    let description = description.unwrap_or_default();
    match id {
        Some(id) => {
            service::directory::update_group(&store, id, &name, &description).await?;
            Ok(id)
        }
        None => {
            let id = service::directory::create_group(&store, &name, &description).await?;
            leptos_axum::redirect(&format!("/admin/groups/{id}"));
            Ok(id)
        }
    }
}

#[server(endpoint = "admin_add_group_member")]
pub async fn add_group_member(id: GroupId, email: String) -> Result<(), AppError> {
    use crate::ssr::{authorize, service, state};
    authorize(Action::ManageGroups)?;
    service::directory::add_group_member(&state()?.store, id, &email).await
}

#[server(endpoint = "admin_remove_group_member")]
pub async fn remove_group_member(id: GroupId, user: UserId) -> Result<(), AppError> {
    use crate::ssr::{authorize, service, state};
    authorize(Action::ManageGroups)?;
    service::directory::remove_group_member(&state()?.store, id, user).await
}
