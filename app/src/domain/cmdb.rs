//! The configuration management database's rules: classes in a hierarchy, each with its own
//! attributes as a form schema that its subclasses inherit; the fields every CI has and
//! their checks; the relation kinds, which classes each may join, and which way an outage
//! travels along them.

use serde::{Deserialize, Serialize};

use super::form::{FieldDef, FormSchema, RawAnswers, validate_answers, validate_schema};
use super::ids::{CiClassId, CiId, GroupId, UserId};
use crate::error::FieldErrors;

/// The longest a CI's name may be.
pub const NAME_MAX: usize = 120;
/// The longest a CI's location may be.
pub const LOCATION_MAX: usize = 200;
/// How deep a class hierarchy may go; deeper is refused when a class is saved.
pub const CLASS_DEPTH_MAX: usize = 8;
/// The fields every CI has; no attribute may take one of their keys, so a message beside a
/// field is never in doubt.
pub const FIXED_FIELDS: [&str; 7] =
    ["name", "class", "status", "criticality", "location", "owner", "support_group"];

/// Where a CI is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum CiStatus {
    Planned,
    InOperation,
    InMaintenance,
    Retired,
}

impl CiStatus {
    pub const ALL: [CiStatus; 4] =
        [CiStatus::Planned, CiStatus::InOperation, CiStatus::InMaintenance, CiStatus::Retired];

    pub fn as_str(self) -> &'static str {
        match self {
            CiStatus::Planned => "planned",
            CiStatus::InOperation => "in_operation",
            CiStatus::InMaintenance => "in_maintenance",
            CiStatus::Retired => "retired",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CiStatus::Planned => "Planned",
            CiStatus::InOperation => "In operation",
            CiStatus::InMaintenance => "In maintenance",
            CiStatus::Retired => "Retired",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// How much the business loses when a CI fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum Criticality {
    Low,
    Medium,
    High,
    Critical,
}

impl Criticality {
    pub const ALL: [Criticality; 4] =
        [Criticality::Low, Criticality::Medium, Criticality::High, Criticality::Critical];

