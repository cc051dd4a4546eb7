//! Who am I, sign in, sign out.

use leptos::prelude::*;

use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::fmt::Zone;

/// The signed-in person, and the time zone every date is shown to them in: their own, or
/// the organisation's when they have not chosen one.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Me {
    pub user: CurrentUser,
    pub zone: Zone,
}

#[server(endpoint = "who_am_i")]
pub async fn who_am_i() -> Result<Option<Me>, AppError> {
    use crate::ssr::{service, state};
    let Some(user) = crate::ssr::signed_in() else { return Ok(None) };
    let zone = service::directory::zone_of(&state()?.store, &user, chrono::Utc::now()).await?;
    Ok(Some(Me { user, zone }))
}

/// Signs in and sends the browser to `next` (a local path). A plain form post that fails
/// comes back to the sign-in page with `failed=1`, so it works without JavaScript too.
#[server(endpoint = "login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use crate::fmt::{query_value, safe_next};
    use crate::ssr::{auth, service, state};
    use axum::http::{HeaderValue, header};
    use leptos_axum::ResponseOptions;

    let state = state()?;
    let next = safe_next(next.as_deref());
    let client = crate::ssr::client_address();
    let previous = crate::ssr::session().token_hash;
    let attempt = service::session::LoginAttempt {
        email: &email,
        password: &password,
        client: &client,
        previous_session: previous.as_deref(),
    };
    match service::session::login(&state, &attempt, chrono::Utc::now()).await {
        Ok(session) => {
            let cookie = auth::set_cookie_header(&state.sessions, &session.token);
            if let (Some(response), Ok(value)) =
                (use_context::<ResponseOptions>(), HeaderValue::from_str(&cookie))
            {
                response.append_header(header::SET_COOKIE, value);
            }
            leptos_axum::redirect(&next);
            Ok(())
        }
        // A browser posting the plain form wants a page back, not JSON: send it to the
        // form again, which then shows the failure.
        Err(error) if crate::ssr::http::is_plain_form_post() => {
            let failed = match error {
                AppError::TooManyAttempts { retry_after_seconds } => format!("locked={retry_after_seconds}"),
                _ => "failed=1".to_owned(),
            };
            leptos_axum::redirect(&format!("/login?{failed}&next={}", query_value(&next)));
            Ok(())
        }
        Err(error) => Err(error),
    }
}

#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::ssr::{auth, service, state};
    use axum::http::{HeaderValue, header};
    use leptos_axum::ResponseOptions;

    let state = state()?;
    if let Some(hash) = crate::ssr::session().token_hash {
        service::session::logout(&state, &hash).await?;
    }
    if let (Some(response), Ok(value)) =
        (use_context::<ResponseOptions>(), HeaderValue::from_str(&auth::clear_cookie_header(&state.sessions)))
    {
        response.append_header(header::SET_COOKIE, value);
    }
    leptos_axum::redirect("/login");
    Ok(())
}
