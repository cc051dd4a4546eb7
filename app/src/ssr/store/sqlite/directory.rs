//! The directory as admins and people themselves change it: accounts, roles, groups,
//! passwords. Anything that takes access away also ends the sessions that had it.

use super::{Store, StoreError, Tx};
use crate::domain::ids::{DepartmentId, GroupId, UserId};
use crate::domain::people::{Department, GroupDetail, GroupSummary, Member, UserDetail, UserSummary};
use crate::ssr::store::UserChanges;
use crate::ssr::store::portable::directory::*;
use crate::ssr::store::portable::users::parse_roles;

impl Store {
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

    pub async fn list_departments(&self) -> Result<Vec<Department>, StoreError> {
        let rows: Vec<(DepartmentId, String)> =
            sqlx::query_as("SELECT id, name FROM departments ORDER BY name COLLATE NOCASE")
                .fetch_all(&mut *self.reader().await?)
                .await?;
        Ok(rows.into_iter().map(|(id, name)| Department { id, name }).collect())
    }

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

    pub(in crate::ssr::store) async fn query_groups(
        &self,
        only: Option<GroupId>,
    ) -> Result<Vec<GroupSummary>, StoreError> {
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

    pub async fn add_group_member(&self, group: GroupId, user: UserId) -> Result<(), StoreError> {
        sqlx::query("INSERT OR IGNORE INTO group_members (group_id, user_id) VALUES (?, ?)")
            .bind(group)
            .bind(user)
            .execute(&self.write)
            .await?;
        Ok(())
    }
}
