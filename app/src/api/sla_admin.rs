//! Admins: business calendars and service-level policies, and the simulator that shows
//! where a policy puts a deadline and why.

// The editors' forms arrive as one server-function argument per field.
#![allow(clippy::too_many_arguments)]

use chrono::{DateTime, Duration, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::calendar::CalendarForm;
use crate::domain::ids::{CatalogItemId, GroupId};
#[cfg(feature = "ssr")]
use crate::domain::policy::Action;
use crate::domain::sla::Segment;
use crate::domain::sla_policy::PolicyForm;
use crate::error::AppError;

/// A calendar in the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarLine {
    pub id: i64,
    pub name: String,
    pub time_zone: String,
    /// "Mon–Fri 09:00-17:00" and the like, one line per distinct week pattern.
    pub hours: String,
}

/// A policy in the list, in the order they are tried.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyLine {
    pub id: i64,
    pub name: String,
    pub active: bool,
    pub calendar: String,
    pub targets: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceLevels {
    pub calendars: Vec<CalendarLine>,
    pub policies: Vec<PolicyLine>,
}

/// The calendar editor: the calendar (`id` none for a new one) and the zones to pick from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarEditor {
    pub id: Option<i64>,
    pub form: CalendarForm,
    pub zones: Vec<String>,
}

/// The policy editor: the policy (`id` none for a new one) and what its fields offer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyEditor {
    pub id: Option<i64>,
    pub form: PolicyForm,
    pub calendars: Vec<(i64, String)>,
    pub groups: Vec<(GroupId, String)>,
    pub catalog_items: Vec<(CatalogItemId, String)>,
}

/// Where a policy puts a deadline: the simulator's answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Simulation {
    pub clock: String,
    pub calendar: String,
    pub time_zone: String,
    pub target: Duration,
    pub started_at: DateTime<Utc>,
    pub deadline: Option<DateTime<Utc>>,
    pub warn_at: Option<DateTime<Utc>>,
    pub paused: Duration,
    pub explanation: Vec<Segment>,
    /// Each segment's start and end in the calendar's local time.
    pub local: Vec<String>,
}

#[server(endpoint = "admin_service_levels")]
pub async fn load_service_levels() -> Result<ServiceLevels, AppError> {
    use crate::ssr::{authorize, state};
    authorize(Action::ManageSettings)?;
    crate::ssr::service::sla_admin::overview(&state()?.store).await
}

#[server(endpoint = "admin_calendar_editor")]
pub async fn load_calendar(id: Option<i64>) -> Result<CalendarEditor, AppError> {
    use crate::ssr::{authorize, state};
    authorize(Action::ManageSettings)?;
    crate::ssr::service::sla_admin::calendar_editor(&state()?.store, id).await
}

/// Adds (no `id`) or saves a calendar: each weekday's working hours as typed
/// ("09:00-12:30, 13:30-17:00", empty for a day off) and one holiday per line.
#[server(endpoint = "admin_save_calendar")]
pub async fn save_calendar(
    id: Option<i64>,
    name: String,
    time_zone: String,
    monday: Option<String>,
    tuesday: Option<String>,
    wednesday: Option<String>,
    thursday: Option<String>,
    friday: Option<String>,
    saturday: Option<String>,
    sunday: Option<String>,
    holidays: Option<String>,
) -> Result<i64, AppError> {
    use crate::ssr::{authorize, state};
    authorize(Action::ManageSettings)?;
    let week = [monday, tuesday, wednesday, thursday, friday, saturday, sunday];
    let form = CalendarForm {
        name,
        time_zone,
        week: week.into_iter().map(Option::unwrap_or_default).collect(),
        holidays: holidays.unwrap_or_default(),
    };
    let saved = crate::ssr::service::sla_admin::save_calendar(&state()?.store, id, &form).await?;
    if id.is_none() {
        leptos_axum::redirect(&format!("/admin/service-levels/calendars/{saved}"));
    }
    Ok(saved)
}

#[server(endpoint = "admin_policy_editor")]
pub async fn load_policy(id: Option<i64>) -> Result<PolicyEditor, AppError> {
    use crate::ssr::{authorize, state};
    authorize(Action::ManageSettings)?;
    crate::ssr::service::sla_admin::policy_editor(&state()?.store, id).await
}

/// Adds (no `id`) or saves a policy; the lists are the boxes ticked.
#[server(endpoint = "admin_save_policy")]
pub async fn save_policy(
    id: Option<i64>,
    name: String,
    active: Option<String>,
    kinds: Option<Vec<String>>,
    priorities: Option<Vec<String>>,
    catalog_items: Option<Vec<String>>,
    groups: Option<Vec<String>>,
    calendar: String,
    response: String,
    resolution: String,
    pause_on: Option<Vec<String>>,
    warn_percent: String,
    on_warning: Option<Vec<String>>,
    on_breach: Option<Vec<String>>,
    warning_person: Option<String>,
    breach_person: Option<String>,
    warning_group: Option<String>,
    breach_group: Option<String>,
) -> Result<i64, AppError> {
    use crate::ssr::{authorize, state};
    authorize(Action::ManageSettings)?;
    let form = PolicyForm {
        name,
        active: active.is_some(),
        kinds: kinds.unwrap_or_default(),
        priorities: priorities.unwrap_or_default(),
        catalog_items: catalog_items.unwrap_or_default(),
        groups: groups.unwrap_or_default(),
        calendar,
        response,
        resolution,
        pause_on: pause_on.unwrap_or_default(),
        warn_percent,
        on_warning: on_warning.unwrap_or_default(),
        on_breach: on_breach.unwrap_or_default(),
        warning_person: warning_person.unwrap_or_default(),
        breach_person: breach_person.unwrap_or_default(),
        warning_group: warning_group.unwrap_or_default(),
        breach_group: breach_group.unwrap_or_default(),
    };
    let saved = crate::ssr::service::sla_admin::save_policy(&state()?.store, id, &form).await?;
    if id.is_none() {
        leptos_axum::redirect(&format!("/admin/service-levels/policies/{saved}"));
    }
    Ok(saved)
}

/// Tries policy `id` one place earlier (`up`) or later (`down`).
#[server(endpoint = "admin_move_policy")]
pub async fn move_policy(id: i64, direction: String) -> Result<(), AppError> {
    use crate::api::catalog_admin::parse_direction;
    use crate::ssr::{authorize, service, state};
    authorize(Action::ManageSettings)?;
    service::sla_admin::move_policy(&state()?.store, id, parse_direction(&direction)?).await
}

/// Where policy `policy` would put the deadline of its `clock` ("response" or
/// "resolution") for a record opened at `start` (local time of its calendar) with the
/// given pauses, one per line: "2026-11-27 16:30 - 2026-11-30 10:00".
#[server(endpoint = "admin_simulate_policy")]
pub async fn simulate(
    policy: i64,
    clock: String,
    start: String,
    pauses: Option<String>,
) -> Result<Simulation, AppError> {
    use crate::ssr::{authorize, state};
    authorize(Action::ManageSettings)?;
    let input = crate::ssr::service::sla_admin::SimulationInput {
        policy,
        clock: &clock,
        start: &start,
        pauses: pauses.as_deref().unwrap_or(""),
    };
    crate::ssr::service::sla_admin::simulate(&state()?.store, &input).await
}
