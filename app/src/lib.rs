//! Switchboard's portal: everything that compiles for both the browser (hydrate) and the
//! server (ssr). Server-only code lives under `ssr`, gated here and nowhere else.

#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod context;
pub mod domain;
pub mod error;
pub mod fmt;
pub mod pages;
pub mod routes;
pub mod shell;

#[cfg(feature = "ssr")]
pub mod ssr;

pub use routes::App;
pub use shell::shell;
