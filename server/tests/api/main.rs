//! HTTP tests: the real router on a real port, a fresh database per test (a SQLite file,
//! or a PostgreSQL database when `SWITCHBOARD_TEST_POSTGRES` names a server), on a
//! multi-threaded runtime as in production.
#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod approvals;
mod auth;
mod authz;
mod catalog_admin;
mod cli;
mod cmdb;
mod directory;
mod engine;
mod helpers;
mod incidents;
mod moving_to_postgres;
mod orders;
mod pages;
mod postgres_schema;
mod queue;
mod records;
mod scale;
mod security;
mod several_servers;
mod sla;
mod throttle;
mod under_load;
mod workspace;
mod xss;
