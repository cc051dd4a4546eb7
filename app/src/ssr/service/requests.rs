//! Ordering from the catalog: the form to fill in, and turning a submit into a request.

use chrono::{DateTime, Utc};

use crate::domain::catalog::OrderForm;
use crate::domain::event::{NewEvent, Visibility};
use crate::domain::form::{RawAnswers, validate_answers};
use crate::domain::record::{RecordKind, Title};
use crate::domain::user::CurrentUser;
use crate::error::{AppError, FieldErrors};
use crate::ssr::auth::random_token;
use crate::ssr::service::approvals::start_request;
use crate::ssr::service::{engine, references};
use crate::ssr::store::{FoundItem, NewRecord, Store};

/// Told when the form changed between opening it and sending it.
pub const STALE_FORM: &str =
    "This form was changed while you filled it in. Check your answers against it and send it again.";

/// The published item `slug`, if `user` may order it; otherwise, for them, it isn't there.
async fn item(store: &Store, user: &CurrentUser, slug: &str) -> Result<FoundItem, AppError> {
    let not_found = || AppError::NotFound("That catalog item".into());
    let found = store.find_catalog_item(slug).await?.ok_or_else(not_found)?;
    if !crate::ssr::service::catalog::may_order(user, &found.item) {
        return Err(not_found());
    }
    Ok(found)
}

/// The item `slug` with its form: fresh, or as `user`'s failed plain-form submit `draft` left it.
pub async fn order_form(
    store: &Store,
    user: &CurrentUser,
    slug: &str,
    draft: Option<&str>,
    now: DateTime<Utc>,
) -> Result<OrderForm, AppError> {
    let found = item(store, user, slug).await?;
    let form = store.find_form(found.item.id, found.item.form_version).await?.unwrap_or_default();
    let draft = match draft {
        Some(token) => store.find_draft(token, user.id, found.item.id).await?,
        None => None,
    };
    let (answers, errors) = draft.unwrap_or_else(|| (form.defaults(), FieldErrors::default()));
    let form = references::as_offered(store, user, &form, false).await?;
    Ok(OrderForm {
        item: found.item,
        category: found.category,
        team: found.group_name,
        form,
        answers,
        errors,
        submission: random_token(16),
        today: now.date_naive(),
    })
}

/// A filled-in form as sent.
pub struct Order<'a> {
    pub slug: &'a str,
    pub form_version: i64,
    pub submission: &'a str,
    pub answers: &'a RawAnswers,
}

/// Checks the answers and opens the request, with its answers and the form version they
/// answered, in one transaction. A submission key seen before returns that request's number
/// instead of a second request.
pub async fn place_order(
    store: &Store,
    user: &CurrentUser,
    order: &Order<'_>,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let submission = order.submission.trim();
    if submission.is_empty() || submission.len() > 64 {
        return Err(AppError::field("form", "This form is incomplete; reload the page and send it again."));
    }
    if let Some(number) = store.find_submission(user.id, submission).await? {
        return Ok(number);
    }
    let found = item(store, user, order.slug).await?;
    if order.form_version != found.item.form_version {
        return Err(AppError::field("form", STALE_FORM));
    }
    let form = store.find_form(found.item.id, found.item.form_version).await?.unwrap_or_default();
    let answers = validate_answers(&form, order.answers, now.date_naive()).map_err(AppError::Invalid)?;
    let mut errors = FieldErrors::default();
    references::check(store, user, &form, &answers, &mut errors).await?;
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }

    let title = Title::parse(&found.item.name).map_err(|e| AppError::internal(&e))?;
    let mut record = NewRecord::new(RecordKind::Request, user.id, title, now);
    record.catalog_item = Some(found.item.id);
    record.assignment_group = found.group;
    record.category = found.category.clone();
    let note = match &found.group_name {
        Some(team) => format!("Requested from the catalog: {}. The {team} team fulfils it.", found.item.name),
        None => format!("Requested from the catalog: {}.", found.item.name),
    };
    let event =
        NewEvent::comment(None, now, &note, Visibility::Public).map_err(|e| AppError::internal(&e))?;
    let (steps, plan) = store.item_plan(found.item.id).await?;
    let mut tx = store.begin().await?;
    // The same submit, sent twice at once: the first to write wins, and the other answers
    // with its request once that is committed.
    if let Some(number) = Store::find_submission_in(&mut tx, user.id, submission).await? {
        tx.commit().await?;
        return Ok(number);
    }
    let (id, number) = engine::open(&mut tx, &record).await?;
    Store::insert_answers(&mut tx, id, found.item.id, found.item.form_version, &answers).await?;
    Store::set_request_plan(&mut tx, id, &steps, &plan).await?;
    Store::insert_submission(&mut tx, user.id, submission, id, now).await?;
    Store::append_event(&mut tx, id, &event).await?;
    start_request(&mut tx, id, user.id, &steps, &plan, now).await?;
    tx.commit().await?;
    tracing::info!(%number, user = %user.id, item = %found.item.slug, "request placed");
    Ok(number.to_string())
}

/// Keeps what `user` sent for item `slug` with what was wrong with it, for the form to show
/// again after a plain form post; returns the draft's token.
pub async fn keep_draft(
    store: &Store,
    user: &CurrentUser,
    slug: &str,
    answers: &RawAnswers,
    errors: &FieldErrors,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let found =
        store.find_catalog_item(slug).await?.ok_or_else(|| AppError::NotFound("That catalog item".into()))?;
    let token = random_token(16);
    store.insert_draft(&token, user.id, found.item.id, answers, errors, now).await?;
    Ok(token)
}
