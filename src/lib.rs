//! Refund Desk web app: a Leptos single-page app for guardians and players.
//!
//! Pure logic (money, time, validation, drafts, translations) lives in modules that
//! compile and are unit-tested natively; everything that touches the browser goes
//! through `api` (HTTP), `storage` (localStorage) and the view modules.

pub mod api;
mod app;
pub mod components;
pub mod draft;
pub mod form;
pub mod format;
pub mod i18n;
pub mod pages;
pub mod storage;

pub use app::App;
