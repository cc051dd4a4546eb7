//! Answers that refer to people, groups and configuration items: what a form offers to
//! pick, checking a pick against what exists and what the person may read, and the names
//! to read them by.

use std::collections::BTreeMap;

use crate::domain::ci_graph::CiNode;
use crate::domain::cmdb::{CiAccess, CiClass, CiStatus, is_published_service};
use crate::domain::form::{Answer, Answers, ChoiceOption, FieldKind, FormSchema, References};
use crate::domain::ids::GroupId;
use crate::domain::policy::{Action, Target, allows};
use crate::domain::user::CurrentUser;
use crate::error::{AppError, FieldErrors};
use crate::ssr::service::cmdb::class_and_below;
use crate::ssr::store::{CiQuery, Store};

/// The most CIs a list to pick from offers.
const CHOICES_MAX: i64 = 100;

/// `schema` as `actor` fills it in: each group and CI field with a list to pick from
/// becomes a choice among its entries (see [`choices`]), so the browser checks a pick as it
/// checks any choice; the server checks the answers against the form as saved.
pub async fn as_offered(
    store: &Store,
    actor: &CurrentUser,
    schema: &FormSchema,
    search: bool,
) -> Result<FormSchema, AppError> {
    let mut choices = choices(store, actor, schema, search).await?;
    let mut offered = schema.clone();
    for field in &mut offered.fields {
        if let Some(options) = choices.remove(&field.key) {
            field.kind = FieldKind::Choice { options };
        }
    }
    Ok(offered)
}

/// What `actor` may pick in each group and CI field of `schema`, by field key. Where the
/// form can `search`, a CI field of someone who reads the whole CMDB, unless it asks for
/// their own devices, is searched as they type instead and has no list; elsewhere they get
/// the first CIs of its class by name.
async fn choices(
    store: &Store,
    actor: &CurrentUser,
    schema: &FormSchema,
    search: bool,
) -> Result<BTreeMap<String, Vec<ChoiceOption>>, AppError> {
    let mut choices = BTreeMap::new();
    let mut classes: Option<Vec<CiClass>> = None;
    let reads_cmdb = allows(actor, Action::ReadCmdb, Target::Portal);
    for field in &schema.fields {
        let options = match &field.kind {
            FieldKind::Group => store
                .list_groups()
                .await?
                .into_iter()
                .map(|g| ChoiceOption { value: g.id.to_string(), label: g.name })
                .collect(),
            FieldKind::Ci { class, mine } if *mine || !reads_cmdb || !search => {
                if classes.is_none() {
                    classes = Some(store.ci_classes().await?);
                }
                let classes = classes.as_deref().unwrap_or_default();
                let found = if *mine || !reads_cmdb {
                    readable_cis(store, actor, classes, class.as_deref(), *mine).await?
                } else {
                    let wanted =
                        class.as_deref().map(|code| class_and_below(classes, code)).unwrap_or_default();
                    let query = CiQuery { classes: wanted, limit: CHOICES_MAX, ..CiQuery::default() };
                    store.search_cis(&query).await?
                };
                found
                    .into_iter()
                    .map(|ci| ChoiceOption { value: ci.id.to_string(), label: ci.name })
                    .collect()
            }
            _ => continue,
        };
        choices.insert(field.key.clone(), options);
    }
    Ok(choices)
}

/// The CIs in use of `class` (and below) that `actor` owns and, unless `mine`, the
/// published services among them.
async fn readable_cis(
    store: &Store,
    actor: &CurrentUser,
    classes: &[CiClass],
    class: Option<&str>,
    mine: bool,
) -> Result<Vec<CiNode>, AppError> {
    let wanted = match class {
        Some(code) => class_and_below(classes, code),
        None => Vec::new(),
    };
    let mut query = CiQuery {
        prefix: String::new(),
        classes: wanted.clone(),
        owner: Some(actor.id),
        include_retired: false,
        limit: CHOICES_MAX,
    };
    let mut found = store.search_cis(&query).await?;
    if !mine {
        let services = class_and_below(classes, "business_service");
        query.owner = None;
        query.classes = if wanted.is_empty() {
            services
        } else {
            wanted.into_iter().filter(|c| services.contains(c)).collect()
        };
        if !query.classes.is_empty() {
            let published = store.search_cis(&query).await?;
            found.extend(published.into_iter().filter(|s| is_published_service(classes, s.class, s.status)));
        }
    }
    Ok(found)
}

