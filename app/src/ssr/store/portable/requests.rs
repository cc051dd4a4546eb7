//! Request forms and what requesters answered: form versions, answers, submission keys
//! and the drafts a plain-form submit leaves when it did not pass.

use chrono::{DateTime, Utc};
use leptos::serde_json;

use crate::domain::ids::{RecordId, UserId};
use crate::ssr::store::StoreError;

pub(in crate::ssr::store) fn to_json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Db(sqlx::Error::Encode(Box::new(e))))
}

pub(in crate::ssr::store) fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Db(sqlx::Error::Decode(Box::new(e))))
}

on_both_backends! {    pub async fn insert_submission(
        tx: &mut Tx,
        user: UserId,
        key: &str,
        record: RecordId,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO submissions (key, user_id, record_id, created_at) VALUES ($1, $2, $3, $4)")
            .bind(key)
            .bind(user)
            .bind(record)
            .bind(now)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }
}
