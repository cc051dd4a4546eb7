//! Sanitized Markdown as HTML: the one place the interface sets inner HTML, and only from
//! a [`SafeHtml`].

use leptos::prelude::*;

use crate::domain::markup::SafeHtml;

#[component]
pub fn Prose(html: SafeHtml) -> impl IntoView {
    view! { <div class="prose" inner_html=html.as_str().to_owned()></div> }
}
