//! Links between records, and a record's watchers.

use chrono::{DateTime, Utc};

use super::{Store, StoreError, Tx};
use crate::domain::ids::{RecordId, UserId};
use crate::domain::link::{LinkKind, LinkRole, LinkView};
use crate::domain::record::RecordState;
use crate::ssr::store::ChildRow;

#[derive(sqlx::FromRow)]
struct LinkRow {
    kind: LinkKind,
    from_end: bool,
    number: String,
    title: String,
    state: RecordState,
}

impl Store {
    /// Every link of `record`, as it reads from this end, by the other record's number.
    pub async fn links_of(&self, record: RecordId) -> Result<Vec<LinkView>, StoreError> {
        let rows: Vec<LinkRow> = sqlx::query_as(
            "SELECT l.kind, 1 AS from_end, r.number, r.title, r.state
               FROM record_links l JOIN records r ON r.id = l.to_id WHERE l.from_id = ?1
             UNION ALL
             SELECT l.kind, 0 AS from_end, r.number, r.title, r.state
               FROM record_links l JOIN records r ON r.id = l.from_id WHERE l.to_id = ?1
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
        let found: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM record_links WHERE from_id = ? AND to_id = ? AND kind = ?")
                .bind(from)
                .bind(to)
                .bind(kind)
                .fetch_optional(&mut **tx)
                .await?;
        Ok(found.is_some())
    }

    /// Whether `record` has a parent, and whether it has children.
    pub async fn family(tx: &mut Tx, record: RecordId) -> Result<(bool, bool), StoreError> {
        Ok(sqlx::query_as(
            "SELECT EXISTS (SELECT 1 FROM record_links WHERE to_id = ?1 AND kind = 'parent_of'),
                    EXISTS (SELECT 1 FROM record_links WHERE from_id = ?1 AND kind = 'parent_of')",
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
            "INSERT INTO record_links (from_id, to_id, kind, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
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
        let deleted = sqlx::query("DELETE FROM record_links WHERE from_id = ? AND to_id = ? AND kind = ?")
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
             WHERE l.from_id = ? AND l.kind = 'parent_of' ORDER BY r.id",
        )
        .bind(parent)
        .fetch_all(&mut **tx)
        .await?)
    }

    /// `record`'s watchers with their names, by name.
    pub async fn watchers(&self, record: RecordId) -> Result<Vec<(UserId, String)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT u.id, u.name FROM record_watchers w JOIN users u ON u.id = w.user_id
             WHERE w.record_id = ? ORDER BY u.name",
        )
        .bind(record)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }

    /// Stops `user` watching `record`; false when they weren't.
    pub async fn remove_watcher(tx: &mut Tx, record: RecordId, user: UserId) -> Result<bool, StoreError> {
        let deleted = sqlx::query("DELETE FROM record_watchers WHERE record_id = ? AND user_id = ?")
            .bind(record)
            .bind(user)
            .execute(&mut **tx)
            .await?
            .rows_affected();
        Ok(deleted == 1)
    }
}
