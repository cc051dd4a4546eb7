//! Any URL the portal doesn't know: a real 404.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found" />
        <main id="main" class="auth-page">
            <section class="auth-card">
                <p class="eyebrow">"404"</p>
                <h1>"This page doesn't exist"</h1>
                <p class="muted">"The link may be mistyped, or the page has moved."</p>
                <p>
                    <A href="/" attr:class="button button--primary">"Go to the service catalog"</A>
                </p>
            </section>
        </main>
    }
}
