//! The directory as admins and people themselves edit it: names, accounts, groups and
//! passwords, with the rules their forms are checked against (in the browser and, as the
//! authority, on the server).

use serde::{Deserialize, Serialize};

use super::ids::{DepartmentId, GroupId, UserId};
use super::user::{Email, Role};
use crate::error::FieldErrors;

pub const NAME_MAX: usize = 120;
pub const DESCRIPTION_MAX: usize = 500;
pub const PASSWORD_MIN: usize = 10;
pub const PASSWORD_MAX: usize = 128;

/// A person's or group's name: trimmed, 1–120 characters, no control characters.
pub fn parse_name(input: &str, what: &str) -> Result<String, String> {
    let name = input.trim();
    if name.is_empty() {
        return Err(format!("Enter {what}."));
    }
    if name.chars().count() > NAME_MAX {
        return Err(format!("Keep {what} to {NAME_MAX} characters."));
    }
    if name.chars().any(char::is_control) {
        return Err(format!("Use letters, digits and punctuation in {what}."));
    }
    Ok(name.to_owned())
}

/// The length rule for a new password; how guessable it is, the server decides.
pub fn check_password_length(password: &str) -> Result<(), String> {
    let length = password.chars().count();
    if length < PASSWORD_MIN {
        Err(format!("Use at least {PASSWORD_MIN} characters."))
    } else if length > PASSWORD_MAX {
        Err(format!("Use at most {PASSWORD_MAX} characters."))
    } else {
        Ok(())
    }
}

/// One row of the admins' people list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub department: Option<String>,
    pub roles: Vec<Role>,
    pub active: bool,
}

/// A person as the admin edits them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDetail {
    pub id: Option<UserId>,
    pub name: String,
    pub email: String,
    pub department: Option<DepartmentId>,
    pub manager_email: Option<String>,
    pub roles: Vec<Role>,
    pub groups: Vec<GroupId>,
    pub active: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    pub id: DepartmentId,
    pub name: String,
}

/// An assignment group with how many people are in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupSummary {
    pub id: GroupId,
    pub name: String,
    pub description: String,
    pub members: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub id: UserId,
    pub name: String,
    pub email: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupDetail {
    pub group: GroupSummary,
    pub members: Vec<Member>,
}

/// What the profile page shows: the person, the time zones they can pick from, the
/// organisation's, and the one their dates are shown in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub user: super::user::CurrentUser,
    pub time_zones: Vec<String>,
    pub organisation_zone: String,
    pub zone: crate::fmt::Zone,
}

/// What the admin's user form needs: the person (empty when new) and the choices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserEditor {
    pub user: UserDetail,
    pub departments: Vec<Department>,
    pub groups: Vec<GroupSummary>,
}

/// The user form as submitted, before it is checked.
#[derive(Clone, Debug, Default)]
pub struct UserInput<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub manager_email: &'a str,
    pub roles: &'a [String],
}

/// The user form once checked; the manager still has to be found by e-mail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidUser {
    pub name: String,
    pub email: Email,
    pub manager_email: Option<Email>,
    pub roles: Vec<Role>,
}

/// Checks the admin's user form field by field.
pub fn validate_user(input: &UserInput<'_>) -> Result<ValidUser, FieldErrors> {
    let mut errors = FieldErrors::default();
    let name = parse_name(input.name, "a name").map_err(|e| errors.add("name", e)).ok();
    let email = Email::parse(input.email).map_err(|e| errors.add("email", e.to_string())).ok();
    let manager_email = match input.manager_email.trim() {
        "" => Some(None),
        text => Email::parse(text).map(Some).map_err(|e| errors.add("manager_email", e.to_string())).ok(),
    };
    let mut roles = Vec::new();
    for role in input.roles {
        match role.as_str() {
            "agent" => roles.push(Role::Agent),
            "admin" => roles.push(Role::Admin),
            other => errors.add("roles", format!("There is no role called {other:?}.")),
        }
    }
    roles.dedup();
    match (name, email, manager_email) {
        (Some(name), Some(email), Some(manager_email)) if errors.is_empty() => {
            Ok(ValidUser { name, email, manager_email, roles })
        }
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(parse_name("  Maya Patel ", "a name").unwrap(), "Maya Patel");
        assert_eq!(parse_name("   ", "a name").unwrap_err(), "Enter a name.");
        assert!(parse_name(&"x".repeat(121), "a name").is_err());
        assert!(parse_name("a\u{0}b", "a name").is_err());
        assert!(parse_name(&"é".repeat(120), "a name").is_ok());
    }

    #[test]
    fn passwords_are_between_10_and_128_characters() {
        assert!(check_password_length("123456789").is_err());
        assert!(check_password_length("1234567890").is_ok());
        assert!(check_password_length(&"x".repeat(128)).is_ok());
        assert!(check_password_length(&"x".repeat(129)).is_err());
    }

    #[test]
    fn the_user_form_reports_every_bad_field() {
        let roles = vec!["agent".to_owned(), "root".to_owned()];
        let errors =
            validate_user(&UserInput { name: "", email: "nope", manager_email: "also nope", roles: &roles })
                .unwrap_err();
        for field in ["name", "email", "manager_email", "roles"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
    }

    #[test]
    fn a_good_user_form_is_normalised() {
        let roles = vec!["admin".to_owned()];
        let user = validate_user(&UserInput {
            name: " Ada Lovelace ",
            email: "Ada@Example.com",
            manager_email: "",
            roles: &roles,
        })
        .unwrap();
        assert_eq!(user.name, "Ada Lovelace");
        assert_eq!(user.email.as_str(), "ada@example.com");
        assert_eq!(user.manager_email, None);
        assert_eq!(user.roles, vec![Role::Admin]);
    }
}
