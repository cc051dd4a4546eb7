//! `AppError`: the one error type the browser sees. It carries what a person can act on
//! and nothing more: database text and internals stay in the server log, behind a
//! reference the person can quote.

use std::collections::BTreeMap;

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// Messages keyed by form field name, shown beside the field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub BTreeMap<String, String>);

impl FieldErrors {
    pub fn one(field: &str, message: impl Into<String>) -> Self {
        let mut errors = Self::default();
        errors.add(field, message);
        errors
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.entry(field.to_owned()).or_insert_with(|| message.into());
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "error", content = "detail", rename_all = "snake_case")]
pub enum AppError {
    #[error("{0} was not found.")]
    NotFound(String),
    #[error("Please sign in.")]
    Unauthenticated,
    #[error("You don't have access to this.")]
    Forbidden,
    #[error("Some fields need attention.")]
    Invalid(FieldErrors),
    #[error("{0}")]
    Conflict(String),
    #[error("Too many failed sign-ins. Try again {}.", crate::fmt::wait(*retry_after_seconds))]
    TooManyAttempts { retry_after_seconds: i64 },
    #[error("Something went wrong on our side (reference {reference}).")]
    Internal { reference: String },
    #[error("The server could not be reached: {0}")]
    Transport(String),
}

impl AppError {
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::NotFound(_) => 404,
            AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::Invalid(_) => 422,
            AppError::Conflict(_) => 409,
            AppError::TooManyAttempts { .. } => 429,
            AppError::Internal { .. } => 500,
            AppError::Transport(_) => 502,
        }
    }

    pub fn field(field: &str, message: impl Into<String>) -> Self {
        AppError::Invalid(FieldErrors::one(field, message))
    }

    /// The inline message for `field`, when this is a validation error about it.
    pub fn field_message(&self, field: &str) -> Option<String> {
        match self {
            AppError::Invalid(fields) => fields.get(field).map(str::to_owned),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(message) | ServerFnErrorErr::Deserialization(message) => {
                AppError::field("form", format!("The request was malformed: {message}"))
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<crate::ssr::store::StoreError> for AppError {
    fn from(error: crate::ssr::store::StoreError) -> Self {
        use crate::ssr::store::StoreError;
        match error {
            StoreError::NotFound => AppError::NotFound("That record".into()),
            StoreError::Conflict { constraint } => {
                tracing::info!(%constraint, "refused as a duplicate");
                AppError::Conflict(
                    "That is already there: something with the same name or key exists.".into(),
                )
            }
            StoreError::MissingReference => {
                AppError::Conflict("Something this refers to no longer exists. Reload and try again.".into())
            }
            StoreError::Db(cause) => AppError::internal(&cause),
            StoreError::NotCommitted(cause) => AppError::internal(&cause),
            StoreError::NoReader(cause) => AppError::internal(&cause),
            StoreError::Refused(why) => AppError::Conflict(why),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        crate::ssr::store::StoreError::from(error).into()
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// Logs `cause` with a fresh reference and returns the opaque error that names it.
    pub fn internal(cause: &dyn std::fmt::Debug) -> Self {
        let reference = crate::ssr::auth::random_token(6);
        tracing::error!(error = ?cause, %reference, "internal error");
        AppError::Internal { reference }
    }

    /// Reads a store error where "not found" means `what` is missing ("That policy"): the
    /// message names the thing, whatever the store was asked.
    pub fn missing(what: &'static str) -> impl Fn(crate::ssr::store::StoreError) -> AppError {
        move |error| match error {
            crate::ssr::store::StoreError::NotFound => AppError::NotFound(what.into()),
            other => other.into(),
        }
    }

    /// Gives the response being built (a page or a server function's) this error's status.
    pub fn set_response_status(&self) {
        if let (Some(response), Ok(status)) = (
            leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
            axum::http::StatusCode::from_u16(self.status_code()),
        ) {
            response.set_status(status);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_errors_carry_their_field() {
        let e = AppError::field("email", "Enter your e-mail address.");
        assert_eq!(e.status_code(), 422);
        assert_eq!(e.field_message("email").as_deref(), Some("Enter your e-mail address."));
        assert_eq!(e.field_message("password"), None);
    }

    #[test]
    fn internal_errors_show_only_the_reference() {
        let e = AppError::Internal { reference: "ab12cd".into() };
        assert_eq!(e.to_string(), "Something went wrong on our side (reference ab12cd).");
        assert_eq!(e.status_code(), 500);
    }
}
