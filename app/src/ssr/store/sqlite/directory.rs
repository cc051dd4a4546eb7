//! The directory as admins and people themselves change it: accounts, roles, groups,
//! passwords. Anything that takes access away also ends the sessions that had it.

use super::users::parse_roles;
use super::{Store, StoreError, Tx};
use crate::domain::ids::{DepartmentId, GroupId, UserId};
use crate::domain::people::{Department, GroupDetail, GroupSummary, Member, UserDetail, UserSummary};
use crate::ssr::store::UserChanges;

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: UserId,
    name: String,
    email: String,
    department: Option<String>,
    roles: Option<String>,
    active: bool,
}

#[derive(sqlx::FromRow)]
struct DetailRow {
    name: String,
    email: String,
    department_id: Option<DepartmentId>,
    manager_email: Option<String>,
    roles: Option<String>,
    active: bool,
}

impl Store {
    /// People whose name or e-mail contains `query`, by name.
    pub async fn list_users(&self, query: &str, limit: i64) -> Result<Vec<UserSummary>, StoreError> {
        let pattern = super::like_pattern(query);
        let rows: Vec<SummaryRow> = sqlx::query_as(
            "SELECT u.id, u.name, u.email, d.name AS department,
                    (SELECT group_concat(role) FROM user_roles r WHERE r.user_id = u.id) AS roles, u.active
             FROM users u LEFT JOIN departments d ON d.id = u.department_id
             WHERE u.name LIKE ?1 ESCAPE '\\' OR u.email LIKE ?1 ESCAPE '\\'
             ORDER BY u.active DESC, u.name COLLATE NOCASE, u.id LIMIT ?2",
        )
        .bind(pattern)
        .bind(limit)
        .fetch_all(&mut *self.reader().await?)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| UserSummary {
                id: r.id,
                name: r.name,
                email: r.email,
                department: r.department,
                roles: parse_roles(r.roles),
                active: r.active,
            })
            .collect())
    }

    pub async fn find_user_detail(&self, id: UserId) -> Result<Option<UserDetail>, StoreError> {
        let row: Option<DetailRow> =
            sqlx::query_as(
                "SELECT u.name, u.email, u.department_id, m.email AS manager_email,
                        (SELECT group_concat(role) FROM user_roles r WHERE r.user_id = u.id) AS roles, u.active
                 FROM users u LEFT JOIN users m ON m.id = u.manager_id WHERE u.id = ?",
            )
            .bind(id)
            .fetch_optional(&mut *self.reader().await?)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let groups =
            sqlx::query_scalar("SELECT group_id FROM group_members WHERE user_id = ? ORDER BY group_id")
                .bind(id)
                .fetch_all(&mut *self.reader().await?)
                .await?;
        Ok(Some(UserDetail {
            id: Some(id),
            name: row.name,
            email: row.email,
            department: row.department_id,
            manager_email: row.manager_email,
            roles: parse_roles(row.roles),
            groups,
            active: row.active,
        }))
    }

    pub async fn find_user_id_by_email(&self, email: &str) -> Result<Option<UserId>, StoreError> {
        Ok(sqlx::query_scalar("SELECT id FROM users WHERE email = ?")
            .bind(email)
            .fetch_optional(&mut *self.reader().await?)
            .await?)
    }

    pub async fn find_password_hash(&self, id: UserId) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar::<_, Option<String>>("SELECT password_hash FROM users WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *self.reader().await?)
            .await?
            .flatten())
    }

    pub async fn list_departments(&self) -> Result<Vec<Department>, StoreError> {
        let rows: Vec<(DepartmentId, String)> =
            sqlx::query_as("SELECT id, name FROM departments ORDER BY name COLLATE NOCASE")
                .fetch_all(&mut *self.reader().await?)
                .await?;
        Ok(rows.into_iter().map(|(id, name)| Department { id, name }).collect())
    }

    /// Sets everything the admin form edits, in the caller's transaction.
    pub async fn update_user(tx: &mut Tx, id: UserId, changes: &UserChanges<'_>) -> Result<(), StoreError> {
        let updated = sqlx::query(
            "UPDATE users SET name = ?, email = ?, department_id = ?, manager_id = ? WHERE id = ?",
        )
        .bind(changes.name)
        .bind(changes.email)
        .bind(changes.department)
        .bind(changes.manager)
        .bind(id)
        .execute(&mut **tx)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        sqlx::query("DELETE FROM user_roles WHERE user_id = ?").bind(id).execute(&mut **tx).await?;
        for role in changes.roles {
            sqlx::query("INSERT INTO user_roles (user_id, role) VALUES (?, ?)")
                .bind(id)
                .bind(role)
                .execute(&mut **tx)
                .await?;
        }
        Self::set_user_groups(tx, id, changes.groups).await
    }

    pub async fn set_user_groups(tx: &mut Tx, id: UserId, groups: &[GroupId]) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM group_members WHERE user_id = ?").bind(id).execute(&mut **tx).await?;
        for group in groups {
            Self::insert_group_member(tx, *group, id).await?;
        }
        Ok(())
    }

    /// Activates or deactivates an account. Deactivating ends every session it has.
    pub async fn set_user_active(&self, id: UserId, active: bool) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let updated = sqlx::query("UPDATE users SET active = ? WHERE id = ?")
            .bind(active)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        if !active {
            sqlx::query("DELETE FROM sessions WHERE user_id = ?").bind(id).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Stores a new password hash and ends every session of the account except `keep`.
    pub async fn set_password(
        tx: &mut Tx,
        id: UserId,
        hash: &str,
        keep: Option<&str>,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE users SET password_hash = ? WHERE id = ?")
            .bind(hash)
            .bind(id)
            .execute(&mut **tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = ? AND token_hash IS NOT ?")
            .bind(id)
            .bind(keep)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    pub async fn update_profile(&self, id: UserId, name: &str, time_zone: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE users SET name = ?, time_zone = ? WHERE id = ?")
            .bind(name)
            .bind(time_zone)
            .bind(id)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    pub async fn list_groups(&self) -> Result<Vec<GroupSummary>, StoreError> {
        self.query_groups(None).await
    }

    /// Every group, or just `only`, with its member count, by name.
    async fn query_groups(&self, only: Option<GroupId>) -> Result<Vec<GroupSummary>, StoreError> {
        let rows: Vec<(GroupId, String, String, i64)> = sqlx::query_as(
            "SELECT g.id, g.name, g.description, (SELECT count(*) FROM group_members m WHERE m.group_id = g.id)
             FROM groups g WHERE ?1 IS NULL OR g.id = ?1 ORDER BY g.name COLLATE NOCASE",
        )
        .bind(only)
        .fetch_all(&mut *self.reader().await?)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name, description, members)| GroupSummary { id, name, description, members })
            .collect())
    }

    pub async fn find_group(&self, id: GroupId) -> Result<Option<GroupDetail>, StoreError> {
        let group = self.query_groups(Some(id)).await?.into_iter().next();
        let Some(group) = group else { return Ok(None) };
        let rows: Vec<(UserId, String, String)> = sqlx::query_as(
            "SELECT u.id, u.name, u.email FROM group_members m JOIN users u ON u.id = m.user_id
             WHERE m.group_id = ? ORDER BY u.name COLLATE NOCASE",
        )
        .bind(id)
        .fetch_all(&mut *self.reader().await?)
        .await?;
        let members = rows.into_iter().map(|(id, name, email)| Member { id, name, email }).collect();
        Ok(Some(GroupDetail { group, members }))
    }

    pub async fn update_group(&self, id: GroupId, name: &str, description: &str) -> Result<(), StoreError> {
        let updated = sqlx::query("UPDATE groups SET name = ?, description = ? WHERE id = ?")
            .bind(name)
            .bind(description)
            .bind(id)
            .execute(&self.write)
            .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    pub async fn add_group_member(&self, group: GroupId, user: UserId) -> Result<(), StoreError> {
        sqlx::query("INSERT OR IGNORE INTO group_members (group_id, user_id) VALUES (?, ?)")
            .bind(group)
            .bind(user)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    pub async fn remove_group_member(&self, group: GroupId, user: UserId) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM group_members WHERE group_id = ? AND user_id = ?")
            .bind(group)
            .bind(user)
            .execute(&self.write)
            .await?;
        Ok(())
    }
}
