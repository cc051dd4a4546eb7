//! A catalog item's form, drawn from its schema. Before hydration it is a plain form the
//! server checks; once hydrated, conditional fields appear as they apply and each field
//! is checked as soon as it is left, by the same validation the server runs.

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::api::catalog::OrderItem;
use crate::components::ci_picker::CiPicker;
use crate::components::erased::Erase;
use crate::components::form_status::failure;
use crate::components::server_form::FormAction;
use crate::context::use_hydrated;
use crate::domain::catalog::OrderForm;
use crate::domain::ci_graph::CiNode;
use crate::domain::form::{FieldDef, FieldKind, FormSchema, RawAnswers, References, validate_answers};
use crate::error::{AppError, FieldErrors};

/// More options than this are a drop-down rather than radio buttons.
const MAX_RADIOS: usize = 5;

#[derive(Clone, Copy)]
struct FormState {
    schema: StoredValue<FormSchema>,
    values: RwSignal<RawAnswers>,
    /// Fields whose client-side message may show: left once, or the form was sent.
    touched: RwSignal<BTreeSet<String>>,
    /// Messages from the server (or a plain-form submit that didn't pass), until edited.
    server_errors: RwSignal<FieldErrors>,
    client_errors: Memo<FieldErrors>,
}

impl FormState {
    fn error(&self, key: &str) -> Option<String> {
        let client = self
            .touched
            .with(|t| t.contains(key))
            .then(|| self.client_errors.with(|e| e.get(key).map(str::to_owned)));
        client.flatten().or_else(|| self.server_errors.with(|e| e.get(key).map(str::to_owned)))
    }

    fn shown(&self, key: &str) -> bool {
        self.values.with(|values| self.schema.with_value(|s| s.is_shown(key, values)))
    }

    fn set(&self, key: &str, values: Vec<String>) {
        self.values.update(|all| {
            all.insert(key.to_owned(), values);
        });
        self.server_errors.update(|e| {
            e.0.remove(key);
        });
    }

    fn value(&self, key: &str) -> String {
        self.values.with(|v| v.get(key).and_then(|v| v.first().cloned()).unwrap_or_default())
    }

    fn has(&self, key: &str, value: &str) -> bool {
        self.values.with(|v| v.get(key).is_some_and(|v| v.iter().any(|x| x == value)))
    }
}

#[component]
pub fn RequestForm(
    order: OrderForm,
    /// A preview in the form editor: checked as it would be, but never sent.
    #[prop(optional)]
    preview: bool,
) -> impl IntoView {
    let action = FormAction::<OrderItem>::new();
    let OrderForm { item, form, answers, errors, submission, today, .. } = order;
    let schema = StoredValue::new(form.clone());
    let values = RwSignal::new(answers);
    let client_errors = Memo::new(move |_| {
        values.with(|v| schema.with_value(|s| validate_answers(s, v, today).err().unwrap_or_default()))
    });
    let state = FormState {
        schema,
        values,
        touched: RwSignal::new(BTreeSet::new()),
        server_errors: RwSignal::new(errors),
        client_errors,
    };
    let failed = failure(action);
    Effect::new(move |_| {
        if let Some(AppError::Invalid(fields)) = failed.get() {
            state.server_errors.set(fields);
        }
    });
    let form_error = move || {
        state.server_errors.with(|e| e.get("form").map(str::to_owned)).or_else(|| match failed.get() {
            Some(AppError::Invalid(_)) | None => None,
            Some(other) => Some(other.to_string()),
        })
    };
    let has_errors = move || {
        state.server_errors.with(|e| !e.is_empty())
            || (!state.touched.with(BTreeSet::is_empty) && client_errors.with(|e| !e.is_empty()))
    };
    let pending = action.pending();
    let hydrated = use_hydrated();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        state.touched.set(schema.with_value(|s| s.fields.iter().map(|f| f.key.clone()).collect()));
        if !client_errors.with(FieldErrors::is_empty) || preview {
            return;
        }
        if let Err(AppError::Invalid(fields)) = action.submit(&ev) {
            state.server_errors.set(fields);
        }
    };
    let fields = form.fields.into_iter().map(|field| view! { <FormField field state /> }).collect_view();
    view! {
        <form
            class="form request-form"
            action=OrderItem::url()
            method="post"
            novalidate
            on:submit=on_submit
            data-hydrated=move || hydrated.get().then_some("true")
        >
            <input type="hidden" name="slug" value=item.slug />
            <input type="hidden" name="form_version" value=item.form_version.to_string() />
            <input type="hidden" name="submission" value=submission />
            {move || form_error().map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
            {move || {
                (has_errors() && form_error().is_none())
                    .then(|| view! { <p class="form-error" role="alert">"Some answers need attention."</p> })
            }}
            {fields}
            <button type="submit" class="button button--primary button--block" disabled=pending>
                {move || if pending.get() { "Sending…" } else { "Send request" }}
            </button>
        </form>
    }
}

