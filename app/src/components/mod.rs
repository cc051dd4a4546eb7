//! Widgets shared across areas. Page-specific pieces live beside their page.

pub mod app_shell;
pub mod ci_picker;
pub mod erased;
pub mod error_view;
pub mod field;
pub mod form_status;
pub mod icon;
pub mod loaded;
pub mod priority_badge;
pub mod prose;
pub mod record_table;
pub mod request_form;
pub mod row_actions;
pub mod server_form;
pub mod state_badge;
