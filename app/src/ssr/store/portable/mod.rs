//! The store's operations whose SQL both backends read alike, each written once.

pub(super) mod approvals;
mod attachments;
mod canned;
mod cmdb;
pub(super) mod directory;
pub(super) mod incidents;
mod links;
mod notifications;
mod problems;
pub(super) mod records;
pub(super) mod requests;
mod sessions;
pub(super) mod sla;
mod throttle;
pub(super) mod users;
mod views;
