//! The site's static files (wasm, JS, CSS, icons), compiled into the binary so it runs from
//! any directory. Release builds carry brotli and gzip copies made at build time; a file is
//! sent in the best encoding the browser accepts. Files under `/_v/<build id>/` never change,
//! so browsers may keep them for a year.

use std::collections::HashMap;
use std::sync::OnceLock;

use app::ssr::chunks::ChunkManifest;
use sha2::{Digest, Sha256};

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "../target/embed"]
#[allow_missing = true]
struct Site;

const VERSIONED_PREFIX: &str = "/_v/";
const SPLIT_MANIFEST: &str = "pkg/__wasm_split_manifest.json";
const SPLIT_LOADER: &str = "__wasm_split.______________________.js";

/// A short fingerprint of every file under `pkg/` (the wasm, each of its chunks, the JS and
/// the CSS): the versioned asset path. A change to any one chunk gives a new path, so a
/// browser can never combine an old chunk with a new main module.
pub fn build_id() -> &'static str {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(|| {
        let mut files: Vec<_> = Site::iter()
            .filter(|f| f.starts_with("pkg/") && !f.ends_with(".br") && !f.ends_with(".gz"))
            .collect();
        if files.is_empty() {
            return "dev".to_owned();
        }
        files.sort();
        let mut all = Sha256::new();
        for file in files {
            if let Some(f) = Site::get(&file) {
                all.update(file.as_bytes());
                all.update(f.metadata.sha256_hash());
            }
        }
        hex(&all.finalize()[..6])
    })
}

/// The split manifest of the embedded wasm: which chunks each area's code is in.
pub fn chunk_manifest() -> ChunkManifest {
    let Some(file) = Site::get(SPLIT_MANIFEST) else { return ChunkManifest::default() };
    let areas: HashMap<String, Vec<String>> = match serde_json::from_slice(&file.data) {
        Ok(areas) => areas,
        Err(error) => {
            tracing::warn!(%error, "the wasm's split manifest is unreadable; pages will not preload their chunks");
            HashMap::new()
        }
    };
    let loader = Site::get(&format!("pkg/{SPLIT_LOADER}")).map(|_| SPLIT_LOADER.to_owned());
    ChunkManifest::new(areas, loader)
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
