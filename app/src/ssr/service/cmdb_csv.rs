//! CIs and relations in and out as CSV. An import batch is checked row by row inside one
//! transaction: it is kept only when asked to save and no row failed, or the admin chose
//! to keep the valid rows; a check alone always rolls back. A CI is found by its class and
//! name: a row naming one that exists updates it, with its history, else adds it.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::domain::cmdb::{
    CiClass, CiInput, CiStatus, Edge, RelationKind, check_relation, effective_schema, is_a, validate_ci,
};
use crate::domain::cmdb_csv::{
    BATCH_BYTES_MAX, CI_COLUMNS, ImportKind, ImportReport, PROBLEMS_MAX, RELATION_COLUMNS, RowProblem, cell,
    uncell,
};
use crate::domain::form::{FieldKind, RawAnswers};
use crate::domain::ids::{CiClassId, CiId, GroupId, UserId};
use crate::domain::user::CurrentUser;
use crate::error::{AppError, FieldErrors};
use crate::ssr::service::cmdb::{
    Written, capitalised, class_and_below, create_ci, note_relation, write_changes,
};
use crate::ssr::service::references;
use crate::ssr::store::{Store, Tx};

/// How many CIs an export reads at a time.
const EXPORT_PAGE: i64 = 5_000;

/// An import batch as the browser sends it.
pub struct ImportForm<'a> {
    pub kind: ImportKind,
    pub text: &'a str,
    /// Rows of the file before this batch, so problems name the file's rows.
    pub first_row: usize,
    pub save: bool,
    pub valid_only: bool,
}

/// What one row did.
enum Outcome {
    Created,
    Updated,
    Unchanged,
}

/// A row's cells, or why it cannot be read.
type Cells = Result<Vec<String>, String>;

/// A batch's rows read as cells, after its header; a file that is not CSV is one error.
fn read(text: &str) -> Result<(Vec<String>, Vec<Cells>), AppError> {
    if text.len() > BATCH_BYTES_MAX {
        return Err(AppError::field(
            "csv",
            "Send at most 2 MB at a time; the import page splits files for you.",
        ));
    }
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|_| AppError::field("csv", "The file is not CSV: its first line should name the columns."))?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let width = header.len();
    let rows = reader
        .records()
        .map(|row| match row {
            Ok(row) if row.len() == width => Ok(row.iter().map(|c| uncell(c).to_owned()).collect()),
            Ok(row) => Err(format!("This row has {} cells; the header names {width} columns.", row.len())),
            Err(_) => Err("This row is not valid CSV: check its quotes.".to_owned()),
        })
        .collect();
    Ok((header, rows))
}

/// Checks a batch and, as asked, saves it.
pub async fn import(
    store: &Store,
    actor: &CurrentUser,
    form: ImportForm<'_>,
    now: DateTime<Utc>,
) -> Result<ImportReport, AppError> {
    let (header, rows) = read(form.text)?;
    let classes = store.ci_classes().await?;
    let mut report = ImportReport { rows: rows.len(), ..ImportReport::default() };
    let mut tx = store.begin().await?;
    let mut context = Context::new(store, &classes, &header, form.kind).await?;
    for (n, row) in rows.into_iter().enumerate() {
        let number = form.first_row + n + 1;
        let done = match row {
            Err(message) => Err(vec![("row".to_owned(), message)]),
            Ok(cells) => match form.kind {
                ImportKind::Cis => context.ci_row(&mut tx, actor, &cells, now).await?,
                ImportKind::Relations => context.relation_row(&mut tx, actor, &cells, now).await?,
            },
        };
        match done {
            Ok(Outcome::Created) => report.created += 1,
            Ok(Outcome::Updated) => report.updated += 1,
            Ok(Outcome::Unchanged) => report.unchanged += 1,
            Err(found) => {
                report.failed_rows += 1;
                for (column, message) in found {
                    if report.problems.len() < PROBLEMS_MAX {
                        report.problems.push(RowProblem { row: number, column, message });
                    }
                }
            }
        }
    }
    if form.save && (report.failed_rows == 0 || form.valid_only) {
        tx.commit().await?;
        report.saved = true;
    } else {
        tx.rollback().await?;
    }
    Ok(report)
}

type RowResult = Result<Result<Outcome, Vec<(String, String)>>, AppError>;

/// What rows are checked against: the classes, people and groups, looked up once a batch.
struct Context<'a> {
    store: &'a Store,
    classes: &'a [CiClass],
    header: &'a [String],
    groups: Vec<(GroupId, String)>,
    people: HashMap<String, Option<UserId>>,
    references: references::Checker<'a>,
}

