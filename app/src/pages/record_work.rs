//! On a record page, for agents: assign it, set its impact, urgency, group, category and
//! major flag, and move it to its next state with the reason for a hold or the code and
//! notes of a resolution. Only the moves its life cycle allows are offered; the server
//! checks everything again, and refuses a change made from an outdated page.

use leptos::prelude::*;

use crate::api::incidents::{AssignToMe, MoveRecord, UpdateRecord};
use crate::components::erased::Erase;
use crate::components::form_status::{FormStatus, failure, field_error, succeeded};
use crate::components::server_form::{FormAction, ServerForm};
use crate::domain::lifecycle::{HoldReason, ResolutionCode, next_states};
use crate::domain::record::{
    GroupChoice, Impact, Priority, PriorityBasis, RecordDetail, RecordKind, RecordState, Urgency,
};

#[component]
pub fn MovePanel(record: RecordDetail, action: FormAction<MoveRecord>) -> impl IntoView {
    let choices = next_states(record.kind, record.state);
    if choices.is_empty() {
        return ().erase();
    }
    let failure = failure(action);
    let error = move |field: &'static str| field_error(failure, field);
    let (target, set_target) = signal(String::new());
    // Before hydration (or without JavaScript) every detail is shown; after, only those the
    // chosen state needs.
    let hydrated = crate::context::use_hydrated();
    let hide = move |state: RecordState| move || hydrated.get() && target.get() != state.as_str();
    view! {
        <details class="panel move-panel" open=true>
            <summary>"Change state"</summary>
            <ServerForm action attr:class="form" attr:novalidate=true>
                <input type="hidden" name="number" value=record.number.clone() />
                <input type="hidden" name="version" value=record.version.to_string() />
                <div class="field">
                    <label for="move-state">"Move to"</label>
                    <select id="move-state" name="state" aria-describedby="state-error" prop:value=move || target.get() on:change=move |ev| set_target.set(event_target_value(&ev))>
                        <option value="" selected=true>"Choose…"</option>
                        {choices.iter().map(|s| view! { <option value=s.as_str()>{s.label()}</option> }).collect_view()}
                    </select>
                    <p id="state-error" class="field__error">{move || error("state").get()}</p>
                </div>
                {choices
                    .contains(&RecordState::OnHold)
                    .then(|| {
                        view! {
                            <div class="field" hidden=hide(RecordState::OnHold)>
                                <label for="hold-reason">"Waiting for"</label>
                                <select id="hold-reason" name="hold_reason" aria-describedby="hold_reason-error">
                                    <option value="">"Choose…"</option>
                                    {HoldReason::ALL.iter().map(|r| view! { <option value=r.as_str()>{r.label()}</option> }).collect_view()}
                                </select>
                                <p id="hold_reason-error" class="field__error">{move || error("hold_reason").get()}</p>
                            </div>
                        }
                    })}
                {choices
                    .contains(&RecordState::Resolved)
                    .then(|| {
                        view! {
                            <div class="resolution" hidden=hide(RecordState::Resolved)>
                                <div class="field">
                                    <label for="resolution-code">"Resolution"</label>
                                    <select id="resolution-code" name="resolution_code" aria-describedby="resolution_code-error">
                                        <option value="">"Choose…"</option>
                                        {ResolutionCode::ALL.iter().map(|c| view! { <option value=c.as_str()>{c.label()}</option> }).collect_view()}
                                    </select>
                                    <p id="resolution_code-error" class="field__error">{move || error("resolution_code").get()}</p>
                                </div>
                                <div class="field">
                                    <label for="resolution-notes">"What was done — visible to the requester"</label>
                                    <textarea id="resolution-notes" name="resolution_notes" rows="3" maxlength="4000" aria-describedby="resolution_notes-error"></textarea>
                                    <p id="resolution_notes-error" class="field__error">{move || error("resolution_notes").get()}</p>
                                </div>
                            </div>
                        }
                    })}
                <FormStatus failure succeeded=succeeded(action) saved="Saved." />
                <button type="submit" class="button button--primary">"Save state"</button>
            </ServerForm>
        </details>
    }
    .erase()
}

