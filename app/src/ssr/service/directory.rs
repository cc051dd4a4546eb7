//! Admins managing people and groups; people managing their own profile and password.
//! Callers have already asked the policy; these check the input and keep the rules that
//! span rows (an admin cannot lock themselves out, taking access away ends sessions).

use chrono::{DateTime, Utc};

use crate::domain::ids::{DepartmentId, GroupId, UserId};
use crate::domain::people::{DESCRIPTION_MAX, UserInput, parse_name, validate_user};
use crate::domain::user::{CurrentUser, Role};
use crate::error::{AppError, FieldErrors};
use crate::fmt::Zone;
use crate::ssr::auth::{hash_password, verify_password};
use crate::ssr::calendar::printed_zone;
use crate::ssr::passwords::check_new_password;
use crate::ssr::store::{NewUser, Store, UserChanges};

/// The admin's user form, as submitted.
pub struct UserForm<'a> {
    pub input: UserInput<'a>,
    pub department: Option<DepartmentId>,
    pub groups: &'a [GroupId],
    /// Required when creating; when editing, a new password or empty to keep the old one.
    pub password: &'a str,
}

async fn hash(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| AppError::internal(&e))?
        .map_err(|e| AppError::internal(&e))
}

/// Checks the form, finds the manager, and says which fields are wrong all at once.
async fn check_user_form(
    store: &Store,
    form: &UserForm<'_>,
    editing: Option<UserId>,
) -> Result<(UserChangesOwned, Option<String>), AppError> {
    let mut errors = FieldErrors::default();
    let valid = validate_user(&form.input).map_err(|e| errors = e).ok();
    let mut manager = None;
    let manager_email = crate::domain::user::Email::parse(form.input.manager_email).ok();
    if let Some(email) = manager_email {
        match store.find_user_id_by_email(email.as_str()).await? {
            Some(id) if Some(id) == editing => {
                errors.add("manager_email", "Someone can't be their own manager.")
            }
            Some(id) => manager = Some(id),
            None => errors.add("manager_email", "Nobody has that e-mail address."),
        }
    }
    if let Some(v) = &valid
        && let Some(existing) = store.find_user_id_by_email(v.email.as_str()).await?
        && Some(existing) != editing
    {
        errors.add("email", "Someone else already has that e-mail address.");
    }
    if let Some(department) = form.department
        && !store.list_departments().await?.iter().any(|d| d.id == department)
    {
        errors.add("department", "Pick a department from the list.");
    }
    let groups = store.list_groups().await?;
    if form.groups.iter().any(|id| !groups.iter().any(|g| g.id == *id)) {
        errors.add("groups", "Pick groups from the list.");
    }
    let password = match (form.password, editing) {
        ("", Some(_)) => None,
        (password, _) => {
            let (name, email) = valid.as_ref().map_or(("", ""), |v| (v.name.as_str(), v.email.as_str()));
            check_new_password(password, name, email).map_err(|e| errors.add("password", e)).ok();
            Some(password.to_owned())
        }
    };
    match valid {
        Some(v) if errors.is_empty() => Ok((
            UserChangesOwned {
                name: v.name,
                email: v.email.as_str().to_owned(),
                department: form.department,
                manager,
                roles: v.roles,
                groups: form.groups.to_vec(),
            },
            password,
        )),
        _ => Err(AppError::Invalid(errors)),
    }
}

struct UserChangesOwned {
    name: String,
    email: String,
    department: Option<DepartmentId>,
    manager: Option<UserId>,
    roles: Vec<Role>,
    groups: Vec<GroupId>,
}

impl UserChangesOwned {
    fn borrowed(&self) -> UserChanges<'_> {
        UserChanges {
            name: &self.name,
            email: &self.email,
            department: self.department,
            manager: self.manager,
            roles: &self.roles,
            groups: &self.groups,
        }
    }
}

