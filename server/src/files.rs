//! Attachments over HTTP: a multipart upload to a record, and downloads. Uploads come from a
//! plain form, so they work without JavaScript: a browser is sent back to the record with
//! what happened in the query string; other clients get JSON and a status.

use axum::Json;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use app::domain::attachment::{FILES_PER_UPLOAD, Refused};
use app::domain::incident::{DESCRIPTION_MAX, ReportDraft, check_report};
use app::domain::policy::Action;
use app::error::AppError;
use app::ssr::AppState;
use app::ssr::auth::SignedIn;
use app::ssr::auth::random_token;
use app::ssr::service;
use app::ssr::service::attachments::{Received, UploadError, attach, check_files, refusal_status};
use app::ssr::service::incidents::ReportForm;
use app::ssr::service::records::authorize_record;

fn wants_page(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"))
}

/// The short code a record page turns into a sentence beside the file field.
fn code(error: &UploadError) -> &'static str {
    match error {
        UploadError::Refused(Refused::TooLarge { .. }) => "too_large",
        UploadError::Refused(Refused::Kind { .. }) => "kind",
        UploadError::Refused(Refused::Mismatch { .. }) => "mismatch",
        UploadError::Refused(Refused::Empty) => "empty",
        UploadError::Refused(Refused::NameTooLong) => "name",
        UploadError::Refused(Refused::TooMany) => "too_many",
        UploadError::App(AppError::Conflict(_)) => "closed",
        UploadError::App(_) => "failed",
    }
}

fn failure(error: UploadError, number: &str, page: bool) -> Response {
    if page && !matches!(error, UploadError::App(AppError::NotFound(_) | AppError::Unauthenticated)) {
        let code = code(&error);
        return Redirect::to(&format!("/records/{number}?attach_error={code}#attachments")).into_response();
    }
    let (status, body) = match error {
        UploadError::Refused(refused) => (
            refusal_status(&refused),
            serde_json::json!({ "error": "invalid", "detail": { "files": refused.to_string() } }),
        ),
        UploadError::App(error) => return error.into_response(),
    };
    (StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST), Json(body)).into_response()
}

/// `POST /records/{number}/attachments`: the form's `files` fields, each spooled to disk as it
/// arrives. If any file is refused, none is kept.
pub async fn upload(
    State(state): State<AppState>,
    Path(number): Path<String>,
    headers: HeaderMap,
    request: Request,
) -> Response {
    let page = wants_page(&headers);
    let signed_in = request.extensions().get::<SignedIn>().cloned().unwrap_or_default();
    let Some(actor) = signed_in.user else {
        return failure(UploadError::App(AppError::Unauthenticated), &number, page);
    };
    // Whether they may add to the record at all, before a byte of the body is read.
    let allowed = authorize_record(&state.store, &actor, &number, Action::ReplyToRecord).await;
    if let Err(error) = allowed {
        return failure(UploadError::App(error), &number, page);
    }
    let multipart: Result<Multipart, MultipartRejection> =
        <Multipart as axum::extract::FromRequest<AppState>>::from_request(request, &state).await;
    let received = match multipart {
        Ok(multipart) => receive(&state, multipart).await,
        Err(_) => Err(UploadError::Refused(Refused::Empty)),
    };
    let files = match received {
        Ok(files) => files,
        Err(error) => return failure(error, &number, page),
    };
    let outcome = attach(&state.store, &state.attachments, &actor, &number, files, chrono::Utc::now()).await;
    match outcome {
        Ok(count) if page => {
            Redirect::to(&format!("/records/{number}?attached={count}#attachments")).into_response()
        }
        Ok(count) => Json(serde_json::json!({ "attached": count })).into_response(),
        Err(error) => failure(error, &number, page),
    }
}

/// Reads every `files` part of the form into its spool. Parts with no file chosen (an
/// empty name) are skipped, as browsers send one for an empty file field.
async fn receive(state: &AppState, mut multipart: Multipart) -> Result<Vec<Received>, UploadError> {
    let mut files = Vec::new();
    let mut outcome = Ok(());
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            // A form with no parts at all reads as an error: nothing was chosen.
            Err(_) if files.is_empty() => {
                outcome = Err(UploadError::Refused(Refused::Empty));
                break;
            }
            Err(error) => {
                tracing::info!(%error, "upload ended early");
                outcome =
                    Err(UploadError::App(AppError::field("files", "The upload was cut off; try again.")));
                break;
            }
        };
        let name = field.file_name().unwrap_or_default().to_owned();
        if field.name() != Some("files") || name.is_empty() {
            continue;
        }
        if files.len() == FILES_PER_UPLOAD {
            outcome = Err(UploadError::Refused(Refused::TooMany));
            break;
        }
        let mut spool = state.attachments.spool(&name).await?;
        let mut field = field;
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => spool.write(&chunk).await?,
                Ok(None) => break,
                Err(_) => {
                    outcome =
                        Err(UploadError::App(AppError::field("files", "The upload was cut off; try again.")));
                    break;
                }
            }
        }
        files.push(spool.finish().await?);
        if outcome.is_err() {
            break;
        }
    }
    match outcome {
        Ok(()) => Ok(files),
        Err(error) => {
            for file in files {
                file.discard().await;
            }
            Err(error)
        }
    }
}

