//! The admin area: people and assignment groups.

pub mod group_page;
pub mod groups_page;
pub mod user_page;
pub mod users_page;