impl<'a> Context<'a> {
    async fn new(
        store: &'a Store,
        classes: &'a [CiClass],
        header: &'a [String],
        kind: ImportKind,
    ) -> Result<Context<'a>, AppError> {
        let (needed, known): (&[&str], Vec<String>) = match kind {
            ImportKind::Cis => (
                &["class", "name"],
                CI_COLUMNS
                    .iter()
                    .map(|c| (*c).to_owned())
                    .chain(classes.iter().flat_map(|c| {
                        c.attributes.fields.iter().chain(&c.retired_attributes.fields).map(|f| f.key.clone())
                    }))
                    .collect(),
            ),
            ImportKind::Relations => {
                (&["from", "kind", "to"], RELATION_COLUMNS.iter().map(|c| (*c).to_owned()).collect())
            }
        };
        for column in needed {
            if !header.iter().any(|h| h == column) {
                return Err(AppError::field("csv", format!("The file needs a “{column}” column.")));
            }
        }
        if let Some(unknown) = header.iter().find(|h| !known.contains(h)) {
            return Err(AppError::field(
                "csv",
                format!(
                    "“{unknown}” is neither a column of this kind of file nor an attribute of any class."
                ),
            ));
        }
        let groups = store.list_groups().await?.into_iter().map(|g| (g.id, g.name)).collect();
        let references = references::Checker::new(store);
        Ok(Context { store, classes, header, groups, people: HashMap::new(), references })
    }

    fn get<'c>(&self, cells: &'c [String], column: &str) -> &'c str {
        self.header.iter().position(|h| h == column).map_or("", |i| cells[i].as_str())
    }

    fn class(&self, text: &str) -> Option<&'a CiClass> {
        self.classes.iter().find(|c| c.code == text || c.name.eq_ignore_ascii_case(text))
    }

    async fn person(&mut self, email: &str) -> Result<Option<UserId>, AppError> {
        let email = email.to_lowercase();
        if let Some(known) = self.people.get(&email) {
            return Ok(*known);
        }
        let found = self.store.find_user_id_by_email(&email).await?;
        self.people.insert(email, found);
        Ok(found)
    }

    async fn ci_row(
        &mut self,
        tx: &mut Tx,
        actor: &CurrentUser,
        cells: &[String],
        now: DateTime<Utc>,
    ) -> RowResult {
        let mut problems: Vec<(String, String)> = Vec::new();
        let Some(class) = self.class(self.get(cells, "class")) else {
            return Ok(Err(vec![("class".into(), "There is no such class.".into())]));
        };
        if class.retired {
            return Ok(Err(vec![("class".into(), format!("{} is retired: no new CIs of it.", class.name))]));
        }
        let schema = match effective_schema(self.classes, class.id) {
            Ok(schema) => schema,
            Err(e) => return Ok(Err(vec![("class".into(), capitalised(&e.to_string()))])),
        };
        let mut attributes = RawAnswers::new();
        for (i, column) in self.header.iter().enumerate() {
            if CI_COLUMNS.contains(&column.as_str()) || cells[i].is_empty() {
                continue;
            }
            match schema.fields.iter().find(|f| f.key == *column) {
                Some(field) => {
                    let values = match field.kind {
                        FieldKind::MultiChoice { .. } => cells[i]
                            .split(',')
                            .map(|v| v.trim().to_owned())
                            .filter(|v| !v.is_empty())
                            .collect(),
                        _ => vec![cells[i].clone()],
                    };
                    attributes.insert(column.clone(), values);
                }
                None => {
                    problems.push((column.clone(), format!("{} has no “{column}” attribute.", class.name)))
                }
            }
        }
        let owner = match self.get(cells, "owner") {
            "" => None,
            email => match self.person(email).await? {
                Some(user) => Some(user),
                None => {
                    problems.push(("owner".into(), format!("Nobody has the e-mail address {email}.")));
                    None
                }
            },
        };
        let support_group = match self.get(cells, "support_group") {
            "" => None,
            name => match self.groups.iter().find(|(_, g)| g.eq_ignore_ascii_case(name)) {
                Some((id, _)) => Some(*id),
                None => {
                    problems.push(("support_group".into(), format!("There is no group called {name}.")));
                    None
                }
            },
        };
        let text_or =
            |value: &str, default: &str| if value.is_empty() { default.to_owned() } else { value.to_owned() };
        let input = CiInput {
            name: self.get(cells, "name").to_owned(),
            status: text_or(self.get(cells, "status"), "in_operation"),
            criticality: text_or(self.get(cells, "criticality"), "medium"),
            location: self.get(cells, "location").to_owned(),
            owner,
            support_group,
            attributes,
        };
        let mut fields = match validate_ci(&schema, &input, now.date_naive()) {
            Ok(fields) => fields,
            Err(found) => {
                problems.extend(found.0);
                return Ok(Err(problems));
            }
        };
        let mut unknown = FieldErrors::default();
        self.references.check(actor, &schema, &fields.attributes, &mut unknown).await?;
        problems.extend(unknown.0);
        if !problems.is_empty() {
            return Ok(Err(problems));
        }
        let existing = Store::cis_named(tx, &fields.name).await?.into_iter().find(|(_, c, _)| *c == class.id);
        let Some((id, ..)) = existing else {
            create_ci(tx, Some(actor), class, &fields, now).await?;
            return Ok(Ok(Outcome::Created));
        };
        let Some((_, before, version)) = Store::ci_fields(tx, id).await? else {
            return Ok(Err(vec![("name".into(), "This CI was deleted while the file was read.".into())]));
        };
        for (key, value) in &before.attributes {
            if !fields.attributes.contains_key(key) && !self.header.contains(key) {
                fields.attributes.insert(key.clone(), value.clone());
            }
        }
        Ok(match write_changes(tx, actor, id, (&before, version), &fields, now).await? {
            Written::Unchanged => Ok(Outcome::Unchanged),
            Written::Saved => Ok(Outcome::Updated),
            Written::Stale => {
                Err(vec![("name".into(), "Someone changed this CI while the file was read.".into())])
            }
        })
    }

    /// The one CI `name` (of `class`, if given) names, or what is wrong, beside `column`.
    async fn end(
        &self,
        tx: &mut Tx,
        name: &str,
        class: &str,
        column: &str,
    ) -> Result<Result<(CiId, CiClassId), (String, String)>, AppError> {
        let problem = |message: String| Ok(Err((column.to_owned(), message)));
        if name.is_empty() {
            return problem("Name the CI.".into());
        }
        let mut found = Store::cis_named(tx, name).await?;
        if !class.is_empty() {
            let Some(class) = self.class(class) else {
                return problem(format!("There is no class {class}."));
            };
            found.retain(|(_, c, _)| is_a(self.classes, *c, &class.code));
        }
        match found.as_slice() {
            [] => problem(format!("No CI is called {name}.")),
            [(_, _, CiStatus::Retired)] => problem(format!("{name} is retired: relate CIs in use.")),
            [(id, class, _)] => Ok(Ok((*id, *class))),
            _ => problem(format!("Several CIs are called {name}: add a class column to say which.")),
        }
    }

    async fn relation_row(
        &mut self,
        tx: &mut Tx,
        actor: &CurrentUser,
        cells: &[String],
        now: DateTime<Utc>,
    ) -> RowResult {
        let mut problems = Vec::new();
        let kind_text = self.get(cells, "kind");
        let kind = RelationKind::parse(kind_text)
            .or_else(|| RelationKind::ALL.into_iter().find(|k| k.label().eq_ignore_ascii_case(kind_text)));
        if kind.is_none() {
            problems.push((
                "kind".to_owned(),
                "Say how they relate: depends_on, runs_on, connected_to or member_of.".to_owned(),
            ));
        }
        let from = self.end(tx, self.get(cells, "from"), self.get(cells, "from_class"), "from").await?;
        let to = self.end(tx, self.get(cells, "to"), self.get(cells, "to_class"), "to").await?;
        let (from, to) = match (from, to) {
            (Ok(from), Ok(to)) => (from, to),
            (from, to) => {
                problems.extend(from.err());
                problems.extend(to.err());
                return Ok(Err(problems));
            }
        };
        let Some(kind) = kind else { return Ok(Err(problems)) };
        if let Err(e) = check_relation(self.classes, kind, from, to) {
            return Ok(Err(vec![("kind".into(), capitalised(&e.to_string()))]));
        }
        let edge = Edge { from: from.0, to: to.0, kind };
        if Store::ci_relation_exists(tx, edge).await? {
            return Ok(Ok(Outcome::Unchanged));
        }
        Store::insert_ci_relation(tx, edge, Some(actor.id), now).await?;
        note_relation(tx, actor, edge, now, true).await?;
        Ok(Ok(Outcome::Created))
    }
}

