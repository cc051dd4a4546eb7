//! Agents' saved queue views.

use chrono::{DateTime, Utc};

use crate::domain::ids::UserId;
use crate::domain::queue::SavedView;
use crate::ssr::store::StoreError;

on_both_backends! {
    /// `user`'s saved views, oldest first.
    pub async fn saved_views(&self, user: UserId) -> Result<Vec<SavedView>, StoreError> {
        let rows: Vec<(i64, String, String)> =
            sqlx::query_as("SELECT id, name, query FROM saved_views WHERE user_id = $1 ORDER BY id")
                .bind(user)
                .fetch_all(&mut *self.reader().await?)
                .await?;
        Ok(rows.into_iter().map(|(id, name, query)| SavedView { id, name, query }).collect())
    }

    /// Saves `query` under `name` for `user`; a view of the same name takes the new query.
    pub async fn save_view(
        &self,
        user: UserId,
        name: &str,
        query: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let id = sqlx::query_scalar(
            "INSERT INTO saved_views (user_id, name, query, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (user_id, name) DO UPDATE SET query = excluded.query RETURNING id",
        )
        .bind(user)
        .bind(name)
        .bind(query)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Deletes `user`'s view `id`; false when they have no such view.
    pub async fn delete_view(&self, user: UserId, id: i64) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let deleted = sqlx::query("DELETE FROM saved_views WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(deleted == 1)
    }
}
