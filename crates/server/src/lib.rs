//! Refund Desk server: an axum HTTP API over a domain layer and a storage layer.
//!
//! `domain` holds the rules and knows nothing of HTTP or SQL; `store` is the repository
//! layer (SQLite embedded; the same methods are the seam for PostgreSQL); `http` holds thin
//! handlers; `app` wires them into a server; `cli` is the operator's command line.

pub mod app;
pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod error;
pub mod files;
pub mod http;
pub mod import;
pub mod live;
pub mod secrets;
pub mod store;