    pub fn as_str(self) -> &'static str {
        match self {
            Criticality::Low => "low",
            Criticality::Medium => "medium",
            Criticality::High => "high",
            Criticality::Critical => "critical",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Criticality::Low => "Low",
            Criticality::Medium => "Medium",
            Criticality::High => "High",
            Criticality::Critical => "Critical",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// A class of CIs. `attributes` are its own; `effective_schema` adds its ancestors'.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CiClass {
    pub id: CiClassId,
    pub code: String,
    pub name: String,
    pub parent: Option<CiClassId>,
    pub description: String,
    pub attributes: FormSchema,
    /// Attributes taken off the class's form; CIs keep the values they had for them.
    #[serde(default)]
    pub retired_attributes: FormSchema,
    pub retired: bool,
}

/// Why a class's place in the hierarchy cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HierarchyError {
    #[error("there is no such class")]
    Unknown,
    #[error("a class cannot be its own ancestor")]
    Cycle,
    #[error("classes nest at most {CLASS_DEPTH_MAX} deep")]
    TooDeep,
}

/// `id` and its ancestors, nearest first.
pub fn lineage(classes: &[CiClass], id: CiClassId) -> Result<Vec<&CiClass>, HierarchyError> {
    let mut line: Vec<&CiClass> = Vec::new();
    let mut next = Some(id);
    while let Some(id) = next {
        if line.iter().any(|c| c.id == id) {
            return Err(HierarchyError::Cycle);
        }
        if line.len() == CLASS_DEPTH_MAX {
            return Err(HierarchyError::TooDeep);
        }
        let class = classes.iter().find(|c| c.id == id).ok_or(HierarchyError::Unknown)?;
        line.push(class);
        next = class.parent;
    }
    Ok(line)
}

/// Whether `id` is `ancestor` or descends from it.
pub fn is_a(classes: &[CiClass], id: CiClassId, ancestor: &str) -> bool {
    lineage(classes, id).is_ok_and(|line| line.iter().any(|c| c.code == ancestor))
}

/// The attributes a CI of class `id` has: the root's first, then each subclass's own.
pub fn effective_schema(classes: &[CiClass], id: CiClassId) -> Result<FormSchema, HierarchyError> {
    let line = lineage(classes, id)?;
    let fields: Vec<FieldDef> = line.iter().rev().flat_map(|c| c.attributes.fields.iter().cloned()).collect();
    Ok(FormSchema { fields })
}

/// The retired attributes of class `id` and its ancestors, whose values its CIs keep.
pub fn retired_schema(classes: &[CiClass], id: CiClassId) -> FormSchema {
    let line = lineage(classes, id).unwrap_or_default();
    FormSchema {
        fields: line.iter().rev().flat_map(|c| c.retired_attributes.fields.iter().cloned()).collect(),
    }
}

/// `after` as it is saved over `before`: an attribute taken off the form is retired, not
/// lost, and one put back on (by its key) is no longer retired.
pub fn revise_class(before: Option<&CiClass>, mut after: CiClass) -> CiClass {
    let keys: Vec<&str> = after.attributes.fields.iter().map(|f| f.key.as_str()).collect();
    let mut retired: Vec<FieldDef> = Vec::new();
    if let Some(before) = before {
        let dropped = before.attributes.fields.iter().filter(|f| !keys.contains(&f.key.as_str()));
        for field in before.retired_attributes.fields.iter().chain(dropped) {
            if !keys.contains(&field.key.as_str()) && !retired.iter().any(|r| r.key == field.key) {
                retired.push(field.clone());
            }
        }
    }
    after.retired_attributes = FormSchema { fields: retired };
    after
}

/// Checks a class about to be saved among `classes` (which may hold its earlier version):
/// its code and name, its parent's place, and its own attributes, none of which may share
/// a key with an inherited one or with a subclass's.
pub fn validate_class(classes: &[CiClass], class: &CiClass) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::default();
    let code_ok = !class.code.is_empty()
        && class.code.len() <= 40
        && class.code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && class.code.starts_with(|c: char| c.is_ascii_lowercase());
    if !code_ok {
        errors
            .add("code", "A code is 1–40 lowercase letters, digits or underscores, starting with a letter.");
    } else if classes.iter().any(|c| c.code == class.code && c.id != class.id) {
        errors.add("code", "Another class has this code.");
    }
    let name = class.name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        errors.add("name", "Give the class a name of at most 80 characters.");
    } else if classes.iter().any(|c| c.name.eq_ignore_ascii_case(name) && c.id != class.id) {
        errors.add("name", "Another class has this name.");
    }
    let others: Vec<CiClass> =
        classes.iter().filter(|c| c.id != class.id).cloned().chain(std::iter::once(class.clone())).collect();
    let inherited = match lineage(&others, class.id) {
        Ok(line) => line.into_iter().skip(1).flat_map(|c| c.attributes.fields.iter()).collect::<Vec<_>>(),
        Err(error) => {
            errors.add("parent", error.to_string());
            Vec::new()
        }
    };
    if let Err(problems) = validate_schema(&class.attributes) {
        for problem in problems {
            errors.add("attributes", problem);
        }
    }
    for field in &class.attributes.fields {
        if let super::form::FieldKind::Ci { class: Some(code), .. } = &field.kind
            && class.code != *code
            && !classes.iter().any(|c| c.code == *code)
        {
            errors.add(
                "attributes",
                format!("“{}” names the class {code:?}, which does not exist.", field.key),
            );
        }
        if FIXED_FIELDS.contains(&field.key.as_str()) {
            errors.add("attributes", format!("“{}” is a field every CI has already.", field.key));
        }
        if inherited.iter().any(|f| f.key == field.key) {
            errors.add("attributes", format!("“{}” is already an attribute this class inherits.", field.key));
        }
        let below = others.iter().filter(|c| c.id != class.id && is_a(&others, c.id, &class.code));
        for sub in below {
            if sub.attributes.fields.iter().any(|f| f.key == field.key) {
                errors.add("attributes", format!("“{}” is already an attribute of {}.", field.key, sub.name));
            }
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

/// A CI as a form sends it, before it is checked.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CiInput {
    pub name: String,
    pub status: String,
    pub criticality: String,
    pub location: String,
    pub owner: Option<UserId>,
    pub support_group: Option<GroupId>,
    pub attributes: RawAnswers,
}

/// A CI's checked fields, ready to save; `attributes` as the class's schema parsed them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CiFields {
    pub name: String,
    pub status: CiStatus,
    pub criticality: Criticality,
    pub location: String,
    pub owner: Option<UserId>,
    pub support_group: Option<GroupId>,
    pub attributes: super::form::Answers,
}

