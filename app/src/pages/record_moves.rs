//! On a record page, for agents: move the record to its next state, with the reason for a
//! hold or the code and notes of a resolution. Only the moves its life cycle allows are
//! offered; the server checks them again, and refuses a move made from an outdated page.

use leptos::prelude::*;

use crate::api::incidents::MoveRecord;
use crate::components::form_status::{FormStatus, failure, field_error, succeeded};
use crate::domain::lifecycle::{HoldReason, ResolutionCode, next_states};
use crate::domain::record::{RecordDetail, RecordState};

#[component]
pub fn MovePanel(record: RecordDetail, action: ServerAction<MoveRecord>) -> impl IntoView {
    let choices = next_states(record.kind, record.state);
    if choices.is_empty() {
        return ().into_any();
    }
    let failure = failure(action);
    let error = move |field: &'static str| field_error(failure, field);
    let (target, set_target) = signal(String::new());
    // Before hydration (or without JavaScript) every detail is shown; after, only those the
    // chosen state needs.
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| set_hydrated.set(true));
    let hide = move |state: RecordState| move || hydrated.get() && target.get() != state.as_str();
    view! {
        <details class="panel move-panel" open=true>
            <summary>"Change state"</summary>
            <ActionForm action attr:class="form" attr:novalidate=true>
                <input type="hidden" name="number" value=record.number.clone() />
                <input type="hidden" name="version" value=record.version.to_string() />
                <div class="field">
                    <label for="move-state">"Move to"</label>
                    <select id="move-state" name="state" aria-describedby="state-error" on:change=move |ev| set_target.set(event_target_value(&ev))>
                        <option value="">"Choose…"</option>
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
            </ActionForm>
        </details>
    }
    .into_any()
}
