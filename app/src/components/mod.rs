//! Widgets shared across areas. Page-specific pieces live beside their page.

pub mod app_shell;
pub mod error_view;
pub mod field;
pub mod icon;
pub mod priority_badge;
pub mod record_table;
pub mod state_badge;
