//! A record's state as a coloured badge.

use leptos::prelude::*;

use crate::domain::record::RecordState;

#[component]
pub fn StateBadge(state: RecordState) -> impl IntoView {
    let tone = match state {
        RecordState::New => "info",
        RecordState::AwaitingApproval | RecordState::OnHold | RecordState::Authorisation => "warn",
        RecordState::InProgress
        | RecordState::Assessment
        | RecordState::RootCauseAnalysis
        | RecordState::FixInProgress
        | RecordState::Scheduled
        | RecordState::Implementation
        | RecordState::Review => "progress",
        RecordState::Resolved | RecordState::Fulfilled => "ok",
        RecordState::Closed | RecordState::Cancelled => "neutral",
        RecordState::Rejected => "danger",
    };
    view! { <span class=format!("badge badge--{tone}")>{state.label()}</span> }
}
