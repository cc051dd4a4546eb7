//! Attachments' rows. The bytes are kept by the attachment service under the data dir.

use chrono::{DateTime, Utc};

use crate::domain::attachment::AttachmentView;
use crate::domain::ids::RecordId;
use crate::ssr::store::StoreError;
use crate::ssr::store::{NewAttachment, StoredFile};

#[derive(sqlx::FromRow)]
struct ViewRow {
    id: i64,
    file_name: String,
    size: i64,
    uploaded_by: String,
    uploaded_at: DateTime<Utc>,
}

on_both_backends! {
    pub async fn insert_attachment(tx: &mut Tx, file: &NewAttachment<'_>) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(
            "INSERT INTO attachments (record_id, file_name, content_type, size, sha256, uploaded_by, uploaded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(file.record)
        .bind(file.file_name)
        .bind(file.content_type)
        .bind(i64::try_from(file.size).unwrap_or(i64::MAX))
        .bind(file.sha256)
        .bind(file.uploaded_by)
        .bind(file.at)
        .fetch_one(&mut **tx)
        .await?)
    }

    /// A record's files, oldest first.
    pub async fn list_attachments(&self, record: RecordId) -> Result<Vec<AttachmentView>, StoreError> {
        let rows: Vec<ViewRow> = sqlx::query_as(
            "SELECT a.id, a.file_name, a.size, u.name AS uploaded_by, a.uploaded_at
             FROM attachments a JOIN users u ON u.id = a.uploaded_by
             WHERE a.record_id = $1 ORDER BY a.id",
        )
        .bind(record)
        .fetch_all(&mut *self.reader().await?)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| AttachmentView {
                id: r.id,
                file_name: r.file_name,
                size: u64::try_from(r.size).unwrap_or_default(),
                uploaded_by: r.uploaded_by,
                uploaded_at: r.uploaded_at,
            })
            .collect())
    }

    pub async fn find_attachment(&self, id: i64) -> Result<Option<StoredFile>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT r.number AS record_number, a.file_name, a.content_type, a.size, a.sha256
             FROM attachments a JOIN records r ON r.id = a.record_id WHERE a.id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *self.reader().await?)
        .await?)
    }
}
