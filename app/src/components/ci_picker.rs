//! Picking a configuration item by searching as one types: the CIs whose name starts with
//! what is typed appear as choices under the box. Without JavaScript the typed name is sent
//! and the server takes the one CI with exactly that name.

use leptos::prelude::*;

use crate::api::cmdb::search_cis;
use crate::components::erased::Erase;
use crate::domain::ci_graph::CiNode;

/// Within a form: a search box named `name` and the results as radio buttons named
/// `{name}_id`, so the form sends the picked CI's id.
#[component]
pub fn CiPicker(
    name: &'static str,
    label: &'static str,
    /// Only CIs of this class (a code) and its subclasses.
    #[prop(optional)]
    class: Option<&'static str>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let input_id = format!("{name}-search");
    let error_id = format!("{input_id}-error");
    let results_id = format!("{input_id}-results");
    let typed = RwSignal::new(String::new());
    let found = RwSignal::new(Vec::<CiNode>::new());
    let on_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        typed.set(text.clone());
        if text.trim().is_empty() {
            found.set(Vec::new());
            return;
        }
        leptos::task::spawn_local(async move {
            let answer = search_cis(Some(text.clone()), class.map(str::to_owned)).await;
            if typed.get_untracked() == text {
                found.set(answer.unwrap_or_default());
            }
        });
    };
    let choice_name = format!("{name}_id");
    let results = move || {
        let list = found.get();
        if list.is_empty() {
            let none = !typed.read().trim().is_empty();
            return none
                .then(|| view! { <p class="muted ci-picker__none">"No CI starts with that."</p> })
                .erase();
        }
        let choice_name = choice_name.clone();
        view! {
            <fieldset class="choice ci-picker__results">
                <legend class="visually-hidden">"Matching configuration items"</legend>
                {list
                    .into_iter()
                    .enumerate()
                    .map(|(i, ci)| {
                        view! {
                            <label>
                                <input type="radio" name=choice_name.clone() value=ci.id.0.to_string() checked=i == 0 />
                                " "
                                {ci.name}
                                <span class="muted">{format!(" · {}", ci.class_name)}</span>
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
        }
        .erase()
    };
    view! {
        <div class="field ci-picker" class:field--invalid=move || error.read().is_some()>
            <label for=input_id.clone()>{label}</label>
            <input
                id=input_id
                name=name
                type="search"
                autocomplete="off"
                maxlength="120"
                placeholder="Start typing a name"
                aria-describedby=error_id.clone()
                aria-controls=results_id.clone()
                aria-invalid=move || error.read().is_some().to_string()
                on:input=on_input
            />
            <div id=results_id aria-live="polite">{results}</div>
            <p id=error_id class="field__error">{move || error.get()}</p>
        </div>
    }
}