/// The one check of a CI's fields against its class's schema, in the browser and on the
/// server; every problem is reported beside its field at once.
pub fn validate_ci(
    schema: &FormSchema,
    input: &CiInput,
    today: chrono::NaiveDate,
) -> Result<CiFields, FieldErrors> {
    let mut errors = FieldErrors::default();
    let name = input.name.trim();
    if name.is_empty() {
        errors.add("name", "Give the CI a name.");
    } else if name.chars().count() > NAME_MAX {
        errors.add("name", format!("A name is at most {NAME_MAX} characters."));
    }
    let status = CiStatus::parse(&input.status);
    if status.is_none() {
        errors.add("status", "Choose a status.");
    }
    let criticality = Criticality::parse(&input.criticality);
    if criticality.is_none() {
        errors.add("criticality", "Choose how critical it is.");
    }
    let location = input.location.trim();
    if location.chars().count() > LOCATION_MAX {
        errors.add("location", format!("A location is at most {LOCATION_MAX} characters."));
    }
    let attributes = match validate_answers(schema, &input.attributes, today) {
        Ok(answers) => Some(answers),
        Err(problems) => {
            for (field, message) in problems.0 {
                errors.add(&field, message);
            }
            None
        }
    };
    match (status, criticality, attributes) {
        (Some(status), Some(criticality), Some(attributes)) if errors.is_empty() => Ok(CiFields {
            name: name.to_owned(),
            status,
            criticality,
            location: location.to_owned(),
            owner: input.owner,
            support_group: input.support_group,
            attributes,
        }),
        _ => Err(errors),
    }
}

/// How two CIs relate, read from the first: "A depends on B", "A runs on B".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    DependsOn,
    RunsOn,
    ConnectedTo,
    MemberOf,
}

/// Which way an outage travels along a relation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spread {
    /// When the second fails, the first is affected: "A depends on B", B down, A affected.
    ToFirst,
    /// When the first fails, the second is affected: a member down degrades its cluster.
    ToSecond,
}

impl RelationKind {
    pub const ALL: [RelationKind; 4] =
        [RelationKind::DependsOn, RelationKind::RunsOn, RelationKind::ConnectedTo, RelationKind::MemberOf];

    pub fn as_str(self) -> &'static str {
        match self {
            RelationKind::DependsOn => "depends_on",
            RelationKind::RunsOn => "runs_on",
            RelationKind::ConnectedTo => "connected_to",
            RelationKind::MemberOf => "member_of",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// The relation as read from its first CI.
    pub fn label(self) -> &'static str {
        match self {
            RelationKind::DependsOn => "depends on",
            RelationKind::RunsOn => "runs on",
            RelationKind::ConnectedTo => "connected to",
            RelationKind::MemberOf => "member of",
        }
    }

    /// The relation as read from its second CI.
    pub fn inverse_label(self) -> &'static str {
        match self {
            RelationKind::DependsOn => "used by",
            RelationKind::RunsOn => "hosts",
            RelationKind::ConnectedTo => "connected to",
            RelationKind::MemberOf => "has member",
        }
    }

    pub fn spread(self) -> Spread {
        match self {
            // "A connected to B" ends at a network device: when it fails, A is cut off,
            // but a host that fails takes no switch down with it.
            RelationKind::DependsOn | RelationKind::RunsOn | RelationKind::ConnectedTo => Spread::ToFirst,
            RelationKind::MemberOf => Spread::ToSecond,
        }
    }

    /// The classes (by code, with their subclasses) this kind may join, first to second.
    pub fn allowed(self) -> &'static [(&'static str, &'static str)] {
        match self {
            RelationKind::DependsOn => &[
                ("business_service", "business_service"),
                ("business_service", "application"),
                ("business_service", "database"),
                ("business_service", "cluster"),
                ("application", "application"),
                ("application", "database"),
                ("application", "cluster"),
            ],
            RelationKind::RunsOn => &[
                ("application", "host"),
                ("database", "host"),
                ("application", "cluster"),
                ("database", "cluster"),
                ("virtual_machine", "server"),
                ("virtual_machine", "cluster"),
            ],
            RelationKind::ConnectedTo => &[
                ("host", "network_device"),
                ("network_device", "network_device"),
                ("printer", "network_device"),
            ],
            RelationKind::MemberOf => &[("host", "cluster"), ("database", "cluster"), ("cluster", "cluster")],
        }
    }
}

