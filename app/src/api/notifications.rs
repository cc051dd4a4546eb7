//! The signed-in person's in-portal notifications.

use leptos::prelude::*;

use crate::domain::notification::Inbox;
#[cfg(feature = "ssr")]
use crate::domain::policy::Action;
use crate::error::AppError;

/// How many notifications the page lists.
pub const INBOX_LIMIT: i64 = 50;

/// How many notifications are unread, for the bell: counted when the request's session
/// was read.
#[server(endpoint = "unread_notifications")]
pub async fn unread_notifications() -> Result<i64, AppError> {
    use crate::ssr::{authorize, session};
    authorize(Action::UsePortal)?;
    Ok(session().unread)
}

#[server(endpoint = "my_notifications")]
pub async fn my_notifications() -> Result<Inbox, AppError> {
    use crate::ssr::{authorize, service, state};
    let user = authorize(Action::UsePortal)?;
    service::notifications::inbox(&state()?.store, &user, INBOX_LIMIT).await
}

#[server(endpoint = "mark_notifications_read")]
pub async fn mark_notifications_read() -> Result<(), AppError> {
    use crate::ssr::{authorize, service, state};
    let user = authorize(Action::UsePortal)?;
    service::notifications::mark_read(&state()?.store, &user, chrono::Utc::now()).await
}
