//! Admins keeping calendars and service-level policies: the editors' contents, saving with
//! a message beside each wrong field, and the simulator.

use chrono::{Datelike, Duration, NaiveDateTime};

use crate::api::sla_admin::{
    CalendarEditor, CalendarLine, PolicyEditor, PolicyLine, ServiceLevels, Simulation,
};
use crate::domain::calendar::{CalendarDef, CalendarForm};
use crate::domain::sla::{Pause, deadline, duration_text};
use crate::domain::sla_policy::{Known, PolicyForm, SlaPolicy, target_text};
use crate::error::{AppError, FieldErrors};
use crate::ssr::calendar::{local_instant, local_text, zone, zone_names};
use crate::ssr::service::sla::{explain, reach};
use crate::ssr::store::{Store, StoreError};

pub async fn overview(store: &Store) -> Result<ServiceLevels, AppError> {
    let calendars = store.calendars().await?;
    let calendar_name =
        |id: i64| calendars.iter().find(|(c, _)| *c == id).map(|(_, c)| c.name.clone()).unwrap_or_default();
    let policies = store
        .sla_policies()
        .await?
        .into_iter()
        .map(|p| PolicyLine {
            id: p.id,
            name: p.name.clone(),
            active: p.active,
            calendar: calendar_name(p.calendar_id),
            targets: targets_text(&p),
        })
        .collect();
    let calendars = calendars
        .iter()
        .map(|(id, c)| CalendarLine {
            id: *id,
            name: c.name.clone(),
            time_zone: c.time_zone.clone(),
            hours: c.week_summary(),
        })
        .collect();
    Ok(ServiceLevels { calendars, policies })
}

/// "First response 15 min · Resolution 4 h".
fn targets_text(policy: &SlaPolicy) -> String {
    [("First response", policy.response_minutes), ("Resolution", policy.resolution_minutes)]
        .into_iter()
        .filter_map(|(name, minutes)| minutes.map(|m| format!("{name} {}", target_text(m))))
        .collect::<Vec<_>>()
        .join(" · ")
}

pub async fn calendar_editor(store: &Store, id: Option<i64>) -> Result<CalendarEditor, AppError> {
    let form = match id {
        None => CalendarForm::of(&CalendarDef::office("", "Europe/Berlin")),
        Some(id) => {
            let calendars = store.calendars().await?;
            let (_, calendar) = calendars
                .iter()
                .find(|(c, _)| *c == id)
                .ok_or_else(|| AppError::NotFound("That calendar".into()))?;
            CalendarForm::of(calendar)
        }
    };
    Ok(CalendarEditor { id, form, zones: zone_names() })
}

/// Saves a calendar, or says beside each field what is wrong and saves nothing.
pub async fn save_calendar(store: &Store, id: Option<i64>, form: &CalendarForm) -> Result<i64, AppError> {
    let mut calendar = form.parse();
    if zone(form.time_zone.trim()).is_none() && !form.time_zone.trim().is_empty() {
        let mut errors = calendar.err().unwrap_or_default();
        errors.add(
            "time_zone",
            "That isn't a time zone we know; pick one from the list, such as Europe/Berlin.",
        );
        calendar = Err(errors);
    }
    let calendar = calendar.map_err(AppError::Invalid)?;
    store.save_calendar(id, &calendar).await.map_err(|e| match e {
        StoreError::Conflict { .. } => AppError::field("name", "Another calendar has that name."),
        StoreError::NotFound => AppError::NotFound("That calendar".into()),
        other => other.into(),
    })
}

pub async fn policy_editor(store: &Store, id: Option<i64>) -> Result<PolicyEditor, AppError> {
    let form = match id {
        None => PolicyForm {
            active: true,
            calendar: "1".into(),
            pause_on: vec![crate::domain::sla_policy::PauseOn::DEFAULT.key()],
            warn_percent: "75".into(),
            on_warning: vec!["notify_assignee".into()],
            on_breach: vec!["notify_assignee".into(), "notify_group".into()],
            ..PolicyForm::default()
        },
        Some(id) => {
            let policy = store
                .sla_policies()
                .await?
                .into_iter()
                .find(|p| p.id == id)
                .ok_or_else(|| AppError::NotFound("That policy".into()))?;
            let people: Vec<_> = policy
                .on_warning
                .iter()
                .chain(&policy.on_breach)
                .filter_map(|a| match a {
                    crate::domain::sla_policy::Escalation::NotifyPerson(p) => Some(*p),
                    _ => None,
                })
                .collect();
            let emails = store.emails_of(&people).await?;
            PolicyForm::of(&policy, |person| {
                emails.iter().find(|(p, _)| *p == person).map(|(_, e)| e.clone()).unwrap_or_default()
            })
        }
    };
    let calendars = store.calendars().await?.into_iter().map(|(id, c)| (id, c.name)).collect();
    let groups = store.list_groups().await?.into_iter().map(|g| (g.id, g.name)).collect();
    let catalog_items = store.catalog_item_names().await?;
    Ok(PolicyEditor { id, form, calendars, groups, catalog_items })
}

