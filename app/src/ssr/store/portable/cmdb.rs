//! The CMDB: classes, CIs, the relations between them and each CI's history.

use chrono::{DateTime, Utc};

use crate::domain::ci_graph::{CiNode, Neighbourhood, NeighbourhoodWalk, Spreading};
use crate::domain::cmdb::{
    CiClass, CiEvent, CiFields, CiStatus, CiView, Criticality, Edge, RelationKind, RelationView,
};
use crate::domain::cmdb_csv::CiExport;
use crate::domain::form::{Answers, FormSchema};
use crate::domain::ids::{CatalogItemId, CiClassId, CiId, GroupId, RecordId, UserId};
use crate::domain::record::RecordSummary;
use crate::ssr::store::portable::records::{SUMMARY_SELECT, SummaryRow};
use crate::ssr::store::{CiQuery, Offering, StoreError};

/// The most CIs one step of a traversal asks about in one statement.
const IDS_PER_QUERY: usize = 500;
/// The most relations one step of an impact analysis reads.
const SPREAD_ROWS_MAX: i64 = 5_000;

/// `$first, $first+1, …` for `count` parameters.
fn placeholders(first: usize, count: usize) -> String {
    (first..first + count).map(|n| format!("${n}")).collect::<Vec<_>>().join(", ")
}

/// `'a', 'b'` for codes the program defines, never for input.
fn kinds_list(kinds: &[RelationKind]) -> String {
    kinds.iter().map(|k| format!("'{}'", k.as_str())).collect::<Vec<_>>().join(", ")
}

const NODE_SELECT: &str = "SELECT c.id, c.name, c.class_id, k.name AS class_name, c.status,
        o.name AS owner_name, g.name AS support_group_name
     FROM cis c
     JOIN ci_classes k ON k.id = c.class_id
     LEFT JOIN users o ON o.id = c.owner_id
     LEFT JOIN groups g ON g.id = c.support_group_id";

#[derive(sqlx::FromRow)]
struct NodeRow {
    id: CiId,
    name: String,
    class_id: CiClassId,
    class_name: String,
    status: CiStatus,
    owner_name: Option<String>,
    support_group_name: Option<String>,
}

impl From<NodeRow> for CiNode {
    fn from(r: NodeRow) -> Self {
        CiNode {
            id: r.id,
            name: r.name,
            class: r.class_id,
            class_name: r.class_name,
            status: r.status,
            owner_name: r.owner_name,
            support_group_name: r.support_group_name,
        }
    }
}

#[derive(sqlx::FromRow)]
struct FieldsRow {
    class_id: CiClassId,
    name: String,
    status: CiStatus,
    criticality: Criticality,
    location: String,
    owner_id: Option<UserId>,
    support_group_id: Option<GroupId>,
    attributes: String,
    version: i64,
}

#[derive(sqlx::FromRow)]
struct ExportRow {
    id: CiId,
    class_code: String,
    name: String,
    status: CiStatus,
    criticality: Criticality,
    location: String,
    owner_email: Option<String>,
    support_group: Option<String>,
    attributes: String,
}

#[derive(sqlx::FromRow)]
struct EventRow {
    at: DateTime<Utc>,
    actor_name: Option<String>,
    field: String,
    from_value: Option<String>,
    to_value: Option<String>,
}

/// The deepest neighbourhood a traversal follows, whatever it is asked for.
pub(in crate::ssr::store) const NEIGHBOURHOOD_DEPTH_MAX: u32 = 4;

#[derive(sqlx::FromRow)]
struct ClassRow {
    id: CiClassId,
    code: String,
    name: String,
    parent_id: Option<CiClassId>,
    description: String,
    attributes: String,
    retired_attributes: String,
    retired: bool,
}

impl ClassRow {
    fn into_class(self) -> Result<CiClass, StoreError> {
        let attributes: FormSchema = serde_json::from_str(&self.attributes).map_err(decode)?;
        let retired_attributes: FormSchema =
            serde_json::from_str(&self.retired_attributes).map_err(decode)?;
        Ok(CiClass {
            id: self.id,
            code: self.code,
            name: self.name,
            parent: self.parent_id,
            description: self.description,
            attributes,
            retired_attributes,
            retired: self.retired,
        })
    }
}