/// Why a relation cannot be made.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RelationError {
    #[error("a CI cannot relate to itself")]
    ToItself,
    #[error("“{label}” does not go from {from} to {to}")]
    NotAllowed { from: String, label: &'static str, to: String },
}

/// Checks that a CI of class `from` may be `kind` a CI of class `to`.
pub fn check_relation(
    classes: &[CiClass],
    kind: RelationKind,
    from: (CiId, CiClassId),
    to: (CiId, CiClassId),
) -> Result<(), RelationError> {
    if from.0 == to.0 {
        return Err(RelationError::ToItself);
    }
    let fits = kind.allowed().iter().any(|(a, b)| is_a(classes, from.1, a) && is_a(classes, to.1, b));
    if fits {
        return Ok(());
    }
    let name = |id: CiClassId| {
        classes.iter().find(|c| c.id == id).map_or_else(|| "an unknown class".to_owned(), |c| c.name.clone())
    };
    Err(RelationError::NotAllowed { from: name(from.1), label: kind.label(), to: name(to.1) })
}

/// A CI as its page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CiView {
    pub id: CiId,
    pub class: CiClassId,
    pub class_name: String,
    pub name: String,
    pub status: CiStatus,
    pub criticality: Criticality,
    pub location: String,
    pub owner: Option<UserId>,
    pub owner_name: Option<String>,
    pub support_group: Option<GroupId>,
    pub support_group_name: Option<String>,
    pub attributes: super::form::Answers,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub version: i64,
}

/// How many of its relations a CI page lists at a time.
pub const RELATIONS_PAGE: i64 = 50;

/// One relation as seen from a CI: `outgoing` when the CI is its first end.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelationView {
    pub kind: RelationKind,
    pub outgoing: bool,
    pub other: CiId,
    pub other_name: String,
    pub other_class: String,
    pub other_status: CiStatus,
}

impl RelationView {
    /// The relation as read from the CI whose page lists it.
    pub fn label(&self) -> &'static str {
        if self.outgoing { self.kind.label() } else { self.kind.inverse_label() }
    }
}

/// A relation of a neighbourhood: `from` is `kind` `to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Edge {
    pub from: CiId,
    pub to: CiId,
    pub kind: RelationKind,
}

/// A line of a CI's history: `field` went from `from` to `to`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CiEvent {
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor_name: Option<String>,
    pub field: String,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// The facts about a CI that decide who may read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CiAccess {
    pub owner: Option<UserId>,
    /// A business service in operation or maintenance: every requester sees it.
    pub published_service: bool,
}

/// Whether a CI of class `class` with `status` is a service the portal lists for requesters.
pub fn is_published_service(classes: &[CiClass], class: CiClassId, status: CiStatus) -> bool {
    is_a(classes, class, "business_service")
        && matches!(status, CiStatus::InOperation | CiStatus::InMaintenance)
}

/// How a business service is doing, from the open major incidents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceHealth {
    Operational,
    Degraded,
    Down,
}

impl ServiceHealth {
    pub fn label(self) -> &'static str {
        match self {
            ServiceHealth::Operational => "Operational",
            ServiceHealth::Degraded => "Degraded",
            ServiceHealth::Down => "Down",
        }
    }

    /// A service is down while an open major incident names it, degraded while one names
    /// something it depends on (`steps` away, along the way outages travel).
    pub fn from_outage(steps: usize) -> Self {
        if steps == 0 { ServiceHealth::Down } else { ServiceHealth::Degraded }
    }
}

