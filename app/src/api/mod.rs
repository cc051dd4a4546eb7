//! Every server function, one file per area. Each is thin: ask the policy (`ssr::authorize`
//! or a service that does), parse the input, call one service or store function, return
//! `Result<T, AppError>`.

pub mod admin;
pub mod approvals;
pub mod catalog;
pub mod catalog_admin;
pub mod cmdb;
pub mod desk_admin;
pub mod incidents;
pub mod notifications;
pub mod profile;
pub mod queue;
pub mod records;
pub mod reports;
pub mod session;
pub mod sla_admin;
