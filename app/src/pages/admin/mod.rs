//! The admin area: people, assignment groups, the catalog, the CMDB's classes, the service
//! desk's settings and service levels.

pub mod calendar_page;
pub mod catalog_page;
pub mod ci_classes_page;
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

/// An editor page's id in the URL: "new" for a blank editor, else the number of what it
/// edits; anything else is not found.
pub(crate) fn new_or_id(text: &str, what: &str) -> Result<Option<i64>, crate::error::AppError> {
    match text {
        "new" => Ok(None),
        id => id.parse().map(Some).map_err(|_| crate::error::AppError::NotFound(what.to_owned())),
    }
}
