//! The service catalog and ordering from it.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::domain::catalog::{Category, OrderForm};
#[cfg(feature = "ssr")]
use crate::domain::policy::Action;
use crate::error::AppError;

#[server(endpoint = "list_catalog")]
pub async fn list_catalog() -> Result<Vec<Category>, AppError> {
    use crate::ssr::{authorize, service, state};
    let user = authorize(Action::UsePortal)?;
    service::catalog::visible_catalog(&state()?.store, &user).await
}

/// An orderable item with its form; `draft` brings back a plain-form submit that didn't pass.
#[server(endpoint = "get_order_form")]
pub async fn get_order_form(slug: String, draft: Option<String>) -> Result<OrderForm, AppError> {
    use crate::ssr::{authorize, service, state};
    let user = authorize(Action::UsePortal)?;
    service::requests::order_form(&state()?.store, &user, &slug, draft.as_deref(), chrono::Utc::now()).await
}

/// Sends a filled-in form. On success the browser goes to the new request. A plain form
/// post that doesn't pass comes back to the form with its answers and messages.
#[server(endpoint = "order_item")]
pub async fn order_item(
    slug: String,
    form_version: i64,
    submission: String,
    answers: Option<BTreeMap<String, Vec<String>>>,
) -> Result<String, AppError> {
    use crate::ssr::service::requests::{Order, place_order};
    use crate::ssr::{authorize, http::is_plain_form_post, state};
    let user = authorize(Action::UsePortal)?;
    let store = state()?.store;
    let answers = answers.unwrap_or_default();
    let now = chrono::Utc::now();
    let order = Order { slug: &slug, form_version, submission: &submission, answers: &answers };
    match place_order(&store, &user, &order, now).await {
        Ok(number) => {
            leptos_axum::redirect(&format!("/records/{number}?ordered=1"));
            Ok(number)
        }
        Err(AppError::Invalid(errors)) if is_plain_form_post() => {
            let token =
                crate::ssr::service::requests::keep_draft(&store, &user, &slug, &answers, &errors, now)
                    .await?;
            leptos_axum::redirect(&format!("/catalog/{slug}?draft={token}"));
            Ok(String::new())
        }
        Err(error) => Err(error),
    }
}