pub async fn create_user(store: &Store, form: &UserForm<'_>, now: DateTime<Utc>) -> Result<UserId, AppError> {
    let (changes, password) = check_user_form(store, form, None).await?;
    let password_hash = match password {
        Some(password) => Some(hash(password).await?),
        None => None,
    };
    let mut tx = store.begin().await?;
    let id = Store::insert_user(
        &mut tx,
        &NewUser {
            email: &changes.email,
            name: &changes.name,
            password_hash: password_hash.as_deref(),
            department: changes.department,
            manager: changes.manager,
            time_zone: "",
            roles: &changes.roles,
        },
        now,
    )
    .await?;
    Store::set_user_groups(&mut tx, id, &changes.groups).await?;
    tx.commit().await?;
    tracing::info!(user = %id, "user created");
    Ok(id)
}

pub async fn update_user(
    store: &Store,
    admin: &CurrentUser,
    id: UserId,
    form: &UserForm<'_>,
) -> Result<(), AppError> {
    if store.find_user_detail(id).await?.is_none() {
        return Err(AppError::NotFound("That person".into()));
    }
    let (changes, password) = check_user_form(store, form, Some(id)).await?;
    if id == admin.id && !changes.roles.contains(&Role::Admin) {
        return Err(AppError::field("roles", "You can't take away your own admin role."));
    }
    let password_hash = match password {
        Some(password) => Some(hash(password).await?),
        None => None,
    };
    let mut tx = store.begin().await?;
    Store::update_user(&mut tx, id, &changes.borrowed()).await?;
    if let Some(hash) = password_hash {
        Store::set_password(&mut tx, id, &hash, None).await?;
    }
    tx.commit().await?;
    tracing::info!(user = %id, by = %admin.id, "user updated");
    Ok(())
}

pub async fn set_user_active(
    store: &Store,
    admin: &CurrentUser,
    id: UserId,
    active: bool,
) -> Result<(), AppError> {
    if id == admin.id && !active {
        return Err(AppError::Conflict("You can't deactivate your own account.".into()));
    }
    store.set_user_active(id, active).await.map_err(AppError::missing("That person"))?;
    tracing::info!(user = %id, by = %admin.id, active, "user activation changed");
    Ok(())
}

/// The zone `user` reads dates in: their own, else the organisation's.
pub async fn zone_of(store: &Store, user: &CurrentUser, now: DateTime<Utc>) -> Result<Zone, AppError> {
    let name = match user.time_zone.as_str() {
        "" => super::desk::organisation_time_zone(store).await?,
        own => own.to_owned(),
    };
    Ok(printed_zone(&name, now).unwrap_or_default())
}

/// A person's own name and time zone; an empty zone means the organisation's.
pub async fn update_profile(
    store: &Store,
    user: &CurrentUser,
    name: &str,
    time_zone: &str,
) -> Result<(), AppError> {
    let mut errors = FieldErrors::default();
    let name = parse_name(name, "your name").map_err(|e| errors.add("name", e)).ok();
    let time_zone = time_zone.trim();
    if !time_zone.is_empty() && time_zone.parse::<chrono_tz::Tz>().is_err() {
        errors.add("time_zone", "Pick a time zone from the list.");
    }
    let Some(name) = name.filter(|_| errors.is_empty()) else { return Err(AppError::Invalid(errors)) };
    store.update_profile(user.id, &name, time_zone).await?;
    Ok(())
}

