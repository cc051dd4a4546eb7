//! In-portal notifications.

use chrono::{DateTime, Utc};

use crate::domain::ids::{RecordId, UserId};
use crate::domain::notification::{Inbox, Notification, notification_text};
use crate::ssr::store::StoreError;

on_both_backends! {
    /// Tells `user` `what` happened to `record`, in the caller's transaction.
    pub async fn notify(
        tx: &mut Tx,
        user: UserId,
        record: RecordId,
        what: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let (number, title): (String, String) =
            sqlx::query_as("SELECT number, title FROM records WHERE id = $1")
                .bind(record)
                .fetch_one(&mut **tx)
                .await?;
        sqlx::query(
            "INSERT INTO notifications (user_id, record_id, text, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(user)
        .bind(record)
        .bind(notification_text(&number, &title, what))
        .bind(now)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    pub async fn unread_notifications(&self, user: UserId) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
            .bind(user)
            .fetch_one(&mut *self.reader().await?)
            .await?)
    }

    /// `user`'s latest notifications, newest first, and the unread count.
    pub async fn inbox(&self, user: UserId, limit: i64) -> Result<Inbox, StoreError> {
        let items: Vec<Notification> = sqlx::query_as(
            "SELECT n.id, r.number, n.text, n.created_at, n.read_at IS NOT NULL AS read
             FROM notifications n JOIN records r ON r.id = n.record_id
             WHERE n.user_id = $1 ORDER BY n.id DESC LIMIT $2",
        )
        .bind(user)
        .bind(limit)
        .fetch_all(&mut *self.reader().await?)
        .await?;
        Ok(Inbox { unread: self.unread_notifications(user).await?, items })
    }

    /// Marks all but each person's `keep` latest notifications read, as people who keep up
    /// with their inbox would have them: the demo's desk starts from a working day, not a
    /// backlog.
    pub async fn mark_notifications_read_but_latest(&self, keep: i64) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE notifications SET read_at = created_at WHERE read_at IS NULL AND id NOT IN ( \
                 SELECT id FROM ( \
                     SELECT id, row_number() OVER (PARTITION BY user_id ORDER BY created_at DESC, id DESC) AS n \
                     FROM notifications) ranked \
                 WHERE n <= $1)",
        )
        .bind(keep)
        .execute(self.autocommit())
        .await?;
        Ok(())
    }

    /// Marks all of `user`'s notifications read.
    pub async fn mark_notifications_read(&self, user: UserId, now: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
            .bind(now)
            .bind(user)
            .execute(self.autocommit())
            .await?;
        Ok(())
    }
}
