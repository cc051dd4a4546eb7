//! A page's data as it arrives: "Loading…", then the view, or the error with its status.

use leptos::prelude::*;

use crate::components::erased::Erase;
use crate::components::error_view::ErrorView;
use crate::error::AppError;

/// Renders `view` with the resource's data once it has loaded, or the error view.
pub fn loaded<T, V>(
    resource: Resource<Result<T, AppError>, Json>,
    view: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || {
                let view = view.clone();
                Suspend::new(async move {
                    match resource.await {
                        Ok(data) => view(data).erase(),
                        Err(error) => view! { <ErrorView error /> }.erase(),
                    }
                })
            }}
        </Suspense>
    }
}

/// How a page's data travels from the server's render to the browser: JSON, read with the
/// same decoder the server functions' responses use, so each type's decoder is compiled into
/// the wasm once rather than once per way of reading.
pub struct Json;

impl<T: serde::Serialize> codee::Encoder<T> for Json {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(value: &T) -> Result<String, serde_json::Error> {
        serde_json::to_string(value)
    }
}

impl<T: serde::de::DeserializeOwned> codee::Decoder<T> for Json {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(encoded: &str) -> Result<T, serde_json::Error> {
        serde_json::from_slice(encoded.as_bytes())
    }
}

/// A page's data: loaded by `fetcher` whenever `source` changes, rendered on the server and
/// picked up by the browser without loading it again. On the server it is loaded once per
/// request, however many times rendering creates the component (`ssr::page_data`).
#[track_caller]
pub fn resource<S, T, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Resource<T, Json>
where
    S: Send + Sync + Clone + PartialEq + 'static,
    T: serde::Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
    Fut: std::future::Future<Output = T> + Send + 'static,
{
    #[cfg(feature = "ssr")]
    if let Some(page) = use_context::<crate::ssr::page_data::PageData>() {
        return page.resource(std::panic::Location::caller(), source, fetcher);
    }
    Resource::new_with_options(source, fetcher, false)
}
