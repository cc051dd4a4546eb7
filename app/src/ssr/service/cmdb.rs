//! The CMDB's use cases: finding CIs, a CI's page with its neighbourhood and impact,
//! saving a CI and its history, relating CIs, and naming CIs on records. Callers have
//! asked the policy for the portal-wide action; a single CI's access is decided here.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::domain::ci_graph::{CiNode, ImpactWalk, Outage, hops, layout, spreading_kinds};
use crate::domain::cmdb::{
    CiAccess, CiClass, CiEditor, CiEvent, CiFields, CiInput, CiPage, Edge, ImpactView, ImpactedService,
    OfferingView, Promise, RELATIONS_PAGE, RelationKind, ServiceHealth, ServiceLevels, ServiceStatus,
    changes, check_relation, effective_schema, is_a, is_published_service, retired_schema, revise_class,
    validate_ci, validate_class,
};
use crate::domain::event::{EventField, NewEvent};
use crate::domain::form::raw_answers;
use crate::domain::ids::{CiClassId, CiId, GroupId, RecordId};
use crate::domain::policy::{Action, Target, allows, hides_existence};
use crate::domain::user::CurrentUser;
use crate::error::{AppError, FieldErrors};
use crate::ssr::service::records::authorize_record;
use crate::ssr::store::{CiQuery, Store, StoreError, Tx};

/// How many CIs a search returns.
pub const SEARCH_LIMIT: i64 = 20;
/// The neighbourhood depth a CI page draws unless asked for another.
pub const DEFAULT_DEPTH: u32 = 1;
/// How many lines of history a CI page shows.
const HISTORY_LIMIT: i64 = 50;
/// How many records a CI page lists.
const RECORDS_LIMIT: i64 = 20;
/// How many of the services an outage reaches an impact analysis names, nearest first.
pub const IMPACT_SERVICES_SHOWN: usize = 50;

fn not_found() -> AppError {
    AppError::NotFound("That configuration item".into())
}

/// The class `code` and its subclasses.
pub(crate) fn class_and_below(classes: &[CiClass], code: &str) -> Vec<CiClassId> {
    classes.iter().filter(|c| is_a(classes, c.id, code)).map(|c| c.id).collect()
}

/// Every CI class, in the order they were added.
pub async fn classes(store: &Store) -> Result<Vec<CiClass>, AppError> {
    Ok(store.ci_classes().await?)
}

/// A class form as submitted: `id` to edit, else a new class with `code`; `parent` is a
/// class code or empty, `attributes` the editor's schema as JSON.
pub struct ClassForm<'a> {
    pub id: Option<CiClassId>,
    pub code: &'a str,
    pub name: &'a str,
    pub parent: &'a str,
    pub description: &'a str,
    pub retired: bool,
    pub attributes: &'a str,
}

