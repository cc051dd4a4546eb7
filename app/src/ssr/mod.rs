//! Server-only code that server functions and the binary call: state, auth, use cases
//! and the store. Gated once, in `lib.rs`; nothing in here carries a `cfg`.

pub mod auth;
pub mod calendar;
pub mod chunks;
pub mod http;
pub mod markup;
pub mod page_data;
pub mod passwords;
pub mod security;
pub mod service;
pub mod store;

use axum::extract::FromRef;
use leptos::prelude::*;

use crate::domain::policy::{Action, Target, allows};
use crate::domain::throttle::ThrottlePolicy;
use crate::domain::user::CurrentUser;
use crate::error::AppError;
use auth::{SessionConfig, SignedIn};
use store::Store;

/// Everything a request handler needs, built once at start-up and passed in.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub leptos_options: LeptosOptions,
    pub sessions: SessionConfig,
    /// Where people reach the portal; `None` trusts the `Host` each request names.
    pub public_url: Option<security::PublicUrl>,
    pub throttle: LoginThrottle,
    /// Where attachments are kept, and how large one may be.
    pub attachments: service::attachments::Attachments,
}

/// Limits on failed sign-ins, per account and per client address.
#[derive(Clone, Copy, Debug)]
pub struct LoginThrottle {
    pub account: ThrottlePolicy,
    pub address: ThrottlePolicy,
}

impl LoginThrottle {
    /// Locks an account after `lock_after` failures for `lock_for`; an address (which may
    /// be a whole office behind one router) after five times as many.
    pub fn new(lock_after: u32, lock_for: chrono::Duration) -> Self {
        Self {
            account: ThrottlePolicy { free_failures: 3, lock_after, lock_for },
            address: ThrottlePolicy {
                free_failures: 3 * 5,
                lock_after: lock_after.saturating_mul(5),
                lock_for,
            },
        }
    }
}

impl Default for LoginThrottle {
    fn default() -> Self {
        Self::new(10, chrono::Duration::minutes(15))
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The application state, from the context `leptos_routes_with_context` provides.
pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| AppError::internal(&"AppState missing from context"))
}

/// The signed-in user of this request, as resolved by the session middleware.
pub fn signed_in() -> Option<CurrentUser> {
    session().user
}

/// What the session middleware found for this request: the user and the session's hash.
pub fn session() -> SignedIn {
    use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<SignedIn>().cloned())
        .unwrap_or_default()
}

/// The IP address this request came from (the TCP peer), or "unknown".
pub fn client_address() -> String {
    use_context::<axum::http::request::Parts>()
        .and_then(|parts| {
            parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip())
        })
        .map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
}

/// The signed-in user, or `Unauthenticated`.
fn actor() -> Result<CurrentUser, AppError> {
    signed_in().ok_or(AppError::Unauthenticated)
}

/// The signed-in user, if the policy lets them do `action` on the portal: the first line
/// of every server function. Record actions go through `service::records::authorize_record`.
pub fn authorize(action: Action) -> Result<CurrentUser, AppError> {
    let actor = actor()?;
    if allows(&actor, action, Target::Portal) { Ok(actor) } else { Err(AppError::Forbidden) }
}