/// `GET /attachments/{id}/{name}`: the file, always as a download, with the type the portal
/// decided when it was attached. The name in the path is ignored.
pub async fn download(
    State(state): State<AppState>,
    Path((id, _name)): Path<(String, String)>,
    request: Request,
) -> Response {
    let signed_in = request.extensions().get::<SignedIn>().cloned().unwrap_or_default();
    let not_found = || AppError::NotFound("That file".into()).into_response();
    let Some(actor) = signed_in.user else { return AppError::Unauthenticated.into_response() };
    let Ok(id) = id.parse::<i64>() else { return not_found() };
    let (file, path) = match state.attachments.open(&state.store, &actor, id).await {
        Ok(found) => found,
        Err(AppError::NotFound(_)) => return not_found(),
        Err(error) => return error.into_response(),
    };
    let Ok(handle) = tokio::fs::File::open(&path).await else {
        tracing::error!(path = %path.display(), "attachment bytes missing");
        return not_found();
    };
    let body = axum::body::Body::from_stream(tokio_util::io::ReaderStream::new(handle));
    let disposition = format!(
        "attachment; filename=\"{}\"; filename*=UTF-8''{}",
        file.file_name.replace(|c: char| !c.is_ascii() || c == '"' || c == '\\', "_"),
        app::fmt::query_value(&file.file_name)
    );
    let mut response = body.into_response();
    let headers = response.headers_mut();
    let value = |s: &str| {
        HeaderValue::from_str(s).unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"))
    };
    headers.insert(header::CONTENT_TYPE, value(&file.content_type));
    headers.insert(header::CONTENT_DISPOSITION, value(&disposition));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(file.size));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    response
}

/// `POST /incidents`: the report form with its files. Files are checked before anything is
/// saved; a report that doesn't go through is kept as a draft and the browser is sent back
/// to `/report?draft=…`. Scripts get 422 with the problems, or the new number.
pub async fn report(State(state): State<AppState>, headers: HeaderMap, request: Request) -> Response {
    let page = wants_page(&headers);
    let signed_in = request.extensions().get::<SignedIn>().cloned().unwrap_or_default();
    let Some(actor) = signed_in.user else {
        return failure(UploadError::App(AppError::Unauthenticated), "", page);
    };
    let multipart = <Multipart as axum::extract::FromRequest<AppState>>::from_request(request, &state).await;
    let Ok(multipart) = multipart else {
        return invalid(AppError::field("form", "Send the report form."));
    };
    let (mut draft, files) = match read_report(&state, multipart).await {
        Ok(read) => read,
        Err(error) => return failure(error, "", page),
    };
    let now = chrono::Utc::now();
    let outcome = match check_files(&state.attachments, &files) {
        Err(refused) => {
            // Say everything at once: the file, and whatever else the form lacks.
            let mut errors = check_report(&draft.title, &draft.description, &draft.reach, &draft.blocking)
                .err()
                .unwrap_or_default();
            errors.add("files", refused.to_string());
            Err(AppError::Invalid(errors))
        }
        Ok(_) => {
            let form = ReportForm {
                title: &draft.title,
                description: &draft.description,
                reach: &draft.reach,
                blocking: &draft.blocking,
                service: &draft.service,
                caller: &draft.caller,
                device: &draft.device,
            };
            service::incidents::report(&state.store, &actor, &form, now).await
        }
    };
    let number = match outcome {
        Ok(number) => number,
        Err(AppError::Invalid(errors)) if page => {
            for file in files {
                file.discard().await;
            }
            draft.errors = errors;
            let token = random_token(16);
            return match state.store.save_report_draft(actor.id, &token, &draft, now).await {
                Ok(()) => Redirect::to(&format!("/report?draft={token}")).into_response(),
                Err(error) => invalid(error.into()),
            };
        }
        Err(error) => {
            for file in files {
                file.discard().await;
            }
            return invalid(error);
        }
    };
    let attached = if files.is_empty() {
        Ok(0)
    } else {
        attach(&state.store, &state.attachments, &actor, &number, files, now).await
    };
    match (attached, page) {
        (Ok(_), true) => Redirect::to(&format!("/records/{number}?reported=1")).into_response(),
        (Err(error), true) => {
            Redirect::to(&format!("/records/{number}?reported=1&attach_error={}#attachments", code(&error)))
                .into_response()
        }
        (Ok(count), false) => {
            Json(serde_json::json!({ "number": number, "attached": count })).into_response()
        }
        (Err(error), false) => failure(error, &number, false),
    }
}

/// A report refused for a reason the form can't show beside a field: said as JSON with
/// its status (a browser shows it as it is; nothing was saved).
fn invalid(error: AppError) -> Response {
    failure(UploadError::App(error), "", false)
}

/// The report form's text fields (each cut just past what the rules allow, so an over-long
/// one is named rather than stored) and its files.
async fn read_report(
    state: &AppState,
    mut multipart: Multipart,
) -> Result<(ReportDraft, Vec<Received>), UploadError> {
    let mut draft = ReportDraft::default();
    let mut files = Vec::new();
    let cut_off = || UploadError::App(AppError::field("form", "The report was cut off; try again."));
    while let Some(field) = multipart.next_field().await.map_err(|_| cut_off())? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "files" {
            let file_name = field.file_name().unwrap_or_default().to_owned();
            if file_name.is_empty() {
                continue;
            }
            let mut spool = state.attachments.spool(&file_name).await?;
            let mut field = field;
            while let Some(chunk) = field.chunk().await.map_err(|_| cut_off())? {
                spool.write(&chunk).await?;
            }
            files.push(spool.finish().await?);
            continue;
        }
        let text: String =
            field.text().await.map_err(|_| cut_off())?.chars().take(DESCRIPTION_MAX + 1).collect();
        match name.as_str() {
            "title" => draft.title = text,
            "description" => draft.description = text,
            "reach" => draft.reach = text,
            "blocking" => draft.blocking = text,
            "service" => draft.service = text,
            "caller" => draft.caller = text,
            "device" => draft.device = text,
            _ => {}
        }
    }
    Ok((draft, files))
}