/// Saves a policy, or says beside each field what is wrong (above all, conditions that can
/// never match) and saves nothing.
pub async fn save_policy(store: &Store, id: Option<i64>, form: &PolicyForm) -> Result<i64, AppError> {
    let mut people = Vec::new();
    for email in [&form.warning_person, &form.breach_person] {
        if !email.trim().is_empty()
            && let Some(person) = store.active_user_by_email(email).await?
        {
            people.push((email.trim().to_lowercase(), person));
        }
    }
    let calendars: Vec<i64> = store.calendars().await?.into_iter().map(|(id, _)| id).collect();
    let (groups, catalog_items) = store.policy_references().await?;
    let ids: Vec<_> = people.iter().map(|(_, p)| *p).collect();
    let known = Known { calendars: &calendars, groups: &groups, catalog_items: &catalog_items, people: &ids };
    let person_of = |email: &str| {
        let email = email.trim().to_lowercase();
        people.iter().find(|(e, _)| *e == email).map(|(_, p)| *p)
    };
    let policy = form.parse(id.unwrap_or(0), &known, person_of).map_err(AppError::Invalid)?;
    store.save_policy(id, &policy).await.map_err(|e| match e {
        StoreError::Conflict { .. } => AppError::field("name", "Another policy has that name."),
        StoreError::NotFound => AppError::NotFound("That policy".into()),
        other => other.into(),
    })
}

/// The simulator's question.
pub struct SimulationInput<'a> {
    pub policy: i64,
    pub clock: &'a str,
    /// Local time of the policy's calendar: "2026-11-27T16:30" or "2026-11-27 16:30".
    pub start: &'a str,
    /// One per line: "2026-11-27 16:30 - 2026-11-30 10:00", local time.
    pub pauses: &'a str,
}

/// A local date and time as typed, within years the calendars can count in.
fn local_time(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim().replace('T', " ");
    NaiveDateTime::parse_from_str(&text, "%Y-%m-%d %H:%M").ok().filter(|t| (1970..=9999).contains(&t.year()))
}

/// Where a policy puts a deadline for a record opened at the given time with the given
/// pauses, with the segments that explain it: the same arithmetic as a record's clock.
pub async fn simulate(store: &Store, input: &SimulationInput<'_>) -> Result<Simulation, AppError> {
    let policy = store
        .sla_policies()
        .await?
        .into_iter()
        .find(|p| p.id == input.policy)
        .ok_or_else(|| AppError::NotFound("That policy".into()))?;
    let calendars = store.calendars().await?;
    let (_, calendar) = calendars
        .iter()
        .find(|(id, _)| *id == policy.calendar_id)
        .ok_or_else(|| AppError::NotFound("That policy's calendar".into()))?;
    let tz = zone(&calendar.time_zone).ok_or_else(|| AppError::internal(&"a calendar's zone is unknown"))?;
    let mut errors = FieldErrors::default();
    let (name, minutes) = match input.clock {
        "response" => ("First response", policy.response_minutes),
        _ => ("Resolution", policy.resolution_minutes),
    };
    let Some(minutes) = minutes else {
        return Err(AppError::field("clock", format!("This policy has no {} target.", name.to_lowercase())));
    };
    let start = local_time(input.start).map(|t| local_instant(tz, t));
    if start.is_none() {
        errors.add("start", "Give the start as a date and time, such as 2026-11-27 16:30.");
    }
    let mut stops = Vec::new();
    for (number, line) in input.pauses.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let read = line.split_once(" - ").or_else(|| line.split_once('–')).and_then(|(from, to)| {
            let (from, to) = (local_time(from)?, local_time(to)?);
            (from <= to).then(|| Pause { start: local_instant(tz, from), end: Some(local_instant(tz, to)) })
        });
        match read {
            Some(pause) => stops.push(pause),
            None => errors.add(
                "pauses",
                format!(
                    "Line {}: write a pause as 2026-11-27 16:30 - 2026-11-30 10:00, its end after its start.",
                    number + 1
                ),
            ),
        }
    }
    let Some(start) = start.filter(|_| errors.is_empty()) else { return Err(AppError::Invalid(errors)) };
    stops.sort_by_key(|p| p.start);
    let target = Duration::minutes(i64::from(minutes));
    let (segments, reading) = reach(calendar, tz, &stops, start, target, None, start);
    let Some(due) = reading.deadline else {
        return Err(AppError::field("start", "On this calendar the target isn't reached within 800 days."));
    };
    let explanation = explain(&segments, &stops, start, due);
    let local = explanation
        .iter()
        .map(|s| format!("{} – {}", local_text(tz, s.start), local_text(tz, s.end)))
        .collect();
    let paused = explanation
        .iter()
        .filter(|s| s.kind == crate::domain::sla::SegmentKind::Paused)
        .map(|s| s.length())
        .fold(Duration::zero(), |a, b| a + b);
    Ok(Simulation {
        clock: format!("{name} target of {}", duration_text(target)),
        calendar: calendar.name.clone(),
        time_zone: calendar.time_zone.clone(),
        target,
        started_at: start,
        deadline: Some(due),
        warn_at: deadline(&segments, &stops, start, target * i32::from(policy.warn_percent) / 100),
        paused,
        explanation,
        local,
    })
}

/// Tries policy `id` one place earlier (`up`) or later.
pub async fn move_policy(store: &Store, id: i64, up: bool) -> Result<(), AppError> {
    store.move_policy(id, up).await.map_err(AppError::missing("That policy"))
}