/// Adds or changes a class, every problem beside its field at once. An attribute taken
/// off the form is retired, so the CIs that hold a value for it keep it.
pub async fn save_class(store: &Store, form: ClassForm<'_>) -> Result<CiClassId, AppError> {
    let classes = store.ci_classes().await?;
    let before = match form.id {
        Some(id) => {
            Some(classes.iter().find(|c| c.id == id).ok_or_else(|| AppError::NotFound("That class".into()))?)
        }
        None => None,
    };
    let mut errors = FieldErrors::default();
    let parent = match form.parent.trim() {
        "" => None,
        code => match classes.iter().find(|c| c.code == code) {
            Some(parent) => Some(parent.id),
            None => {
                errors.add("parent", "Pick a class from the list.");
                None
            }
        },
    };
    let attributes = match serde_json::from_str(form.attributes) {
        Ok(schema) => schema,
        Err(_) => {
            errors.add("attributes", "The attributes could not be read; reload the page.");
            crate::domain::form::FormSchema::default()
        }
    };
    let description = form.description.trim();
    if description.chars().count() > 500 {
        errors.add("description", "A description is at most 500 characters.");
    }
    let class = CiClass {
        id: form.id.unwrap_or(CiClassId(0)),
        code: before.map_or_else(|| form.code.trim().to_owned(), |b| b.code.clone()),
        name: form.name.trim().to_owned(),
        parent,
        description: description.to_owned(),
        attributes,
        retired_attributes: Default::default(),
        retired: form.retired,
    };
    if let Err(found) = validate_class(&classes, &class) {
        for (field, message) in found.0 {
            errors.add(&field, message);
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let class = revise_class(before, class);
    let mut tx = store.begin().await?;
    let id = match form.id {
        Some(id) => {
            Store::update_ci_class(&mut tx, &class).await?;
            id
        }
        None => Store::insert_ci_class(&mut tx, &class).await.map_err(|e| match e {
            StoreError::Conflict { .. } => AppError::field("name", "Another class has this code or name."),
            other => other.into(),
        })?,
    };
    tx.commit().await?;
    Ok(id)
}

/// CIs whose name starts with `text`, of class `class` (a code, with its subclasses).
pub async fn search(store: &Store, text: &str, class: Option<&str>) -> Result<Vec<CiNode>, AppError> {
    let text = text.trim();
    if text.chars().count() > 120 {
        return Err(AppError::field("q", "Search with fewer than 120 characters."));
    }
    let classes = match class.filter(|c| !c.is_empty()) {
        Some(code) => {
            let all = store.ci_classes().await?;
            let below = class_and_below(&all, code);
            if below.is_empty() {
                return Err(AppError::field("class", "There is no such class."));
            }
            below
        }
        None => Vec::new(),
    };
    let query = CiQuery {
        prefix: text.to_owned(),
        classes,
        owner: None,
        include_retired: false,
        limit: SEARCH_LIMIT,
    };
    Ok(store.search_cis(&query).await?)
}

/// The devices `user` owns: laptops, phones, printers.
pub async fn my_devices(store: &Store, user: &CurrentUser) -> Result<Vec<CiNode>, AppError> {
    let classes = class_and_below(&store.ci_classes().await?, "end_user_device");
    let query =
        CiQuery { prefix: String::new(), classes, owner: Some(user.id), include_retired: false, limit: 100 };
    Ok(store.search_cis(&query).await?)
}

/// CI `id`, if `actor` may do `action` on it; one they may not read looks like one that
/// does not exist.
async fn authorize_ci(
    store: &Store,
    actor: &CurrentUser,
    id: CiId,
    action: Action,
) -> Result<(crate::domain::cmdb::CiView, Vec<CiClass>), AppError> {
    let ci = store.find_ci(id).await?.ok_or_else(not_found)?;
    let classes = store.ci_classes().await?;
    let access =
        CiAccess { owner: ci.owner, published_service: is_published_service(&classes, ci.class, ci.status) };
    if !allows(actor, Action::ReadCi, Target::Ci(access)) {
        return Err(not_found());
    }
    if action != Action::ReadCi && !allows(actor, action, Target::Portal) {
        return Err(if hides_existence(action) { not_found() } else { AppError::Forbidden });
    }
    Ok((ci, classes))
}

/// CI `id`'s page as `actor` may see it: agents get its relations, drawing, impact,
/// records and history; a requester their device's or a service's fields.
pub async fn ci_page(
    store: &Store,
    actor: &CurrentUser,
    id: CiId,
    depth: u32,
    relations_from: i64,
) -> Result<CiPage, AppError> {
    let (ci, classes) = authorize_ci(store, actor, id, Action::ReadCi).await?;
    let schema = effective_schema(&classes, ci.class).unwrap_or_default();
    let retired = retired_schema(&classes, ci.class);
    let full = allows(actor, Action::ReadCmdb, Target::Portal);
    let can_edit = allows(actor, Action::ManageCmdb, Target::Portal);
    let depth = depth.clamp(1, 3);
    let health = if is_published_service(&classes, ci.class, ci.status) {
        let all = service_health(store, &classes).await?;
        Some(all.iter().find(|(s, _)| *s == ci.id).map_or(ServiceHealth::Operational, |(_, h)| *h))
    } else {
        None
    };
    let levels = if is_a(&classes, ci.class, "business_service") {
        Some(service_levels(store, ci.id, ci.support_group, full).await?)
    } else {
        None
    };
    if !full {
        // Someone who reads only their own devices and the services does not learn the
        // names of the other CIs this one refers to.
        let mut ci = ci;
        ci.attributes.retain(|_, answer| !matches!(answer, crate::domain::form::Answer::Ci(_)));
        let references = crate::ssr::service::references::named(store, ci.attributes.values()).await?;
        return Ok(CiPage {
            references,
            levels,
            ci,
            schema,
            retired,
            relations: Vec::new(),
            relations_from: 0,
            relations_total: 0,
            graph: crate::domain::ci_graph::GraphLayout::default(),
            depth,
            impact: ImpactView::default(),
            records: Vec::new(),
            history: Vec::new(),
            can_edit,
            full,
            health,
        });
    }
    let relations_total = store.ci_relation_count(id).await?;
    let relations_from =
        relations_from.clamp(0, (relations_total - 1).max(0)) / RELATIONS_PAGE * RELATIONS_PAGE;
    let relations = store.ci_relations(id, relations_from, RELATIONS_PAGE).await?;
    let near = store.ci_neighbourhood(id, depth).await?;
    let ids: BTreeSet<CiId> =
        std::iter::once(id).chain(near.edges.iter().flat_map(|e| [e.from, e.to])).collect();
    let nodes = store.ci_nodes(&ids.into_iter().collect::<Vec<_>>()).await?;
    let graph = layout(id, &near, &nodes);
    let impact = impact(store, &classes, id, ci.class).await?;
    let records = store.records_naming(&[id], false, RECORDS_LIMIT).await?;
    let history = history(store, id).await?;
    let references = crate::ssr::service::references::named(store, ci.attributes.values()).await?;
    Ok(CiPage {
        references,
        levels,
        ci,
        schema,
        retired,
        relations,
        relations_from,
        relations_total,
        graph,
        depth,
        impact,
        records,
        history,
        can_edit,
        full,
        health,
    })
}

/// "If this CI goes down": the business services an outage of `id` reaches, the nearest
/// `IMPACT_SERVICES_SHOWN` each by its shortest path, with the open records already on them.
pub async fn impact(
    store: &Store,
    classes: &[CiClass],
    id: CiId,
    class: CiClassId,
) -> Result<ImpactView, AppError> {
    let version = store.cmdb_version().await?;
    let outage = outage(store, version, classes, id, class).await?;
    let shown = &outage.services[..outage.services.len().min(IMPACT_SERVICES_SHOWN)];
    let services = named_paths(store, shown).await?;
    let service_ids: Vec<CiId> = std::iter::once(id).chain(services.iter().map(|s| s.service.id)).collect();
    let open_records = store.records_naming(&service_ids, true, RECORDS_LIMIT).await?;
    Ok(ImpactView {
        services,
        affected: outage.services.len(),
        reached: outage.reached,
        stopped: outage.stopped,
        open_records,
    })
}

/// The business services an outage of `id` reaches, walked as far as its bounds let it, at
/// CMDB version `version`. The answer is kept until the version moves: the walk reads only
/// relations, statuses and classes, and each of their changes moves it.
async fn outage(
    store: &Store,
    version: i64,
    classes: &[CiClass],
    id: CiId,
    class: CiClassId,
) -> Result<Arc<Outage>, AppError> {
    if let Some(known) = store.remembered_outage(id, version) {
        return Ok(known);
    }
    let (to_first, to_second) = spreading_kinds();
    let mut walk = ImpactWalk::new(id, class);
    while !walk.frontier().is_empty() {
        let step = store.ci_spread_step(walk.frontier(), &to_first, &to_second).await?;
        walk.absorb(&step);
    }
    let outage = Arc::new(Outage {
        services: walk.found(|class| is_a(classes, class, "business_service")),
        reached: walk.reached(),
        stopped: walk.stopped(),
    });
    store.remember_outage(id, version, Arc::clone(&outage));
    Ok(outage)
}

/// The services `found` with the names along their paths.
async fn named_paths(store: &Store, found: &[(CiId, Vec<Edge>)]) -> Result<Vec<ImpactedService>, AppError> {
    let on_paths: BTreeSet<CiId> = found
        .iter()
        .flat_map(|(service, path)| std::iter::once(*service).chain(path.iter().flat_map(|e| [e.from, e.to])))
        .collect();
    let nodes = store.ci_nodes(&on_paths.into_iter().collect::<Vec<_>>()).await?;
    let name = |id: CiId| nodes.iter().find(|n| n.id == id).map_or_else(String::new, |n| n.name.clone());
    let services: Vec<ImpactedService> = found
        .iter()
        .filter_map(|(service, path)| {
            let node = nodes.iter().find(|n| n.id == *service)?.clone();
            Some(ImpactedService { hops: hops(*service, path, name), service: node })
        })
        .collect();
    Ok(services)
}

/// The most open major incidents' CIs the services' health follows.
const HEALTH_CIS_MAX: i64 = 50;
/// The most services the status page lists.
const STATUS_SERVICES_MAX: i64 = 200;

/// The business services open major incidents reach, each with how it is doing; a service
/// not listed is operational.
pub async fn service_health(
    store: &Store,
    classes: &[CiClass],
) -> Result<Vec<(CiId, ServiceHealth)>, AppError> {
    let failing = store.major_incident_cis(HEALTH_CIS_MAX).await?;
    let version = store.cmdb_version().await?;
    let nodes = store.ci_nodes(&failing).await?;
    let mut health: Vec<(CiId, ServiceHealth)> = Vec::new();
    let mut note = |id: CiId, found: ServiceHealth| match health.iter_mut().find(|(s, _)| *s == id) {
        Some((_, known)) => *known = (*known).max(found),
        None => health.push((id, found)),
    };
    for node in &nodes {
        if is_a(classes, node.class, "business_service") {
            note(node.id, ServiceHealth::Down);
        }
        for (service, path) in &outage(store, version, classes, node.id, node.class).await?.services {
            note(*service, ServiceHealth::from_outage(path.len()));
        }
    }
    Ok(health)
}

/// Service `id`'s offerings (published ones only, unless `all`) and the policies covering
/// their requests and incidents on it, which its support group `group` handles.
async fn service_levels(
    store: &Store,
    id: CiId,
    group: Option<GroupId>,
    all: bool,
) -> Result<ServiceLevels, AppError> {
    use crate::domain::record::{Impact, Priority, RecordKind, Urgency};
    use crate::domain::sla_policy::{RecordFacts, pick};
    let policies = store.sla_policies().await?;
    let request_priority = store.priority_matrix().await?.priority(Impact::Medium, Urgency::Medium).level();
    let offerings = store
        .service_offerings(id)
        .await?
        .into_iter()
        .filter(|o| all || o.published)
        .map(|o| {
            let facts = RecordFacts {
                kind: RecordKind::Request,
                priority: request_priority,
                catalog_item: Some(o.id),
                group: o.fulfilment_group,
            };
            OfferingView {
                slug: o.slug,
                name: o.name,
                published: o.published,
                promise: pick(&policies, &facts).map(Promise::of),
            }
        })
        .collect();
    let incidents = (1..Priority::LOWEST.level())
        .map(|priority| {
            let facts = RecordFacts { kind: RecordKind::Incident, priority, catalog_item: None, group };
            (priority, pick(&policies, &facts).map(Promise::of))
        })
        .collect();
    Ok(ServiceLevels { offerings, incidents })
}

/// Whether CI `id` is a business service the portal lists for requesters.
pub async fn is_listed_service(store: &Store, id: CiId) -> Result<bool, AppError> {
    let Some(ci) = store.find_ci(id).await? else { return Ok(false) };
    Ok(is_published_service(&store.ci_classes().await?, ci.class, ci.status))
}

/// The business services the portal lists for requesters, by name.
pub async fn published_services(store: &Store, classes: &[CiClass]) -> Result<Vec<CiNode>, AppError> {
    let query = CiQuery {
        classes: class_and_below(classes, "business_service"),
        limit: STATUS_SERVICES_MAX,
        ..CiQuery::default()
    };
    let mut found = store.search_cis(&query).await?;
    found.retain(|s| is_published_service(classes, s.class, s.status));
    Ok(found)
}

/// The status page: every service the portal lists for requesters, worst first, with what
/// it offers.
pub async fn status_page(store: &Store) -> Result<Vec<ServiceStatus>, AppError> {
    let classes = store.ci_classes().await?;
    let health = service_health(store, &classes).await?;
    let published = published_services(store, &classes).await?;
    let ids: Vec<CiId> = published.iter().map(|s| s.id).collect();
    let attributes = store.ci_attributes(&ids).await?;
    let mut services = Vec::with_capacity(published.len());
    for service in published {
        let description = attributes
            .iter()
            .find(|(id, _)| *id == service.id)
            .and_then(|(_, a)| a.get("description"))
            .map(crate::domain::form::Answer::to_text);
        let health =
            health.iter().find(|(id, _)| *id == service.id).map_or(ServiceHealth::Operational, |(_, h)| *h);
        services.push(ServiceStatus { service, description: description.unwrap_or_default(), health });
    }
    services.sort_by(|a, b| b.health.cmp(&a.health).then_with(|| a.service.name.cmp(&b.service.name)));
    Ok(services)
}

/// The most CIs of one record whose impact a record page follows.
const RECORD_IMPACT_CIS: usize = 5;

/// The business services an outage of any of `cis` reaches, each once, by its shortest path,
/// the nearest `IMPACT_SERVICES_SHOWN` of them, named in one go.
pub async fn impacted_by(store: &Store, cis: &[CiNode]) -> Result<Vec<ImpactedService>, AppError> {
    if cis.is_empty() {
        return Ok(Vec::new());
    }
    let classes = store.ci_classes().await?;
    let version = store.cmdb_version().await?;
    let mut found: Vec<(CiId, Vec<Edge>)> = Vec::new();
    for ci in cis.iter().take(RECORD_IMPACT_CIS) {
        let reached = if is_a(&classes, ci.class, "business_service") {
            vec![(ci.id, Vec::new())]
        } else {
            outage(store, version, &classes, ci.id, ci.class).await?.services.clone()
        };
        for (service, path) in reached {
            match found.iter_mut().find(|(known, _)| *known == service) {
                Some(known) if known.1.len() > path.len() => known.1 = path,
                Some(_) => {}
                None => found.push((service, path)),
            }
        }
    }
    found.sort_by_key(|(_, path)| path.len());
    found.truncate(IMPACT_SERVICES_SHOWN);
    named_paths(store, &found).await
}

/// CI `id`'s history with the people, groups and CIs it names by id put by name.
async fn history(store: &Store, id: CiId) -> Result<Vec<CiEvent>, AppError> {
    let mut events = store.ci_events(id, HISTORY_LIMIT).await?;
    let groups = store.list_groups().await?;
    let cis: Vec<CiId> = events
        .iter()
        .filter(|e| e.field.starts_with("relation."))
        .flat_map(|e| [&e.from, &e.to])
        .filter_map(|v| v.as_deref()?.parse().ok().map(CiId))
        .collect();
    let cis = store.ci_nodes(&cis).await?;
    let mut people: std::collections::BTreeMap<String, Option<String>> = std::collections::BTreeMap::new();
    let owners: BTreeSet<String> = events
        .iter()
        .filter(|e| e.field == "owner")
        .flat_map(|e| [e.from.clone(), e.to.clone()])
        .flatten()
        .collect();
    for id in owners {
        let name = match id.parse().ok().map(crate::domain::ids::UserId) {
            Some(user) => store.find_user(user).await?.map(|u| u.name),
            None => None,
        };
        people.insert(id, name);
    }
    for event in &mut events {
        let field = event.field.clone();
        for value in [&mut event.from, &mut event.to] {
            let Some(text) = value.as_deref() else { continue };
            let named = match field.as_str() {
                "owner" => people.get(text).cloned().flatten(),
                "support_group" => groups.iter().find(|g| g.id.0.to_string() == text).map(|g| g.name.clone()),
                f if f.starts_with("relation.") => {
                    cis.iter().find(|c| c.id.0.to_string() == text).map(|c| c.name.clone())
                }
                _ => None,
            };
            if let Some(named) = named {
                *value = Some(named);
            }
        }
    }
    Ok(events)
}

/// The CI form: CI `id` as saved, or a blank one of class `class` (a code).
pub async fn editor(
    store: &Store,
    actor: &CurrentUser,
    id: Option<CiId>,
    class: Option<&str>,
    today: chrono::NaiveDate,
) -> Result<CiEditor, AppError> {
    let classes = store.ci_classes().await?;
    let groups = store.list_groups().await?;
    let (class_id, ci) = match id {
        Some(id) => {
            let ci = store.find_ci(id).await?.ok_or_else(not_found)?;
            (ci.class, Some(ci))
        }
        None => {
            let code = class.unwrap_or("");
            let class = classes
                .iter()
                .find(|c| c.code == code && !c.retired)
                .ok_or_else(|| AppError::field("class", "Choose the class of the new configuration item."))?;
            (class.id, None)
        }
    };
    let schema = effective_schema(&classes, class_id).map_err(|e| AppError::field("class", e.to_string()))?;
    let input = match &ci {
        Some(ci) => CiInput {
            name: ci.name.clone(),
            status: ci.status.as_str().to_owned(),
            criticality: ci.criticality.as_str().to_owned(),
            location: ci.location.clone(),
            owner: ci.owner,
            support_group: ci.support_group,
            attributes: raw_answers(&ci.attributes),
        },
        None => CiInput {
            status: "in_operation".to_owned(),
            criticality: "medium".to_owned(),
            attributes: schema.defaults(),
            ..CiInput::default()
        },
    };
    let owner_email = match ci.as_ref().and_then(|c| c.owner) {
        Some(owner) => store.find_user(owner).await?.map(|u| u.email).unwrap_or_default(),
        None => String::new(),
    };
    let classes = classes.into_iter().filter(|c| !c.retired).collect();
    let references =
        crate::ssr::service::references::named(store, &schema.references_in(&input.attributes)).await?;
    let schema = crate::ssr::service::references::as_offered(store, actor, &schema, true).await?;
    Ok(CiEditor { classes, class: class_id, schema, ci, input, owner_email, groups, today, references })
}

/// A CI form as submitted: `id` to edit at `version`, else a new CI of `class` (a code).
pub struct CiForm<'a> {
    pub id: Option<CiId>,
    pub version: i64,
    pub class: &'a str,
    pub input: CiInput,
    pub owner_email: &'a str,
    pub support_group: &'a str,
}

/// Checks and saves a CI, every problem beside its field at once, and writes what changed
/// to its history in the same transaction.
pub async fn save_ci(
    store: &Store,
    actor: &CurrentUser,
    form: CiForm<'_>,
    now: DateTime<Utc>,
) -> Result<CiId, AppError> {
    let classes = store.ci_classes().await?;
    let mut errors = FieldErrors::default();
    let mut input = form.input;
    let owner_email = form.owner_email.trim();
    if !owner_email.is_empty() {
        match crate::domain::user::Email::parse(owner_email) {
            Ok(email) => match store.find_user_id_by_email(email.as_str()).await? {
                Some(user) => input.owner = Some(user),
                None => errors.add("owner", "Nobody has that e-mail address."),
            },
            Err(_) => errors.add("owner", "Enter the owner's e-mail address."),
        }
    }
    let group = form.support_group.trim();
    if !group.is_empty() {
        let groups = store.list_groups().await?;
        match group.parse().ok().map(GroupId).filter(|g| groups.iter().any(|x| x.id == *g)) {
            Some(group) => input.support_group = Some(group),
            None => errors.add("support_group", "Pick a group from the list."),
        }
    }
    let mut tx = store.begin().await?;
    let before = match form.id {
        Some(id) => Some(Store::ci_fields(&mut tx, id).await?.ok_or_else(not_found)?),
        None => None,
    };
    let class = match &before {
        Some((class, ..)) => classes.iter().find(|c| c.id == *class),
        None => classes.iter().find(|c| c.code == form.class && !c.retired),
    };
    let Some(class) = class else {
        errors.add("class", "Choose a class from the list.");
        return Err(AppError::Invalid(errors));
    };
    let schema = effective_schema(&classes, class.id).map_err(|e| AppError::field("class", e.to_string()))?;
    let mut fields = match validate_ci(&schema, &input, now.date_naive()) {
        Ok(fields) if errors.is_empty() => fields,
        Ok(_) => return Err(AppError::Invalid(errors)),
        Err(found) => {
            for (field, message) in found.0 {
                errors.add(&field, message);
            }
            return Err(AppError::Invalid(errors));
        }
    };
    crate::ssr::service::references::check(store, actor, &schema, &fields.attributes, &mut errors).await?;
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let name_taken = |e: StoreError| match e {
        StoreError::Conflict { .. } => AppError::field(
            "name",
            format!("There is already a {} with this name.", class.name.to_lowercase()),
        ),
        other => other.into(),
    };
    let id = match (form.id, before) {
        (Some(id), Some((_, before, version))) => {
            if version != form.version {
                return Err(AppError::Conflict(
                    "Someone else changed this configuration item since you opened it. Reload to see their changes."
                        .into(),
                ));
            }
            for (key, value) in &before.attributes {
                if !schema.fields.iter().any(|f| f.key == *key) {
                    fields.attributes.insert(key.clone(), value.clone());
                }
            }
            match write_changes(&mut tx, actor, id, (&before, version), &fields, now)
                .await
                .map_err(name_taken)?
            {
                Written::Unchanged => return Ok(id),
                Written::Stale => {
                    return Err(AppError::Conflict(
                        "Someone else changed this configuration item. Reload.".into(),
                    ));
                }
                Written::Saved => id,
            }
        }
        _ => create_ci(&mut tx, Some(actor), class, &fields, now).await.map_err(name_taken)?,
    };
    tx.commit().await?;
    Ok(id)
}

/// Adds a CI of `class` with checked `fields`; its creation is the first line of its history.
pub async fn create_ci(
    tx: &mut Tx,
    actor: Option<&CurrentUser>,
    class: &CiClass,
    fields: &CiFields,
    now: DateTime<Utc>,
) -> Result<CiId, StoreError> {
    let id = Store::insert_ci(tx, class.id, fields, now).await?;
    Store::append_ci_event(tx, id, actor.map(|a| a.id), now, ("created", None, Some(&class.code))).await?;
    Ok(id)
}

/// What saving a CI's edited fields did.
pub(crate) enum Written {
    Unchanged,
    Saved,
    /// Someone saved it after `before` was read.
    Stale,
}

/// Saves `fields` over `before` (the CI's fields at its version), one history line per
/// changed field.
pub(crate) async fn write_changes(
    tx: &mut Tx,
    actor: &CurrentUser,
    id: CiId,
    before: (&CiFields, i64),
    fields: &CiFields,
    now: DateTime<Utc>,
) -> Result<Written, StoreError> {
    let (before, version) = before;
    let lines = changes(before, fields);
    if lines.is_empty() {
        return Ok(Written::Unchanged);
    }
    if !Store::update_ci(tx, id, fields, version, now).await? {
        return Ok(Written::Stale);
    }
    for (field, from, to) in &lines {
        Store::append_ci_event(tx, id, Some(actor.id), now, (field, from.as_deref(), to.as_deref())).await?;
    }
    Ok(Written::Saved)
}

/// Finds the CI a relation form names: by its id when picked from the search, else by an
/// exact name that only one CI has.
async fn pick(store: &Store, id: Option<CiId>, name: &str) -> Result<CiNode, AppError> {
    if let Some(id) = id {
        return store
            .ci_nodes(&[id])
            .await?
            .pop()
            .ok_or_else(|| AppError::field("other", "That CI no longer exists."));
    }
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::field("other", "Search for the CI to relate to and pick it."));
    }
    let query = CiQuery { prefix: name.to_owned(), limit: 50, ..CiQuery::default() };
    let mut same: Vec<CiNode> =
        store.search_cis(&query).await?.into_iter().filter(|c| c.name.eq_ignore_ascii_case(name)).collect();
    match same.len() {
        1 => Ok(same.remove(0)),
        0 => Err(AppError::field("other", "No CI has that name.")),
        _ => Err(AppError::field("other", "Several CIs have that name: pick one from the search.")),
    }
}

