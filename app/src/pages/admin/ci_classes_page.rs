//! Admins: the CMDB's classes in their hierarchy, and one class's place, description and
//! attributes, edited as a form's fields are. Taking an attribute off retires it: the CIs
//! that hold a value for it keep it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::form_editor_page::FieldList;
use super::new_or_id;
use crate::api::cmdb::{SaveCiClass, admin_ci_classes};
use crate::components::erased::Erase;
use crate::components::field::Field;
use crate::components::form_status::{FormStatus, Problems, failure, field_error, saved_version, succeeded};
use crate::components::loaded::{loaded, resource};
use crate::components::server_form::{FormAction, ServerForm};
use crate::domain::cmdb::{CiClass, is_a, lineage, validate_class};
use crate::domain::form::FormSchema;
use crate::domain::ids::CiClassId;

/// How deep `class` sits in the hierarchy: 0 for a root.
fn depth(classes: &[CiClass], class: &CiClass) -> usize {
    lineage(classes, class.id).map_or(0, |line| line.len() - 1)
}

/// The classes parent first, each followed by its subclasses.
fn in_tree_order(classes: &[CiClass]) -> Vec<CiClass> {
    fn below(classes: &[CiClass], parent: Option<CiClassId>, out: &mut Vec<CiClass>) {
        for class in classes.iter().filter(|c| c.parent == parent) {
            if !out.iter().any(|c| c.id == class.id) {
                out.push(class.clone());
                below(classes, Some(class.id), out);
            }
        }
    }
    let mut out = Vec::with_capacity(classes.len());
    below(classes, None, &mut out);
    out
}

fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {many}") }
}