/// A business service on the status page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceStatus {
    pub service: super::ci_graph::CiNode,
    pub description: String,
    pub health: ServiceHealth,
}

/// What an edit changed, one line per field, in the words of the CI's history: codes and
/// ids, never display text.
pub fn changes(before: &CiFields, after: &CiFields) -> Vec<(String, Option<String>, Option<String>)> {
    let mut lines = Vec::new();
    let mut diff = |field: &str, a: Option<String>, b: Option<String>| {
        if a != b {
            lines.push((field.to_owned(), a, b));
        }
    };
    diff("name", Some(before.name.clone()), Some(after.name.clone()));
    diff("status", Some(before.status.as_str().to_owned()), Some(after.status.as_str().to_owned()));
    diff(
        "criticality",
        Some(before.criticality.as_str().to_owned()),
        Some(after.criticality.as_str().to_owned()),
    );
    let text = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    diff("location", text(&before.location), text(&after.location));
    diff("owner", before.owner.map(|u| u.0.to_string()), after.owner.map(|u| u.0.to_string()));
    diff(
        "support_group",
        before.support_group.map(|g| g.0.to_string()),
        after.support_group.map(|g| g.0.to_string()),
    );
    let keys: std::collections::BTreeSet<&String> =
        before.attributes.keys().chain(after.attributes.keys()).collect();
    for key in keys {
        let show = |a: Option<&super::form::Answer>| a.map(super::form::Answer::to_text);
        diff(key, show(before.attributes.get(key)), show(after.attributes.get(key)));
    }
    lines
}

/// A business service an outage reaches, with the path from it down to the failed CI.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImpactedService {
    pub service: super::ci_graph::CiNode,
    pub hops: Vec<super::ci_graph::Hop>,
}

/// "If this CI goes down": the services affected, how far the walk went, and the open
/// records already on the CI or those services.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImpactView {
    /// The nearest of the services affected.
    pub services: Vec<ImpactedService>,
    /// How many services are affected in all.
    pub affected: usize,
    pub reached: usize,
    /// The walk ended at a bound: there may be more.
    pub stopped: bool,
    pub open_records: Vec<super::record::RecordSummary>,
}

/// A CI's page. `full` for those who read the whole CMDB: they get its relations, their
/// drawing, its impact, records and history; a requester gets the CI's own fields.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CiPage {
    pub ci: CiView,
    pub schema: FormSchema,
    /// Attributes its class no longer asks for, whose values the CI keeps.
    pub retired: FormSchema,
    /// A page of its relations, `relations_from` on, of `relations_total`.
    pub relations: Vec<RelationView>,
    pub relations_from: i64,
    pub relations_total: i64,
    pub graph: super::ci_graph::GraphLayout,
    pub depth: u32,
    pub impact: ImpactView,
    pub records: Vec<super::record::RecordSummary>,
    pub history: Vec<CiEvent>,
    pub can_edit: bool,
    pub full: bool,
    /// For a business service: how it is doing now.
    pub health: Option<ServiceHealth>,
    /// The names of the groups and CIs its attributes pick.
    pub references: super::form::References,
    /// For a business service: its offerings and the service levels that cover it.
    pub levels: Option<ServiceLevels>,
}

/// What a service-level policy promises: its name and its targets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Promise {
    pub policy: String,
    pub response_minutes: Option<u32>,
    pub resolution_minutes: Option<u32>,
}

impl Promise {
    pub fn of(policy: &super::sla_policy::SlaPolicy) -> Self {
        Promise {
            policy: policy.name.clone(),
            response_minutes: policy.response_minutes,
            resolution_minutes: policy.resolution_minutes,
        }
    }
}

/// A catalog item offered under a business service, with the policy covering its requests.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferingView {
    pub slug: String,
    pub name: String,
    pub published: bool,
    pub promise: Option<Promise>,
}

/// What a business service offers, and the service levels that cover it: its offerings'
/// requests, and an incident on it at each priority (handled by its support group).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceLevels {
    pub offerings: Vec<OfferingView>,
    pub incidents: Vec<(u8, Option<Promise>)>,
}

