//! Service levels on records: clocks attached when a record is made and re-evaluated when
//! the fields their policy looks at change, and read back with the segments that explain
//! them. What has passed is always counted again from the record's history, so a clock
//! that moves to another policy keeps it.

use chrono::{DateTime, Duration, Utc};

use crate::domain::attainment::{Attainment, AttainmentLine, Period};
use crate::domain::calendar::CalendarDef;
use crate::domain::event::{
    EventField, EventKind, NewEvent, Visibility, service_level_value, service_level_words,
};
use crate::domain::ids::{RecordId, UserId};
use crate::domain::lifecycle::HoldReason;
use crate::domain::queue::Breaching;
use crate::domain::record::{Priority, PriorityWish};
use crate::domain::record::{RecordDetail, RecordState};
use crate::domain::sla::{
    ClockBadge, ClockReading, ClockState, ClockView, DueClock, Pause, Segment, deadline, read, with_pauses,
};
use crate::domain::sla_policy::{Escalation, RecordFacts, SlaPolicy, StateSpell, pauses, pick};
use crate::domain::user::CurrentUser;
use crate::ssr::calendar::{timeline, zone};
use crate::ssr::service::engine::{self, FieldChange};
use crate::ssr::store::{ClockEvent, ClockMoments, ClockRow, ClockedRecord, Store, StoreError, Tx};

/// Attaches the clocks of the policy that covers `facts` to `record`, or moves its clocks
/// to that policy's targets; a record no policy covers runs none.
pub async fn attach(
    tx: &mut Tx,
    record: RecordId,
    facts: &RecordFacts,
    started_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let policies = Store::sla_policies_in(tx).await?;
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

/// What a changed event changed.
fn field(event: &ClockEvent) -> Option<EventField> {
    event.field.as_deref().and_then(EventField::parse)
}

/// A record's states over time, read from its events: the state it was made in, then each
/// change with the reason of a hold.
fn history(events: &[ClockEvent], opened_at: DateTime<Utc>, current: RecordState) -> Vec<StateSpell> {
    let changes: Vec<&ClockEvent> = events
        .iter()
        .filter(|e| e.kind == EventKind::Changed && field(e) == Some(EventField::State))
        .collect();
    let first = changes
        .first()
        .map_or(Some(current), |e| e.from_value.as_deref().and_then(RecordState::parse))
        .unwrap_or(RecordState::New);
    let mut spells = vec![StateSpell { at: opened_at, state: first, hold_reason: None }];
    for event in events.iter().filter(|e| e.kind == EventKind::Changed) {
        match (field(event), event.to_value.as_deref()) {
            (Some(EventField::State), Some(to)) => {
                if let Some(state) = RecordState::parse(to) {
                    spells.push(StateSpell { at: event.at, state, hold_reason: None });
                }
            }
            (Some(EventField::HoldReason), Some(code)) => {
                if let Some(last) = spells.last_mut() {
                    last.hold_reason = HoldReason::parse(code);
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
                field(e) == Some(EventField::State)
                    && e.to_value.as_deref() != Some(RecordState::New.as_str())
            }
            EventKind::Created => false,
        })
        .map(|e| e.at)
}

/// What the clocks of a record are read from.
struct Subject {
    id: RecordId,
    opened_at: DateTime<Utc>,
    state: RecordState,
    requester: UserId,
}

/// The record's clocks, read at `now`, each with the segments that explain it.
pub async fn clocks(
    store: &Store,
    record: &RecordDetail,
    requester: UserId,
    now: DateTime<Utc>,
) -> Result<Vec<ClockView>, StoreError> {
    let subject = Subject { id: record.id, opened_at: record.opened_at, state: record.state, requester };
    let rows = store.record_clocks(record.id).await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let rules = Rules::load(store).await?;
    Ok(evaluate(store, &subject, rows, &rules, now).await?.into_iter().map(|(_, _, view)| view).collect())
}

/// The policies and calendars clocks are read by, loaded once per page or job pass.
struct Rules {
    policies: Vec<SlaPolicy>,
    calendars: Vec<(i64, CalendarDef)>,
}

impl Rules {
    async fn load(store: &Store) -> Result<Self, StoreError> {
        Ok(Self { policies: store.sla_policies().await?, calendars: store.calendars().await? })
    }
}

/// Each clock (`rows`) of `subject` with its policy and its reading at `now`.
async fn evaluate(
    store: &Store,
    subject: &Subject,
    rows: Vec<ClockRow>,
    rules: &Rules,
    now: DateTime<Utc>,
) -> Result<Vec<(ClockRow, SlaPolicy, ClockView)>, StoreError> {
    let (policies, calendars) = (&rules.policies, &rules.calendars);
    let events = store.clock_events(subject.id).await?;
    let spells = history(&events, subject.opened_at, subject.state);
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
                    .filter(|w| !w[0].state.is_open())
                    .map(|w| Pause { start: w[0].at, end: Some(w[1].at) }),
            );
            stops.sort_by_key(|p| p.start);
            spells.last().filter(|s| !s.state.is_open()).map(|s| s.at)
        } else {
            first_response(&events, subject.requester)
        };
        let target = Duration::minutes(row.target_minutes);
        let start = row.started_at;
        let (segments, reading) = reach(calendar, tz, &stops, start, target, stopped, now);
        let warn_at = deadline(&segments, &stops, start, target * i32::from(policy.warn_percent) / 100);
        let until = stopped.unwrap_or_else(|| reading.deadline.map_or(now, |due| due.max(now)));
        let view = ClockView {
            name: if resolution { "Resolution" } else { "First response" }.to_owned(),
            policy: policy.name.clone(),
            calendar: calendar.name.clone(),
            warn_percent: policy.warn_percent,
            pauses_on: policy.pause_on.iter().map(|p| p.label()).collect(),
            warn_at: if stopped.is_none() { warn_at } else { None },
            started_at: start,
            stopped_at: stopped,
            reading,
            explanation: explain(&segments, &stops, start, until),
        };
        views.push((row, policy.clone(), view));
    }
    Ok(views)
}