/// Changes one's own password after checking the current one. Every other session of the
/// account ends; `current_session` (this browser) stays signed in.
pub async fn change_password(
    store: &Store,
    user: &CurrentUser,
    current: &str,
    new: &str,
    confirm: &str,
    current_session: Option<&str>,
) -> Result<(), AppError> {
    let mut errors = FieldErrors::default();
    if current.is_empty() {
        errors.add("current_password", "Enter your current password.");
    }
    if let Err(e) = check_new_password(new, &user.name, &user.email) {
        errors.add("new_password", e);
    } else if new != confirm {
        errors.add("confirm_password", "The two new passwords are different.");
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let stored = store.find_password_hash(user.id).await?.unwrap_or_default();
    let current = current.to_owned();
    let matches =
        tokio::task::spawn_blocking(move || !stored.is_empty() && verify_password(&current, &stored))
            .await
            .map_err(|e| AppError::internal(&e))?;
    if !matches {
        return Err(AppError::field("current_password", "That isn't your current password."));
    }
    let hash = hash(new.to_owned()).await?;
    let mut tx = store.begin().await?;
    Store::set_password(&mut tx, user.id, &hash, current_session).await?;
    tx.commit().await?;
    tracing::info!(user = %user.id, "password changed");
    Ok(())
}

/// Name and description of a group, checked.
pub fn check_group(name: &str, description: &str) -> Result<(String, String), AppError> {
    let mut errors = FieldErrors::default();
    let name = parse_name(name, "a group name").map_err(|e| errors.add("name", e)).ok();
    let description = description.trim();
    if description.chars().count() > DESCRIPTION_MAX {
        errors.add("description", format!("Keep the description to {DESCRIPTION_MAX} characters."));
    }
    match name {
        Some(name) if errors.is_empty() => Ok((name, description.to_owned())),
        _ => Err(AppError::Invalid(errors)),
    }
}

pub async fn create_group(store: &Store, name: &str, description: &str) -> Result<GroupId, AppError> {
    let (name, description) = check_group(name, description)?;
    let mut tx = store.begin().await?;
    let id = Store::insert_group(&mut tx, &name, &description).await.map_err(group_conflict)?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update_group(store: &Store, id: GroupId, name: &str, description: &str) -> Result<(), AppError> {
    let (name, description) = check_group(name, description)?;
    store.update_group(id, &name, &description).await.map_err(group_conflict)
}

fn group_conflict(error: crate::ssr::store::StoreError) -> AppError {
    match error {
        crate::ssr::store::StoreError::Conflict { .. } => {
            AppError::field("name", "There is already a group with that name.")
        }
        crate::ssr::store::StoreError::NotFound => AppError::NotFound("That group".into()),
        other => other.into(),
    }
}

/// Adds the person with `email` to a group.
pub async fn add_group_member(store: &Store, group: GroupId, email: &str) -> Result<(), AppError> {
    let email =
        crate::domain::user::Email::parse(email).map_err(|e| AppError::field("email", e.to_string()))?;
    if store.find_group(group).await?.is_none() {
        return Err(AppError::NotFound("That group".into()));
    }
    let Some(user) = store.find_user_id_by_email(email.as_str()).await? else {
        return Err(AppError::field("email", "Nobody has that e-mail address."));
    };
    store.add_group_member(group, user).await?;
    Ok(())
}

/// People whose name or e-mail contains `query`, at most `limit`.
pub async fn list_users(
    store: &Store,
    query: &str,
    limit: i64,
) -> Result<Vec<crate::domain::people::UserSummary>, AppError> {
    Ok(store.list_users(query, limit).await?)
}

/// The user form: the person `id` (or a blank one) with departments and groups to pick.
pub async fn user_editor(
    store: &Store,
    id: Option<crate::domain::ids::UserId>,
) -> Result<crate::domain::people::UserEditor, AppError> {
    use crate::domain::people::{UserDetail, UserEditor};
    let user = match id {
        Some(id) => {
            store.find_user_detail(id).await?.ok_or_else(|| AppError::NotFound("That person".into()))?
        }
        None => UserDetail { active: true, ..UserDetail::default() },
    };
    Ok(UserEditor { user, departments: store.list_departments().await?, groups: store.list_groups().await? })
}

pub async fn list_groups(store: &Store) -> Result<Vec<crate::domain::people::GroupSummary>, AppError> {
    Ok(store.list_groups().await?)
}

pub async fn group(
    store: &Store,
    id: crate::domain::ids::GroupId,
) -> Result<crate::domain::people::GroupDetail, AppError> {
    store.find_group(id).await?.ok_or_else(|| AppError::NotFound("That group".into()))
}

pub async fn remove_group_member(
    store: &Store,
    group: crate::domain::ids::GroupId,
    user: crate::domain::ids::UserId,
) -> Result<(), AppError> {
    Ok(store.remove_group_member(group, user).await?)
}
