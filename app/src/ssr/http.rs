//! HTTP mapping for server functions: their error responses get the status their
//! `AppError` stands for (401, 403, 404, 422 …) instead of a blanket 500, so API callers
//! and browsers can tell bad input from a server fault. Argument errors included.

use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;

use crate::error::AppError;

/// The header `server_fn` puts on every error response it writes.
const SERVER_FN_ERROR: &str = "serverfnerror";

/// An error body larger than this is not an `AppError`.
const MAX_ERROR_BODY: usize = 64 * 1024;

pub async fn server_fn_status(req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    // Only server_fn's own "500 for any error"; a redirect set for a plain form stays.
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(SERVER_FN_ERROR)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BODY).await else {
        parts.status = StatusCode::INTERNAL_SERVER_ERROR;
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(error) = leptos::serde_json::from_slice::<AppError>(&bytes)
        && let Ok(status) = StatusCode::from_u16(error.status_code())
    {
        parts.status = status;
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The one way an `AppError` becomes a plain HTTP response (uploads, downloads, CSV): its
/// status and its JSON, the same body a server function's error carries.
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = leptos::serde_json::to_vec(&self).unwrap_or_default();
        let mut response = Response::new(Body::from(body));
        *response.status_mut() = status;
        response.headers_mut().insert(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static("application/json"),
        );
        response
    }
}

/// A form submitted by the browser itself (no JavaScript), which expects a page back.
pub fn is_plain_form_post() -> bool {
    leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.headers.get(axum::http::header::ACCEPT).cloned())
        .and_then(|accept| accept.to_str().ok().map(|a| a.contains("text/html")))
        .unwrap_or(false)
}