/// The calendar's timeline from `start`, far enough to reach `target` past the pauses
/// (within 800 days), and the clock read on it at `now`.
pub(super) fn reach(
    calendar: &CalendarDef,
    tz: chrono_tz::Tz,
    stops: &[Pause],
    start: DateTime<Utc>,
    target: Duration,
    stopped: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> (Vec<Segment>, ClockReading) {
    let horizon = now.max(start) + Duration::days(60) + target * 4;
    let segments = timeline(calendar, tz, start, horizon);
    let reading = read(&segments, stops, start, target, stopped, now);
    if reading.deadline.is_some() || stops.iter().any(|p| p.end.is_none()) {
        return (segments, reading);
    }
    let segments = timeline(calendar, tz, start, now.max(start) + Duration::days(800));
    let reading = read(&segments, stops, start, target, stopped, now);
    (segments, reading)
}

/// What one pass of the job raised.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Raised {
    pub warnings: usize,
    pub breaches: usize,
}

/// One pass of the service-level job at `now`. First it brings the warning and due times of
/// clocks on changed records up to date; then it raises each warning and breach whose time
/// has come, exactly once (the clock row is marked in the same transaction as the events
/// and notifications), dated when it happened. A pass after downtime catches up on all.
pub async fn tick(store: &Store, now: DateTime<Utc>) -> Result<Raised, crate::error::AppError> {
    let rules = Rules::load(store).await?;
    for _ in 0..20 {
        let stale = store.stale_clock_records(200).await?;
        for record in &stale {
            let subject = subject_of(record);
            let rows = store.record_clocks(record.id).await?;
            let views = evaluate(store, &subject, rows, &rules, now).await?;
            let mut tx = store.begin().await?;
            for (row, _, view) in &views {
                let running = !matches!(view.reading.state, ClockState::Met | ClockState::Paused);
                let moments = ClockMoments {
                    warn_at: view.warn_at.filter(|_| running),
                    due_at: view.reading.deadline.filter(|_| running),
                    state: view.reading.state,
                    stopped_at: view.stopped_at,
                };
                Store::set_clock_moments(&mut tx, record.id, &row.kind, &moments, now).await?;
            }
            tx.commit().await?;
        }
        if stale.len() < 200 {
            break;
        }
    }
    let mut raised = Raised::default();
    for record in store.due_clock_records(now).await? {
        let rows = store.record_clocks(record.id).await?;
        let views = evaluate(store, &subject_of(&record), rows, &rules, now).await?;
        let mut tx = store.begin().await?;
        for (row, policy, view) in &views {
            if matches!(view.reading.state, ClockState::Met | ClockState::Paused) {
                continue;
            }
            if let Some(at) = view.warn_at.filter(|at| *at <= now)
                && Store::mark_clock(&mut tx, record.id, &row.kind, false, at).await?
            {
                let what =
                    service_level_value(!resolution(row), Some(policy.warn_percent), row.target_minutes);
                escalate(&mut tx, &record, &policy.on_warning, &what, at, now).await?;
                raised.warnings += 1;
            }
            if let Some(at) = view.reading.deadline.filter(|at| *at <= now)
                && Store::mark_clock(&mut tx, record.id, &row.kind, true, at).await?
            {
                let what = service_level_value(!resolution(row), None, row.target_minutes);
                escalate(&mut tx, &record, &policy.on_breach, &what, at, now).await?;
                raised.breaches += 1;
            }
        }
        tx.commit().await?;
    }
    Ok(raised)
}