/// The CI form: the classes to choose from, the class's attributes, and what is saved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CiEditor {
    pub classes: Vec<CiClass>,
    pub class: CiClassId,
    pub schema: FormSchema,
    pub ci: Option<CiView>,
    pub input: CiInput,
    pub owner_email: String,
    pub groups: Vec<super::people::GroupSummary>,
    /// The day date attributes are checked against.
    pub today: chrono::NaiveDate,
    /// The names of the groups and CIs the attributes pick.
    pub references: super::form::References,
}

/// The label of a line of history: a fixed field's, an attribute's from `schema`, or a
/// relation's as read from the CI whose history it is.
pub fn history_label(schema: &FormSchema, field: &str) -> String {
    if let Some(code) = field.strip_prefix("relation.") {
        let (code, inverse) = match code.strip_suffix(".inverse") {
            Some(code) => (code, true),
            None => (code, false),
        };
        return match RelationKind::parse(code) {
            Some(kind) if inverse => format!("Relation “{}”", kind.inverse_label()),
            Some(kind) => format!("Relation “{}”", kind.label()),
            None => field.to_owned(),
        };
    }
    let fixed = match field {
        "created" => "Created",
        "name" => "Name",
        "status" => "Status",
        "criticality" => "Criticality",
        "location" => "Location",
        "owner" => "Owner",
        "support_group" => "Support group",
        _ => "",
    };
    if !fixed.is_empty() {
        return fixed.to_owned();
    }
    schema.fields.iter().find(|f| f.key == field).map_or_else(|| field.to_owned(), |f| f.label.clone())
}

