//! A labelled input with its message beside it: the one way forms show a field.

use leptos::prelude::*;

/// `name` is both the form field's name and its id; `error` is the message to show, if any.
#[component]
pub fn Field(
    name: &'static str,
    label: &'static str,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let error_id = format!("{name}-error");
    view! {
        <div class="field" class:field--invalid=move || error.read().is_some()>
            <label for=name>{label}</label>
            <input
                id=name
                name=name
                type=input_type
                autocomplete=autocomplete
                inputmode=inputmode
                required
                aria-invalid=move || error.read().is_some().to_string()
                aria-describedby=error_id.clone()
            />
            <p id=error_id class="field__error">
                {move || error.get()}
            </p>
        </div>
    }
}
