//! `switchboard generate`: fills a data dir with a desk's worth of history at a chosen size,
//! for trying the portal at scale and for `switchboard bench`. Records are spread over two
//! years, the groups and their agents, kinds, priorities and states, with about three
//! events each; the people and catalog are the demo organisation's.

use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

use app::domain::event::{EventField, NewEvent, Visibility};
use app::domain::ids::{GroupId, UserId};
use app::domain::lifecycle::{HoldReason, Requires, ResolutionCode, path_to};
use app::domain::record::{RecordKind, RecordState};
use app::ssr::store::{BulkRecord, Store};

use crate::demo::{AGENT_REPLIES, INCIDENT_TITLES, REQUEST_TITLES, RESOLUTIONS, WORK_NOTES};

/// Records per transaction.
const BATCH: u64 = 10_000;
const SPAN_DAYS: i64 = 730;

/// Adds `records` records to `store` (which must hold the demo organisation), oldest first.
pub async fn generate(store: &Store, records: u64, seed: u64, now: DateTime<Utc>) -> anyhow::Result<()> {
    let staff = store.agents_and_groups().await?;
    let people = store.active_user_ids().await?;
    anyhow::ensure!(
        !staff.is_empty() && !people.is_empty(),
        "the database has no agents in groups to give work to"
    );
    let groups: Vec<GroupId> = {
        let mut groups: Vec<GroupId> = staff.iter().map(|(_, g)| *g).collect();
        groups.dedup();
        groups
    };
    let mut rng = StdRng::seed_from_u64(seed);
    let started = Instant::now();
    let start = now - Duration::days(SPAN_DAYS);
    let step = Duration::days(SPAN_DAYS).num_milliseconds() as f64 / records.max(1) as f64;
    let mut made = 0_u64;
    while made < records {
        let count = BATCH.min(records - made);
        let batch: Vec<BulkRecord> = (made..made + count)
            .map(|n| {
                let jitter = rng.random_range(0.0..step.max(1.0));
                let opened_at = start + Duration::milliseconds((n as f64 * step + jitter) as i64);
                record(&mut rng, opened_at, now, &groups, &staff, &people)
            })
            .collect();
        store.bulk_insert(&batch).await?;
        made += count;
        if made.is_multiple_of(100_000) || made == records {
            println!("  {made} records ({:.0} s)", started.elapsed().as_secs_f64());
        }
    }
    Ok(())
}

fn record(
    rng: &mut StdRng,
    opened_at: DateTime<Utc>,
    now: DateTime<Utc>,
    groups: &[GroupId],
    staff: &[(UserId, GroupId)],
    people: &[UserId],
) -> BulkRecord {
    use RecordState::*;
    let kind = match rng.random_range(0..100) {
        0..55 => RecordKind::Incident,
        55..90 => RecordKind::Request,
        _ => RecordKind::Task,
    };
    let age = now - opened_at;
    let recent = age < Duration::days(30);
    let done = match kind {
        RecordKind::Incident => Resolved,
        RecordKind::Request => Fulfilled,
        _ => Closed,
    };
    let weights: [(RecordState, u32); 6] = if recent {
        [(New, 15), (InProgress, 35), (OnHold, 10), (done, 20), (Closed, 18), (Cancelled, 2)]
    } else {
        [(New, 0), (InProgress, 0), (OnHold, 0), (done, 3), (Closed, 93), (Cancelled, 4)]
    };
    let state = weights.choose_weighted(rng, |(_, w)| *w).map_or(Closed, |(s, _)| *s);
    let group = *groups.choose(rng).unwrap_or(&groups[0]);
    let members: Vec<UserId> = staff.iter().filter(|(_, g)| *g == group).map(|(u, _)| *u).collect();
    let assignee = (state != New).then(|| members.choose(rng).copied()).flatten();
    let requester = *people.choose(rng).unwrap_or(&people[0]);
    let priority =
        [(1, 2), (2, 10), (3, 40), (4, 38), (5, 10)].choose_weighted(rng, |(_, w)| *w).map_or(4, |(p, _)| *p);
    let (title, category) = match kind {
        RecordKind::Incident => {
            let (title, category, _) = *INCIDENT_TITLES.choose(rng).unwrap_or(&INCIDENT_TITLES[0]);
            (title, category)
        }
        _ => (REQUEST_TITLES.choose(rng).unwrap_or(&REQUEST_TITLES[0]).0, "request"),
    };
    let worked = opened_at + Duration::minutes(rng.random_range(5..240));
    let finished = worked + Duration::minutes(rng.random_range(30..(60 * 24 * 5)));
    let updated_at = match state {
        New => opened_at,
        InProgress | OnHold => worked,
        _ => finished,
    }
    .min(now);
    let mut events = vec![NewEvent::created(Some(requester), opened_at)];
    // The fewest moves its life cycle allows, spread from `worked` to `finished`, each with
    // what the move requires.
    let path = path_to(kind, state).unwrap_or_default();
    let (mut hold_reason, mut resolution_code) = (None, None);
    for (i, step) in path.iter().enumerate() {
        let at = (worked + (finished - worked) * i as i32 / path.len().max(1) as i32).min(now);
        let actor = if step.requires == Requires::Approval { None } else { assignee };
        let mut changes =
            vec![(EventField::State, Some(step.from.as_str().into()), Some(step.to.as_str().into()))];
        match step.requires {
            Requires::HoldReason => {
                let reason = *[HoldReason::AwaitingCaller, HoldReason::AwaitingVendor]
                    .choose(rng)
                    .unwrap_or(&HoldReason::AwaitingCaller);
                hold_reason = Some(reason);
                changes.push((EventField::HoldReason, None, Some(reason.as_str().into())));
            }
            Requires::Resolution => {
                resolution_code = Some(ResolutionCode::Fixed);
                changes.push((EventField::ResolutionCode, None, Some(ResolutionCode::Fixed.as_str().into())));
            }
            Requires::Nothing | Requires::Approval => {}
        }
        events.extend(NewEvent::changes(actor, at, &changes));
        if step.requires == Requires::Resolution {
            let notes = RESOLUTIONS.choose(rng).unwrap_or(&RESOLUTIONS[0]);
            events
                .extend(NewEvent::comment(actor, at, &format!("Resolved: {notes}"), Visibility::Public).ok());
        }
        if i == 0
            && let Some(agent) = assignee
        {
            let (body, visibility) = if rng.random_bool(0.3) {
                (*WORK_NOTES.choose(rng).unwrap_or(&WORK_NOTES[0]), Visibility::Internal)
            } else {
                (*AGENT_REPLIES.choose(rng).unwrap_or(&AGENT_REPLIES[0]), Visibility::Public)
            };
            events.extend(NewEvent::comment(Some(agent), at, body, visibility).ok());
        }
    }
    BulkRecord {
        kind,
        title: title.into(),
        state,
        priority,
        // Impact and urgency that give this priority through the default matrix.
        impact: i64::from(priority.div_ceil(2).min(3)),
        urgency: i64::from((priority / 2 + 1).min(3)),
        category: category.into(),
        requester,
        group: Some(group),
        assignee,
        opened_at,
        updated_at,
        resolved_at: matches!(state, Resolved | Fulfilled | Closed).then_some(finished.min(now)),
        closed_at: matches!(state, Closed | Cancelled).then_some(finished.min(now)),
        hold_reason: hold_reason.filter(|_| state == OnHold),
        resolution_code,
        events,
    }
}
