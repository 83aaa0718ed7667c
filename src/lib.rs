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
pub mod prefetch;
pub mod storage;

pub use app::{ApplyApp, FollowApp};

/// Mounts the app in place of index.html's static shell (header, page title and lead,
/// painted before the app has downloaded), once the browser has presented the shell's
/// largest paint.
///
/// Why wait: the browser settles a paint's largest-contentful-paint entry only when the
/// frame is presented, a little after it is drawn. An app that mounts in between removes
/// the shell's title before that, and the page's largest paint is then credited to the
/// app's identical copy, drawn after the whole wasm has arrived. The shell's script
/// (index.html) resolves `window.refundShellPainted` when that entry is there, or after a
/// second (a hidden page gets no such entry); without the script the app mounts at once.
/// A reader who chose English also waits for the English catalog (the shell is in English
/// for them), so the app's first render is in their language. The shell goes and the app
/// comes in one task, so nothing moves between the two.
pub fn mount_over_shell<F, N>(app: F)
where
    F: FnOnce() -> N + 'static,
    N: leptos::prelude::IntoView,
{
    use wasm_bindgen::JsCast;

    let mount = move || {
        if let Some(shell) = leptos::prelude::document().get_element_by_id("boot") {
            shell.remove();
        }
        leptos::mount::mount_to_body(app);
    };
    pages::not_found::note_loaded_path();
    let painted = js_sys::Reflect::get(&leptos::prelude::window(), &"refundShellPainted".into())
        .ok()
        .and_then(|value| value.dyn_into::<js_sys::Promise>().ok());
    wasm_bindgen_futures::spawn_local(async move {
        if let Some(promise) = painted {
            let _settled = wasm_bindgen_futures::JsFuture::from(promise).await;
        }
        i18n::load_saved_catalog().await;
        mount();
    });
}
