//! Signing in by e-mail, as this backend matches addresses.

use super::{Store, StoreError};
use crate::domain::ids::UserId;
use crate::ssr::store::LoginRow;

impl Store {
    pub async fn find_login(&self, email: &str) -> Result<Option<LoginRow>, StoreError> {
        let row: Option<(UserId, Option<String>, bool)> =
            sqlx::query_as("SELECT id, password_hash, active FROM users WHERE email = ?")
                .bind(email)
                .fetch_optional(&mut *self.reader().await?)
                .await?;
        Ok(row.map(|(id, password_hash, active)| LoginRow { id, password_hash, active }))
    }

    pub async fn update_password_hash(&self, email: &str, hash: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE users SET password_hash = ? WHERE email = ?")
            .bind(hash)
            .bind(email)
            .execute(&self.write)
            .await?;
        Ok(())
    }
}
