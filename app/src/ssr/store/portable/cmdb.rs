//! The CMDB: classes, CIs, the relations between them and each CI's history.

use chrono::{DateTime, Utc};

use crate::domain::cmdb::{
    CiClass, CiFields, CiStatus, CiView, Criticality, Edge, RelationKind, RelationView,
};
use crate::domain::form::{Answers, FormSchema};
use crate::domain::ids::{CiClassId, CiId, GroupId, UserId};
use crate::ssr::store::StoreError;

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
    retired: bool,
}

impl ClassRow {
    fn into_class(self) -> Result<CiClass, StoreError> {
        let attributes: FormSchema = serde_json::from_str(&self.attributes).map_err(decode)?;
        Ok(CiClass {
            id: self.id,
            code: self.code,
            name: self.name,
            parent: self.parent_id,
            description: self.description,
            attributes,
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
            "SELECT id, code, name, parent_id, description, {} AS attributes, retired
             FROM ci_classes ORDER BY position, id",
            Self::json_text("attributes")
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

    /// CI `id`'s relations from both ends, by kind and the other CI's name.
    pub async fn ci_relations(&self, id: CiId) -> Result<Vec<RelationView>, StoreError> {
        let rows: Vec<RelationRow> = sqlx::query_as(
            "SELECT r.kind, true AS outgoing, c.id AS other, c.name AS other_name, k.name AS other_class,
                    c.status AS other_status
             FROM ci_relations r JOIN cis c ON c.id = r.to_id JOIN ci_classes k ON k.id = c.class_id
             WHERE r.from_id = $1
             UNION ALL
             SELECT r.kind, false, c.id, c.name, k.name, c.status
             FROM ci_relations r JOIN cis c ON c.id = r.from_id JOIN ci_classes k ON k.id = c.class_id
             WHERE r.to_id = $1
             ORDER BY 1, 4",
        )
        .bind(id)
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

    /// The relations among the CIs within `depth` steps of `id`, either way along each;
    /// a cycle ends where the depth does. `depth` is held to `NEIGHBOURHOOD_DEPTH_MAX`.
    pub async fn ci_neighbourhood(&self, id: CiId, depth: u32) -> Result<Vec<Edge>, StoreError> {
        let rows: Vec<(CiId, CiId, RelationKind)> = sqlx::query_as(
            "WITH RECURSIVE reach (id, depth) AS (
                 SELECT CAST($1 AS BIGINT), 0
                 UNION
                 SELECT CASE WHEN r.from_id = reach.id THEN r.to_id ELSE r.from_id END, reach.depth + 1
                 FROM reach JOIN ci_relations r ON r.from_id = reach.id OR r.to_id = reach.id
                 WHERE reach.depth < $2
             ),
             near AS (SELECT DISTINCT id FROM reach)
             SELECT r.from_id, r.to_id, r.kind FROM ci_relations r
             WHERE r.from_id IN (SELECT id FROM near) AND r.to_id IN (SELECT id FROM near)
             ORDER BY r.from_id, r.to_id, r.kind",
        )
        .bind(id)
        .bind(i64::from(depth.min(NEIGHBOURHOOD_DEPTH_MAX)))
        .fetch_all(&mut *self.reader().await?)
        .await?;
        Ok(rows.into_iter().map(|(from, to, kind)| Edge { from, to, kind }).collect())
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
}
