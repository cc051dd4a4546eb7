//! Canned responses: replies the desk sends often, kept by admins and inserted by agents.

use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CannedResponse {
    pub id: i64,
    pub title: String,
    /// Markdown, as a reply takes it.
    pub body: String,
}

pub const TITLE_MAX: usize = 80;
pub const BODY_MAX: usize = 20_000;

/// Checks a canned response's title and body; every problem beside its field.
pub fn check_canned(title: &str, body: &str) -> Result<(String, String), FieldErrors> {
    let (title, body) = (title.trim(), body.trim());
    let mut errors = FieldErrors::default();
    match title.chars().count() {
        0 => errors.add("title", "Give it a title agents will recognise."),
        n if n > TITLE_MAX => errors.add("title", "Keep the title to 80 characters."),
        _ => {}
    }
    match body.chars().count() {
        0 => errors.add("body", "Write the reply it inserts."),
        n if n > BODY_MAX => errors.add("body", "Keep the reply to 20,000 characters."),
        _ => {}
    }
    if errors.is_empty() { Ok((title.to_owned(), body.to_owned())) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_canned_response_needs_a_title_and_a_body() {
        assert_eq!(
            check_canned(" Restart ", " Please restart. "),
            Ok(("Restart".into(), "Please restart.".into()))
        );
        let errors = check_canned("", &"x".repeat(BODY_MAX + 1)).unwrap_err();
        assert!(errors.get("title").is_some() && errors.get("body").is_some());
        assert!(check_canned(&"t".repeat(81), "b").unwrap_err().get("title").is_some());
    }
}
