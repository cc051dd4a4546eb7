//! Signing in and out.

use chrono::{DateTime, Utc};

use crate::domain::user::{BAD_CREDENTIALS, Email};
use crate::error::{AppError, FieldErrors};
use crate::ssr::AppState;
use crate::ssr::auth::{decoy_hash, random_token, token_hash, verify_password};

/// A new session's secret token, for the cookie. 256 random bits.
pub struct NewSession {
    pub token: String,
}

pub async fn login(
    state: &AppState,
    email: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<NewSession, AppError> {
    let mut errors = FieldErrors::default();
    let email = Email::parse(email).map_err(|e| errors.add("email", e.to_string())).ok();
    if password.is_empty() {
        errors.add("password", "Enter your password.");
    }
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };

    let account = state.store.find_login(email.as_str()).await?;
    let (hash, user) = match &account {
        Some(a) if a.active => {
            (a.password_hash.clone().unwrap_or_else(|| decoy_hash().to_owned()), Some(a.id))
        }
        _ => (decoy_hash().to_owned(), None),
    };
    let password = password.to_owned();
    // argon2 is deliberately slow; keep it off the async workers. The decoy makes an unknown
    // e-mail cost the same as a wrong password.
    let matches = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(|e| AppError::internal(&e))?;
    let Some(user) = user.filter(|_| matches && account.as_ref().is_some_and(|a| a.password_hash.is_some()))
    else {
        return Err(AppError::field("form", BAD_CREDENTIALS));
    };

    let token = random_token(32);
    state.store.insert_session(&token_hash(&token), user, now, &state.sessions).await?;
    tracing::info!(user = %user, "signed in");
    Ok(NewSession { token })
}

pub async fn logout(state: &AppState, token_hash: &str) -> Result<(), AppError> {
    state.store.delete_session(token_hash).await?;
    Ok(())
}