/// Whether `row` is a resolution clock, not a first-response one.
fn resolution(row: &ClockRow) -> bool {
    row.kind == "resolution"
}

fn subject_of(record: &ClockedRecord) -> Subject {
    Subject {
        id: record.id,
        opened_at: record.opened_at,
        state: record.state,
        requester: record.requester_id,
    }
}

/// Records a warning or breach (`what`, the event's typed value) on the timeline at `at`,
/// and carries out the policy's escalations: notifying people, raising the priority, moving
/// the group. A new priority or group goes through the record engine like an agent's edit,
/// so its clocks follow and the raised priority holds until someone changes it.
async fn escalate(
    tx: &mut Tx,
    record: &ClockedRecord,
    actions: &[Escalation],
    what: &str,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), crate::error::AppError> {
    for event in NewEvent::changes(None, at, &[(EventField::ServiceLevel, None, Some(what.to_owned()))]) {
        Store::append_event(tx, record.id, &event).await?;
    }
    let (fields, _) = Store::record_fields(tx, record.id).await?;
    let mut change = FieldChange::from(&fields);
    let mut changes_fields = false;
    let mut tell: Vec<UserId> = Vec::new();
    for action in actions {
        match *action {
            Escalation::NotifyAssignee => tell.extend(record.assignee_id),
            Escalation::NotifyGroup => {
                if let Some(group) = change.group {
                    tell.extend(Store::group_member_ids(tx, group).await?);
                }
            }
            Escalation::NotifyPerson(person) => tell.push(person),
            Escalation::RaisePriority => {
                change.priority = PriorityWish::Raise;
                changes_fields = true;
            }
            Escalation::MoveToGroup(group) => {
                change.group = Some(group);
                change.assignee = None;
                changes_fields = true;
            }
        }
    }
    if changes_fields {
        engine::change_fields(tx, record.id, None, &change, None, at).await?;
    }
    tell.sort();
    tell.dedup();
    let words = service_level_words(what).unwrap_or_else(|| what.to_owned());
    for person in tell {
        Store::notify(tx, person, record.id, &words, now).await?;
    }
    Ok(())
}

