//! What incidents add to records: the services people can name, the priority matrix, and
//! the state moves and field edits agents make, guarded by the record's version.

use chrono::{DateTime, Utc};
use leptos::serde_json;

use super::{Store, StoreError, Tx};
use crate::domain::ids::{RecordId, ServiceId};
use crate::domain::incident::{PriorityMatrix, Service};
use crate::domain::lifecycle::MoveDetails;
use crate::domain::record::RecordState;

const MATRIX_KEY: &str = "priority_matrix";

impl Store {
    pub async fn insert_service(tx: &mut Tx, name: &str, description: &str) -> Result<ServiceId, StoreError> {
        Ok(sqlx::query_scalar("INSERT INTO services (name, description) VALUES (?, ?) RETURNING id")
            .bind(name)
            .bind(description)
            .fetch_one(&mut **tx)
            .await?)
    }

    /// Active services, by name.
    pub async fn list_services(&self) -> Result<Vec<Service>, StoreError> {
        Ok(sqlx::query_as("SELECT id, name FROM services WHERE active = 1 ORDER BY name")
            .fetch_all(&self.read)
            .await?)
    }

    /// The priority matrix admins set, or the default one.
    pub async fn priority_matrix(&self) -> Result<PriorityMatrix, StoreError> {
        let saved: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
            .bind(MATRIX_KEY)
            .fetch_optional(&self.read)
            .await?;
        Ok(saved.and_then(|json| serde_json::from_str(&json).ok()).unwrap_or_default())
    }

    pub async fn set_priority_matrix(&self, matrix: &PriorityMatrix) -> Result<(), StoreError> {
        let json =
            serde_json::to_string(matrix).map_err(|e| StoreError::Db(sqlx::Error::Encode(Box::new(e))))?;
        let mut tx = self.begin().await?;
        sqlx::query("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(MATRIX_KEY)
            .bind(json)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The state and version of a record, read inside the writer's transaction.
    pub async fn state_and_version(tx: &mut Tx, record: RecordId) -> Result<(RecordState, i64), StoreError> {
        Ok(sqlx::query_as("SELECT state, version FROM records WHERE id = ?")
            .bind(record)
            .fetch_one(&mut **tx)
            .await?)
    }

    /// Moves a record to `state` with what the move keeps (hold reason, resolution), and
    /// counts a new version. The caller appends the events.
    pub async fn apply_move(
        tx: &mut Tx,
        record: RecordId,
        state: RecordState,
        kept: &MoveDetails,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        Self::update_record_state(tx, record, state, at).await?;
        let reopened = state == RecordState::InProgress;
        sqlx::query(
            "UPDATE records SET hold_reason = ?, version = version + 1,
                 resolution_code = CASE WHEN ? THEN NULL ELSE coalesce(?, resolution_code) END,
                 resolution_notes = CASE WHEN ? THEN '' WHEN ? != '' THEN ? ELSE resolution_notes END,
                 resolved_at = CASE WHEN ? THEN NULL ELSE resolved_at END
             WHERE id = ?",
        )
        .bind(kept.hold_reason)
        .bind(reopened)
        .bind(kept.resolution_code)
        .bind(reopened)
        .bind(&kept.resolution_notes)
        .bind(&kept.resolution_notes)
        .bind(reopened)
        .bind(record)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}
