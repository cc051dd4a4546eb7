//! Admins: an item's form, field by field, with a live preview. Saving makes a new
//! version; requests already made keep the version they answered.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::catalog_admin::{SaveForm, get_form};
use crate::components::erased::Erase;
use crate::components::form_status::{FormStatus, Problems, failure, saved_version, succeeded};
use crate::components::loaded::{loaded, resource};
use crate::components::request_form::RequestForm;
use crate::components::row_actions::{Rearrange, row_actions};
use crate::components::server_form::{FormAction, ServerForm};
use crate::domain::catalog::{CatalogItem, OrderForm};
use crate::domain::form::{ChoiceOption, Condition, FieldDef, FieldKind, FormSchema, validate_schema};
use crate::domain::ids::CatalogItemId;
use crate::error::{AppError, FieldErrors};

const TYPES: [(&str, &str); 10] = [
    ("text", "Text"),
    ("long_text", "Long text"),
    ("number", "Number"),
    ("date", "Date"),
    ("choice", "Choice"),
    ("multi_choice", "Multiple choice"),
    ("yes_no", "Yes / no"),
    ("user", "A person"),
    ("group", "A group"),
    ("ci", "A configuration item"),
];

fn type_name(kind: &FieldKind) -> &'static str {
    match kind {
        FieldKind::Text { .. } => "text",
        FieldKind::LongText { .. } => "long_text",
        FieldKind::Number { .. } => "number",
        FieldKind::Date { .. } => "date",
        FieldKind::Choice { .. } => "choice",
        FieldKind::MultiChoice { .. } => "multi_choice",
        FieldKind::YesNo => "yes_no",
        FieldKind::User => "user",
        FieldKind::Group => "group",
        FieldKind::Ci { .. } => "ci",
    }
}

/// A field of `name`'s type with no rules, keeping the options a choice already had.
fn kind_named(name: &str, options: Vec<ChoiceOption>) -> FieldKind {
    match name {
        "long_text" => FieldKind::LongText { min_length: None, max_length: None },
        "number" => FieldKind::Number { min: None, max: None, whole: false },
        "date" => FieldKind::Date { min_days_ahead: None, max_days_ahead: None },
        "choice" => FieldKind::Choice { options },
        "multi_choice" => FieldKind::MultiChoice { options },
        "yes_no" => FieldKind::YesNo,
        "user" => FieldKind::User,
        "group" => FieldKind::Group,
        "ci" => FieldKind::Ci { class: None, mine: false },
        _ => FieldKind::Text { min_length: None, max_length: None, pattern: None, pattern_hint: None },
    }
}

fn options_text(kind: &FieldKind) -> String {
    match kind {
        FieldKind::Choice { options } | FieldKind::MultiChoice { options } => {
            options.iter().map(|o| format!("{} = {}", o.value, o.label)).collect::<Vec<_>>().join("\n")
        }
        _ => String::new(),
    }
}

/// "laptop = Laptop" per line; a line without "=" is both value and label.
fn parse_options(text: &str) -> Vec<ChoiceOption> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| match line.split_once('=') {
            Some((value, label)) => ChoiceOption { value: value.trim().into(), label: label.trim().into() },
            None => ChoiceOption { value: line.into(), label: line.into() },
        })
        .collect()
}

fn number(text: &str) -> Option<f64> {
    text.trim().parse().ok()
}

#[component]
pub fn FormEditorPage() -> impl IntoView {
    let params = use_params_map();
    let save = FormAction::<SaveForm>::new();
    let saved = saved_version(save);
    let form = resource(
        move || (params.read().get("id").unwrap_or_default(), saved.get()),
        |(id, _)| async move {
            match id.parse() {
                Ok(id) => get_form(CatalogItemId(id)).await,
                Err(_) => Err(AppError::NotFound("That catalog item".into())),
            }
        },
    );
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <A href="/admin/catalog">"Catalog"</A>
        </nav>
        {loaded(form, move |(item, schema)| view! { <Editor item schema save /> })}
    }
}

