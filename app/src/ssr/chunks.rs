//! Which chunks of the wasm a page needs: named in the page's head, so the browser fetches
//! them alongside the main script instead of after it. They are fetched at low priority:
//! the page is painted from its HTML first, and the chunks only matter once the main script
//! runs.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use leptos::prelude::*;
use leptos_meta::Link;

use crate::context::AssetRoot;

/// The build's split manifest: for each area, the chunk files its code is spread over, and
/// the script that loads them. Provided by the server; empty when the wasm is not split.
#[derive(Clone, Debug, Default)]
pub struct ChunkManifest {
    areas: Arc<HashMap<String, Vec<String>>>,
    loader: Option<String>,
    named: Arc<Mutex<HashSet<String>>>,
}

impl ChunkManifest {
    pub fn new(areas: HashMap<String, Vec<String>>, loader: Option<String>) -> Self {
        Self { areas: Arc::new(areas), loader, named: Arc::default() }
    }

    /// The manifest for rendering one page, which names each file once however often the
    /// page's area is rendered.
    pub fn for_page(&self) -> Self {
        Self { named: Arc::default(), ..self.clone() }
    }

    fn first_mention(&self, file: &str) -> bool {
        self.named.lock().map(|mut named| named.insert(file.to_owned())).unwrap_or(true)
    }
}

/// Adds preload links for `area`'s chunks to the head of the page being rendered.
pub fn preload(area: &str) {
    let Some(manifest) = use_context::<ChunkManifest>() else { return };
    let Some(files) = manifest.areas.get(area) else { return };
    let root = use_context::<AssetRoot>().unwrap_or_default().0;
    for file in files.iter().filter(|file| manifest.first_mention(file)) {
        // Registered with the page's head rather than rendered where the page is.
        let _ = view! {
            <Link
                rel="preload"
                href=format!("{root}/pkg/{file}.wasm")
                as_="fetch"
                type_="application/wasm"
                fetchpriority="low"
                crossorigin="anonymous"
            />
        }
        .to_html();
    }
    if let Some(loader) = manifest.loader.as_ref().filter(|loader| manifest.first_mention(loader)) {
        let _ = view! { <Link rel="modulepreload" href=format!("{root}/pkg/{loader}") crossorigin="anonymous" /> }
            .to_html();
    }
}
