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
    keywords: String,
    form_version: i64,
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
        }
    }
}

const ITEM_COLUMNS: &str = "id, slug, name, summary, description, icon, category_id, keywords, form_version";

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

    /// An active item, the name of its category, and its fulfilment group.
    pub async fn find_catalog_item(&self, slug: &str) -> Result<Option<FoundItem>, StoreError> {
        let sql = format!(
            "SELECT {ITEM_COLUMNS}, fulfilment_group_id,
                    (SELECT name FROM catalog_categories c WHERE c.id = category_id) AS category_name,
                    (SELECT name FROM groups g WHERE g.id = fulfilment_group_id) AS group_name
             FROM catalog_items WHERE slug = ? AND active = 1"
        );
        let row: Option<ItemWithCategory> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(slug).fetch_optional(&self.read).await?;
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
    fulfilment_group_id: Option<GroupId>,
    group_name: Option<String>,
}

/// An item as ordering needs it.
pub struct FoundItem {
    pub item: CatalogItem,
    pub category: String,
    pub group: Option<GroupId>,
    pub group_name: Option<String>,
}
