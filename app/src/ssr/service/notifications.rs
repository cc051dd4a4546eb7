//! In-portal notifications: the inbox, and marking them read. The bell's count comes with
//! the session (`auth::SignedIn::unread`).

use chrono::{DateTime, Utc};

use crate::domain::notification::Inbox;
use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::ssr::store::Store;

pub async fn inbox(store: &Store, user: &CurrentUser, limit: i64) -> Result<Inbox, AppError> {
    Ok(store.inbox(user.id, limit).await?)
}

pub async fn mark_read(store: &Store, user: &CurrentUser, now: DateTime<Utc>) -> Result<(), AppError> {
    Ok(store.mark_notifications_read(user.id, now).await?)
}
