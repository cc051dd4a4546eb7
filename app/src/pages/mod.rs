//! One routed page per file.

pub mod admin;
pub mod approvals_page;
pub mod attainment_page;
pub mod breaching_page;
pub mod catalog_item_page;
pub mod catalog_page;
pub mod cmdb;
pub mod login_page;
pub mod my_requests_page;
pub mod not_found_page;
pub mod notifications_page;
pub mod profile_page;
pub mod queue_page;
pub mod record_cis;
pub mod record_clocks;
pub mod record_links;
pub mod record_page;
pub mod record_work;
pub mod report_page;
pub mod tasks_page;