/// A relation form: `kind` as read from CI `id` (`inverse` when `id` is its second end).
pub struct RelationForm<'a> {
    pub id: CiId,
    pub kind: &'a str,
    pub other: Option<CiId>,
    pub other_name: &'a str,
}

/// Relates two CIs after checking the classes may, and notes it in both histories.
pub async fn relate(
    store: &Store,
    actor: &CurrentUser,
    form: RelationForm<'_>,
    now: DateTime<Utc>,
) -> Result<Edge, AppError> {
    let (ci, classes) = authorize_ci(store, actor, form.id, Action::ManageCmdb).await?;
    let (kind, inverse) = match form.kind.strip_suffix(".inverse") {
        Some(code) => (RelationKind::parse(code), true),
        None => (RelationKind::parse(form.kind), false),
    };
    let kind = kind.ok_or_else(|| AppError::field("kind", "Choose how they relate."))?;
    let other = pick(store, form.other, form.other_name).await?;
    if other.status == crate::domain::cmdb::CiStatus::Retired {
        return Err(AppError::field(
            "other",
            format!("{} is retired: relate it to a CI in use.", other.name),
        ));
    }
    let (from, to) = if inverse {
        ((other.id, other.class), (ci.id, ci.class))
    } else {
        ((ci.id, ci.class), (other.id, other.class))
    };
    check_relation(&classes, kind, from, to)
        .map_err(|e| AppError::field("other", capitalised(&e.to_string())))?;
    let edge = Edge { from: from.0, to: to.0, kind };
    let mut tx = store.begin().await?;
    Store::insert_ci_relation(&mut tx, edge, Some(actor.id), now).await.map_err(|e| match e {
        StoreError::Conflict { .. } => AppError::field("other", "These two are already related this way."),
        other => other.into(),
    })?;
    note_relation(&mut tx, actor, edge, now, true).await?;
    tx.commit().await?;
    Ok(edge)
}

