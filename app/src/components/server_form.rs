//! Forms that run a server function. The browser sends the form's fields url-encoded, the
//! same request it sends with JavaScript off, and the server decodes them into the function's
//! arguments. Leptos's `ActionForm` instead decodes the fields into the arguments in the
//! browser and encodes them again, which compiles a query-string decoder and encoder for
//! every function into the wasm, and erases every form's children asynchronously.

use leptos::prelude::*;
use leptos::server_fn::ContentType;
use leptos::server_fn::client::Client;
use leptos::server_fn::codec::{Json, PostUrl};
use leptos::server_fn::error::ServerFnUrlError;
use leptos::server_fn::{Http, ServerFn};
use serde::de::DeserializeOwned;

use crate::error::AppError;
use crate::fmt::query_value;

/// The url-encoded fields of one submission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormInput(String);

impl FormInput {
    /// The first value sent for `name`.
    pub fn field(&self, name: &str) -> Option<String> {
        self.0.split('&').find_map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(key) == name).then(|| decode(value))
        })
    }
}

fn decode(part: &str) -> String {
    let spaced = part.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced).decode_utf8_lossy().into_owned()
}

/// A server function run from a form: its last answer, whether it is running, how many
/// times it has answered. With JavaScript off the server renders the failure the function
/// redirected back with.
pub struct FormAction<S: ServerFn> {
    inner: Action<FormInput, Result<S::Output, AppError>>,
}

impl<S: ServerFn> Clone for FormAction<S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S: ServerFn> Copy for FormAction<S> {}

impl<S> FormAction<S>
where
    S: ServerFn<Error = AppError, Protocol = Http<PostUrl, Json>> + 'static,
    S::Client: Client<AppError>,
    S::Output: DeserializeOwned + Send + Sync + 'static,
{
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        let failed_without_js = use_context::<ServerActionError>()
            .filter(|error| error.path() == S::PATH)
            .map(|error| Err(ServerFnUrlError::<AppError>::decode_err(error.err())));
        Self {
            inner: Action::new_with_value(failed_without_js, |input: &FormInput| post::<S>(input.0.clone())),
        }
    }

    /// Runs the function with the fields of the form an event was submitted from, the
    /// button that submitted it included.
    pub fn submit(&self, ev: &leptos::ev::SubmitEvent) -> Result<(), AppError> {
        let fields = leptos::form::form_data_from_event(ev)
            .map_err(|e| AppError::field("form", format!("The form could not be read: {e}")))?;
        let body = leptos::web_sys::UrlSearchParams::new_with_str_sequence_sequence(&fields)
            .map_err(|_| AppError::field("form", "The form could not be read."))?
            .to_string()
            .as_string()
            .unwrap_or_default();
        self.inner.dispatch(FormInput(body));
        Ok(())
    }

    /// Runs the function with fields given here, as a form with these fields would.
    pub fn send(&self, fields: &[(&str, &str)]) {
        let body = fields
            .iter()
            .map(|(name, value)| format!("{}={}", query_value(name), query_value(value)))
            .collect::<Vec<_>>();
        self.inner.dispatch(FormInput(body.join("&")));
    }
}

impl<S: ServerFn + 'static> FormAction<S>
where
    S::Output: Send + Sync + 'static,
{
    pub fn value(&self) -> MappedSignal<Option<Result<S::Output, AppError>>> {
        self.inner.value()
    }

    pub fn version(&self) -> RwSignal<usize> {
        self.inner.version()
    }

    pub fn pending(&self) -> Memo<bool> {
        self.inner.pending()
    }

    /// The fields of the submission running or last run.
    pub fn input(&self) -> MappedSignal<Option<FormInput>> {
        self.inner.input()
    }
}

async fn post<S>(body: String) -> Result<S::Output, AppError>
where
    S: ServerFn<Error = AppError>,
    S::Client: Client<AppError>,
    S::Output: DeserializeOwned,
{
    use leptos::server_fn::error::FromServerFnError;
    use leptos::server_fn::redirect::call_redirect_hook;
    use leptos::server_fn::request::ClientReq;
    use leptos::server_fn::response::ClientRes;

    let request = <<S::Client as Client<AppError>>::Request as ClientReq<AppError>>::try_new_post(
        S::PATH,
        PostUrl::CONTENT_TYPE,
        Json::CONTENT_TYPE,
        body,
    )?;
    let response = S::Client::send(request).await?;
    let status = response.status();
    let location = response.location();
    let redirected = (300..=399).contains(&status) || response.has_redirect();
    let bytes = response.try_into_bytes().await?;
    if (400..=599).contains(&status) {
        return Err(AppError::de(bytes));
    }
    let output = serde_json::from_slice(&bytes)
        .map_err(|e| AppError::Transport(format!("The server's answer could not be read: {e}")))?;
    if redirected {
        call_redirect_hook(&location);
    }
    Ok(output)
}

/// A `<form>` that posts to its server function, with JavaScript or without.
#[component]
pub fn ServerForm<S, C>(action: FormAction<S>, children: TypedChildren<C>) -> impl IntoView
where
    S: ServerFn<Error = AppError, Protocol = Http<PostUrl, Json>> + 'static,
    S::Client: Client<AppError>,
    S::Output: DeserializeOwned + Send + Sync + 'static,
    C: IntoView + 'static,
{
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        if ev.default_prevented() {
            return;
        }
        ev.prevent_default();
        if let Err(error) = action.submit(&ev) {
            action.value().set(Some(Err(error)));
        }
    };
    view! {
        <form action=S::url() method="post" on:submit=on_submit>
            {children.into_inner()()}
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::FormInput;

    #[test]
    fn a_submission_reads_its_fields_as_a_form_encodes_them() {
        let input = FormInput("id=12&name=Printers+%26+scanners&empty=&flag&id=13".into());
        assert_eq!(input.field("id").as_deref(), Some("12"));
        assert_eq!(input.field("name").as_deref(), Some("Printers & scanners"));
        assert_eq!(input.field("empty").as_deref(), Some(""));
        assert_eq!(input.field("flag").as_deref(), Some(""));
        assert_eq!(input.field("missing"), None);
    }
}
