//! Picking a configuration item by searching as one types: the CIs whose name starts with
//! what is typed appear as choices under the box. Without JavaScript the typed name is sent
//! and the server takes the one CI with exactly that name.

use leptos::prelude::*;

use crate::api::cmdb::search_cis;
use crate::components::erased::Erase;
use crate::domain::ci_graph::CiNode;

/// Within a form: a search box named `name` and the results as radio buttons named
/// `{name}_id`, so the form sends the picked CI's id. As a field of a schema's form
/// (`choice_name` set) the box has no name, the radios take `choice_name`, `picked` starts
/// as the choice, and `on_pick` hears each pick.
#[component]
pub fn CiPicker(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    /// Only CIs of this class (a code) and its subclasses.
    #[prop(optional_no_strip)]
    class: Option<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional, into)] choice_name: Option<String>,
    #[prop(optional_no_strip)] picked: Option<CiNode>,
    #[prop(optional)] on_pick: Option<Callback<String>>,
    #[prop(optional)] on_leave: Option<Callback<()>>,
) -> impl IntoView {
    let input_id = format!("{name}-search");
    let error_id = format!("{input_id}-error");
    let results_id = format!("{input_id}-results");
    let typed = RwSignal::new(String::new());
    let found = RwSignal::new(picked.into_iter().collect::<Vec<CiNode>>());
    let class = StoredValue::new(class);
    let on_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        typed.set(text.clone());
        if text.trim().is_empty() {
            found.set(Vec::new());
            return;
        }
        leptos::task::spawn_local(async move {
            let answer = search_cis(Some(text.clone()), class.get_value()).await;
            if typed.get_untracked() == text {
                found.set(answer.unwrap_or_default());
            }
        });
    };
    if let Some(on_pick) = on_pick {
        Effect::new(move |ran: Option<()>| {
            let first = found.with(|list| list.first().map(|ci| ci.id.0.to_string()).unwrap_or_default());
            if ran.is_some() {
                on_pick.run(first);
            }
        });
    }
    let search_name = choice_name.is_none().then(|| name.clone());
    let choice_name = choice_name.unwrap_or_else(|| format!("{name}_id"));
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
                        let id = ci.id.0.to_string();
                        view! {
                            <label>
                                <input
                                    type="radio"
                                    name=choice_name.clone()
                                    value=id.clone()
                                    checked=i == 0
                                    on:change=move |_| {
                                        if let Some(on_pick) = on_pick {
                                            on_pick.run(id.clone());
                                        }
                                    }
                                />
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
                name=search_name
                type="search"
                autocomplete="off"
                maxlength="120"
                placeholder="Start typing a name"
                aria-describedby=error_id.clone()
                aria-controls=results_id.clone()
                aria-invalid=move || error.read().is_some().to_string()
                on:input=on_input
                on:blur=move |_| {
                    if let Some(on_leave) = on_leave {
                        on_leave.run(());
                    }
                }
            />
            <div id=results_id aria-live="polite">{results}</div>
            <p id=error_id class="field__error">{move || error.get()}</p>
        </div>
    }
}
