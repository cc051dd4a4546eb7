//! Attachments' rows. The bytes are kept by the attachment service under the data dir.

use chrono::{DateTime, Utc};

use super::{Store, StoreError, Tx};
use crate::domain::attachment::AttachmentView;
use crate::domain::ids::{RecordId, UserId};

/// A file to record on a record, once its bytes are stored.
pub struct NewAttachment<'a> {
    pub record: RecordId,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub size: u64,
    pub sha256: &'a str,
    pub uploaded_by: UserId,
    pub at: DateTime<Utc>,
}

/// What a download needs: the record it belongs to, and how to serve it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct StoredFile {
    pub record_number: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
}

#[derive(sqlx::FromRow)]
struct ViewRow {
    id: i64,
    file_name: String,
    size: i64,
    uploaded_by: String,
    uploaded_at: DateTime<Utc>,
}

impl Store {
    pub async fn insert_attachment(tx: &mut Tx, file: &NewAttachment<'_>) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(
            "INSERT INTO attachments (record_id, file_name, content_type, size, sha256, uploaded_by, uploaded_at)
             VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
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
             WHERE a.record_id = ? ORDER BY a.id",
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
             FROM attachments a JOIN records r ON r.id = a.record_id WHERE a.id = ?",
        )
        .bind(id)
        .fetch_optional(&mut *self.reader().await?)
        .await?)
    }
}
