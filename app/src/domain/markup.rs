//! Text people write (descriptions, replies, work notes) is Markdown. It reaches a page
//! only as [`SafeHtml`], which on the server only the one sanitizer
//! (`ssr::markup::render`) can make. Everything else is rendered as text, which Leptos
//! escapes.

use serde::{Deserialize, Serialize};

/// HTML that has been through the sanitizer. The only thing the interface ever sets as
/// inner HTML (see `components::prose`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SafeHtml(String);

impl SafeHtml {
    /// Wraps the sanitizer's output. Nothing but the sanitizer calls this.
    #[cfg(feature = "ssr")]
    pub(crate) fn from_sanitizer(html: String) -> Self {
        Self(html)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}