#[component]
pub fn CiClassesPage() -> impl IntoView {
    let classes = resource(|| (), |_| admin_ci_classes());
    view! {
        <Title text="CI classes" />
        <header class="page-header page-header--actions">
            <div>
                <h1>"CI classes"</h1>
                <p class="muted">"The kinds of configuration item, each with its own attributes; a subclass has its parent's too."</p>
            </div>
            <A href="/admin/classes/new" attr:class="button button--primary">"Add a class"</A>
        </header>
        {loaded(classes, |classes| {
            view! {
                <ul class="list class-tree">
                    {in_tree_order(&classes)
                        .into_iter()
                        .map(|class| {
                            let indent = format!("--depth: {}", depth(&classes, &class));
                            let attributes = count(class.attributes.fields.len(), "attribute", "attributes");
                            view! {
                                <li class="list__item class-tree__item" style=indent>
                                    <A href=format!("/admin/classes/{}", class.id)>{class.name.clone()}</A>
                                    " "
                                    <code class="muted">{class.code.clone()}</code>
                                    {class.retired.then(|| view! { " " <span class="badge badge--neutral">"Retired"</span> })}
                                    <p class="muted">{attributes}</p>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
        })}
    }
}

#[component]
pub fn CiClassPage() -> impl IntoView {
    let params = use_params_map();
    let save = FormAction::<SaveCiClass>::new();
    let saved = saved_version(save);
    let classes = resource(move || saved.get(), |_| admin_ci_classes());
    let id = move || new_or_id(&params.read().get("id").unwrap_or_default(), "That class");
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <A href="/admin/classes">"CI classes"</A>
        </nav>
        {loaded(classes, move |classes| match id() {
            Err(error) => view! { <p class="form-error" role="alert">{error.to_string()}</p> }.erase(),
            Ok(None) => view! { <ClassForm classes class=None save /> }.erase(),
            Ok(Some(id)) => match classes.iter().find(|c| c.id.0 == id).cloned() {
                Some(class) => view! { <ClassForm classes=classes.clone() class=Some(class) save /> }.erase(),
                None => view! { <p class="form-error" role="alert">"There is no such class."</p> }.erase(),
            },
        })}
    }
}

#[component]
fn ClassForm(classes: Vec<CiClass>, class: Option<CiClass>, save: FormAction<SaveCiClass>) -> impl IntoView {
    let failure = failure(save);
    let error = move |field: &'static str| field_error(failure, field);
    let draft = RwSignal::new(class.as_ref().map(|c| c.attributes.clone()).unwrap_or_default());
    // Bumped when fields are added, moved or removed: only then is the list drawn again.
    let layout = RwSignal::new(0_u32);
    let retired_fields =
        RwSignal::new(class.as_ref().map(|c| c.retired_attributes.fields.clone()).unwrap_or_default());
    let candidate = class.clone().unwrap_or(CiClass {
        id: CiClassId(0),
        code: "new_class".into(),
        name: "New class".into(),
        parent: None,
        description: String::new(),
        attributes: FormSchema::default(),
        retired_attributes: FormSchema::default(),
        retired: false,
    });
    let all = classes.clone();
    // The chosen parent decides what is inherited, so it is checked as it changes.
    let parent = RwSignal::new(candidate.parent);
    let problems = Memo::new(move |_| {
        let mut checked = candidate.clone();
        checked.attributes = draft.get();
        checked.parent = parent.get();
        match validate_class(&all, &checked) {
            Ok(()) => Vec::new(),
            Err(found) => found.0.into_iter().filter(|(f, _)| f == "attributes").map(|(_, m)| m).collect(),
        }
    });
    let json = move || leptos::serde_json::to_string(&draft.get()).unwrap_or_default();
    let heading = class.as_ref().map_or_else(|| "Add a class".to_owned(), |c| c.name.clone());
    // A class cannot move under itself or one of its subclasses.
    let own_code = class.as_ref().map(|c| c.code.clone());
    let parents = classes
        .iter()
        .filter(|c| own_code.as_ref().is_none_or(|own| !is_a(&classes, c.id, own)))
        .map(|c| {
            let selected = class.as_ref().is_some_and(|k| k.parent == Some(c.id));
            let label = format!("{}{}", "\u{a0}\u{a0}".repeat(depth(&classes, c)), c.name);
            view! { <option value=c.code.clone() selected=selected>{label}</option> }
        })
        .collect_view();
    let inherited: Vec<(String, String)> = match &class {
        Some(c) => lineage(&classes, c.id)
            .map(|line| {
                line.into_iter()
                    .skip(1)
                    .rev()
                    .flat_map(|a| a.attributes.fields.iter().map(|f| (f.label.clone(), a.name.clone())))
                    .collect()
            })
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let name = class.as_ref().map(|c| c.name.clone()).unwrap_or_default();
    let description = class.as_ref().map(|c| c.description.clone()).unwrap_or_default();
    let put_back = move |index: usize| {
        let Some(field) = retired_fields.with(|r| r.get(index).cloned()) else { return };
        retired_fields.update(|r| {
            r.remove(index);
        });
        draft.update(|s| s.fields.push(field));
        layout.update(|n| *n += 1);
    };
    view! {
        <Title text=format!("Class · {heading}") />
        <header class="page-header">
            <h1>{heading.clone()}</h1>
            <p class="muted">"Taking an attribute off retires it: CIs keep the values they hold for it, shown as retired, and it can be put back."</p>
        </header>
        <ServerForm action=save attr:class="form class-form" attr:novalidate=true>
            {class.as_ref().map(|c| view! { <input type="hidden" name="id" value=c.id.0.to_string() /> })}
            {match &class {
                Some(c) => view! { <p class="muted">"Code: " <code>{c.code.clone()}</code></p> }.erase(),
                None => view! {
                    <Field
                        name="code"
                        label="Code"
                        hint="Lowercase letters, digits and underscores; it cannot change later."
                        maxlength=40
                        error=error("code")
                    />
                }
                .erase(),
            }}
            <Field name="name" label="Name" maxlength=80 value=name error=error("name") />
            <div class="field" class:field--invalid=move || error("parent").read().is_some()>
                <label for="parent">"Subclass of"</label>
                <select id="parent" name="parent" aria-describedby="parent-error" on:change={
                    let classes = classes.clone();
                    move |ev| {
                        let code = event_target_value(&ev);
                        parent.set(classes.iter().find(|c| c.code == code).map(|c| c.id));
                    }
                }>
                    <option value="">"None: a class of its own"</option>
                    {parents}
                </select>
                <p id="parent-error" class="field__error">{move || error("parent").get()}</p>
            </div>
            <Field
                name="description"
                label="Description"
                required=false
                maxlength=500
                value=description
                error=error("description")
            />
            <label class="check">
                <input type="checkbox" name="retired" checked=class.as_ref().is_some_and(|c| c.retired) />
                " Retired: no new CIs of this class"
            </label>
            <input type="hidden" name="attributes" value=json() prop:value=json />
            <section aria-labelledby="attributes-heading">
                <h2 id="attributes-heading">"Attributes"</h2>
                {(!inherited.is_empty()).then(|| view! {
                    <p class="muted">"Inherited: "
                        {inherited.iter().map(|(label, from)| format!("{label} (from {from})")).collect::<Vec<_>>().join(", ")}
                    </p>
                })}
                <FieldList draft layout noun="Label" />
                <Problems problems=problems />
                <p class="field__error" role="alert">{move || error("attributes").get()}</p>
            </section>
            {move || {
                let retired = retired_fields.get();
                (!retired.is_empty()).then(|| view! {
                    <section aria-labelledby="retired-heading">
                        <h2 id="retired-heading">"Retired attributes"</h2>
                        <ul class="list">
                            {retired.into_iter().enumerate().map(|(index, field)| view! {
                                <li class="list__item">
                                    {field.label.clone()} " " <code class="muted">{field.key.clone()}</code> " "
                                    <button type="button" class="button button--quiet" on:click=move |_| put_back(index)>
                                        {format!("Put back {}", field.label)}
                                    </button>
                                </li>
                            }).collect_view()}
                        </ul>
                    </section>
                })
            }}
            <FormStatus failure succeeded=succeeded(save) saved="Class saved." />
            <button type="submit" class="button button--primary" disabled=move || !problems.with(Vec::is_empty)>
                "Save class"
            </button>
        </ServerForm>
    }
}
