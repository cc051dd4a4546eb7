//! In-portal notifications: what happened to a record that someone should know.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Notification {
    pub id: i64,
    pub number: String,
    pub text: String,
    pub created_at: DateTime<Utc>,
    pub read: bool,
}

/// A person's latest notifications and how many are unread.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbox {
    pub unread: i64,
    pub items: Vec<Notification>,
}

/// "REQ0000042 · New laptop: approved by Hannah Schmidt", cut to what the table holds.
pub fn notification_text(number: &str, title: &str, what: &str) -> String {
    let text = format!("{number} · {title}: {what}");
    if text.chars().count() <= 300 { text } else { text.chars().take(299).chain(['…']).collect() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_name_the_record_and_fit() {
        assert_eq!(
            notification_text("REQ0000001", "New laptop", "approved"),
            "REQ0000001 · New laptop: approved"
        );
        let long = notification_text("REQ0000001", &"x".repeat(400), "approved");
        assert_eq!(long.chars().count(), 300);
        assert!(long.ends_with('…'));
    }
}
