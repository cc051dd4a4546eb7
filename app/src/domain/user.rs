//! People and what the interface may know about the signed-in one.

use serde::{Deserialize, Serialize};

use super::ids::{DepartmentId, GroupId, UserId};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Agent,
    Admin,
}

/// The one message for every failed sign-in, so it never tells which part was wrong.
pub const BAD_CREDENTIALS: &str = "That e-mail and password don't match an account.";

/// The signed-in user as every page sees it. Everyone is a requester; roles add to that.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub roles: Vec<Role>,
    pub time_zone: String,
    /// Where they belong, for what they may order and which queues are theirs: read with
    /// the session, so a page needs no query of its own for it.
    pub department: Option<DepartmentId>,
    pub groups: Vec<GroupId>,
}

impl CurrentUser {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn is_agent(&self) -> bool {
        self.has(Role::Agent) || self.has(Role::Admin)
    }
}

/// "Ada Lovelace" → "AL", for the avatar in the header.
pub fn initials(name: &str) -> String {
    name.split_whitespace().filter_map(|w| w.chars().next()).take(2).flat_map(char::to_uppercase).collect()
}

/// An e-mail address as people type it: trimmed, one `@`, something on each side.
/// Deliberately permissive; the mailbox itself is the real test.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("Enter your e-mail address.")]
    Empty,
    #[error("That doesn't look like an e-mail address.")]
    Malformed,
}

impl Email {
    pub fn parse(s: &str) -> Result<Self, EmailError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(EmailError::Empty);
        }
        let mut parts = s.split('@');
        let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(EmailError::Malformed);
        };
        if local.is_empty() || domain.is_empty() || s.len() > 254 || s.chars().any(char::is_whitespace) {
            return Err(EmailError::Malformed);
        }
        Ok(Self(s.to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_lowercased() {
        assert_eq!(Email::parse("  Ada@Example.COM ").unwrap().as_str(), "ada@example.com");
    }

    #[test]
    fn malformed_emails_are_rejected() {
        assert_eq!(Email::parse(""), Err(EmailError::Empty));
        for bad in ["ada", "@example.com", "ada@", "a@b@c", "a da@example.com"] {
            assert_eq!(Email::parse(bad), Err(EmailError::Malformed), "{bad}");
        }
    }

    #[test]
    fn admins_count_as_agents() {
        let user = CurrentUser {
            id: UserId(1),
            name: "grace brewster hopper".into(),
            email: "g@example.com".into(),
            roles: vec![Role::Admin],
            time_zone: "UTC".into(),
            department: None,
            groups: Vec::new(),
        };
        assert!(user.is_agent());
        assert_eq!(initials(&user.name), "GB");
    }
}
