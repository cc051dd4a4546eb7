//! The agent's queue beyond reading it: views saved under a name, and one change applied to
//! many selected records, each through the same rule as on its own page.

use chrono::{DateTime, Utc};

use crate::domain::lifecycle::MoveDetails;
use crate::domain::policy::{Action, Target, allows};
use crate::domain::queue::{
    BULK_MAX, BulkChange, BulkOutcome, QueueParams, SAVED_VIEWS_MAX, SavedView, check_view_name,
};
use crate::domain::record::{Impact, Priority, Urgency};
use crate::domain::user::CurrentUser;
use crate::error::{AppError, FieldErrors};
use crate::ssr::service::incidents::{FieldsForm, assign_to_me, move_record, update_fields};
use crate::ssr::service::records::authorize_record;
use crate::ssr::store::Store;

fn agent_only(actor: &CurrentUser) -> Result<(), AppError> {
    allows(actor, Action::WorkQueue, Target::Portal).then_some(()).ok_or(AppError::Forbidden)
}

/// Saves the queue `query` ("view=mine&kind=incident") as `name` for the agent; a view
/// of the same name is replaced. The query must be one the queue can read.
pub async fn save_view(
    store: &Store,
    actor: &CurrentUser,
    name: &str,
    query: &str,
    now: DateTime<Utc>,
) -> Result<SavedView, AppError> {
    agent_only(actor)?;
    let name = check_view_name(name).map_err(|message| AppError::field("name", message))?;
    let params: QueueParams = serde_urlencoded::from_str(query.trim_start_matches('?'))
        .map_err(|_| AppError::field("name", "That queue can't be saved; apply the filters again."))?;
    let params = params.first_page();
    params.parse().map_err(|bad| AppError::field("name", format!("Fix the filters first: {}", bad.1)))?;
    let query = serde_urlencoded::to_string(&params).map_err(|e| AppError::internal(&e))?;
    let saved = store.saved_views(actor.id).await?;
    if saved.len() >= SAVED_VIEWS_MAX && !saved.iter().any(|v| v.name == name) {
        return Err(AppError::field("name", "You have 30 saved views; delete one first."));
    }
    let id = store.save_view(actor.id, &name, &query, now).await?;
    Ok(SavedView { id, name, query })
}

/// Deletes one of the agent's saved views.
pub async fn delete_view(store: &Store, actor: &CurrentUser, id: i64) -> Result<(), AppError> {
    agent_only(actor)?;
    if store.delete_view(actor.id, id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound("That saved view".into()))
    }
}

/// A bulk change as the queue's form sends it. `assignee` is "group:person" or "group:" for
/// the group alone; the move details are those of a single move.
pub struct BulkForm<'a> {
    pub change: &'a str,
    pub assignee: &'a str,
    pub state: &'a str,
    pub details: MoveDetails,
    pub priority: &'a str,
}

/// The change, checked once before any record is touched.
#[derive(Clone, Copy)]
enum Checked<'a> {
    AssignToMe,
    Assign { group: &'a str, person: &'a str },
    Move(&'a str),
    Priority(Priority),
}

fn check<'a>(form: &BulkForm<'a>) -> Result<Checked<'a>, AppError> {
    let change = BulkChange::parse(form.change.trim())
        .ok_or_else(|| AppError::field("change", "Pick what to do with the selected rows."))?;
    Ok(match change {
        BulkChange::AssignToMe => Checked::AssignToMe,
        BulkChange::Assign => {
            let (group, person) = form
                .assignee
                .split_once(':')
                .filter(|(g, _)| !g.is_empty())
                .ok_or_else(|| AppError::field("assignee", "Pick a group or a person to assign to."))?;
            Checked::Assign { group, person }
        }
        BulkChange::Move if form.state.trim().is_empty() => {
            return Err(AppError::field("state", "Pick the state to move them to."));
        }
        BulkChange::Move => Checked::Move(form.state.trim()),
        BulkChange::Priority => Checked::Priority(
            form.priority
                .trim()
                .parse()
                .ok()
                .and_then(Priority::new)
                .ok_or_else(|| AppError::field("priority", "Pick a priority from P1 to P5."))?,
        ),
    })
}

