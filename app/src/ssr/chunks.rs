//! Which chunks of the wasm a page needs: named in the page's head, so the browser fetches
//! them alongside the main script instead of after it.

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;
use leptos_meta::Link;

use crate::context::AssetRoot;

/// The build's split manifest: for each area, the chunk files its code is spread over, and
/// the script that loads them. Provided by the server; empty when the wasm is not split.
#[derive(Clone, Debug, Default)]
pub struct ChunkManifest {
    pub areas: Arc<HashMap<String, Vec<String>>>,
    pub loader: Option<String>,
}

/// Adds preload links for `area`'s chunks to the head of the page being rendered.
pub fn preload(area: &str) {
    let Some(manifest) = use_context::<ChunkManifest>() else { return };
    let Some(files) = manifest.areas.get(area) else { return };
    let root = use_context::<AssetRoot>().unwrap_or_default().0;
    for file in files {
        // Registered with the page's head rather than rendered where the page is.
        let _ = view! {
            <Link
                rel="preload"
                href=format!("{root}/pkg/{file}.wasm")
                as_="fetch"
                type_="application/wasm"
                crossorigin="anonymous"
            />
        }
        .to_html();
    }
    if let Some(loader) = &manifest.loader {
        let _ = view! { <Link rel="modulepreload" href=format!("{root}/pkg/{loader}") crossorigin="anonymous" /> }
            .to_html();
    }
}
