//! Admins: how one catalog item is approved (steps in order) and fulfilled (tasks for groups).

use leptos::prelude::*;

use crate::api::catalog_admin::SavePlan;
use crate::components::erased::Erase;
use crate::components::form_status::{FormStatus, Problems, failure, field_error, succeeded};
use crate::components::row_actions::{Rearrange, row_actions};
use crate::components::server_form::{FormAction, ServerForm};
use crate::domain::approval::{ApprovalStep, FulfilmentPlan, TaskTemplate};
use crate::domain::ids::{CatalogItemId, GroupId};
use crate::domain::people::GroupSummary;

/// The plan being edited. `layout` is bumped when rows are added, moved or removed: only
/// then are the rows drawn again, so typing keeps its focus.
#[derive(Clone, Copy)]
struct Draft {
    steps: RwSignal<Vec<ApprovalStep>>,
    tasks: RwSignal<Vec<TaskTemplate>>,
    in_sequence: RwSignal<bool>,
    layout: RwSignal<u32>,
}

impl Draft {
    fn rearrange<T: Send + Sync + 'static>(self, list: RwSignal<Vec<T>>, index: usize, change: Rearrange<T>) {
        list.update(|items| change(items, index));
        self.layout.update(|n| *n += 1);
    }
}

/// The problems that stop the plan being saved, as the server would name them.
fn problems(tasks: &[TaskTemplate]) -> Vec<String> {
    let mut problems = Vec::new();
    if tasks.iter().any(|t| t.title.trim().is_empty()) {
        problems.push("Every task needs a title.".to_owned());
    }
    problems
}

#[component]
pub fn PlanEditor(
    item: CatalogItemId,
    steps: Vec<ApprovalStep>,
    plan: FulfilmentPlan,
    groups: Vec<GroupSummary>,
    save: FormAction<SavePlan>,
) -> impl IntoView {
    let draft = Draft {
        steps: RwSignal::new(steps),
        tasks: RwSignal::new(plan.tasks),
        in_sequence: RwSignal::new(plan.in_sequence),
        layout: RwSignal::new(0),
    };
    let groups = StoredValue::new(groups);
    let first_group = move || groups.with_value(|g| g.first().map(|g| g.id));
    let failure = failure(save);
    let blockers = Memo::new(move |_| draft.tasks.with(|t| problems(t)));
    let approval_json =
        move || leptos::serde_json::to_string(&draft.steps.get()).unwrap_or_else(|_| "[]".into());
    let fulfilment_json = move || {
        let plan = FulfilmentPlan { tasks: draft.tasks.get(), in_sequence: draft.in_sequence.get() };
        leptos::serde_json::to_string(&plan).unwrap_or_default()
    };
    let add_step = move |_| {
        draft.steps.update(|s| s.push(ApprovalStep::Manager));
        draft.layout.update(|n| *n += 1);
    };
    let add_task = move |_| {
        let Some(group) = first_group() else { return };
        draft.tasks.update(|t| t.push(TaskTemplate { title: String::new(), group }));
        draft.layout.update(|n| *n += 1);
    };
    view! {
        <section class="panel plan-editor" aria-labelledby="plan-heading">
            <h2 id="plan-heading">"Approval and fulfilment"</h2>
            <p class="muted">"Requests already made keep the plan they started with."</p>
            <h3>"Approval"</h3>
            {move || {
                draft.layout.track();
                let count = draft.steps.with_untracked(Vec::len);
                if count == 0 {
                    view! { <p class="empty-state">"No approval: fulfilment starts as soon as it is ordered."</p> }
                        .erase()
                } else {
                    view! {
                        <ol class="list">
                            {(0..count).map(|index| view! { <StepRow index draft groups /> }).collect_view()}
                        </ol>
                    }
                        .erase()
                }
            }}
            <button type="button" class="button" on:click=add_step>"Add an approval step"</button>
            <p class="field__error">{move || field_error(failure, "approval").get()}</p>

            <h3>"Fulfilment"</h3>
            <fieldset class="choice choice--inline">
                <legend>"The tasks run"</legend>
                <label>
                    <input
                        type="radio"
                        name="task_order"
                        checked=!draft.in_sequence.get_untracked()
                        on:change=move |_| draft.in_sequence.set(false)
                    />
                    " all at once"
                </label>
                <label>
                    <input
                        type="radio"
                        name="task_order"
                        checked=draft.in_sequence.get_untracked()
                        on:change=move |_| draft.in_sequence.set(true)
                    />
                    " one after another"
                </label>
            </fieldset>
            {move || {
                draft.layout.track();
                let count = draft.tasks.with_untracked(Vec::len);
                if count == 0 {
                    view! { <p class="empty-state">"No tasks: the request is fulfilled once approved."</p> }.erase()
                } else {
                    view! {
                        <ol class="list">
                            {(0..count).map(|index| view! { <TaskRow index draft groups /> }).collect_view()}
                        </ol>
                    }
                        .erase()
                }
            }}
            <button type="button" class="button" on:click=add_task disabled=move || first_group().is_none()>
                "Add a task"
            </button>
            <p class="field__error">{move || field_error(failure, "fulfilment").get()}</p>
            <Problems problems=blockers />
            <ServerForm action=save attr:class="form">
                <input type="hidden" name="id" value=item.0.to_string() />
                <input type="hidden" name="approval" value=approval_json />
                <input type="hidden" name="fulfilment" value=fulfilment_json />
                <FormStatus failure succeeded=succeeded(save) saved="Saved." />
                <button type="submit" class="button button--primary" disabled=move || !blockers.with(Vec::is_empty)>
                    "Save approval and fulfilment"
                </button>
            </ServerForm>
        </section>
    }
}

