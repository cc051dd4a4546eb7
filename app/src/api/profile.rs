//! The signed-in person's own profile and password.

use leptos::prelude::*;

use crate::domain::people::Profile;
#[cfg(feature = "ssr")]
use crate::domain::policy::Action;
use crate::error::AppError;

#[server(endpoint = "my_profile")]
pub async fn my_profile() -> Result<Profile, AppError> {
    use crate::ssr::{authorize, calendar, service, state};
    let user = authorize(Action::UsePortal)?;
    let store = &state()?.store;
    let organisation_zone = service::desk::organisation_time_zone(store).await?;
    let zone = service::directory::zone_of(store, &user, chrono::Utc::now()).await?;
    Ok(Profile { user, time_zones: calendar::zone_names(), organisation_zone, zone })
}

#[server(endpoint = "update_profile")]
pub async fn update_profile(name: String, time_zone: String) -> Result<(), AppError> {
    use crate::ssr::{authorize, service, state};
    let user = authorize(Action::UsePortal)?;
    service::directory::update_profile(&state()?.store, &user, &name, &time_zone).await
}

/// Changes the password; every other browser signed in as this person is signed out.
#[server(endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    use crate::ssr::{authorize, service, session, state};
    let user = authorize(Action::UsePortal)?;
    let this_session = session().token_hash;
    service::directory::change_password(
        &state()?.store,
        &user,
        &current_password,
        &new_password,
        &confirm_password,
        this_session.as_deref(),
    )
    .await
}
