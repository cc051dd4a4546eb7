//! Sign-in. Works as a plain form post without JavaScript; with it, errors appear in place.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use crate::components::erased::Erase;
use crate::components::field::Field;
use crate::components::icon::Icon;
use crate::components::server_form::ServerForm;
use crate::context::{use_hydrated, use_session};
use crate::domain::user::BAD_CREDENTIALS;
use crate::error::AppError;
use crate::fmt::safe_next;

#[component]
pub fn LoginPage() -> impl IntoView {
    let session = use_session();
    let query = use_query_map();
    let next = move || safe_next(query.read().get("next").as_deref());
    view! {
        <Title text="Sign in" />
        <main id="main" class="auth-page">
            <Suspense>
                {move || Suspend::new(async move {
                    match session.user.await {
                        Ok(Some(_)) => view! { <Redirect path=next() /> }.erase(),
                        _ => view! { <LoginForm next=next() /> }.erase(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn LoginForm(next: String) -> impl IntoView {
    let login = use_session().login;
    let query = use_query_map();
    // A plain form post that failed comes back here saying why.
    let failed_without_js = {
        let query = query.read_untracked();
        match (query.get("locked").and_then(|s| s.parse::<i64>().ok()), query.get("failed")) {
            (Some(retry_after_seconds), _) => {
                Some(AppError::TooManyAttempts { retry_after_seconds }.to_string())
            }
            (None, Some(_)) => Some(BAD_CREDENTIALS.to_owned()),
            (None, None) => None,
        }
    };
    let failure = move || login.value().get().and_then(Result::err);
    let error = move |field: &'static str| failure().and_then(|e| e.field_message(field));
    let form_error = move || match failure() {
        Some(AppError::Invalid(fields)) => fields.get("form").map(str::to_owned),
        Some(other) => Some(other.to_string()),
        None => failed_without_js.clone(),
    };
    let pending = login.pending();
    let hydrated = use_hydrated();
    view! {
        <section class="auth-card" data-hydrated=move || hydrated.get().then_some("true")>
            <p class="brand brand--large">
                <Icon name="switchboard" />
                <span>"Switchboard"</span>
            </p>
            <h1>"Sign in"</h1>
            <p class="muted">"Use your work e-mail address."</p>
            <ServerForm action=login attr:class="form" attr:novalidate=true>
                <input type="hidden" name="next" value=next />
                {move || form_error().map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
                <Field
                    name="email"
                    label="E-mail"
                    input_type="email"
                    autocomplete="username"
                    inputmode="email"
                    error=Signal::derive(move || error("email"))
                />
                <Field
                    name="password"
                    label="Password"
                    input_type="password"
                    autocomplete="current-password"
                    error=Signal::derive(move || error("password"))
                />
                <button type="submit" class="button button--primary button--block" disabled=pending>
                    {move || if pending.get() { "Signing in…" } else { "Sign in" }}
                </button>
            </ServerForm>
        </section>
    }
}