/// A value of a line of history as a person reads it: a status's label, not its code.
pub fn history_value(schema: &FormSchema, field: &str, value: &str) -> String {
    match field {
        "status" => CiStatus::parse(value).map_or_else(|| value.to_owned(), |s| s.label().to_owned()),
        "criticality" => Criticality::parse(value).map_or_else(|| value.to_owned(), |c| c.label().to_owned()),
        _ => match schema.fields.iter().find(|f| f.key == field) {
            Some(def) => match &def.kind {
                super::form::FieldKind::Choice { options }
                | super::form::FieldKind::MultiChoice { options } => value
                    .split(", ")
                    .map(|v| options.iter().find(|o| o.value == v).map_or(v, |o| o.label.as_str()))
                    .collect::<Vec<_>>()
                    .join(", "),
                super::form::FieldKind::YesNo => if value == "yes" { "Yes" } else { "No" }.to_owned(),
                _ => value.to_owned(),
            },
            None => value.to_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::form::FieldKind;

    fn field(key: &str, required: bool) -> FieldDef {
        FieldDef {
            key: key.to_owned(),
            label: key.to_owned(),
            help: String::new(),
            required,
            default: None,
            kind: FieldKind::Text {
                min_length: None,
                max_length: Some(40),
                pattern: None,
                pattern_hint: None,
            },
            show_when: None,
        }
    }

    fn class(id: i64, code: &str, parent: Option<i64>, fields: &[FieldDef]) -> CiClass {
        CiClass {
            id: CiClassId(id),
            code: code.to_owned(),
            name: code.replace('_', " "),
            parent: parent.map(CiClassId),
            description: String::new(),
            attributes: FormSchema { fields: fields.to_vec() },
            retired_attributes: FormSchema::default(),
            retired: false,
        }
    }

    fn hierarchy() -> Vec<CiClass> {
        vec![
            class(1, "host", None, &[field("hostname", true)]),
            class(2, "server", Some(1), &[field("rack", false)]),
            class(3, "virtual_machine", Some(1), &[]),
            class(4, "application", None, &[field("vendor", false)]),
            class(5, "network_device", None, &[]),
            class(6, "cluster", None, &[]),
        ]
    }

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
    }

    #[test]
    fn a_subclass_has_its_ancestors_attributes_first() {
        let classes = hierarchy();
        let keys: Vec<String> =
            effective_schema(&classes, CiClassId(2)).unwrap().fields.into_iter().map(|f| f.key).collect();
        assert_eq!(keys, ["hostname", "rack"]);
        assert!(is_a(&classes, CiClassId(2), "host"));
        assert!(!is_a(&classes, CiClassId(4), "host"));
    }

    #[test]
    fn an_attribute_taken_off_a_class_is_retired_and_comes_back_by_its_key() {
        let classes = hierarchy();
        let before = &classes[1];
        let mut after = before.clone();
        after.attributes.fields = vec![field("warranty", false)];
        let saved = revise_class(Some(before), after);
        let keys = |s: &FormSchema| s.fields.iter().map(|f| f.key.clone()).collect::<Vec<_>>();
        assert_eq!(keys(&saved.attributes), ["warranty"]);
        assert_eq!(keys(&saved.retired_attributes), ["rack"]);
        let mut again = saved.clone();
        again.attributes.fields = vec![field("rack", false)];
        let restored = revise_class(Some(&saved), again);
        assert_eq!(keys(&restored.attributes), ["rack"]);
        assert_eq!(keys(&restored.retired_attributes), ["warranty"]);
        let mut all = classes.clone();
        all[1] = restored;
        assert_eq!(keys(&retired_schema(&all, CiClassId(2))), ["warranty"]);
        assert!(revise_class(None, classes[0].clone()).retired_attributes.fields.is_empty());
    }

    #[test]
    fn a_hierarchy_with_a_loop_or_too_deep_is_refused() {
        let mut classes = hierarchy();
        classes[0].parent = Some(CiClassId(2));
        assert_eq!(lineage(&classes, CiClassId(2)).unwrap_err(), HierarchyError::Cycle);
        let deep: Vec<CiClass> =
            (1..=9).map(|i| class(i, &format!("c{i}"), (i > 1).then(|| i - 1), &[])).collect();
        assert_eq!(lineage(&deep, CiClassId(9)).unwrap_err(), HierarchyError::TooDeep);
        assert_eq!(lineage(&deep, CiClassId(8)).unwrap().len(), 8);
        assert_eq!(lineage(&deep, CiClassId(42)).unwrap_err(), HierarchyError::Unknown);
    }

    #[test]
    fn a_class_may_not_repeat_an_attribute_above_or_below_it() {
        let classes = hierarchy();
        let again = class(2, "server", Some(1), &[field("hostname", false)]);
        let errors = validate_class(&classes, &again).unwrap_err();
        assert!(errors.get("attributes").unwrap().contains("already an attribute this class inherits"));

        let host = class(1, "host", None, &[field("hostname", true), field("rack", false)]);
        let errors = validate_class(&classes, &host).unwrap_err();
        assert!(errors.get("attributes").unwrap().contains("already an attribute of server"), "{errors:?}");

        let looped = class(1, "host", Some(2), &[field("hostname", true)]);
        assert!(validate_class(&classes, &looped).unwrap_err().get("parent").is_some());

        let clash = class(7, "server", None, &[]);
        assert!(validate_class(&classes, &clash).unwrap_err().get("code").is_some());
        assert!(
            validate_class(&classes, &class(7, "Bad Code", None, &[])).unwrap_err().get("code").is_some()
        );
        let fixed = class(7, "printer", None, &[field("location", false)]);
        assert!(
            validate_class(&classes, &fixed).unwrap_err().get("attributes").unwrap().contains("every CI has")
        );
        assert_eq!(validate_class(&classes, &class(7, "printer", None, &[field("tray", false)])), Ok(()));

        let reference = |key: &str, code: &str| FieldDef {
            kind: FieldKind::Ci { class: Some(code.into()), mine: false },
            ..field(key, false)
        };
        let runs_on =
            class(7, "container", None, &[reference("node", "host"), reference("peer", "container")]);
        assert_eq!(validate_class(&classes, &runs_on), Ok(()));
        let dangling = class(7, "container", None, &[reference("node", "mainframe")]);
        let errors = validate_class(&classes, &dangling).unwrap_err();
        assert!(
            errors.get("attributes").unwrap().contains("\"mainframe\", which does not exist"),
            "{errors:?}"
        );
    }

    #[test]
    fn a_ci_is_checked_field_by_field_with_its_class_attributes() {
        let classes = hierarchy();
        let schema = effective_schema(&classes, CiClassId(2)).unwrap();
        let input = CiInput {
            name: "  ".into(),
            status: "broken".into(),
            criticality: "high".into(),
            location: "x".repeat(LOCATION_MAX + 1),
            ..CiInput::default()
        };
        let errors = validate_ci(&schema, &input, today()).unwrap_err();
        for field in ["name", "status", "location", "hostname"] {
            assert!(errors.get(field).is_some(), "{field}: {errors:?}");
        }
        assert!(errors.get("criticality").is_none());

        let mut attributes = RawAnswers::new();
        attributes.insert("hostname".into(), vec!["db-01".into()]);
        let input = CiInput {
            name: " db-01 ".into(),
            status: "in_operation".into(),
            criticality: "critical".into(),
            attributes,
            ..CiInput::default()
        };
        let fields = validate_ci(&schema, &input, today()).unwrap();
        assert_eq!(fields.name, "db-01");
        assert_eq!((fields.status, fields.criticality), (CiStatus::InOperation, Criticality::Critical));
        assert_eq!(fields.attributes.len(), 1);
    }

    #[test]
    fn relations_join_only_the_classes_their_kind_allows_and_never_a_ci_to_itself() {
        let classes = hierarchy();
        let (app, server, vm, switch) = (CiClassId(4), CiClassId(2), CiClassId(3), CiClassId(5));
        assert_eq!(check_relation(&classes, RelationKind::RunsOn, (CiId(1), app), (CiId(2), server)), Ok(()));
        assert_eq!(check_relation(&classes, RelationKind::RunsOn, (CiId(1), vm), (CiId(2), server)), Ok(()));
        assert_eq!(
            check_relation(&classes, RelationKind::ConnectedTo, (CiId(1), vm), (CiId(2), switch)),
            Ok(())
        );
        assert_eq!(
            check_relation(&classes, RelationKind::RunsOn, (CiId(1), server), (CiId(2), app))
                .unwrap_err()
                .to_string(),
            "“runs on” does not go from server to application"
        );
        assert_eq!(
            check_relation(
                &classes,
                RelationKind::MemberOf,
                (CiId(3), CiClassId(6)),
                (CiId(3), CiClassId(6))
            ),
            Err(RelationError::ToItself)
        );
        assert_eq!(
            check_relation(
                &classes,
                RelationKind::MemberOf,
                (CiId(1), CiClassId(6)),
                (CiId(2), CiClassId(6))
            ),
            Ok(())
        );
    }

    #[test]
    fn every_kind_reads_from_both_ends_and_spreads_an_outage_one_way_or_both() {
        for kind in RelationKind::ALL {
            assert_eq!(RelationKind::parse(kind.as_str()), Some(kind));
            assert!(!kind.label().is_empty() && !kind.inverse_label().is_empty());
        }
        assert_eq!(RelationKind::DependsOn.spread(), Spread::ToFirst);
        assert_eq!(RelationKind::MemberOf.spread(), Spread::ToSecond);
        assert_eq!(RelationKind::ConnectedTo.spread(), Spread::ToFirst);
        for status in CiStatus::ALL {
            assert_eq!(CiStatus::parse(status.as_str()), Some(status));
        }
        assert!(Criticality::Critical > Criticality::Low);
    }

    #[test]
    fn an_edit_is_remembered_field_by_field_and_an_unchanged_field_not_at_all() {
        let mut attributes = super::super::form::Answers::new();
        attributes.insert("rack".into(), super::super::form::Answer::Text("R1".into()));
        let before = CiFields {
            name: "db-01".into(),
            status: CiStatus::InOperation,
            criticality: Criticality::High,
            location: String::new(),
            owner: None,
            support_group: None,
            attributes: attributes.clone(),
        };
        let mut after = before.clone();
        after.status = CiStatus::InMaintenance;
        after.owner = Some(UserId(7));
        after.attributes.insert("rack".into(), super::super::form::Answer::Text("R2".into()));
        let lines = changes(&before, &after);
        assert_eq!(
            lines,
            [
                ("status".into(), Some("in_operation".into()), Some("in_maintenance".into())),
                ("owner".into(), None, Some("7".into())),
                ("rack".into(), Some("R1".into()), Some("R2".into())),
            ]
        );
        assert!(changes(&before, &before).is_empty());
    }
}