/// A schema's fields inside another form (a CI's attributes): each checked as it is left,
/// by the same validation the server runs, with the server's messages for them beside them.
#[component]
pub fn SchemaFields(
    schema: FormSchema,
    answers: RawAnswers,
    #[prop(into)] failure: Signal<Option<AppError>>,
    today: chrono::NaiveDate,
    references: References,
) -> impl IntoView {
    let stored = StoredValue::new(schema.clone());
    let values = RwSignal::new(answers);
    let client_errors = Memo::new(move |_| {
        values.with(|v| stored.with_value(|s| validate_answers(s, v, today).err().unwrap_or_default()))
    });
    let initial = match failure.get_untracked() {
        Some(AppError::Invalid(fields)) => fields,
        _ => FieldErrors::default(),
    };
    let state = FormState {
        schema: stored,
        values,
        touched: RwSignal::new(BTreeSet::new()),
        server_errors: RwSignal::new(initial),
        client_errors,
    };
    Effect::new(move |_| {
        if let Some(AppError::Invalid(fields)) = failure.get() {
            state.server_errors.set(fields);
        }
    });
    schema
        .fields
        .into_iter()
        .map(|field| match &field.kind {
            FieldKind::Ci { class, .. } => {
                let picked = state
                    .values
                    .with_untracked(|v| {
                        v.get(&field.key).and_then(|v| v.first()).and_then(|id| id.parse().ok())
                    })
                    .and_then(|id| references.ci(crate::domain::ids::CiId(id)).cloned());
                let class = class.clone();
                view! { <CiAnswer field class picked state /> }.erase()
            }
            _ => view! { <FormField field state /> }.erase(),
        })
        .collect_view()
}

/// A CI field searched as one types, for those who read the whole CMDB: only the CI form
/// has one, so a requester's form never downloads the search.
#[component]
fn CiAnswer(
    field: FieldDef,
    class: Option<String>,
    picked: Option<CiNode>,
    state: FormState,
) -> impl IntoView {
    let key = field.key.clone();
    let label = if field.required { field.label.clone() } else { format!("{} (optional)", field.label) };
    let hidden = {
        let key = key.clone();
        move || !state.shown(&key)
    };
    let error = {
        let key = key.clone();
        Signal::derive(move || state.error(&key))
    };
    let (pick_key, leave_key) = (key.clone(), key.clone());
    view! {
        <div class="form-field" data-field=key.clone() hidden=hidden>
            <CiPicker
                name=format!("answer-{key}")
                label=label
                class=class
                error=error
                choice_name=format!("answers[{key}][]")
                picked=picked
                on_pick=Callback::new(move |id: String| state.set(&pick_key, vec![id]))
                on_leave=Callback::new(move |_| {
                    state.touched.update(|t| {
                        t.insert(leave_key.clone());
                    })
                })
            />
        </div>
    }
}