/// What a person reads about a record left unchanged.
fn reason(error: AppError) -> String {
    match error {
        AppError::Invalid(FieldErrors(messages)) => messages.into_values().collect::<Vec<_>>().join(" "),
        other => other.to_string(),
    }
}

/// Applies one change to each of `numbers`, each in its own transaction and through the
/// rule its own page uses, from the record's current version. Records it can't change are
/// listed with why; the others change.
pub async fn bulk_update(
    store: &Store,
    actor: &CurrentUser,
    numbers: &[String],
    form: &BulkForm<'_>,
    now: DateTime<Utc>,
) -> Result<BulkOutcome, AppError> {
    agent_only(actor)?;
    let mut numbers: Vec<&str> = numbers.iter().map(|n| n.trim()).filter(|n| !n.is_empty()).collect();
    numbers.dedup();
    if numbers.is_empty() {
        return Err(AppError::field("numbers", "Select at least one row."));
    }
    if numbers.len() > BULK_MAX {
        return Err(AppError::field("numbers", format!("Select at most {BULK_MAX} rows at a time.")));
    }
    let change = check(form)?;
    let matrix = store.priority_matrix().await?;
    let mut outcome = BulkOutcome::default();
    for number in numbers {
        let result = async {
            let (record, _) = authorize_record(store, actor, number, Action::UpdateRecord).await?;
            let impact = Impact::from_level(record.impact).unwrap_or(Impact::Low);
            let urgency = Urgency::from_level(record.urgency).unwrap_or(Urgency::Low);
            let mut fields = FieldsForm {
                impact: &record.impact.to_string(),
                urgency: &record.urgency.to_string(),
                priority: "keep",
                priority_reason: "",
                group: &record.group_id.map(|g| g.to_string()).unwrap_or_default(),
                assignee: &record.assignee_id.map(|a| a.to_string()).unwrap_or_default(),
                category: &record.category,
                major: record.major,
            };
            match change {
                Checked::AssignToMe => assign_to_me(store, actor, number, record.version, now).await,
                Checked::Move(state) => {
                    move_record(store, actor, number, state, record.version, &form.details, now).await
                }
                Checked::Assign { group, person } => {
                    fields.group = group;
                    fields.assignee = person;
                    update_fields(store, actor, number, record.version, &fields, now).await
                }
                Checked::Priority(wanted) => {
                    let (impact, urgency) = matrix.levels_for(wanted, impact, urgency).ok_or_else(|| {
                        AppError::field("priority", "No impact and urgency give that priority.")
                    })?;
                    let (impact, urgency) = ((impact as i64).to_string(), (urgency as i64).to_string());
                    fields.impact = &impact;
                    fields.urgency = &urgency;
                    // The matrix decides again, even over a priority set by hand before.
                    fields.priority = "matrix";
                    update_fields(store, actor, number, record.version, &fields, now).await
                }
            }
        }
        .await;
        match result {
            Ok(()) => outcome.done.push(number.to_owned()),
            Err(error) => outcome.failed.push((number.to_owned(), reason(error))),
        }
    }
    Ok(outcome)
}

/// One page of the queue for `agent`: the rows with their clock badges, the next page's
/// cursor, every view's count, the groups to assign to and the agent's saved views.
pub async fn page(
    store: &Store,
    agent: &CurrentUser,
    query: &crate::domain::queue::QueueQuery,
) -> Result<crate::domain::queue::QueuePage, AppError> {
    let my_groups = &agent.groups;
    let (rows, next) = store.queue(query, agent.id, my_groups).await?;
    let ids: Vec<_> = rows.iter().map(|r| r.id).collect();
    let badges = crate::ssr::service::sla::badges(store, &ids).await?;
    Ok(crate::domain::queue::QueuePage {
        rows,
        badges,
        next: next.map(|cursor| cursor.encode()),
        counts: store.view_counts(agent.id, my_groups).await?,
        groups: store.assignment_choices().await?,
        saved: store.saved_views(agent.id).await?,
    })
}
