//! Failed sign-in counters.

use chrono::{DateTime, Utc};

use crate::domain::throttle::{FAILURE_WINDOW, Failures};
use crate::ssr::store::StoreError;

on_both_backends! {
    pub async fn find_login_failures(&self, key: &str) -> Result<Option<Failures>, StoreError> {
        let row: Option<(i64, DateTime<Utc>)> =
            sqlx::query_as("SELECT failures, last_failure_at FROM login_failures WHERE key = $1")
                .bind(key)
                .fetch_optional(&mut *self.reader().await?)
                .await?;
        Ok(row.map(|(count, last_at)| Failures { count: u32::try_from(count).unwrap_or(u32::MAX), last_at }))
    }

    /// Counts one more failure for each key; a count older than the window starts again.
    pub async fn record_login_failure(&self, keys: &[&str], now: DateTime<Utc>) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        for key in keys {
            sqlx::query(
                "INSERT INTO login_failures (key, failures, last_failure_at) VALUES ($1, 1, $2)
                 ON CONFLICT (key) DO UPDATE SET
                     failures = CASE WHEN login_failures.last_failure_at < $3 THEN 1 ELSE login_failures.failures + 1 END,
                     last_failure_at = excluded.last_failure_at",
            )
            .bind(key)
            .bind(now)
            .bind(now - FAILURE_WINDOW)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn clear_login_failures(&self, keys: &[&str]) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        for key in keys {
            sqlx::query("DELETE FROM login_failures WHERE key = $1").bind(key).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
