//! The HTML document around the app. Rendered on the server only.

use leptos::prelude::*;
use leptos_meta::MetaTags;

use crate::context::AssetRoot;
use crate::routes::App;

pub fn shell(options: LeptosOptions) -> impl IntoView {
    let root = use_context::<AssetRoot>().unwrap_or_default().0;
    // The page's scripts run only with this response's nonce.
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>()
        && let Ok(policy) = axum::http::HeaderValue::from_str(&crate::ssr::security::content_security_policy(
            leptos::nonce::use_nonce().map(|n| n.to_string()).as_deref(),
        ))
    {
        response.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, policy);
    }
    let css = format!("{root}/{}/{}.css", options.site_pkg_dir, options.output_name);
    // Marks the document as scripted before its first paint, so what hydration would change
    // (the phone menu collapsing) is styled that way from the start and nothing jumps.
    let scripted = "document.documentElement.classList.add('js')";
    // Hydration starts once the browser is idle after its first paint (two seconds at the
    // latest): the server's page shows first, and its script is fetched meanwhile at low
    // priority, not ahead of the stylesheet. Until then links and forms work as they do
    // without JavaScript.
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <meta name="theme-color" content="#1d4ed8" />
                <link rel="stylesheet" href=css />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <script nonce=leptos::nonce::use_nonce()>{scripted}</script>
                <HydrationScripts options root=root defer=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}
