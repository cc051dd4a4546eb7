//! Catalog categories and items.

use super::{Store, StoreError, Tx};
use crate::domain::catalog::{CatalogItem, Category};
use crate::domain::ids::{CatalogItemId, CategoryId, GroupId};

#[derive(sqlx::FromRow)]
struct CategoryRow {
    id: CategoryId,
    slug: String,
    name: String,
    description: String,
    icon: String,
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
        }
    }
}

const ITEM_COLUMNS: &str = "id, slug, name, summary, description, icon, category_id";

pub struct NewCatalogItem<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub summary: &'a str,
    pub description: &'a str,
    pub icon: &'a str,
    pub fulfilment_group: Option<GroupId>,
}

impl Store {
    /// Every category with its active items, in display order. Two queries, whatever the size.
    pub async fn list_catalog(&self) -> Result<Vec<Category>, StoreError> {
        let categories: Vec<CategoryRow> = sqlx::query_as(
            "SELECT id, slug, name, description, icon FROM catalog_categories ORDER BY position, name",
        )
        .fetch_all(&self.read)
        .await?;
        let sql =
            format!("SELECT {ITEM_COLUMNS} FROM catalog_items WHERE active = 1 ORDER BY position, name");
        let items: Vec<ItemRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(&self.read).await?;
        let mut result: Vec<Category> = categories
            .into_iter()
            .map(|c| Category {
                id: c.id,
                slug: c.slug,
                name: c.name,
                description: c.description,
                icon: c.icon,
                items: Vec::new(),
            })
            .collect();
        for item in items {
            if let Some(category) = result.iter_mut().find(|c| c.id == item.category_id) {
                category.items.push(item.into());
            }
        }
        Ok(result)
    }

    /// An active item and the name of its category.
    pub async fn find_catalog_item(&self, slug: &str) -> Result<Option<(CatalogItem, String)>, StoreError> {
        let sql = format!(
            "SELECT {ITEM_COLUMNS}, (SELECT name FROM catalog_categories c WHERE c.id = category_id) AS category_name
             FROM catalog_items WHERE slug = ? AND active = 1"
        );
        let row: Option<ItemWithCategory> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(slug).fetch_optional(&self.read).await?;
        Ok(row.map(|r| (r.item.into(), r.category_name)))
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
            "INSERT INTO catalog_items (category_id, slug, name, summary, description, icon, fulfilment_group_id, position)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(category)
        .bind(item.slug)
        .bind(item.name)
        .bind(item.summary)
        .bind(item.description)
        .bind(item.icon)
        .bind(item.fulfilment_group)
        .bind(position)
        .fetch_one(&mut **tx)
        .await?)
    }
}

#[derive(sqlx::FromRow)]
struct ItemWithCategory {
    #[sqlx(flatten)]
    item: ItemRow,
    category_name: String,
}
