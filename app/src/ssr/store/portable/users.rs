//! People, roles, groups and departments.

use chrono::{DateTime, Utc};

use crate::domain::ids::{DepartmentId, GroupId, UserId};
use crate::domain::user::{CurrentUser, Role};
use crate::ssr::store::NewUser;
use crate::ssr::store::StoreError;

#[derive(sqlx::FromRow)]
pub(in crate::ssr::store) struct UserRow {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub time_zone: String,
    pub roles: Option<String>,
    pub department_id: Option<DepartmentId>,
    pub group_ids: Option<String>,
}

impl UserRow {
    pub(in crate::ssr::store) fn into_current(self) -> CurrentUser {
        let roles = parse_roles(self.roles);
        let mut groups: Vec<GroupId> = self
            .group_ids
            .unwrap_or_default()
            .split(',')
            .filter_map(|id| id.parse().ok())
            .map(GroupId)
            .collect();
        groups.sort_unstable();
        CurrentUser {
            id: self.id,
            name: self.name,
            email: self.email,
            roles,
            time_zone: self.time_zone,
            department: self.department_id,
            groups,
        }
    }
}

/// Roles as `string_agg` lists them: "agent,admin".
pub(in crate::ssr::store) fn parse_roles(roles: Option<String>) -> Vec<Role> {
    roles
        .unwrap_or_default()
        .split(',')
        .filter_map(|r| match r {
            "agent" => Some(Role::Agent),
            "admin" => Some(Role::Admin),
            _ => None,
        })
        .collect()
}

/// Selects a `UserRow` for `u`; callers add FROM/JOIN and WHERE.
pub(in crate::ssr::store) const USER_COLUMNS: &str = "u.id, u.name, u.email, u.time_zone, u.department_id, \
     (SELECT string_agg(role, ',') FROM user_roles r WHERE r.user_id = u.id) AS roles, \
     (SELECT string_agg(CAST(group_id AS TEXT), ',') FROM group_members m WHERE m.user_id = u.id) AS group_ids";

on_both_backends! {
    pub async fn find_user(&self, id: UserId) -> Result<Option<CurrentUser>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1");
        let row: Option<UserRow> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *self.reader().await?).await?;
        Ok(row.map(UserRow::into_current))
    }

    pub async fn count_users(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(&mut *self.reader().await?).await?)
    }

    pub async fn insert_department(tx: &mut Tx, name: &str) -> Result<DepartmentId, StoreError> {
        Ok(sqlx::query_scalar("INSERT INTO departments (name) VALUES ($1) RETURNING id")
            .bind(name)
            .fetch_one(&mut **tx)
            .await?)
    }

    pub async fn insert_user(
        tx: &mut Tx,
        user: &NewUser<'_>,
        now: DateTime<Utc>,
    ) -> Result<UserId, StoreError> {
        let id: UserId = sqlx::query_scalar(
            "INSERT INTO users (email, name, password_hash, department_id, manager_id, time_zone, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(user.email)
        .bind(user.name)
        .bind(user.password_hash)
        .bind(user.department)
        .bind(user.manager)
        .bind(user.time_zone)
        .bind(now)
        .fetch_one(&mut **tx)
        .await?;
        for role in user.roles {
            sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
                .bind(id)
                .bind(role)
                .execute(&mut **tx)
                .await?;
        }
        Ok(id)
    }

    pub async fn insert_group(tx: &mut Tx, name: &str, description: &str) -> Result<GroupId, StoreError> {
        Ok(sqlx::query_scalar("INSERT INTO groups (name, description) VALUES ($1, $2) RETURNING id")
            .bind(name)
            .bind(description)
            .fetch_one(&mut **tx)
            .await?)
    }

    pub async fn insert_group_member(tx: &mut Tx, group: GroupId, user: UserId) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO group_members (group_id, user_id) VALUES ($1, $2)")
            .bind(group)
            .bind(user)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }
}
