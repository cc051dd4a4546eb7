//! The process around the portal: command line, start-up, assets, demo data, telemetry.
//! Exposed as a library so the integration tests start exactly what the binary starts.

// The route table's view types are deep; their layout is computed here, where the portal
// is rendered.
#![recursion_limit = "256"]

pub mod assets;
pub mod bench;
pub mod cli;
pub mod demo;
pub mod demo_cmdb;
pub mod files;
pub mod generate;
pub mod generate_cmdb;
pub mod pace;
pub mod reports;
pub mod startup;
pub mod telemetry;
