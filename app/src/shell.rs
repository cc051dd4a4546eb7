//! The HTML document around the app. Rendered on the server only.

use leptos::prelude::*;
use leptos_meta::MetaTags;

use crate::context::AssetRoot;
use crate::routes::App;

pub fn shell(options: LeptosOptions) -> impl IntoView {
    let root = use_context::<AssetRoot>().unwrap_or_default().0;
    let css = format!("{root}/{}/{}.css", options.site_pkg_dir, options.output_name);
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
                <HydrationScripts options root=root />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}
