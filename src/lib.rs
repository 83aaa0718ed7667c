//! Refund Desk web apps: Leptos single-page apps for guardians and players, and (in
//! `console`, a bundle of its own) for developers and platform staff.
//!
//! Pure logic (money, time, validation, drafts, translations) lives in modules that
//! compile and are unit-tested natively; everything that touches the browser goes
//! through `api` (HTTP), `storage` (localStorage) and the view modules.

pub mod api;
mod app;
pub mod appeal_draft;
pub mod components;
#[cfg(feature = "console")]
pub mod console;
pub mod draft;
pub mod form;
pub mod format;
pub mod i18n;
pub mod pages;
pub mod storage;

pub use app::App;

/// Removes index.html's static shell (header, page title and lead, painted before the app
/// has downloaded) just before the app mounts the same markup in its place.
pub fn remove_boot_message() {
    if let Some(boot) = leptos::prelude::document().get_element_by_id("boot") {
        boot.remove();
    }
}
