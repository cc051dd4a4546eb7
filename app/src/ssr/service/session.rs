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

/// What a sign-in attempt says: the form's fields and where the request came from.
pub struct LoginAttempt<'a> {
    pub email: &'a str,
    pub password: &'a str,
    /// The client's address, for per-address throttling.
    pub client: &'a str,
    /// The session the browser already holds, if any: replaced, never reused.
    pub previous_session: Option<&'a str>,
}

pub async fn login(
    state: &AppState,
    attempt: &LoginAttempt<'_>,
    now: DateTime<Utc>,
) -> Result<NewSession, AppError> {
    let LoginAttempt { email, password, client, previous_session } = *attempt;
    let mut errors = FieldErrors::default();
    let email = Email::parse(email).map_err(|e| errors.add("email", e.to_string())).ok();
    if password.is_empty() {
        errors.add("password", "Enter your password.");
    }
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };

    // Counted by the e-mail as typed, whether or not it has an account: a lock says nothing
    // about who exists.
    let account_key = format!("account:{}", email.as_str());
    let address_key = format!("address:{client}");
    let keys = [account_key.as_str(), address_key.as_str()];
    let policies = [state.throttle.account, state.throttle.address];
    let mut next_attempt_at = None;
    for (key, policy) in keys.iter().zip(policies) {
        let failures = state.store.find_login_failures(key).await?;
        next_attempt_at = next_attempt_at.max(policy.next_attempt_at(failures, now));
    }
    if let Some(at) = next_attempt_at {
        tracing::warn!(%client, "sign-in throttled");
        let retry_after_seconds = ((at - now).num_milliseconds() + 999) / 1000;
        return Err(AppError::TooManyAttempts { retry_after_seconds });
    }

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
        state.store.record_login_failure(&keys, now).await?;
        return Err(AppError::field("form", BAD_CREDENTIALS));
    };
    state.store.clear_login_failures(&keys).await?;

    if let Some(previous) = previous_session {
        state.store.delete_session(previous).await?;
    }
    let token = random_token(32);
    state.store.insert_session(&token_hash(&token), user, now, &state.sessions).await?;
    tracing::info!(user = %user, "signed in");
    Ok(NewSession { token })
}

pub async fn logout(state: &AppState, token_hash: &str) -> Result<(), AppError> {
    state.store.delete_session(token_hash).await?;
    Ok(())
}
