//! How a failed load is shown: a human message, a reference for support, and on the
//! server the matching HTTP status.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::error::AppError;

#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    error.set_response_status();
    let (heading, hint) = match &error {
        AppError::NotFound(_) => ("Not found", "It may have been moved, or the link is mistyped."),
        AppError::Forbidden => ("No access", "This page is for service-desk agents."),
        AppError::Unauthenticated => ("Please sign in", "Your session has ended."),
        AppError::Internal { .. } => (
            "Something went wrong",
            "Please try again. If it keeps happening, quote the reference to the service desk.",
        ),
        _ => ("That didn't work", "Please try again."),
    };
    view! {
        <section class="notice notice--error" role="alert">
            <h1>{heading}</h1>
            <p>{error.to_string()}</p>
            <p class="muted">{hint}</p>
            <p>
                <A href="/">"Back to the catalog"</A>
            </p>
        </section>
    }
}