#[component]
fn Editor(item: CatalogItem, schema: FormSchema, save: FormAction<SaveForm>) -> impl IntoView {
    let draft = RwSignal::new(schema);
    // Bumped when fields are added, moved or removed: only then is the list drawn again,
    // so typing in a field keeps its focus.
    let layout = RwSignal::new(0_u32);
    let problems = Memo::new(move |_| draft.with(|s| validate_schema(s).err().unwrap_or_default()));
    let failure = failure(save);
    let json = move || leptos::serde_json::to_string(&draft.get()).unwrap_or_default();
    let id = item.id.0.to_string();
    let preview_item = item.clone();
    view! {
        <Title text=format!("Form · {}", item.name) />
        <header class="page-header">
            <h1>{format!("Form for {}", item.name)}</h1>
            <p class="muted">{format!("Now at version {}. Saving makes a new version; requests already made keep theirs.", item.form_version)}</p>
        </header>
        <div class="panels form-editor">
            <section aria-labelledby="fields-heading">
                <h2 id="fields-heading">"Fields"</h2>
                <FieldList draft layout noun="Question" />
                <Problems problems=problems />
                <ServerForm action=save attr:class="form">
                    <input type="hidden" name="id" value=id />
                    <input type="hidden" name="schema" prop:value=json />
                    <FormStatus failure succeeded=succeeded(save) saved="Saved as a new version." />
                    <button type="submit" class="button button--primary" disabled=move || !problems.with(Vec::is_empty)>
                        "Save form"
                    </button>
                </ServerForm>
            </section>
            <section class="panel preview" aria-labelledby="preview-heading">
                <h2 id="preview-heading">"Preview"</h2>
                <p class="muted">"As requesters see it. Try it: conditions and checks work here too."</p>
                {move || {
                    let form = draft.get();
                    let answers = form.defaults();
                    let order = OrderForm {
                        item: preview_item.clone(),
                        category: String::new(),
                        team: None,
                        form,
                        answers,
                        errors: FieldErrors::default(),
                        submission: String::new(),
                        today: chrono::NaiveDate::default(),
                    };
                    view! { <RequestForm order preview=true /> }
                }}
            </section>
        </div>
    }
}

/// A schema's fields being edited, each as a card, and a button to add one; `noun` is what
/// a field's label is called ("Question" on a form).
#[component]
pub fn FieldList(draft: RwSignal<FormSchema>, layout: RwSignal<u32>, noun: &'static str) -> impl IntoView {
    let add = move |_| {
        draft.update(|s| {
            let n = s.fields.len() + 1;
            s.fields.push(FieldDef {
                key: format!("field_{n}"),
                label: format!("{noun} {n}"),
                help: String::new(),
                required: false,
                default: None,
                kind: kind_named("text", Vec::new()),
                show_when: None,
            });
        });
        layout.update(|n| *n += 1);
    };
    view! {
        <ol class="list">
            {move || {
                layout.track();
                (0..draft.with_untracked(|s| s.fields.len()))
                    .map(|index| view! { <FieldEditor index draft layout noun /> })
                    .collect_view()
            }}
        </ol>
        <button type="button" class="button" on:click=add>"Add a field"</button>
    }
}

