//! On a record page: its service-level clocks. Each shows its target, the business time
//! counted, what is left, the time paused and its state, and "why this deadline": every
//! stretch of time from the start, counted or not and why.

use leptos::prelude::*;

use crate::domain::sla::{ClockState, ClockView, SegmentKind, duration_text};
use crate::fmt;

#[component]
pub fn Clocks(clocks: Vec<ClockView>) -> impl IntoView {
    view! {
        <section class="clocks" aria-labelledby="clocks-heading">
            <h2 id="clocks-heading">"Service levels"</h2>
            <ul class="clocks__list">{clocks.into_iter().map(|clock| view! { <Clock clock /> }).collect_view()}</ul>
        </section>
    }
    .into_any()
}

#[component]
fn Clock(clock: ClockView) -> impl IntoView {
    let reading = clock.reading.clone();
    let tone = match reading.state {
        ClockState::Running => "neutral",
        ClockState::Paused => "warn",
        ClockState::Met => "ok",
        ClockState::Breached => "danger",
    };
    let due = match (reading.state, reading.deadline) {
        (ClockState::Paused, _) => "Paused: the deadline moves on when the clock runs again.".to_owned(),
        (_, Some(at)) => format!("Due {}", fmt::date_time(at)),
        (_, None) => "No deadline yet.".to_owned(),
    };
    let pauses = if clock.pauses_on.is_empty() { "nothing".to_owned() } else { clock.pauses_on.join(", ") };
    view! {
        <li class="clock panel" data-clock=clock.name.clone()>
            <h3 class="clock__name">
                {clock.name.clone()}
                " "
                <span class=format!("badge badge--{tone}")>{reading.state.label()}</span>
            </h3>
            <p class="clock__due">{due}</p>
            <dl class="clock__facts">
                <div>
                    <dt>"Target"</dt>
                    <dd>{duration_text(reading.target)}</dd>
                </div>
                <div>
                    <dt>"Counted"</dt>
                    <dd>{duration_text(reading.elapsed)}</dd>
                </div>
                <div>
                    <dt>"Left"</dt>
                    <dd>{duration_text(reading.remaining)}</dd>
                </div>
                <div>
                    <dt>"Paused"</dt>
                    <dd>{duration_text(reading.paused)}</dd>
                </div>
            </dl>
            <details class="clock__why">
                <summary>"Why this deadline"</summary>
                <p class="field__hint">
                    {format!(
                        "Policy “{}”, counted on the “{}” calendar. It pauses on: {}. Only working time counts.",
                        clock.policy, clock.calendar, pauses
                    )}
                </p>
                <ol class="segments">
                    {clock
                        .explanation
                        .into_iter()
                        .map(|segment| {
                            let counted = segment.kind == SegmentKind::Working;
                            view! {
                                <li class="segment" class:segment--counted=counted>
                                    <span class="segment__when">
                                        <time datetime=fmt::iso(segment.start)>{fmt::date_time(segment.start)}</time>
                                        " – "
                                        <time datetime=fmt::iso(segment.end)>{fmt::date_time(segment.end)}</time>
                                    </span>
                                    " "
                                    <span class="segment__what">{segment.kind.label()}</span>
                                    " "
                                    <span class="muted">{format!("({})", duration_text(segment.length()))}</span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
            </details>
        </li>
    }
    .into_any()
}
