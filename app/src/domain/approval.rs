//! Approvals and fulfilment plans of catalog items, and the rules that move a request
//! through them. A request follows the plan its item had when it was ordered.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ids::{GroupId, RecordId, UserId};

/// One step of an approval. Steps run in order; a rejection anywhere ends the request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ApprovalStep {
    /// The requester's manager.
    Manager,
    /// Members of a group: any one of them (`all: false`) or every one.
    Group { group: GroupId, all: bool },
}

/// The tasks that fulfil a request, for assignment groups, in sequence or all at once.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FulfilmentPlan {
    pub tasks: Vec<TaskTemplate>,
    pub in_sequence: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskTemplate {
    pub title: String,
    pub group: GroupId,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approved,
    Rejected,
    /// No longer needed: someone else decided the step.
    Skipped,
}

/// Where a step stands, from its approvers' decisions so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepOutcome {
    Waiting,
    Approved,
    Rejected,
}

/// Any rejection rejects the step. Otherwise one approval is enough, unless `all` are needed.
pub fn step_outcome(all: bool, decisions: &[Option<Decision>]) -> StepOutcome {
    if decisions.contains(&Some(Decision::Rejected)) {
        return StepOutcome::Rejected;
    }
    let approved = decisions.iter().filter(|d| **d == Some(Decision::Approved)).count();
    match (all, approved) {
        (_, 0) => StepOutcome::Waiting,
        (false, _) => StepOutcome::Approved,
        (true, n) if n == decisions.len() => StepOutcome::Approved,
        (true, _) => StepOutcome::Waiting,
    }
}

/// A rejection must say why; an approval may.
pub fn check_decision_comment(decision: Decision, comment: &str) -> Result<String, String> {
    let comment = comment.trim();
    if comment.chars().count() > 2_000 {
        return Err("Keep the comment to 2,000 characters.".into());
    }
    if decision == Decision::Rejected && comment.is_empty() {
        return Err("Say why you reject it; the requester reads this.".into());
    }
    Ok(comment.to_owned())
}

/// One approver's part of a request, as the request page and My approvals show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ApprovalView {
    pub id: i64,
    pub record: RecordId,
    pub step: i64,
    pub approver: UserId,
    pub approver_name: String,
    pub decision: Option<Decision>,
    pub comment: String,
    pub asked_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// A request waiting for the signed-in approver, with what was asked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PendingApproval {
    pub approval_id: i64,
    pub number: String,
    pub title: String,
    pub requester_name: String,
    pub asked_at: DateTime<Utc>,
    pub answers: Vec<(String, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use Decision::*;

    #[test]
    fn any_one_approval_is_enough_unless_all_are_needed() {
        assert_eq!(step_outcome(false, &[None, None]), StepOutcome::Waiting);
        assert_eq!(step_outcome(false, &[None, Some(Approved)]), StepOutcome::Approved);
        assert_eq!(step_outcome(true, &[None, Some(Approved)]), StepOutcome::Waiting);
        assert_eq!(step_outcome(true, &[Some(Approved), Some(Approved)]), StepOutcome::Approved);
    }

    #[test]
    fn one_rejection_rejects_the_step() {
        assert_eq!(step_outcome(false, &[Some(Approved), Some(Rejected)]), StepOutcome::Rejected);
        assert_eq!(step_outcome(true, &[Some(Rejected), None]), StepOutcome::Rejected);
    }

    #[test]
    fn a_rejection_needs_a_reason() {
        assert!(check_decision_comment(Rejected, "  ").is_err());
        assert_eq!(check_decision_comment(Rejected, " Over budget "), Ok("Over budget".into()));
        assert_eq!(check_decision_comment(Approved, ""), Ok(String::new()));
        assert!(check_decision_comment(Approved, &"x".repeat(2_001)).is_err());
    }

    #[test]
    fn plans_read_from_json() {
        let steps: Vec<ApprovalStep> =
            leptos::serde_json::from_str(r#"[{"type":"manager"},{"type":"group","group":3,"all":true}]"#)
                .unwrap();
        assert_eq!(steps, vec![ApprovalStep::Manager, ApprovalStep::Group { group: GroupId(3), all: true }]);
    }
}
