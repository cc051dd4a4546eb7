//! The desk's canned responses.

use chrono::{DateTime, Utc};

use crate::domain::canned::CannedResponse;
use crate::ssr::store::StoreError;

on_both_backends! {
    /// Every canned response, by title.
    pub async fn canned_responses(&self) -> Result<Vec<CannedResponse>, StoreError> {
        let rows: Vec<(i64, String, String)> =
            sqlx::query_as("SELECT id, title, body FROM canned_responses ORDER BY title")
                .fetch_all(&mut *self.reader().await?)
                .await?;
        Ok(rows.into_iter().map(|(id, title, body)| CannedResponse { id, title, body }).collect())
    }

    pub async fn insert_canned(
        tx: &mut Tx,
        title: &str,
        body: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO canned_responses (title, body, updated_at) VALUES ($1, $2, $3)")
            .bind(title)
            .bind(body)
            .bind(at)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// Adds a canned response (`id` none) or changes one; false when `id` names none.
    pub async fn save_canned(
        &self,
        id: Option<i64>,
        title: &str,
        body: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let changed = match id {
            None => sqlx::query("INSERT INTO canned_responses (title, body, updated_at) VALUES ($1, $2, $3)")
                .bind(title)
                .bind(body)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected(),
            Some(id) => sqlx::query(
                "UPDATE canned_responses SET title = $1, body = $2, updated_at = $3 WHERE id = $4",
            )
            .bind(title)
            .bind(body)
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected(),
        };
        tx.commit().await?;
        Ok(changed == 1)
    }

    pub async fn delete_canned(&self, id: i64) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let deleted = sqlx::query("DELETE FROM canned_responses WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(deleted == 1)
    }
}
