//! Request forms and what requesters answered: form versions, answers, submission keys
//! and the drafts a plain-form submit leaves when it did not pass.

use crate::ssr::store::portable::requests::*;
use chrono::{DateTime, Utc};

use super::{Store, StoreError, Tx};
use crate::domain::form::{Answers, FormSchema, RawAnswers};
use crate::domain::ids::{CatalogItemId, RecordId, UserId};
use crate::error::FieldErrors;

impl Store {
    pub async fn save_form(
        tx: &mut Tx,
        item: CatalogItemId,
        schema: &FormSchema,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let version: i64 = sqlx::query_scalar(
            "UPDATE catalog_items SET form_version = form_version + 1 WHERE id = $1 RETURNING form_version",
        )
        .bind(item)
        .fetch_one(&mut **tx)
        .await?;
        sqlx::query(
            "INSERT INTO catalog_forms (item_id, version, schema, created_at) VALUES ($1, $2, $3::jsonb, $4)",
        )
        .bind(item)
        .bind(version)
        .bind(to_json(schema)?)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        Ok(version)
    }

    pub async fn find_form(
        &self,
        item: CatalogItemId,
        version: i64,
    ) -> Result<Option<FormSchema>, StoreError> {
        if version == 0 {
            return Ok(Some(FormSchema::default()));
        }
        let schema: Option<String> =
            sqlx::query_scalar("SELECT schema::text FROM catalog_forms WHERE item_id = $1 AND version = $2")
                .bind(item)
                .bind(version)
                .fetch_optional(&self.pool)
                .await?;
        schema.as_deref().map(from_json).transpose()
    }

    pub async fn insert_answers(
        tx: &mut Tx,
        record: RecordId,
        item: CatalogItemId,
        version: i64,
        answers: &Answers,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO request_answers (record_id, item_id, form_version, answers) VALUES ($1, $2, $3, $4::jsonb)",
        )
        .bind(record)
        .bind(item)
        .bind(version)
        .bind(to_json(answers)?)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    pub async fn find_answers(&self, record: RecordId) -> Result<Option<(FormSchema, Answers)>, StoreError> {
        let row: Option<(String, String)> = sqlx::query_as(
            "SELECT coalesce(f.schema::text, '{\"fields\":[]}'), a.answers::text FROM request_answers a
             LEFT JOIN catalog_forms f ON f.item_id = a.item_id AND f.version = a.form_version
             WHERE a.record_id = $1",
        )
        .bind(record)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|(schema, answers)| Ok((from_json(&schema)?, from_json(&answers)?))).transpose()
    }

    pub async fn find_submission(&self, user: UserId, key: &str) -> Result<Option<String>, StoreError> {
        read_submission(&self.pool, user, key).await
    }

    pub async fn find_submission_in(
        tx: &mut Tx,
        user: UserId,
        key: &str,
    ) -> Result<Option<String>, StoreError> {
        read_submission(&mut **tx, user, key).await
    }

    pub async fn insert_draft(
        &self,
        token: &str,
        user: UserId,
        item: CatalogItemId,
        answers: &RawAnswers,
        errors: &FieldErrors,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM form_drafts WHERE created_at < $1")
            .bind(now - chrono::Duration::days(1))
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO form_drafts (token, user_id, item_id, answers, errors, created_at) VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6)",
        )
        .bind(token)
        .bind(user)
        .bind(item)
        .bind(to_json(answers)?)
        .bind(to_json(errors)?)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn find_draft(
        &self,
        token: &str,
        user: UserId,
        item: CatalogItemId,
    ) -> Result<Option<(RawAnswers, FieldErrors)>, StoreError> {
        let row: Option<(String, String)> = sqlx::query_as(
            "SELECT answers::text, errors::text FROM form_drafts WHERE token = $1 AND user_id = $2 AND item_id = $3",
        )
        .bind(token)
        .bind(user)
        .bind(item)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|(answers, errors)| Ok((from_json(&answers)?, from_json(&errors)?))).transpose()
    }
}

async fn read_submission<'e>(
    db: impl sqlx::PgExecutor<'e>,
    user: UserId,
    key: &str,
) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT r.number FROM submissions s JOIN records r ON r.id = s.record_id
         WHERE s.user_id = $1 AND s.key = $2",
    )
    .bind(user)
    .bind(key)
    .fetch_optional(db)
    .await?)
}
