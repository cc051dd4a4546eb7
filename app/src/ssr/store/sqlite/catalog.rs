//! Catalog categories and items.

use super::{Store, StoreError, Tx};
use crate::domain::catalog::{Audience, CatalogItem, Category};
use crate::domain::ids::{CatalogItemId, CategoryId, GroupId};
use crate::ssr::store::{FoundItem, ItemChanges, NewCatalogItem};

#[derive(sqlx::FromRow)]
struct CategoryRow {
    id: CategoryId,
    slug: String,
    name: String,
    description: String,
    icon: String,
}

/// A row of the categories joined to their items: the item's columns are null for a
/// category without items.
struct CategoryItemRow {
    category: CategoryRow,
    item: Option<ItemRow>,
}

impl<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> for CategoryItemRow {
    fn from_row(row: &'r sqlx::sqlite::SqliteRow) -> Result<Self, sqlx::Error> {
        use sqlx::Row;
        let category = CategoryRow {
            id: row.try_get("c_id")?,
            slug: row.try_get("c_slug")?,
            name: row.try_get("c_name")?,
            description: row.try_get("c_description")?,
            icon: row.try_get("c_icon")?,
        };
        let item = match row.try_get::<Option<CatalogItemId>, _>("id")? {
            Some(_) => Some(ItemRow::from_row(row)?),
            None => None,
        };
        Ok(Self { category, item })
    }
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    id: CatalogItemId,
    slug: String,
    name: String,
    summary: String,
    description: String,
    icon: String,
    category_id: CategoryId,
    keywords: String,
    form_version: i64,
    active: bool,
    audience: String,
}

impl From<ItemRow> for CatalogItem {
    fn from(r: ItemRow) -> Self {
        CatalogItem {
            id: r.id,
            slug: r.slug,
            name: r.name,
            summary: r.summary,
            description: r.description,
            icon: r.icon,
            category_id: r.category_id,
            keywords: r.keywords,
            form_version: r.form_version,
            published: r.active,
            // Written only from `Audience`; an unreadable value admits nobody but admins.
            audience: leptos::serde_json::from_str(&r.audience)
                .unwrap_or(Audience { groups: vec![GroupId(0)], departments: Vec::new() }),
        }
    }
}

const ITEM_COLUMNS: &str =
    "id, slug, name, summary, description, icon, category_id, keywords, form_version, active, audience";

impl Store {
    /// Every category with its items in display order; unpublished items only when asked.
    /// One statement: the categories joined to their items, an empty category as one row
    /// without an item.
    pub async fn list_catalog(&self, with_unpublished: bool) -> Result<Vec<Category>, StoreError> {
        let sql = format!(
            "SELECT c.id AS c_id, c.slug AS c_slug, c.name AS c_name, c.description AS c_description,
                    c.icon AS c_icon, {}
             FROM catalog_categories c
             LEFT JOIN catalog_items i ON i.category_id = c.id AND (i.active = 1 OR ?)
             ORDER BY c.position, c.name, c.id, i.position, i.name",
            ITEM_COLUMNS.split(", ").map(|column| format!("i.{column}")).collect::<Vec<_>>().join(", ")
        );
        let rows: Vec<CategoryItemRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(with_unpublished)
            .fetch_all(&mut *self.reader().await?)
            .await?;
        let mut result: Vec<Category> = Vec::new();
        for row in rows {
            if result.last().is_none_or(|c| c.id != row.category.id) {
                let c = row.category;
                result.push(Category {
                    id: c.id,
                    slug: c.slug,
                    name: c.name,
                    description: c.description,
                    icon: c.icon,
                    items: Vec::new(),
                });
            }
            if let (Some(category), Some(item)) = (result.last_mut(), row.item) {
                category.items.push(item.into());
            }
        }
        Ok(result)
    }

