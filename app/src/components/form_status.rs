//! What a submitted form says back: a message per field, and one line for the form as a
//! whole (an error, or that it was saved).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::components::erased::Erase;
use crate::components::server_form::FormAction;
use crate::error::AppError;

/// The error of the action's last run, if it failed.
pub fn failure<S>(action: FormAction<S>) -> Signal<Option<AppError>>
where
    S: ServerFn + 'static,
    S::Output: Send + Sync + Clone + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}

/// True once the action's last run succeeded.
pub fn succeeded<S>(action: FormAction<S>) -> Signal<bool>
where
    S: ServerFn + 'static,
    S::Output: Send + Sync + Clone + 'static,
{
    Signal::derive(move || action.value().with(|v| matches!(v, Some(Ok(_)))))
}

/// Counts the action's successful runs: a resource keyed on it reloads after a save and
/// stays put after a failed one, so the form keeps what the person typed.
pub fn saved_version<S>(action: FormAction<S>) -> Memo<usize>
where
    S: ServerFn + 'static,
    S::Output: Send + Sync + Clone + 'static,
{
    Memo::new(move |previous: Option<&usize>| {
        let version = action.version().get();
        let ok = action.value().with(|v| matches!(v, Some(Ok(_))));
        match previous {
            Some(previous) if !ok => *previous,
            _ => version,
        }
    })
}

/// The message for `field`, to show beside it.
pub fn field_error(failure: Signal<Option<AppError>>, field: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || failure.with(|f| f.as_ref().and_then(|e| e.field_message(field))))
}

/// The form-level line: the failure (or its "form" message), or `saved` once it worked.
#[component]
pub fn FormStatus(
    failure: Signal<Option<AppError>>,
    #[prop(into)] succeeded: Signal<bool>,
    saved: &'static str,
) -> impl IntoView {
    move || match failure.get() {
        Some(AppError::Invalid(fields)) => {
            let message = fields.get("form").unwrap_or("Some fields need attention.").to_owned();
            view! { <p class="form-error" role="alert">{message}</p> }.erase()
        }
        Some(error) => view! { <p class="form-error" role="alert">{error.to_string()}</p> }.erase(),
        None if succeeded.get() => view! { <p class="form-ok" role="status">{saved}</p> }.erase(),
        None => ().erase(),
    }
}

/// What stops an editor's work being saved, listed where the save button is.
#[component]
pub fn Problems(#[prop(into)] problems: Signal<Vec<String>>) -> impl IntoView {
    move || {
        let problems = problems.get();
        (!problems.is_empty()).then(|| {
            view! {
                <ul class="form-error problems" role="alert">
                    {problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                </ul>
            }
        })
    }
}
