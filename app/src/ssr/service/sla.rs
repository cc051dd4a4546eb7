//! Service levels on records: clocks attached when a record is made and re-evaluated when
//! the fields their policy looks at change, and read back with the segments that explain
//! them. What has passed is always counted again from the record's history, so a clock
//! that moves to another policy keeps it.

use chrono::{DateTime, Duration, Utc};

use crate::domain::event::{EventKind, Visibility};
use crate::domain::ids::{RecordId, UserId};
use crate::domain::lifecycle::HoldReason;
use crate::domain::record::{RecordDetail, RecordState};
use crate::domain::sla::{ClockView, Pause, Segment, read, with_pauses};
use crate::domain::sla_policy::{RecordFacts, StateSpell, pauses, pick};
use crate::ssr::calendar::{timeline, zone};
use crate::ssr::store::{ClockEvent, Store, StoreError, Tx};

/// Attaches the clocks of the policy that covers `facts` to `record`, or moves its clocks
/// to that policy's targets; a record no policy covers runs none.
pub async fn attach(
    tx: &mut Tx,
    store: &Store,
    record: RecordId,
    facts: &RecordFacts,
    started_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let policies = store.sla_policies().await?;
    let Some(policy) = pick(&policies, facts) else {
        return Store::drop_clocks_except(tx, record, &[]).await;
    };
    let mut kept = Vec::new();
    for (kind, target) in [("response", policy.response_minutes), ("resolution", policy.resolution_minutes)] {
        if let Some(minutes) = target {
            Store::set_clock(tx, record, kind, policy.id, started_at, minutes).await?;
            kept.push(kind);
        }
    }
    Store::drop_clocks_except(tx, record, &kept).await
}

/// States after which a record's resolution clock no longer runs.
fn done(state: RecordState) -> bool {
    matches!(
        state,
        RecordState::Resolved
            | RecordState::Fulfilled
            | RecordState::Closed
            | RecordState::Cancelled
            | RecordState::Rejected
    )
}

/// A record's states over time, read from its events: the state it was made in, then each
/// change with the reason of a hold.
fn history(events: &[ClockEvent], opened_at: DateTime<Utc>, current: RecordState) -> Vec<StateSpell> {
    let changes: Vec<&ClockEvent> = events
        .iter()
        .filter(|e| e.kind == EventKind::Changed && e.field.as_deref() == Some("state"))
        .collect();
    let first = changes
        .first()
        .map_or(Some(current), |e| e.from_value.as_deref().and_then(RecordState::parse))
        .unwrap_or(RecordState::New);
    let mut spells = vec![StateSpell { at: opened_at, state: first, hold_reason: None }];
    for event in events.iter().filter(|e| e.kind == EventKind::Changed) {
        match (event.field.as_deref(), event.to_value.as_deref()) {
            (Some("state"), Some(to)) => {
                if let Some(state) = RecordState::parse(to) {
                    spells.push(StateSpell { at: event.at, state, hold_reason: None });
                }
            }
            (Some("hold_reason"), Some(label)) => {
                let reason = HoldReason::ALL.into_iter().find(|r| r.label() == label || r.as_str() == label);
                if let Some(last) = spells.last_mut() {
                    last.hold_reason = reason;
                }
            }
            _ => {}
        }
    }
    spells
}

/// When the desk first answered: its first public reply, or the first move out of New.
fn first_response(events: &[ClockEvent], requester: UserId) -> Option<DateTime<Utc>> {
    events
        .iter()
        .find(|e| match e.kind {
            EventKind::Comment => {
                e.visibility == Visibility::Public && e.actor_id.is_some_and(|a| a != requester)
            }
            EventKind::Changed => {
                e.field.as_deref() == Some("state")
                    && e.to_value.as_deref() != Some(RecordState::New.as_str())
            }
            EventKind::Created => false,
        })
        .map(|e| e.at)
}

/// The record's clocks, read at `now`, each with the segments that explain it.
pub async fn clocks(
    store: &Store,
    record: &RecordDetail,
    requester: UserId,
    now: DateTime<Utc>,
) -> Result<Vec<ClockView>, StoreError> {
    let rows = store.record_clocks(record.id).await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let (policies, calendars) = (store.sla_policies().await?, store.calendars().await?);
    let events = store.clock_events(record.id).await?;
    let spells = history(&events, record.opened_at, record.state);
    let mut views = Vec::new();
    for row in rows {
        let Some(policy) = policies.iter().find(|p| p.id == row.policy_id) else { continue };
        let Some((_, calendar)) = calendars.iter().find(|(id, _)| *id == policy.calendar_id) else {
            continue;
        };
        let Some(tz) = zone(&calendar.time_zone) else { continue };
        let mut stops = pauses(&spells, &policy.pause_on);
        let resolution = row.kind == "resolution";
        let stopped = if resolution {
            // Time spent resolved (before a reopening) doesn't count either.
            stops.extend(
                spells
                    .windows(2)
                    .filter(|w| done(w[0].state))
                    .map(|w| Pause { start: w[0].at, end: Some(w[1].at) }),
            );
            stops.sort_by_key(|p| p.start);
            spells.last().filter(|s| done(s.state)).map(|s| s.at)
        } else {
            first_response(&events, requester)
        };
        let target = Duration::minutes(row.target_minutes);
        let start = row.started_at;
        let mut horizon = now.max(start) + Duration::days(60) + target * 4;
        let mut segments = timeline(calendar, tz, start, horizon);
        let mut reading = read(&segments, &stops, start, target, stopped, now);
        if reading.deadline.is_none() && stops.iter().all(|p| p.end.is_some()) {
            horizon = now.max(start) + Duration::days(800);
            segments = timeline(calendar, tz, start, horizon);
            reading = read(&segments, &stops, start, target, stopped, now);
        }
        let until = stopped.unwrap_or_else(|| reading.deadline.map_or(now, |due| due.max(now)));
        views.push(ClockView {
            name: if resolution { "Resolution" } else { "First response" }.to_owned(),
            policy: policy.name.clone(),
            calendar: calendar.name.clone(),
            warn_percent: policy.warn_percent,
            pauses_on: policy.pause_on.iter().map(|p| p.label()).collect(),
            reading,
            explanation: explain(&segments, &stops, start, until),
        });
    }
    Ok(views)
}

/// The segments from `start` to `until`, at most 200 of them: what counted and what didn't.
fn explain(
    segments: &[Segment],
    stops: &[Pause],
    start: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Vec<Segment> {
    with_pauses(segments, stops, start)
        .into_iter()
        .filter(|s| s.start < until)
        .map(|s| Segment { end: s.end.min(until), ..s })
        .take(200)
        .collect()
}