    /// An active item, the name of its category, and its fulfilment group.
    pub async fn find_catalog_item(&self, slug: &str) -> Result<Option<FoundItem>, StoreError> {
        let sql = format!(
            "SELECT {ITEM_COLUMNS}, fulfilment_group_id,
                    (SELECT name FROM catalog_categories c WHERE c.id = category_id) AS category_name,
                    (SELECT name FROM groups g WHERE g.id = fulfilment_group_id) AS group_name
             FROM catalog_items WHERE slug = ? AND active = 1"
        );
        let row: Option<ItemWithCategory> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(slug)
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        Ok(row.map(|r| FoundItem {
            item: r.item.into(),
            category: r.category_name,
            group: r.fulfilment_group_id,
            group_name: r.group_name,
        }))
    }

    pub async fn set_item_keywords(
        tx: &mut Tx,
        item: CatalogItemId,
        keywords: &str,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE catalog_items SET keywords = ? WHERE id = ?")
            .bind(keywords)
            .bind(item)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    pub async fn insert_category(
        tx: &mut Tx,
        slug: &str,
        name: &str,
        description: &str,
        icon: &str,
        position: i64,
    ) -> Result<CategoryId, StoreError> {
        Ok(sqlx::query_scalar(
            "INSERT INTO catalog_categories (slug, name, description, icon, position)
             VALUES (?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(slug)
        .bind(name)
        .bind(description)
        .bind(icon)
        .bind(position)
        .fetch_one(&mut **tx)
        .await?)
    }

    pub async fn insert_catalog_item(
        tx: &mut Tx,
        category: CategoryId,
        item: &NewCatalogItem<'_>,
        position: i64,
    ) -> Result<CatalogItemId, StoreError> {
        Ok(sqlx::query_scalar(
            "INSERT INTO catalog_items (category_id, slug, name, summary, description, icon, fulfilment_group_id, position, service_id)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(category)
        .bind(item.slug)
        .bind(item.name)
        .bind(item.summary)
        .bind(item.description)
        .bind(item.icon)
        .bind(item.fulfilment_group)
        .bind(position)
        .bind(item.service)
        .fetch_one(&mut **tx)
        .await?)
    }
}

#[derive(sqlx::FromRow)]
struct ItemWithCategory {
    #[sqlx(flatten)]
    item: ItemRow,
    category_name: String,
    fulfilment_group_id: Option<GroupId>,
    group_name: Option<String>,
}

impl Store {
    pub async fn find_item_by_id(
        &self,
        id: CatalogItemId,
    ) -> Result<Option<(CatalogItem, Option<GroupId>)>, StoreError> {
        let sql = format!("SELECT {ITEM_COLUMNS}, fulfilment_group_id FROM catalog_items WHERE id = ?");
        let row: Option<ItemWithGroup> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        Ok(row.map(|r| (r.item.into(), r.fulfilment_group_id)))
    }

    /// Creates (no `id`) or updates an item; a new one goes last in its category, unpublished.
    pub async fn save_item(
        &self,
        id: Option<CatalogItemId>,
        item: &ItemChanges<'_>,
    ) -> Result<CatalogItemId, StoreError> {
        let mut tx = self.begin().await?;
        let id = match id {
            Some(id) => {
                let updated = sqlx::query(
                    "UPDATE catalog_items SET category_id = ?, slug = ?, name = ?, summary = ?, description = ?,
                         icon = ?, keywords = ?, fulfilment_group_id = ?, service_id = ? WHERE id = ?",
                )
                .bind(item.category)
                .bind(item.slug)
                .bind(item.name)
                .bind(item.summary)
                .bind(item.description)
                .bind(item.icon)
                .bind(item.keywords)
                .bind(item.group)
                .bind(item.service)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                if updated.rows_affected() == 0 {
                    return Err(StoreError::NotFound);
                }
                id
            }
            None => sqlx::query_scalar(
                "INSERT INTO catalog_items (category_id, slug, name, summary, description, icon, keywords,
                         fulfilment_group_id, service_id, active, position)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0,
                         (SELECT coalesce(max(position), -1) + 1 FROM catalog_items WHERE category_id = ?))
                     RETURNING id",
            )
            .bind(item.category)
            .bind(item.slug)
            .bind(item.name)
            .bind(item.summary)
            .bind(item.description)
            .bind(item.icon)
            .bind(item.keywords)
            .bind(item.group)
            .bind(item.service)
            .bind(item.category)
            .fetch_one(&mut *tx)
            .await?,
        };
        tx.commit().await?;
        Ok(id)
    }

    pub async fn category_exists(&self, id: CategoryId) -> Result<bool, StoreError> {
        Ok(sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM catalog_categories WHERE id = ?)")
            .bind(id)
            .fetch_one(&mut *self.reader().await?)
            .await?)
    }

    pub async fn set_item_published(&self, id: CatalogItemId, published: bool) -> Result<(), StoreError> {
        let updated = sqlx::query("UPDATE catalog_items SET active = ? WHERE id = ?")
            .bind(published)
            .bind(id)
            .execute(&self.write)
            .await?;
        if updated.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }

    pub async fn set_item_audience(&self, id: CatalogItemId, audience: &Audience) -> Result<(), StoreError> {
        let json = leptos::serde_json::to_string(audience)
            .map_err(|e| StoreError::Db(sqlx::Error::Encode(Box::new(e))))?;
        let updated = sqlx::query("UPDATE catalog_items SET audience = ? WHERE id = ?")
            .bind(json)
            .bind(id)
            .execute(&self.write)
            .await?;
        if updated.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }

    /// Swaps `id` with its neighbour before (`up`) or after it in its category.
    pub async fn move_item(&self, id: CatalogItemId, up: bool) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let siblings: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM catalog_items WHERE category_id = (SELECT category_id FROM catalog_items WHERE id = ?)
             ORDER BY position, name",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        reorder(&mut tx, "catalog_items", siblings, id.0, up).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Swaps category `id` with the one before (`up`) or after it.
    pub async fn move_category(&self, id: CategoryId, up: bool) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let all: Vec<i64> = sqlx::query_scalar("SELECT id FROM catalog_categories ORDER BY position, name")
            .fetch_all(&mut *tx)
            .await?;
        reorder(&mut tx, "catalog_categories", all, id.0, up).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Creates (no `id`; it goes last) or renames a category. A new one's slug comes from its name.
    pub async fn save_category(
        &self,
        id: Option<CategoryId>,
        slug: &str,
        name: &str,
        description: &str,
    ) -> Result<CategoryId, StoreError> {
        let mut tx = self.begin().await?;
        let id = match id {
            Some(id) => {
                let updated =
                    sqlx::query("UPDATE catalog_categories SET name = ?, description = ? WHERE id = ?")
                        .bind(name)
                        .bind(description)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                if updated.rows_affected() == 0 {
                    return Err(StoreError::NotFound);
                }
                id
            }
            None => {
                let last: i64 =
                    sqlx::query_scalar("SELECT coalesce(max(position), -1) + 1 FROM catalog_categories")
                        .fetch_one(&mut *tx)
                        .await?;
                Self::insert_category(&mut tx, slug, name, description, "box", last).await?
            }
        };
        tx.commit().await?;
        Ok(id)
    }
}

#[derive(sqlx::FromRow)]
struct ItemWithGroup {
    #[sqlx(flatten)]
    item: ItemRow,
    fulfilment_group_id: Option<GroupId>,
}

/// Moves row `id` of `ordered` (ids of `table` in display order) one place up or down, and
/// numbers them all again.
pub(super) async fn reorder(
    tx: &mut Tx,
    table: &'static str,
    mut ordered: Vec<i64>,
    id: i64,
    up: bool,
) -> Result<(), StoreError> {
    let Some(at) = ordered.iter().position(|i| *i == id) else { return Err(StoreError::NotFound) };
    let other = if up { at.checked_sub(1) } else { Some(at + 1).filter(|o| *o < ordered.len()) };
    if let Some(other) = other {
        ordered.swap(at, other);
    }
    let sql = format!("UPDATE {table} SET position = ? WHERE id = ?");
    for (position, row) in ordered.iter().enumerate() {
        sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
            .bind(position as i64)
            .bind(row)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