/// Every CI of class `code` and its subclasses as CSV, in the columns an import reads:
/// the fixed fields, then each attribute any of those classes has.
pub async fn export(store: &Store, code: &str) -> Result<String, AppError> {
    let classes = store.ci_classes().await?;
    let below = class_and_below(&classes, code);
    if below.is_empty() {
        return Err(AppError::field("class", "There is no such class."));
    }
    let mut keys: Vec<String> = Vec::new();
    for class in &below {
        for field in effective_schema(&classes, *class).unwrap_or_default().fields {
            if !keys.contains(&field.key) {
                keys.push(field.key);
            }
        }
    }
    let mut out: String =
        CI_COLUMNS.iter().map(|c| (*c).to_owned()).chain(keys.iter().cloned()).collect::<Vec<_>>().join(",");
    out.push_str("\r\n");
    let mut after = CiId(0);
    loop {
        let page = store.export_cis(&below, after, EXPORT_PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for ci in &page {
            let fixed = [
                ci.class_code.as_str(),
                ci.name.as_str(),
                ci.status.as_str(),
                ci.criticality.as_str(),
                ci.location.as_str(),
                ci.owner_email.as_deref().unwrap_or(""),
                ci.support_group.as_deref().unwrap_or(""),
            ];
            let attributes =
                keys.iter().map(|k| ci.attributes.get(k).map(|a| a.to_text()).unwrap_or_default());
            let cells: Vec<String> =
                fixed.iter().map(|c| cell(c)).chain(attributes.map(|a| cell(&a))).collect();
            out.push_str(&cells.join(","));
            out.push_str("\r\n");
        }
        if (page.len() as i64) < EXPORT_PAGE {
            break;
        }
    }
    Ok(out)
}
