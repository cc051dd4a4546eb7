//! The directory as admins and people themselves change it: accounts, roles, groups,
//! passwords. Anything that takes access away also ends the sessions that had it.

use crate::domain::ids::{DepartmentId, GroupId, UserId};
use crate::domain::people::GroupSummary;
use crate::ssr::store::StoreError;

#[derive(sqlx::FromRow)]
pub(in crate::ssr::store) struct SummaryRow {
    pub(in crate::ssr::store) id: UserId,
    pub(in crate::ssr::store) name: String,
    pub(in crate::ssr::store) email: String,
    pub(in crate::ssr::store) department: Option<String>,
    pub(in crate::ssr::store) roles: Option<String>,
    pub(in crate::ssr::store) active: bool,
}

#[derive(sqlx::FromRow)]
pub(in crate::ssr::store) struct DetailRow {
    pub(in crate::ssr::store) name: String,
    pub(in crate::ssr::store) email: String,
    pub(in crate::ssr::store) department_id: Option<DepartmentId>,
    pub(in crate::ssr::store) manager_email: Option<String>,
    pub(in crate::ssr::store) roles: Option<String>,
    pub(in crate::ssr::store) active: bool,
}

on_both_backends! {    pub async fn find_user_id_by_email(&self, email: &str) -> Result<Option<UserId>, StoreError> {
        Ok(sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(email)
            .fetch_optional(&mut *self.reader().await?)
            .await?)
    }

    pub async fn find_password_hash(&self, id: UserId) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar::<_, Option<String>>("SELECT password_hash FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *self.reader().await?)
            .await?
            .flatten())
    }

    pub async fn set_user_groups(tx: &mut Tx, id: UserId, groups: &[GroupId]) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM group_members WHERE user_id = $1").bind(id).execute(&mut **tx).await?;
        for group in groups {
            Self::insert_group_member(tx, *group, id).await?;
        }
        Ok(())
    }

    pub async fn update_profile(&self, id: UserId, name: &str, time_zone: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE users SET name = $1, time_zone = $2 WHERE id = $3")
            .bind(name)
            .bind(time_zone)
            .bind(id)
            .execute(self.autocommit())
            .await?;
        Ok(())
    }

    pub async fn list_groups(&self) -> Result<Vec<GroupSummary>, StoreError> {
        self.query_groups(None).await
    }

    pub async fn update_group(&self, id: GroupId, name: &str, description: &str) -> Result<(), StoreError> {
        let updated = sqlx::query("UPDATE groups SET name = $1, description = $2 WHERE id = $3")
            .bind(name)
            .bind(description)
            .bind(id)
            .execute(self.autocommit())
            .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    pub async fn remove_group_member(&self, group: GroupId, user: UserId) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM group_members WHERE group_id = $1 AND user_id = $2")
            .bind(group)
            .bind(user)
            .execute(self.autocommit())
            .await?;
        Ok(())
    }
}