#[component]
pub fn FieldsPanel(
    record: RecordDetail,
    groups: Vec<GroupChoice>,
    update: FormAction<UpdateRecord>,
    assign: FormAction<AssignToMe>,
) -> impl IntoView {
    let failure = failure(update);
    let error = move |field: &'static str| field_error(failure, field);
    let assign_failure = crate::components::form_status::failure(assign);
    let (group, set_group) = signal(record.group_id.map(|g| g.0.to_string()).unwrap_or_default());
    let groups = StoredValue::new(groups);
    let assignee = record.assignee_id.map(|a| a.0.to_string()).unwrap_or_default();
    // The assignee list follows the chosen group: only its members can be picked.
    let members = move || {
        let chosen = group.get();
        groups.with_value(|gs| {
            gs.iter().find(|g| g.id.0.to_string() == chosen).map(|g| g.members.clone()).unwrap_or_default()
        })
    };
    let level_options = |current: i64, options: Vec<(i64, &'static str)>| {
        options
            .into_iter()
            .map(|(level, label)| view! { <option value=level.to_string() selected=level == current>{label}</option> })
            .collect_view()
    };
    let (number, version) = (record.number.clone(), record.version.to_string());
    let (assign_number, assign_version) = (number.clone(), version.clone());
    let priority_why = match record.priority_basis {
        PriorityBasis::Override => format!("Set by hand: {}", record.priority_reason),
        basis => basis.label().to_owned(),
    };
    let impacts = Impact::ALL.iter().map(|i| (*i as i64, i.label())).collect();
    let urgencies = Urgency::ALL.iter().map(|u| (*u as i64, u.label())).collect();
    view! {
        <section class="panel fields-panel" aria-label="Assignment and priority">
            <ServerForm action=assign attr:class="assign-me">
                <input type="hidden" name="number" value=assign_number />
                <input type="hidden" name="version" value=assign_version />
                <button type="submit" class="button">"Assign to me"</button>
                <p class="field__error">{move || assign_failure.get().map(|e| e.field_message("assignee").unwrap_or_else(|| e.to_string()))}</p>
            </ServerForm>
            <ServerForm action=update attr:class="form fields-form" attr:novalidate=true>
                <input type="hidden" name="number" value=number />
                <input type="hidden" name="version" value=version />
                <div class="field-editor__row">
                    <div class="field">
                        <label for="impact">"Impact"</label>
                        <select id="impact" name="impact">{level_options(record.impact, impacts)}</select>
                        <p class="field__error">{move || error("impact").get()}</p>
                    </div>
                    <div class="field">
                        <label for="urgency">"Urgency"</label>
                        <select id="urgency" name="urgency">{level_options(record.urgency, urgencies)}</select>
                        <p class="field__error">{move || error("urgency").get()}</p>
                    </div>
                </div>
                <div class="field-editor__row">
                    <div class="field">
                        <label for="priority">"Priority"</label>
                        <select id="priority" name="priority" aria-describedby="priority-why">
                            <option value="matrix" selected=record.priority_basis == PriorityBasis::Matrix>"From impact and urgency"</option>
                            {(1..=5u8)
                                .filter_map(Priority::new)
                                .map(|p| {
                                    let chosen = record.priority_basis != PriorityBasis::Matrix && p == record.priority;
                                    view! { <option value=p.level().to_string() selected=chosen>{format!("P{} {}", p.level(), p.label())}</option> }
                                })
                                .collect_view()}
                        </select>
                        <p id="priority-why" class="field__hint">{priority_why}</p>
                        <p class="field__error">{move || error("priority").get()}</p>
                    </div>
                    <div class="field">
                        <label for="priority-reason">"Why, when set by hand"</label>
                        <input id="priority-reason" name="priority_reason" maxlength="200" value=record.priority_reason.clone() aria-describedby="priority_reason-error" />
                        <p id="priority_reason-error" class="field__error">{move || error("priority_reason").get()}</p>
                    </div>
                </div>
                <div class="field-editor__row">
                    <div class="field">
                        <label for="group">"Group"</label>
                        <select id="group" name="group" on:change=move |ev| set_group.set(event_target_value(&ev))>
                            <option value="">"None"</option>
                            {groups
                                .get_value()
                                .into_iter()
                                .map(|g| {
                                    let selected = Some(g.id) == record.group_id;
                                    view! { <option value=g.id.0.to_string() selected=selected>{g.name}</option> }
                                })
                                .collect_view()}
                        </select>
                        <p class="field__error">{move || error("group").get()}</p>
                    </div>
                    <div class="field">
                        <label for="assignee">"Assignee"</label>
                        <select id="assignee" name="assignee" aria-describedby="assignee-error">
                            <option value="">"Nobody yet"</option>
                            {move || {
                                members()
                                    .into_iter()
                                    .map(|(id, name)| {
                                        let value = id.0.to_string();
                                        let selected = value == assignee;
                                        view! { <option value=value selected=selected>{name}</option> }
                                    })
                                    .collect_view()
                            }}
                        </select>
                        <p id="assignee-error" class="field__error">{move || error("assignee").get()}</p>
                    </div>
                </div>
                <div class="field">
                    <label for="category">"Category"</label>
                    <input id="category" name="category" value=record.category.clone() maxlength="80" />
                    <p class="field__error">{move || error("category").get()}</p>
                </div>
                {(record.kind == RecordKind::Incident)
                    .then(|| {
                        view! {
                            <label class="check">
                                <input type="checkbox" name="major" value="true" checked=record.major />
                                " Major incident"
                            </label>
                        }
                    })}
                <FormStatus failure succeeded=succeeded(update) saved="Saved." />
                <button type="submit" class="button button--primary">"Save details"</button>
            </ServerForm>
        </section>
    }
}
