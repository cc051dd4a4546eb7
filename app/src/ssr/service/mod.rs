//! Use cases: one function each, one transaction each. Server functions and REST handlers
//! both call these; this is where the rules meet the store.

pub mod approvals;
pub mod attachments;
pub mod catalog;
pub mod cmdb;
pub mod cmdb_csv;
pub mod desk;
pub mod directory;
pub mod engine;
pub mod incidents;
pub mod links;
pub mod notifications;
pub mod queue;
pub mod records;
pub mod references;
pub mod requests;
pub mod session;
pub mod sla;
pub mod sla_admin;