/// Removes a relation and notes it in both histories.
pub async fn unrelate(
    store: &Store,
    actor: &CurrentUser,
    edge: Edge,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    authorize_ci(store, actor, edge.from, Action::ManageCmdb).await?;
    let mut tx = store.begin().await?;
    if !Store::delete_ci_relation(&mut tx, edge).await? {
        return Err(AppError::NotFound("That relation".into()));
    }
    note_relation(&mut tx, actor, edge, now, false).await?;
    tx.commit().await?;
    Ok(())
}

pub(crate) async fn note_relation(
    tx: &mut crate::ssr::store::Tx,
    actor: &CurrentUser,
    edge: Edge,
    now: DateTime<Utc>,
    added: bool,
) -> Result<(), AppError> {
    let code = edge.kind.as_str();
    for (ci, field, other) in [
        (edge.from, format!("relation.{code}"), edge.to),
        (edge.to, format!("relation.{code}.inverse"), edge.from),
    ] {
        let other = other.0.to_string();
        let (from, to) = if added { (None, Some(other.as_str())) } else { (Some(other.as_str()), None) };
        Store::append_ci_event(tx, ci, Some(actor.id), now, (&field, from, to)).await?;
    }
    Ok(())
}

pub(crate) fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

/// Names CI `ci` on record `number` as affected, noted on its timeline; a retired CI is
/// refused.
pub async fn link_record(
    store: &Store,
    actor: &CurrentUser,
    number: &str,
    ci: Option<CiId>,
    ci_name: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (record, _) = authorize_record(store, actor, number, Action::UpdateRecord).await?;
    let node = pick(store, ci, ci_name).await.map_err(|e| rename_field(e, "other", "ci"))?;
    if node.status == crate::domain::cmdb::CiStatus::Retired {
        return Err(AppError::field("ci", format!("{} is retired: name a CI in use.", node.name)));
    }
    let mut tx = store.begin().await?;
    if !Store::link_record_ci(&mut tx, record.id, node.id, actor.id, now).await? {
        return Err(AppError::field("ci", format!("{} is already on this record.", node.name)));
    }
    note_record(&mut tx, actor, record.id, node.id, true, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Takes CI `ci` off record `number`, noted on its timeline.
pub async fn unlink_record(
    store: &Store,
    actor: &CurrentUser,
    number: &str,
    ci: CiId,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (record, _) = authorize_record(store, actor, number, Action::UpdateRecord).await?;
    let mut tx = store.begin().await?;
    if !Store::unlink_record_ci(&mut tx, record.id, ci).await? {
        return Err(AppError::NotFound("That configuration item on this record".into()));
    }
    note_record(&mut tx, actor, record.id, ci, false, now).await?;
    tx.commit().await?;
    Ok(())
}

async fn note_record(
    tx: &mut crate::ssr::store::Tx,
    actor: &CurrentUser,
    record: RecordId,
    ci: CiId,
    added: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let id = Some(ci.to_string());
    let (from, to) = if added { (None, id) } else { (id, None) };
    for event in NewEvent::changes(Some(actor.id), now, &[(EventField::Ci, from, to)]) {
        Store::append_event(tx, record, &event).await?;
    }
    Ok(())
}

fn rename_field(error: AppError, from: &str, to: &str) -> AppError {
    match error {
        AppError::Invalid(mut fields) => {
            if let Some(message) = fields.0.remove(from) {
                fields.add(to, message);
            }
            AppError::Invalid(fields)
        }
        other => other,
    }
}
