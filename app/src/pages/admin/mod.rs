//! The admin area: people, assignment groups, the catalog, the service desk's settings and
//! service levels.

pub mod calendar_page;
pub mod catalog_page;
pub mod desk_page;
pub mod form_editor_page;
pub mod group_page;
pub mod groups_page;
pub mod item_page;
pub mod plan_editor;
pub mod policy_page;
pub mod service_levels_page;
pub mod user_page;
pub mod users_page;