/// Checks what answers refer to: a person and a group that exist, and a CI that is in use,
/// of the field's class, readable by the person answering and, where the field asks,
/// theirs. It keeps the groups and classes it read, so checking every row of an import asks
/// for them once.
pub struct Checker<'a> {
    store: &'a Store,
    groups: Option<Vec<GroupId>>,
    classes: Option<Vec<CiClass>>,
}

impl<'a> Checker<'a> {
    pub fn new(store: &'a Store) -> Self {
        Checker { store, groups: None, classes: None }
    }

    /// Checks `actor`'s `answers` to `schema`; each problem goes beside its field.
    pub async fn check(
        &mut self,
        actor: &CurrentUser,
        schema: &FormSchema,
        answers: &Answers,
        errors: &mut FieldErrors,
    ) -> Result<(), AppError> {
        let store = self.store;
        for field in &schema.fields {
            let Some(answer) = answers.get(&field.key) else { continue };
            match (&field.kind, answer) {
                (FieldKind::User, Answer::User(email))
                    if store.find_user_id_by_email(email).await?.is_none() =>
                {
                    errors.add(&field.key, "Nobody has that e-mail address.");
                }
                (FieldKind::Group, Answer::Group(id)) => {
                    if self.groups.is_none() {
                        self.groups = Some(store.list_groups().await?.into_iter().map(|g| g.id).collect());
                    }
                    if !self.groups.iter().flatten().any(|g| g == id) {
                        errors.add(&field.key, "Pick a group from the list.");
                    }
                }
                (FieldKind::Ci { class, mine }, Answer::Ci(id)) => {
                    if self.classes.is_none() {
                        self.classes = Some(store.ci_classes().await?);
                    }
                    let classes = self.classes.as_deref().unwrap_or_default();
                    if let Some(problem) =
                        ci_problem(store, actor, classes, *id, class.as_deref(), *mine).await?
                    {
                        errors.add(&field.key, problem);
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// Checks `actor`'s `answers` to `schema` (see [`Checker`]).
pub async fn check(
    store: &Store,
    actor: &CurrentUser,
    schema: &FormSchema,
    answers: &Answers,
    errors: &mut FieldErrors,
) -> Result<(), AppError> {
    Checker::new(store).check(actor, schema, answers, errors).await
}

/// What is wrong with `actor` picking CI `id` for a field of `class` (and their own if `mine`).
async fn ci_problem(
    store: &Store,
    actor: &CurrentUser,
    classes: &[CiClass],
    id: crate::domain::ids::CiId,
    class: Option<&str>,
    mine: bool,
) -> Result<Option<String>, AppError> {
    let unknown = || Some("Pick a configuration item from the list.".to_owned());
    let Some(ci) = store.find_ci(id).await? else { return Ok(unknown()) };
    let access =
        CiAccess { owner: ci.owner, published_service: is_published_service(classes, ci.class, ci.status) };
    Ok(if !allows(actor, Action::ReadCi, Target::Ci(access)) {
        unknown()
    } else if ci.status == CiStatus::Retired {
        Some(format!("{} is retired; pick one in use.", ci.name))
    } else if let Some(code) = class
        && !class_and_below(classes, code).contains(&ci.class)
    {
        let wanted = classes.iter().find(|c| c.code == code).map_or(code, |c| c.name.as_str());
        Some(format!("{} is not a {}.", ci.name, wanted.to_lowercase()))
    } else if mine && ci.owner != Some(actor.id) {
        Some("Pick one of your own devices.".to_owned())
    } else {
        None
    })
}

/// The names of the groups and CIs in `answers`, to read them by.
pub async fn named<'a>(
    store: &Store,
    answers: impl IntoIterator<Item = &'a Answer>,
) -> Result<References, AppError> {
    let (groups, cis) = References::wanted(answers);
    let mut references = References::default();
    if !groups.is_empty() {
        references.groups = store
            .list_groups()
            .await?
            .into_iter()
            .filter(|g| groups.contains(&g.id))
            .map(|g| (g.id, g.name))
            .collect::<Vec<(GroupId, String)>>();
    }
    if !cis.is_empty() {
        references.cis = store.ci_nodes(&cis).await?;
    }
    Ok(references)
}