/// Who approves step `index`: "manager", or "group:<id>".
fn step_choice(step: &ApprovalStep) -> String {
    match step {
        ApprovalStep::Manager => "manager".into(),
        ApprovalStep::Group { group, .. } => format!("group:{group}"),
    }
}

#[component]
fn StepRow(index: usize, draft: Draft, groups: StoredValue<Vec<GroupSummary>>) -> impl IntoView {
    let Some(initial) = draft.steps.with_untracked(|s| s.get(index).cloned()) else { return ().erase() };
    let id = |name: &str| format!("step{index}-{name}");
    let chosen = step_choice(&initial);
    let all = matches!(initial, ApprovalStep::Group { all: true, .. });
    let is_group = matches!(initial, ApprovalStep::Group { .. });
    let choose = move |ev| {
        let value = event_target_value(&ev);
        let step = match value.strip_prefix("group:").and_then(|g| g.parse().ok()) {
            Some(group) => ApprovalStep::Group { group: GroupId(group), all: false },
            None => ApprovalStep::Manager,
        };
        draft.steps.update(|s| {
            if let Some(slot) = s.get_mut(index) {
                *slot = step;
            }
        });
        // A group step also asks whether any member or all of them decide.
        draft.layout.update(|n| *n += 1);
    };
    let set_all = move |ev| {
        let every = event_target_value(&ev) == "all";
        draft.steps.update(|s| {
            if let Some(ApprovalStep::Group { all, .. }) = s.get_mut(index) {
                *all = every;
            }
        });
    };
    view! {
        <li class="list__item plan-row" data-step=index>
            <div class="field-editor__row">
                <div class="field">
                    <label for=id("who")>{format!("Step {}: approved by", index + 1)}</label>
                    <select id=id("who") on:change=choose>
                        <option value="manager" selected=chosen == "manager">"The requester's manager"</option>
                        {groups
                            .get_value()
                            .into_iter()
                            .map(|g| {
                                let value = format!("group:{}", g.id);
                                let selected = value == chosen;
                                view! { <option value=value selected=selected>{format!("Members of {}", g.name)}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
                {is_group
                    .then(|| {
                        view! {
                            <div class="field">
                                <label for=id("all")>"Who must approve"</label>
                                <select id=id("all") on:change=set_all>
                                    <option value="any" selected=!all>"Any one member"</option>
                                    <option value="all" selected=all>"Every member"</option>
                                </select>
                            </div>
                        }
                    })}
            </div>
            {row_actions(format!("step {}", index + 1), move |change| draft.rearrange(draft.steps, index, change))}
        </li>
    }
    .erase()
}

#[component]
fn TaskRow(index: usize, draft: Draft, groups: StoredValue<Vec<GroupSummary>>) -> impl IntoView {
    let Some(initial) = draft.tasks.with_untracked(|t| t.get(index).cloned()) else { return ().erase() };
    let id = |name: &str| format!("task{index}-{name}");
    let edit = move |change: Box<dyn FnOnce(&mut TaskTemplate)>| {
        draft.tasks.update(|t| {
            if let Some(task) = t.get_mut(index) {
                change(task);
            }
        })
    };
    view! {
        <li class="list__item plan-row" data-task=index>
            <div class="field-editor__row">
                <div class="field">
                    <label for=id("title")>{format!("Task {}", index + 1)}</label>
                    <input id=id("title") value=initial.title.clone() maxlength="200" on:input=move |ev| {
                        let v = event_target_value(&ev);
                        edit(Box::new(move |t| t.title = v));
                    } />
                </div>
                <div class="field">
                    <label for=id("group")>"Done by"</label>
                    <select id=id("group") on:change=move |ev| {
                        if let Ok(group) = event_target_value(&ev).parse() {
                            edit(Box::new(move |t| t.group = GroupId(group)));
                        }
                    }>
                        {groups
                            .get_value()
                            .into_iter()
                            .map(|g| view! { <option value=g.id.0.to_string() selected=g.id == initial.group>{g.name}</option> })
                            .collect_view()}
                    </select>
                </div>
            </div>
            {row_actions(format!("task {}", index + 1), move |change| draft.rearrange(draft.tasks, index, change))}
        </li>
    }
    .erase()
}
