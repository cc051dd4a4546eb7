//! A labelled input with its message beside it: the one way forms show a field.

use leptos::prelude::*;

/// `name` is the form field's name and, unless `id` is given, its id; `error` is the message
/// to show, if any.
#[component]
pub fn Field(
    name: &'static str,
    /// For pages with several forms: an id unique on the page.
    #[prop(optional, into)]
    id: Option<String>,
    label: &'static str,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    /// The value the field starts with, e.g. what is saved now.
    #[prop(optional, into)]
    value: Option<String>,
    /// A line of help under the label.
    #[prop(optional)]
    hint: Option<&'static str>,
    #[prop(optional)] maxlength: Option<usize>,
    #[prop(default = true)] required: bool,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| name.to_owned());
    let error_id = format!("{id}-error");
    let hint_id = hint.map(|_| format!("{id}-hint"));
    let described_by = match &hint_id {
        Some(hint_id) => format!("{hint_id} {error_id}"),
        None => error_id.clone(),
    };
    view! {
        <div class="field" class:field--invalid=move || error.read().is_some()>
            <label for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <p id=hint_id.clone() class="field__hint">{hint}</p> })}
            <input
                id=id
                name=name
                type=input_type
                autocomplete=autocomplete
                inputmode=inputmode
                value=value
                maxlength=maxlength
                required=required
                aria-invalid=move || error.read().is_some().to_string()
                aria-describedby=described_by
            />
            <p id=error_id class="field__error">
                {move || error.get()}
            </p>
        </div>
    }
}

/// The IANA zones as a select's options, `current` selected: the profile's and the desk
/// settings' time zone fields.
#[component]
pub fn ZoneOptions(zones: Vec<String>, current: String) -> impl IntoView {
    zones
        .into_iter()
        .map(|zone| {
            let selected = zone == current;
            let label = zone.clone();
            view! { <option value=zone selected=selected>{label}</option> }
        })
        .collect_view()
}