#[component]
fn FieldEditor(
    index: usize,
    draft: RwSignal<FormSchema>,
    layout: RwSignal<u32>,
    noun: &'static str,
) -> impl IntoView {
    let rearrange = move |change: Rearrange<FieldDef>| {
        draft.update(|s| change(&mut s.fields, index));
        layout.update(|n| *n += 1);
    };
    let field = move || draft.with(|s| s.fields.get(index).cloned());
    let update = move |change: Box<dyn FnOnce(&mut FieldDef)>| {
        draft.update(|s| {
            if let Some(f) = s.fields.get_mut(index) {
                change(f);
            }
        })
    };
    let Some(initial) = field() else { return ().erase() };
    let id = |name: &str| format!("f{index}-{name}");
    let kind_name = type_name(&initial.kind);
    let earlier: Vec<String> = draft.with(|s| s.fields.iter().take(index).map(|f| f.key.clone()).collect());
    let condition_field = initial.show_when.as_ref().map(|c| c.field.clone()).unwrap_or_default();
    let condition_values = initial.show_when.as_ref().map(|c| c.any_of.join(", ")).unwrap_or_default();
    let (min, max) = match &initial.kind {
        FieldKind::Text { min_length, max_length, .. } | FieldKind::LongText { min_length, max_length } => {
            (min_length.map(|v| v.to_string()), max_length.map(|v| v.to_string()))
        }
        FieldKind::Number { min, max, .. } => (min.map(|v| v.to_string()), max.map(|v| v.to_string())),
        FieldKind::Date { min_days_ahead, max_days_ahead } => {
            (min_days_ahead.map(|v| v.to_string()), max_days_ahead.map(|v| v.to_string()))
        }
        _ => (None, None),
    };
    let has_bounds = matches!(kind_name, "text" | "long_text" | "number" | "date");
    let is_choice = matches!(kind_name, "choice" | "multi_choice");
    let (ci_class, mine) = match &initial.kind {
        FieldKind::Ci { class, mine } => (class.clone().unwrap_or_default(), *mine),
        _ => (String::new(), false),
    };
    let pattern = match &initial.kind {
        FieldKind::Text { pattern, .. } => pattern.clone(),
        _ => None,
    };
    let set_bounds = move |min: Option<String>, max: Option<String>| {
        update(Box::new(move |f| match &mut f.kind {
            FieldKind::Text { min_length, max_length, .. }
            | FieldKind::LongText { min_length, max_length } => {
                if let Some(v) = min {
                    *min_length = v.trim().parse().ok();
                }
                if let Some(v) = max {
                    *max_length = v.trim().parse().ok();
                }
            }
            FieldKind::Number { min: lo, max: hi, .. } => {
                if let Some(v) = min {
                    *lo = number(&v);
                }
                if let Some(v) = max {
                    *hi = number(&v);
                }
            }
            FieldKind::Date { min_days_ahead, max_days_ahead } => {
                if let Some(v) = min {
                    *min_days_ahead = v.trim().parse().ok();
                }
                if let Some(v) = max {
                    *max_days_ahead = v.trim().parse().ok();
                }
            }
            _ => {}
        }))
    };
    let set_condition = move |field: Option<String>, values: Option<String>| {
        update(Box::new(move |f| {
            let mut condition =
                f.show_when.clone().unwrap_or(Condition { field: String::new(), any_of: Vec::new() });
            if let Some(field) = field {
                condition.field = field;
            }
            if let Some(values) = values {
                condition.any_of =
                    values.split(',').map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()).collect();
            }
            f.show_when = (!condition.field.is_empty()).then_some(condition);
        }))
    };
    let (min_label, max_label) = match kind_name {
        "number" => ("Smallest", "Largest"),
        "date" => ("Earliest (days from today)", "Latest (days from today)"),
        _ => ("Shortest (characters)", "Longest (characters)"),
    };
    view! {
        <li class="list__item field-editor" data-index=index>
            <div class="field-editor__row">
                <div class="field">
                    <label for=id("label")>{noun}</label>
                    <input id=id("label") value=initial.label.clone() on:input=move |ev| {
                        let v = event_target_value(&ev);
                        update(Box::new(move |f| f.label = v));
                    } />
                </div>
                <div class="field">
                    <label for=id("key")>"Key"</label>
                    <input id=id("key") value=initial.key.clone() on:input=move |ev| {
                        let v = event_target_value(&ev);
                        update(Box::new(move |f| f.key = v));
                    } />
                </div>
                <div class="field">
                    <label for=id("type")>"Type"</label>
                    <select id=id("type") on:change=move |ev| {
                        let v = event_target_value(&ev);
                        update(Box::new(move |f| {
                            let options = match &f.kind {
                                FieldKind::Choice { options } | FieldKind::MultiChoice { options } => options.clone(),
                                _ => Vec::new(),
                            };
                            f.kind = kind_named(&v, options);
                        }));
                        // The type decides which settings the card offers.
                        layout.update(|n| *n += 1);
                    }>
                        {TYPES.iter().map(|(value, label)| view! { <option value=*value selected=*value == kind_name>{*label}</option> }).collect_view()}
                    </select>
                </div>
            </div>
            <div class="field">
                <label for=id("help")>"Help text"</label>
                <input id=id("help") value=initial.help.clone() on:input=move |ev| {
                    let v = event_target_value(&ev);
                    update(Box::new(move |f| f.help = v));
                } />
            </div>
            <label class="check">
                <input type="checkbox" checked=initial.required on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    update(Box::new(move |f| f.required = on));
                } />
                " Required"
            </label>
            {(kind_name == "ci").then(|| view! {
                <div class="field-editor__row">
                    <div class="field">
                        <label for=id("class")>"Class (its code; empty for any)"</label>
                        <input id=id("class") value=ci_class.clone() placeholder="laptop" on:input=move |ev| {
                            let v = event_target_value(&ev);
                            update(Box::new(move |f| {
                                if let FieldKind::Ci { class, .. } = &mut f.kind {
                                    *class = (!v.trim().is_empty()).then(|| v.trim().to_owned());
                                }
                            }));
                        } />
                    </div>
                    <label class="check">
                        <input type="checkbox" checked=mine on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            update(Box::new(move |f| {
                                if let FieldKind::Ci { mine, .. } = &mut f.kind {
                                    *mine = on;
                                }
                            }));
                        } />
                        " Only one of the person's own devices"
                    </label>
                </div>
            })}
            {(!matches!(kind_name, "user" | "group" | "ci")).then(|| view! {
                <div class="field">
                    <label for=id("default")>"Default answer"</label>
                    <input id=id("default") value=initial.default.clone().unwrap_or_default() aria-describedby=id("default-hint") on:input=move |ev| {
                        let v = event_target_value(&ev);
                        update(Box::new(move |f| f.default = (!v.trim().is_empty()).then(|| v.trim().to_owned())));
                    } />
                    <p class="field__hint" id=id("default-hint")>
                        {match kind_name {
                            "choice" => "The value of the option picked at first; empty for none.",
                            "multi_choice" => "Values of the options ticked at first, separated by commas.",
                            "yes_no" => "yes or no; empty for neither.",
                            _ => "What the field holds at first; empty for nothing.",
                        }}
                    </p>
                </div>
            })}
            {is_choice.then(|| view! {
                <div class="field">
                    <label for=id("options")>"Options, one per line: value = label"</label>
                    <textarea id=id("options") rows="3" on:input=move |ev| {
                        let v = event_target_value(&ev);
                        update(Box::new(move |f| {
                            let options = parse_options(&v);
                            f.kind = kind_named(type_name(&f.kind), options);
                        }));
                    }>{options_text(&initial.kind)}</textarea>
                </div>
            })}
            {has_bounds.then(|| view! {
                <div class="field-editor__row">
                    <div class="field">
                        <label for=id("min")>{min_label}</label>
                        <input id=id("min") inputmode="decimal" value=min.clone().unwrap_or_default() on:input=move |ev| set_bounds(Some(event_target_value(&ev)), None) />
                    </div>
                    <div class="field">
                        <label for=id("max")>{max_label}</label>
                        <input id=id("max") inputmode="decimal" value=max.clone().unwrap_or_default() on:input=move |ev| set_bounds(None, Some(event_target_value(&ev))) />
                    </div>
                </div>
            })}
            {(kind_name == "text").then(|| view! {
                <div class="field">
                    <label for=id("pattern")>"Pattern (a regular expression the answer must match)"</label>
                    <input id=id("pattern") value=pattern.clone().unwrap_or_default() on:input=move |ev| {
                        let v = event_target_value(&ev);
                        update(Box::new(move |f| {
                            if let FieldKind::Text { pattern, .. } = &mut f.kind {
                                *pattern = (!v.trim().is_empty()).then(|| v.trim().to_owned());
                            }
                        }));
                    } />
                </div>
            })}
            {(index > 0).then(|| view! {
                <div class="field-editor__row">
                    <div class="field">
                        <label for=id("when")>"Show only when"</label>
                        <select id=id("when") on:change=move |ev| set_condition(Some(event_target_value(&ev)), None)>
                            <option value="" selected=condition_field.is_empty()>"Always shown"</option>
                            {earlier.iter().map(|key| view! { <option value=key.clone() selected=*key == condition_field>{key.clone()}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for=id("values")>"is one of (comma-separated values)"</label>
                        <input id=id("values") value=condition_values.clone() on:input=move |ev| set_condition(None, Some(event_target_value(&ev))) />
                    </div>
                </div>
            })}
            {row_actions(format!("field {}", index + 1), rearrange)}
        </li>
    }
    .erase()
}