/// The segments from `start` to `until`, at most 200 of them: what counted and what didn't.
pub(super) fn explain(
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

/// The most pressing clock of each of `records` that runs one, as the queue shows it.
pub async fn badges(store: &Store, records: &[RecordId]) -> Result<Vec<ClockBadge>, StoreError> {
    let clocks = store.clock_badges(records).await?.into_iter().filter_map(|row| {
        Some(ClockBadge { record: row.record_id, state: row.state?, due_at: row.due_at, warned: row.warned })
    });
    Ok(ClockBadge::most_pressing(clocks))
}

/// Running clocks of open records, soonest due first: every group's (`all_groups`) or
/// those of `agent`'s groups.
pub async fn breaching_soon(
    store: &Store,
    agent: &CurrentUser,
    all_groups: bool,
    now: DateTime<Utc>,
) -> Result<Breaching, StoreError> {
    let groups = if all_groups { None } else { Some(agent.groups.as_slice()) };
    let rows = store.breaching_soon(groups, 100).await?;
    let clocks = rows
        .into_iter()
        .map(|row| DueClock {
            number: row.number,
            title: row.title,
            priority: u8::try_from(row.priority).ok().and_then(Priority::new).unwrap_or(Priority::LOWEST),
            state: row.state,
            group_name: row.group_name,
            assignee_name: row.assignee_name,
            clock: if row.clock == "response" { "First response" } else { "Resolution" }.to_owned(),
            due_at: row.due_at,
            warned: row.warned,
            breached: row.breached,
        })
        .collect();
    Ok(Breaching { all_groups, clocks, now })
}

/// The attainment report for the period from `from` to `to` as typed (dates, both days
/// included; the last 30 days up to `now` when left empty).
pub async fn attainment(
    store: &Store,
    from: &str,
    to: &str,
    now: DateTime<Utc>,
) -> Result<Attainment, crate::error::AppError> {
    let period = Period::parse(from, to, now.date_naive()).map_err(crate::error::AppError::Invalid)?;
    let start = period.from.and_time(chrono::NaiveTime::MIN).and_utc();
    let end = (period.to + chrono::Days::new(1)).and_time(chrono::NaiveTime::MIN).and_utc();
    let lines = store
        .attainment(start, end)
        .await?
        .into_iter()
        .map(|row| AttainmentLine {
            policy: row.policy,
            group: row.group_name,
            clock: if row.clock == "response" { "First response" } else { "Resolution" }.to_owned(),
            met: row.met,
            breached: row.breached,
        })
        .collect();
    Ok(Attainment { period, lines })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sla_policy::PauseOn;

    fn changed(minutes: i64, field: EventField, from: Option<&str>, to: &str) -> ClockEvent {
        ClockEvent {
            at: DateTime::from_timestamp(1_764_000_000 + minutes * 60, 0).unwrap_or_default(),
            kind: EventKind::Changed,
            field: Some(field.as_str().to_owned()),
            from_value: from.map(str::to_owned),
            to_value: Some(to.to_owned()),
            actor_id: None,
            visibility: Visibility::Public,
        }
    }

    /// A pause is read from the hold reason's code. The words a page shows for it play no
    /// part: a label renamed, or words in the log, change no reading.
    #[test]
    fn pauses_read_the_hold_reasons_code_never_its_label() {
        let opened = DateTime::from_timestamp(1_764_000_000, 0).unwrap_or_default();
        let held = |reason: &str| {
            let events = [
                changed(10, EventField::State, Some("new"), "on_hold"),
                changed(10, EventField::HoldReason, None, reason),
                changed(40, EventField::State, Some("on_hold"), "in_progress"),
            ];
            pauses(&history(&events, opened, RecordState::InProgress), &[PauseOn::DEFAULT])
        };
        let by_code = held(HoldReason::AwaitingCaller.as_str());
        assert_eq!(by_code.len(), 1, "the hold pauses the clock");
        assert_eq!(by_code[0].end.map(|end| (end - by_code[0].start).num_minutes()), Some(30));
        assert!(held(HoldReason::AwaitingCaller.label()).is_empty(), "a label is not a code");
    }
}
