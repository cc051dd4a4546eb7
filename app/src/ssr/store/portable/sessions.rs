//! Server-side sessions, keyed by the SHA-256 of the cookie's token.

use chrono::{DateTime, Utc};

use super::users::{USER_COLUMNS, UserRow};
use crate::domain::ids::UserId;
use crate::domain::user::CurrentUser;
use crate::ssr::auth::SessionConfig;
use crate::ssr::store::StoreError;

/// `last_seen_at` is written at most this often, so reads stay reads.
const TOUCH_EVERY_SECONDS: i64 = 60;

on_both_backends! {
    pub async fn insert_session(
        &self,
        token_hash: &str,
        user: UserId,
        now: DateTime<Utc>,
        config: &SessionConfig,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(user)
        .bind(now)
        .bind(now)
        .bind(now + config.absolute_timeout)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The active user whose session this is, if it is neither expired nor idle too long,
    /// with how many of their notifications are unread (the bell's count, read in the same
    /// statement so that a page needs none of its own for it).
    pub async fn find_session_user(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
        config: &SessionConfig,
    ) -> Result<Option<(CurrentUser, i64)>, StoreError> {
        let sql = format!(
            "SELECT {USER_COLUMNS}, s.last_seen_at,
                    (SELECT count(*) FROM notifications n WHERE n.user_id = u.id AND n.read_at IS NULL)
                      AS unread
             FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 AND u.active"
        );
        let found = sqlx::query_as::<_, SessionUserRow>(sqlx::AssertSqlSafe(sql))
            .bind(token_hash)
            .bind(now)
            .bind(now - config.idle_timeout)
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        let Some(found) = found else { return Ok(None) };
        if (now - found.last_seen_at).num_seconds() >= TOUCH_EVERY_SECONDS {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(token_hash)
                .execute(self.autocommit())
                .await?;
        }
        Ok(Some((found.user.into_current(), found.unread)))
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.autocommit())
            .await?;
        Ok(())
    }
}

#[derive(sqlx::FromRow)]
struct SessionUserRow {
    #[sqlx(flatten)]
    user: UserRow,
    last_seen_at: DateTime<Utc>,
    unread: i64,
}
