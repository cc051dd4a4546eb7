//! Links between records, and a record's watchers.

use chrono::{DateTime, Utc};

use crate::domain::ids::{RecordId, UserId};
use crate::domain::link::{LinkKind, LinkRole, LinkView};
use crate::domain::record::RecordState;
use crate::ssr::store::ChildRow;
use crate::ssr::store::StoreError;

#[derive(sqlx::FromRow)]
struct LinkRow {
    kind: LinkKind,
    from_end: bool,
    number: String,
    title: String,
    state: RecordState,
}

on_both_backends! {
    /// Every link of `record`, as it reads from this end, by the other record's number.
    pub async fn links_of(&self, record: RecordId) -> Result<Vec<LinkView>, StoreError> {
        let rows: Vec<LinkRow> = sqlx::query_as(
            "SELECT l.kind, true AS from_end, r.number, r.title, r.state
               FROM record_links l JOIN records r ON r.id = l.to_id WHERE l.from_id = $1
             UNION ALL
             SELECT l.kind, false AS from_end, r.number, r.title, r.state
               FROM record_links l JOIN records r ON r.id = l.from_id WHERE l.to_id = $1
             ORDER BY 3",
        )
        .bind(record)
        .fetch_all(&mut *self.reader().await?)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| LinkView {
                role: LinkRole::seen_from(r.kind, r.from_end),
                number: r.number,
                title: r.title,
                state: r.state,
            })
            .collect())
    }

    /// Whether a link of `kind` runs from `from` to `to`.
    pub async fn link_exists(
        tx: &mut Tx,
        from: RecordId,
        to: RecordId,
        kind: LinkKind,
    ) -> Result<bool, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM record_links WHERE from_id = $1 AND to_id = $2 AND kind = $3)",
        )
        .bind(from)
        .bind(to)
        .bind(kind)
        .fetch_one(&mut **tx)
        .await?)
    }

    /// Whether `record` has a parent, and whether it has children.
    pub async fn family(tx: &mut Tx, record: RecordId) -> Result<(bool, bool), StoreError> {
        Ok(sqlx::query_as(
            "SELECT EXISTS (SELECT 1 FROM record_links WHERE to_id = $1 AND kind = 'parent_of'),
                    EXISTS (SELECT 1 FROM record_links WHERE from_id = $1 AND kind = 'parent_of')",
        )
        .bind(record)
        .fetch_one(&mut **tx)
        .await?)
    }

    pub async fn insert_link(
        tx: &mut Tx,
        from: RecordId,
        to: RecordId,
        kind: LinkKind,
        by: UserId,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO record_links (from_id, to_id, kind, created_by, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(from)
        .bind(to)
        .bind(kind)
        .bind(by)
        .bind(at)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Removes a link; false when there was none.
    pub async fn delete_link(
        tx: &mut Tx,
        from: RecordId,
        to: RecordId,
        kind: LinkKind,
    ) -> Result<bool, StoreError> {
        let deleted = sqlx::query("DELETE FROM record_links WHERE from_id = $1 AND to_id = $2 AND kind = $3")
            .bind(from)
            .bind(to)
            .bind(kind)
            .execute(&mut **tx)
            .await?
            .rows_affected();
        Ok(deleted == 1)
    }

    /// The children of `parent`, read inside the writer's transaction.
    pub async fn children(tx: &mut Tx, parent: RecordId) -> Result<Vec<ChildRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT r.id, r.number, r.state, r.requester_id
             FROM record_links l JOIN records r ON r.id = l.to_id
             WHERE l.from_id = $1 AND l.kind = 'parent_of' ORDER BY r.id",
        )
        .bind(parent)
        .fetch_all(&mut **tx)
        .await?)
    }

    /// `record`'s watchers with their names, by name.
    pub async fn watchers(&self, record: RecordId) -> Result<Vec<(UserId, String)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT u.id, u.name FROM record_watchers w JOIN users u ON u.id = w.user_id
             WHERE w.record_id = $1 ORDER BY u.name",
        )
        .bind(record)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }

    /// Stops `user` watching `record`; false when they weren't.
    pub async fn remove_watcher(tx: &mut Tx, record: RecordId, user: UserId) -> Result<bool, StoreError> {
        let deleted = sqlx::query("DELETE FROM record_watchers WHERE record_id = $1 AND user_id = $2")
            .bind(record)
            .bind(user)
            .execute(&mut **tx)
            .await?
            .rows_affected();
        Ok(deleted == 1)
    }
}
