//! The site's static files (wasm, JS, CSS, icons), compiled into the binary so it runs from
//! any directory. Release builds carry brotli and gzip copies made at build time; a file is
//! sent in the best encoding the browser accepts. Files under `/_v/<build id>/` never change,
//! so browsers may keep them for a year.

use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "../target/embed"]
#[allow_missing = true]
struct Site;

const VERSIONED_PREFIX: &str = "/_v/";

/// A short fingerprint of the wasm, JS and CSS: the versioned asset path.
pub fn build_id() -> &'static str {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(|| {
        let mut id = String::new();
        for file in ["pkg/switchboard.wasm", "pkg/switchboard.js", "pkg/switchboard.css"] {
            if let Some(f) = Site::get(file) {
                let hash = f.metadata.sha256_hash();
                id.push_str(&format!("{:02x}{:02x}", hash[0], hash[1]));
            }
        }
        if id.is_empty() { "dev".to_owned() } else { id }
    })
}

/// The response for a static file at `path`, or `None` when there is no such file.
pub fn serve(path: &str, request_headers: &HeaderMap) -> Option<Response> {
    let (file, immutable) = match path.strip_prefix(VERSIONED_PREFIX) {
        Some(rest) => (rest.split_once('/')?.1, true),
        None => (path.trim_start_matches('/'), false),
    };
    if file.is_empty() || file.ends_with(".br") || file.ends_with(".gz") {
        return None;
    }
    let original = Site::get(file)?;
    let etag = format!("\"{}\"", hex(&original.metadata.sha256_hash()[..8]));
    let cache = if immutable { "public, max-age=31536000, immutable" } else { "public, max-age=3600" };

    let mut response = Response::builder()
        .header(header::CACHE_CONTROL, cache)
        .header(header::ETAG, &etag)
        .header(header::VARY, "accept-encoding")
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    if request_headers.get(header::IF_NONE_MATCH).is_some_and(|v| v.as_bytes() == etag.as_bytes()) {
        return response.status(StatusCode::NOT_MODIFIED).body(Body::empty()).ok();
    }

    let accepts = |encoding: &str| {
        request_headers
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|e| e.trim().split(';').next() == Some(encoding)))
    };
    let (body, encoding) = [("br", ".br"), ("gzip", ".gz")]
        .into_iter()
        .find_map(|(encoding, ext)| {
            accepts(encoding)
                .then(|| Site::get(&format!("{file}{ext}")))
                .flatten()
                .map(|f| (f.data, Some(encoding)))
        })
        .unwrap_or((original.data, None));
    if let Some(encoding) = encoding {
        response = response.header(header::CONTENT_ENCODING, encoding);
    }
    let mime = original.metadata.mimetype();
    response
        .header(
            header::CONTENT_TYPE,
            HeaderValue::from_str(mime).unwrap_or(HeaderValue::from_static("application/octet-stream")),
        )
        .body(Body::from(body.into_owned()))
        .ok()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
