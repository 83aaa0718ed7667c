//! Refund Desk server: an axum HTTP API over a domain layer and a storage layer.
//!
//! `domain` holds the rules and knows nothing of HTTP or SQL; `store` is the repository
//! layer (SQLite embedded, PostgreSQL for several processes); `http` holds thin
//! handlers; `jobs` runs the durable job queue; `app` wires them into a server; `cli` is the operator's command line.

pub mod app;
pub mod cli;
pub mod clock;
pub mod config;
pub mod demo;
pub mod domain;
pub mod error;
pub mod files;
pub mod http;
pub mod import;
pub mod jobs;
pub mod listen;
pub mod live;
pub mod metrics;
pub mod payments;
pub mod secrets;
pub mod store;