#[component]
fn FormField(field: FieldDef, state: FormState) -> impl IntoView {
    let key = field.key.clone();
    let id = format!("answer-{key}");
    let name = format!("answers[{key}][]");
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let label = if field.required { field.label.clone() } else { format!("{} (optional)", field.label) };
    let hidden = {
        let key = key.clone();
        move || !state.shown(&key)
    };
    let error = {
        let key = key.clone();
        Signal::derive(move || state.error(&key))
    };
    let stored_key = StoredValue::new(key.clone());
    let touch = move || {
        state.touched.update(|t| {
            t.insert(stored_key.get_value());
        })
    };
    let described_by = format!("{hint_id} {error_id}");
    let help = (!field.help.is_empty())
        .then(|| view! { <p id=hint_id.clone() class="field__hint">{field.help.clone()}</p> });
    let input = match field.kind.clone() {
        FieldKind::Choice { options } | FieldKind::MultiChoice { options }
            if options.len() <= MAX_RADIOS || matches!(field.kind, FieldKind::MultiChoice { .. }) =>
        {
            let multiple = matches!(field.kind, FieldKind::MultiChoice { .. });
            let input_type = if multiple { "checkbox" } else { "radio" };
            let choices = options
                .into_iter()
                .map(|option| {
                    let (key, value) = (key.clone(), option.value.clone());
                    let checked = {
                        let (key, value) = (key.clone(), value.clone());
                        move || state.has(&key, &value)
                    };
                    let on_change = {
                        let value = value.clone();
                        move |ev: leptos::ev::Event| {
                            let on = event_target_checked(&ev);
                            let mut current = state.values.with(|v| v.get(&key).cloned().unwrap_or_default());
                            current.retain(|v| *v != value);
                            if on && !multiple {
                                current.clear();
                            }
                            if on {
                                current.push(value.clone());
                            }
                            state.set(&key, current);
                            touch();
                        }
                    };
                    view! {
                        <label>
                            <input
                                type=input_type
                                name=name.clone()
                                value=value
                                checked=checked.clone()()
                                prop:checked=checked
                                on:change=on_change
                            />
                            " "
                            {option.label}
                        </label>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="choice" aria-describedby=described_by.clone() aria-invalid=move || error.read().is_some().to_string()>
                    <legend>{label.clone()}</legend>
                    {help}
                    {choices}
                    <p id=error_id.clone() class="field__error">{move || error.get()}</p>
                </fieldset>
            }
            .erase()
        }
        FieldKind::YesNo => {
            let choices = [("yes", "Yes"), ("no", "No")]
                .into_iter()
                .map(|(value, text)| {
                    let key = key.clone();
                    let checked = {
                        let key = key.clone();
                        move || state.has(&key, value)
                    };
                    view! {
                        <label>
                            <input
                                type="radio"
                                name=name.clone()
                                value=value
                                checked=checked.clone()()
                                prop:checked=checked
                                on:change=move |_| {
                                    state.set(&key, vec![value.to_owned()]);
                                    touch();
                                }
                            />
                            " "
                            {text}
                        </label>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="choice choice--inline" aria-describedby=described_by.clone() aria-invalid=move || error.read().is_some().to_string()>
                    <legend>{label.clone()}</legend>
                    {help}
                    {choices}
                    <p id=error_id.clone() class="field__error">{move || error.get()}</p>
                </fieldset>
            }
            .erase()
        }
        kind => {
            let value = {
                let key = key.clone();
                move || state.value(&key)
            };
            let on_input = {
                let key = key.clone();
                move |ev: leptos::ev::Event| state.set(&key, vec![event_target_value(&ev)])
            };
            let control = match kind {
                FieldKind::Choice { options } => {
                    let current = value();
                    let options = options
                        .into_iter()
                        .map(|o| {
                            let selected = o.value == current;
                            view! { <option value=o.value selected=selected>{o.label}</option> }
                        })
                        .collect_view();
                    view! {
                        <select
                            id=id.clone()
                            name=name.clone()
                            prop:value=value
                            on:change=on_input
                            on:blur=move |_| touch()
                            aria-describedby=described_by.clone()
                        >
                            <option value="">"Choose…"</option>
                            {options}
                        </select>
                    }
                    .erase()
                }
                FieldKind::LongText { max_length, .. } => view! {
                    <textarea
                        id=id.clone()
                        name=name.clone()
                        rows="4"
                        maxlength=max_length.unwrap_or(crate::domain::form::LONG_TEXT_MAX)
                        prop:value=value.clone()
                        on:input=on_input
                        on:blur=move |_| touch()
                        aria-describedby=described_by.clone()
                        aria-invalid=move || error.read().is_some().to_string()
                    >
                        {value()}
                    </textarea>
                }
                .erase(),
                other => {
                    let (input_type, inputmode, autocomplete) = match other {
                        FieldKind::Number { .. } => ("text", Some("decimal"), None),
                        FieldKind::Date { .. } => ("date", None, None),
                        FieldKind::User => ("email", Some("email"), Some("off")),
                        _ => ("text", None, None),
                    };
                    let maxlength = match other {
                        FieldKind::Text { max_length, .. } => {
                            Some(max_length.unwrap_or(crate::domain::form::TEXT_MAX))
                        }
                        _ => None,
                    };
                    view! {
                        <input
                            id=id.clone()
                            name=name.clone()
                            type=input_type
                            inputmode=inputmode
                            autocomplete=autocomplete
                            maxlength=maxlength
                            value=value.clone()
                            prop:value=value
                            on:input=on_input
                            on:blur=move |_| touch()
                            aria-describedby=described_by.clone()
                            aria-invalid=move || error.read().is_some().to_string()
                        />
                    }
                    .erase()
                }
            };
            view! {
                <div class="field" class:field--invalid=move || error.read().is_some()>
                    <label for=id.clone()>{label.clone()}</label>
                    {help}
                    {control}
                    <p id=error_id.clone() class="field__error">{move || error.get()}</p>
                </div>
            }
            .erase()
        }
    };
    view! { <div class="form-field" data-field=key.clone() hidden=hidden>{input}</div> }.erase()
}
