//! On a record page: its service-level clocks. Each shows its target, the business time
//! counted, what is left, the time paused and its state, and "why this deadline": every
//! stretch of time from the start, counted or not and why.

use leptos::prelude::*;

use crate::components::erased::Erase;
use crate::context::use_zone;
use crate::domain::sla::{ClockState, ClockView, Segment, SegmentKind, duration_text};
use crate::fmt;

#[component]
pub fn Clocks(clocks: Vec<ClockView>) -> impl IntoView {
    view! {
        <section class="clocks" aria-labelledby="clocks-heading">
            <h2 id="clocks-heading">"Service levels"</h2>
            <ul class="clocks__list">{clocks.into_iter().map(|clock| view! { <Clock clock /> }).collect_view()}</ul>
        </section>
    }
    .erase()
}

/// The current time in the browser; chrono's clock isn't compiled for it.
#[cfg(feature = "hydrate")]
fn browser_now() -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::from_timestamp_millis(leptos::web_sys::js_sys::Date::now() as i64)
}

#[component]
fn Clock(clock: ClockView) -> impl IntoView {
    let zone = use_zone();
    // The server's reading first (so hydration matches), then the browser counts down from
    // the same segments every thirty seconds while the clock runs.
    let now = RwSignal::new(None::<chrono::DateTime<chrono::Utc>>);
    #[cfg(feature = "hydrate")]
    if clock.stopped_at.is_none() && clock.reading.state != ClockState::Paused {
        Effect::new(move |_| now.set(browser_now()));
        if let Ok(handle) =
            set_interval_with_handle(move || now.set(browser_now()), std::time::Duration::from_secs(30))
        {
            on_cleanup(move || handle.clear());
        }
    }
    let ticking = StoredValue::new(clock.clone());
    let reading = Memo::new(move |_| match now.get() {
        Some(at) => ticking.with_value(|c| c.at(at)),
        None => ticking.with_value(|c| c.reading.clone()),
    });
    let tone = move || match reading.get().state {
        ClockState::Running => "neutral",
        ClockState::Paused => "warn",
        ClockState::Met => "ok",
        ClockState::Breached => "danger",
    };
    let due = move || {
        let reading = reading.get();
        match (reading.state, reading.deadline) {
            (ClockState::Paused, _) => "Paused: the deadline moves on when the clock runs again.".to_owned(),
            (_, Some(at)) => format!("Due {}", zone.date_time_named(at)),
            (_, None) => "No deadline yet.".to_owned(),
        }
    };
    let pauses = if clock.pauses_on.is_empty() { "nothing".to_owned() } else { clock.pauses_on.join(", ") };
    view! {
        <li class="clock panel" data-clock=clock.name.clone()>
            <h3 class="clock__name">
                {clock.name.clone()}
                " "
                <span class=move || format!("badge badge--{}", tone())>{move || reading.get().state.label()}</span>
            </h3>
            <p class="clock__due">{due}</p>
            <dl class="clock__facts">
                <div>
                    <dt>"Target"</dt>
                    <dd>{duration_text(clock.reading.target)}</dd>
                </div>
                <div>
                    <dt>"Counted"</dt>
                    <dd>{move || duration_text(reading.get().elapsed)}</dd>
                </div>
                <div>
                    <dt>"Left"</dt>
                    <dd>{move || duration_text(reading.get().remaining)}</dd>
                </div>
                <div>
                    <dt>"Paused"</dt>
                    <dd>{move || duration_text(reading.get().paused)}</dd>
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
                <Segments segments=clock.explanation />
            </details>
        </li>
    }
    .erase()
}

/// "Why this deadline": every stretch of time, counted or not and why. `local` gives each
/// stretch in the calendar's own time, where the page has it.
#[component]
pub fn Segments(segments: Vec<Segment>, #[prop(optional)] local: Vec<String>) -> impl IntoView {
    let zone = use_zone();
    view! {
        <ol class="segments">
            {segments
                .into_iter()
                .enumerate()
                .map(|(i, segment)| {
                    let counted = segment.kind == SegmentKind::Working;
                    let local = local.get(i).cloned();
                    view! {
                        <li class="segment" class:segment--counted=counted>
                            {local.map(|text| view! { <span class="segment__local">{text}</span> " " })}
                            <span class="segment__when">
                                <time datetime=fmt::iso(segment.start)>{zone.date_time(segment.start)}</time>
                                " – "
                                <time datetime=fmt::iso(segment.end)>{zone.date_time_named(segment.end)}</time>
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
    }
    .erase()
}
