//! The shared vocabulary: ids, records, people, catalog. Pure types and rules; no I/O,
//! no leptos. Compiles to wasm; sqlx appears only through `cfg_attr`.

pub mod approval;
pub mod attachment;
pub mod attainment;
pub mod calendar;
pub mod canned;
pub mod catalog;
pub mod ci_graph;
pub mod cmdb;
pub mod cmdb_csv;
pub mod event;
pub mod form;
pub mod ids;
pub mod incident;
pub mod lifecycle;
pub mod link;
pub mod markup;
pub mod notification;
pub mod people;
pub mod policy;
pub mod problem;
pub mod queue;
pub mod record;
pub mod sla;
pub mod sla_policy;
pub mod throttle;
pub mod user;