#[derive(sqlx::FromRow)]
struct CiRow {
    id: CiId,
    class_id: CiClassId,
    class_name: String,
    name: String,
    status: CiStatus,
    criticality: Criticality,
    location: String,
    owner_id: Option<UserId>,
    owner_name: Option<String>,
    support_group_id: Option<GroupId>,
    support_group_name: Option<String>,
    attributes: String,
    updated_at: DateTime<Utc>,
    version: i64,
}

#[derive(sqlx::FromRow)]
struct RelationRow {
    kind: RelationKind,
    outgoing: bool,
    other: CiId,
    other_name: String,
    other_class: String,
    other_status: CiStatus,
}

fn decode(error: serde_json::Error) -> StoreError {
    StoreError::Db(sqlx::Error::Decode(Box::new(error)))
}

fn encode<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Db(sqlx::Error::Encode(Box::new(e))))
}

on_both_backends! {
    /// Every class, in the order they were added.
    pub async fn ci_classes(&self) -> Result<Vec<CiClass>, StoreError> {
        let sql = format!(
            "SELECT id, code, name, parent_id, description, {} AS attributes,
                    {} AS retired_attributes, retired
             FROM ci_classes ORDER BY position, id",
            Self::json_text("attributes"),
            Self::json_text("retired_attributes")
        );
        let rows: Vec<ClassRow> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(&mut *self.reader().await?).await?;
        rows.into_iter().map(ClassRow::into_class).collect()
    }

    /// Adds a class after the others; a code or name already taken is a `Conflict`.
    pub async fn insert_ci_class(tx: &mut Tx, class: &CiClass) -> Result<CiClassId, StoreError> {
        let sql = format!(
            "INSERT INTO ci_classes (code, name, parent_id, description, attributes, retired, position)
             VALUES ($1, $2, $3, $4, {}, $6, (SELECT coalesce(max(position), 0) + 1 FROM ci_classes))
             RETURNING id",
            Self::json_param(5)
        );
        Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(&class.code)
            .bind(class.name.trim())
            .bind(class.parent)
            .bind(&class.description)
            .bind(encode(&class.attributes)?)
            .bind(class.retired)
            .fetch_one(&mut **tx)
            .await?)
    }

    /// Saves class `class.id`'s name, place, description, attributes and whether it is
    /// retired; its code stays as it was made.
    pub async fn update_ci_class(tx: &mut Tx, class: &CiClass) -> Result<(), StoreError> {
        let sql = format!(
            "UPDATE ci_classes SET name = $1, parent_id = $2, description = $3, attributes = {},
                 retired_attributes = {}, retired = $6
             WHERE id = $7",
            Self::json_param(4),
            Self::json_param(5)
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(class.name.trim())
            .bind(class.parent)
            .bind(&class.description)
            .bind(encode(&class.attributes)?)
            .bind(encode(&class.retired_attributes)?)
            .bind(class.retired)
            .bind(class.id)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// Adds a CI of `class` with checked `fields`; a name its class already has is a `Conflict`.
    pub async fn insert_ci(
        tx: &mut Tx,
        class: CiClassId,
        fields: &CiFields,
        now: DateTime<Utc>,
    ) -> Result<CiId, StoreError> {
        let sql = format!(
            "INSERT INTO cis (class_id, name, status, criticality, location, owner_id, support_group_id,
                 attributes, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, {}, $9, $9) RETURNING id",
            Self::json_param(8)
        );
        Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(class)
            .bind(&fields.name)
            .bind(fields.status)
            .bind(fields.criticality)
            .bind(&fields.location)
            .bind(fields.owner)
            .bind(fields.support_group)
            .bind(encode(&fields.attributes)?)
            .bind(now)
            .fetch_one(&mut **tx)
            .await?)
    }

    /// A CI with its class's, owner's and support group's names.
    pub async fn find_ci(&self, id: CiId) -> Result<Option<CiView>, StoreError> {
        let sql = format!(
            "SELECT c.id, c.class_id, k.name AS class_name, c.name, c.status, c.criticality, c.location,
                    c.owner_id, o.name AS owner_name, c.support_group_id, g.name AS support_group_name,
                    {} AS attributes, c.updated_at, c.version
             FROM cis c
             JOIN ci_classes k ON k.id = c.class_id
             LEFT JOIN users o ON o.id = c.owner_id
             LEFT JOIN groups g ON g.id = c.support_group_id
             WHERE c.id = $1",
            Self::json_text("c.attributes")
        );
        let row: Option<CiRow> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *self.reader().await?).await?;
        let Some(row) = row else { return Ok(None) };
        let attributes: Answers = serde_json::from_str(&row.attributes).map_err(decode)?;
        Ok(Some(CiView {
            id: row.id,
            class: row.class_id,
            class_name: row.class_name,
            name: row.name,
            status: row.status,
            criticality: row.criticality,
            location: row.location,
            owner: row.owner_id,
            owner_name: row.owner_name,
            support_group: row.support_group_id,
            support_group_name: row.support_group_name,
            attributes,
            updated_at: row.updated_at,
            version: row.version,
        }))
    }

    /// The class of CI `id`, inside a write, to check a relation against.
    pub async fn ci_class_of(tx: &mut Tx, id: CiId) -> Result<Option<CiClassId>, StoreError> {
        Ok(sqlx::query_scalar("SELECT class_id FROM cis WHERE id = $1").bind(id).fetch_optional(&mut **tx).await?)
    }

    /// Records that `from` is `kind` `to`; the same relation twice is a `Conflict`.
    pub async fn insert_ci_relation(
        tx: &mut Tx,
        edge: Edge,
        by: Option<UserId>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO ci_relations (kind, from_id, to_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(edge.kind)
        .bind(edge.from)
        .bind(edge.to)
        .bind(by)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// CI `id`'s relations from both ends, by kind and the other CI's name: `limit` of them
    /// from the `skip`th on.
    pub async fn ci_relations(&self, id: CiId, skip: i64, limit: i64) -> Result<Vec<RelationView>, StoreError> {
        let rows: Vec<RelationRow> = sqlx::query_as(
            "SELECT r.kind, true AS outgoing, c.id AS other, c.name AS other_name, k.name AS other_class,
                    c.status AS other_status
             FROM ci_relations r JOIN cis c ON c.id = r.to_id JOIN ci_classes k ON k.id = c.class_id
             WHERE r.from_id = $1
             UNION ALL
             SELECT r.kind, false, c.id, c.name, k.name, c.status
             FROM ci_relations r JOIN cis c ON c.id = r.from_id JOIN ci_classes k ON k.id = c.class_id
             WHERE r.to_id = $1
             ORDER BY 1, 4, 3 LIMIT $2 OFFSET $3",
        )
        .bind(id)
        .bind(limit)
        .bind(skip)
        .fetch_all(&mut *self.reader().await?)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| RelationView {
                kind: r.kind,
                outgoing: r.outgoing,
                other: r.other,
                other_name: r.other_name,
                other_class: r.other_class,
                other_status: r.other_status,
            })
            .collect())
    }

    /// How many relations CI `id` has, from both ends.
    pub async fn ci_relation_count(&self, id: CiId) -> Result<i64, StoreError> {
        let (count,): (i64,) = sqlx::query_as(
            "SELECT CAST((SELECT count(*) FROM ci_relations WHERE from_id = $1)
                       + (SELECT count(*) FROM ci_relations WHERE to_id = $1) AS BIGINT)",
        )
        .bind(id)
        .fetch_one(&mut *self.reader().await?)
        .await?;
        Ok(count)
    }

    /// The CIs within `depth` steps of `id`, either way along each relation, nearest first
    /// and no more than a drawing shows, with the relations among them. `depth` is held to
    /// `NEIGHBOURHOOD_DEPTH_MAX`.
    pub async fn ci_neighbourhood(&self, id: CiId, depth: u32) -> Result<Neighbourhood, StoreError> {
        let mut walk = NeighbourhoodWalk::new(id, depth.min(NEIGHBOURHOOD_DEPTH_MAX));
        while !walk.frontier().is_empty() {
            let (frontier, kept) = (walk.frontier(), walk.kept());
            let near = placeholders(2, frontier.len());
            let known = placeholders(2 + frontier.len(), kept.len());
            let sql = format!(
                "SELECT from_id, to_id, kind FROM (
                     SELECT r.from_id, r.to_id, r.kind FROM ci_relations r
                     WHERE r.from_id IN ({near}) AND r.to_id NOT IN ({known})
                     ORDER BY r.from_id, r.to_id, r.kind LIMIT $1) AS outgoing
                 UNION ALL
                 SELECT from_id, to_id, kind FROM (
                     SELECT r.from_id, r.to_id, r.kind FROM ci_relations r
                     WHERE r.to_id IN ({near}) AND r.from_id NOT IN ({known})
                     ORDER BY r.to_id, r.kind, r.from_id LIMIT $1) AS incoming"
            );
            let limit = NeighbourhoodWalk::step_limit();
            let mut select = sqlx::query_as::<_, (CiId, CiId, RelationKind)>(sqlx::AssertSqlSafe(sql))
                .bind(i64::try_from(limit).unwrap_or(i64::MAX));
            for id in frontier.iter().chain(kept) {
                select = select.bind(*id);
            }
            let rows = select.fetch_all(&mut *self.reader().await?).await?;
            let step: Vec<Edge> = rows.into_iter().map(|(from, to, kind)| Edge { from, to, kind }).collect();
            let outgoing = step.iter().filter(|e| frontier.contains(&e.from)).count();
            let cut = outgoing >= limit || step.len() - outgoing >= limit;
            walk.absorb(&step, cut);
        }
        let kept = walk.kept();
        let ids = placeholders(1, kept.len());
        let sql = format!(
            "SELECT from_id, to_id, kind FROM ci_relations
             WHERE from_id IN ({ids}) AND to_id IN ({ids}) ORDER BY from_id, to_id, kind"
        );
        let mut select = sqlx::query_as::<_, (CiId, CiId, RelationKind)>(sqlx::AssertSqlSafe(sql));
        for id in kept {
            select = select.bind(*id);
        }
        let rows = select.fetch_all(&mut *self.reader().await?).await?;
        Ok(Neighbourhood {
            edges: rows.into_iter().map(|(from, to, kind)| Edge { from, to, kind }).collect(),
            more: walk.more(),
        })
    }

    /// A number that moves whenever a relation, a CI's status or class, or a class's place
    /// in the hierarchy changes (the migration's triggers move it).
    pub async fn cmdb_version(&self) -> Result<i64, StoreError> {
        let (version,): (i64,) = sqlx::query_as("SELECT CAST(version AS BIGINT) FROM cmdb_version WHERE id = 1")
            .fetch_one(&mut *self.reader().await?)
            .await?;
        Ok(version)
    }

    /// Adds a line to CI `id`'s history.
    pub async fn append_ci_event(
        tx: &mut Tx,
        id: CiId,
        actor: Option<UserId>,
        at: DateTime<Utc>,
        change: (&str, Option<&str>, Option<&str>),
    ) -> Result<(), StoreError> {
        let (field, from, to) = change;
        sqlx::query(
            "INSERT INTO ci_events (ci_id, actor_id, at, field, from_value, to_value) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(actor)
        .bind(at)
        .bind(field)
        .bind(from)
        .bind(to)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// A CI's class, checked fields and version, inside a write that changes them.
    pub async fn ci_fields(tx: &mut Tx, id: CiId) -> Result<Option<(CiClassId, CiFields, i64)>, StoreError> {
        let sql = format!(
            "SELECT class_id, name, status, criticality, location, owner_id, support_group_id,
                    {} AS attributes, version
             FROM cis WHERE id = $1",
            Self::json_text("attributes")
        );
        let row: Option<FieldsRow> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut **tx).await?;
        let Some(row) = row else { return Ok(None) };
        let attributes: Answers = serde_json::from_str(&row.attributes).map_err(decode)?;
        Ok(Some((
            row.class_id,
            CiFields {
                name: row.name,
                status: row.status,
                criticality: row.criticality,
                location: row.location,
                owner: row.owner_id,
                support_group: row.support_group_id,
                attributes,
            },
            row.version,
        )))
    }

    /// Saves CI `id`'s fields if it is still at `version`; `false` when someone saved first.
    pub async fn update_ci(
        tx: &mut Tx,
        id: CiId,
        fields: &CiFields,
        version: i64,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let sql = format!(
            "UPDATE cis SET name = $1, status = $2, criticality = $3, location = $4, owner_id = $5,
                 support_group_id = $6, attributes = {}, updated_at = $8, version = version + 1
             WHERE id = $9 AND version = $10",
            Self::json_param(7)
        );
        let done = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(&fields.name)
            .bind(fields.status)
            .bind(fields.criticality)
            .bind(&fields.location)
            .bind(fields.owner)
            .bind(fields.support_group)
            .bind(encode(&fields.attributes)?)
            .bind(now)
            .bind(id)
            .bind(version)
            .execute(&mut **tx)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Removes a relation; `false` when there was none.
    pub async fn delete_ci_relation(tx: &mut Tx, edge: Edge) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM ci_relations WHERE from_id = $1 AND to_id = $2 AND kind = $3")
            .bind(edge.from)
            .bind(edge.to)
            .bind(edge.kind)
            .execute(&mut **tx)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// CIs whose name starts with the query's prefix, by name, within its classes and owner.
    pub async fn search_cis(&self, query: &CiQuery) -> Result<Vec<CiNode>, StoreError> {
        let mut sql = format!("{NODE_SELECT} WHERE {}", Self::starts_with("c.name", 1));
        if !query.classes.is_empty() {
            sql.push_str(&format!(" AND c.class_id IN ({})", placeholders(4, query.classes.len())));
        }
        sql.push_str(" AND ($2 OR c.status <> 'retired') AND ($3 IS NULL OR c.owner_id = $3)");
        sql.push_str(&format!(" ORDER BY c.name, c.id LIMIT ${}", 4 + query.classes.len()));
        let mut select = sqlx::query_as::<_, NodeRow>(sqlx::AssertSqlSafe(sql))
            .bind(crate::ssr::store::like_prefix(&query.prefix))
            .bind(query.include_retired)
            .bind(query.owner);
        for class in &query.classes {
            select = select.bind(*class);
        }
        let rows = select.bind(query.limit).fetch_all(&mut *self.reader().await?).await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// The CIs `ids` names, by name; those that do not exist are left out.
    pub async fn ci_nodes(&self, ids: &[CiId]) -> Result<Vec<CiNode>, StoreError> {
        let mut nodes = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(IDS_PER_QUERY) {
            let sql = format!("{NODE_SELECT} WHERE c.id IN ({})", placeholders(1, chunk.len()));
            let mut select = sqlx::query_as::<_, NodeRow>(sqlx::AssertSqlSafe(sql));
            for id in chunk {
                select = select.bind(*id);
            }
            nodes.extend(select.fetch_all(&mut *self.reader().await?).await?.into_iter().map(CiNode::from));
        }
        nodes.sort_by(|a, b| (&a.name, a.id).cmp(&(&b.name, b.id)));
        Ok(nodes)
    }

    /// The attributes of the CIs `ids` names, by id; those that do not exist are left out.
    pub async fn ci_attributes(&self, ids: &[CiId]) -> Result<Vec<(CiId, Answers)>, StoreError> {
        let mut found = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(IDS_PER_QUERY) {
            let sql = format!(
                "SELECT id, {} AS attributes FROM cis WHERE id IN ({}) ORDER BY id",
                Self::json_text("attributes"),
                placeholders(1, chunk.len())
            );
            let mut select = sqlx::query_as::<_, (CiId, String)>(sqlx::AssertSqlSafe(sql));
            for id in chunk {
                select = select.bind(*id);
            }
            for (id, attributes) in select.fetch_all(&mut *self.reader().await?).await? {
                found.push((id, serde_json::from_str(&attributes).map_err(decode)?));
            }
        }
        Ok(found)
    }

    /// CI `id`'s history, newest first, at most `limit` lines.
    pub async fn ci_events(&self, id: CiId, limit: i64) -> Result<Vec<CiEvent>, StoreError> {
        let rows: Vec<EventRow> = sqlx::query_as(
            "SELECT e.at, u.name AS actor_name, e.field, e.from_value, e.to_value
             FROM ci_events e LEFT JOIN users u ON u.id = e.actor_id
             WHERE e.ci_id = $1 ORDER BY e.id DESC LIMIT $2",
        )
        .bind(id)
        .bind(limit)
        .fetch_all(&mut *self.reader().await?)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| CiEvent { at: r.at, actor_name: r.actor_name, field: r.field, from: r.from_value, to: r.to_value })
            .collect())
    }

    /// One step of an impact analysis: the relations along which an outage of a CI in
    /// `failed` reaches another CI that is not retired. `to_first` are the kinds that carry
    /// it from a relation's second CI to its first, `to_second` the other way.
    pub async fn ci_spread_step(
        &self,
        failed: &[CiId],
        to_first: &[RelationKind],
        to_second: &[RelationKind],
    ) -> Result<Vec<Spreading>, StoreError> {
        let mut step = Vec::new();
        for chunk in failed.chunks(IDS_PER_QUERY) {
            let ids = placeholders(2, chunk.len());
            let sql = Self::json_rows(
                "failed, affected, affected_class, kind",
                &format!(
                    "SELECT r.to_id AS failed, r.from_id AS affected, c.class_id AS affected_class, r.kind
                     FROM ci_relations r JOIN cis c ON c.id = r.from_id
                     WHERE r.to_id IN ({ids}) AND r.kind IN ({first}) AND c.status <> 'retired'
                     UNION ALL
                     SELECT r.from_id, r.to_id, c.class_id, r.kind
                     FROM ci_relations r JOIN cis c ON c.id = r.to_id
                     WHERE r.from_id IN ({ids}) AND r.kind IN ({second}) AND c.status <> 'retired'
                     LIMIT $1",
                    first = kinds_list(to_first),
                    second = kinds_list(to_second),
                ),
            );
            let mut select = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql)).bind(SPREAD_ROWS_MAX);
            for id in chunk {
                select = select.bind(*id);
            }
            let rows = select.fetch_one(&mut *self.reader().await?).await?;
            let rows: Vec<(CiId, CiId, CiClassId, RelationKind)> = serde_json::from_str(&rows).map_err(decode)?;
            step.extend(rows.into_iter().map(|(failed, affected, affected_class, kind)| {
                // A kind that carries an outage to a relation's first CI runs from the
                // affected one to the failed one.
                let edge = if to_first.contains(&kind) {
                    Edge { from: affected, to: failed, kind }
                } else {
                    Edge { from: failed, to: affected, kind }
                };
                Spreading { failed, affected, affected_class, edge }
            }));
        }
        step.sort_by_key(|s| (s.affected, s.failed));
        Ok(step)
    }

    /// Names CI `ci` on record `record`; `false` when it already was.
    pub async fn link_record_ci(
        tx: &mut Tx,
        record: RecordId,
        ci: CiId,
        by: UserId,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO record_cis (record_id, ci_id, added_by, added_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT DO NOTHING",
        )
        .bind(record)
        .bind(ci)
        .bind(by)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Takes CI `ci` off record `record`; `false` when it was not on it.
    pub async fn unlink_record_ci(tx: &mut Tx, record: RecordId, ci: CiId) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM record_cis WHERE record_id = $1 AND ci_id = $2")
            .bind(record)
            .bind(ci)
            .execute(&mut **tx)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The CIs record `record` names, by name.
    pub async fn record_cis(&self, record: RecordId) -> Result<Vec<CiNode>, StoreError> {
        let sql = format!(
            "{NODE_SELECT} WHERE c.id IN (SELECT ci_id FROM record_cis WHERE record_id = $1) ORDER BY c.name, c.id"
        );
        let rows: Vec<NodeRow> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(record).fetch_all(&mut *self.reader().await?).await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// The records that name any of `cis`, open ones only if `open_only`, latest first.
    pub async fn records_naming(
        &self,
        cis: &[CiId],
        open_only: bool,
        limit: i64,
    ) -> Result<Vec<RecordSummary>, StoreError> {
        if cis.is_empty() {
            return Ok(Vec::new());
        }
        let cis = &cis[..cis.len().min(IDS_PER_QUERY)];
        let open = if open_only { format!("AND {}", crate::ssr::store::open_states("r.state")) } else { String::new() };
        let sql = format!(
            "{SUMMARY_SELECT}
             WHERE r.id IN (SELECT record_id FROM record_cis WHERE ci_id IN ({})) {open}
             ORDER BY r.updated_at DESC, r.id DESC LIMIT $1",
            placeholders(2, cis.len())
        );
        let mut select = sqlx::query_as::<_, SummaryRow>(sqlx::AssertSqlSafe(sql)).bind(limit);
        for ci in cis {
            select = select.bind(*ci);
        }
        let rows = select.fetch_all(&mut *self.reader().await?).await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// The CIs open major incidents name, most recently updated first, at most `limit`.
    pub async fn major_incident_cis(&self, limit: i64) -> Result<Vec<CiId>, StoreError> {
        let sql = format!(
            "SELECT rc.ci_id FROM records r JOIN record_cis rc ON rc.record_id = r.id
             WHERE r.major = true AND {}
             GROUP BY rc.ci_id ORDER BY max(r.updated_at) DESC, rc.ci_id LIMIT $1",
            crate::ssr::store::open_states("r.state")
        );
        Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(limit).fetch_all(&mut *self.reader().await?).await?)
    }

    /// The CIs called `name`, whatever its case, with their classes and statuses, inside a
    /// write that adds or relates them.
    pub async fn cis_named(tx: &mut Tx, name: &str) -> Result<Vec<(CiId, CiClassId, CiStatus)>, StoreError> {
        let sql = format!(
            "SELECT id, class_id, status FROM cis WHERE {} ORDER BY id LIMIT 20",
            Self::starts_with("name", 1)
        );
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(crate::ssr::store::like_escaped(name.trim()))
            .fetch_all(&mut **tx)
            .await?)
    }

    /// Whether `edge` is recorded already, inside the write that would add it.
    pub async fn ci_relation_exists(tx: &mut Tx, edge: Edge) -> Result<bool, StoreError> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM ci_relations WHERE from_id = $1 AND to_id = $2 AND kind = $3",
        )
        .bind(edge.from)
        .bind(edge.to)
        .bind(edge.kind)
        .fetch_optional(&mut **tx)
        .await?;
        Ok(found.is_some())
    }

    /// Up to `limit` CIs of `classes` after `after`, by id, as an export writes them.
    pub async fn export_cis(
        &self,
        classes: &[CiClassId],
        after: CiId,
        limit: i64,
    ) -> Result<Vec<CiExport>, StoreError> {
        if classes.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT c.id, k.code AS class_code, c.name, c.status, c.criticality, c.location,
                    o.email AS owner_email, g.name AS support_group, {} AS attributes
             FROM cis c
             JOIN ci_classes k ON k.id = c.class_id
             LEFT JOIN users o ON o.id = c.owner_id
             LEFT JOIN groups g ON g.id = c.support_group_id
             WHERE c.id > $1 AND c.class_id IN ({})
             ORDER BY c.id LIMIT $2",
            Self::json_text("c.attributes"),
            placeholders(3, classes.len())
        );
        let mut select = sqlx::query_as::<_, ExportRow>(sqlx::AssertSqlSafe(sql)).bind(after).bind(limit);
        for class in classes {
            select = select.bind(*class);
        }
        let rows = select.fetch_all(&mut *self.reader().await?).await?;
        rows.into_iter()
            .map(|r| {
                Ok(CiExport {
                    id: r.id,
                    class_code: r.class_code,
                    name: r.name,
                    status: r.status,
                    criticality: r.criticality,
                    location: r.location,
                    owner_email: r.owner_email,
                    support_group: r.support_group,
                    attributes: serde_json::from_str(&r.attributes).map_err(decode)?,
                })
            })
            .collect()
    }

    /// The business service catalog item `item` is an offering of.
    pub async fn item_service(&self, item: CatalogItemId) -> Result<Option<CiId>, StoreError> {
        let found: Option<Option<CiId>> = sqlx::query_scalar("SELECT service_id FROM catalog_items WHERE id = $1")
            .bind(item)
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        Ok(found.flatten())
    }

    /// The catalog items offered under service `service`, in catalog order.
    pub async fn service_offerings(&self, service: CiId) -> Result<Vec<Offering>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT i.id, i.slug, i.name, i.active AS published, i.fulfilment_group_id AS fulfilment_group
             FROM catalog_items i JOIN catalog_categories c ON c.id = i.category_id
             WHERE i.service_id = $1 ORDER BY c.position, i.position, i.id LIMIT 100",
        )
        .bind(service)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }
}
