//! Any path this bundle has no page for: the other player bundle's pages, loaded from
//! the server, and truly unknown paths, which say so and offer the way home.
//!
//! The player's app is two bundles (`refund_api::PlayerBundle`): a link or a navigation
//! from one to a page of the other reaches this bundle's router, which has no route for
//! it. Such a page is loaded from the server, which answers with the bundle that has it.
//! A path the page was loaded at is never loaded again, so a path no bundle has shows
//! "not found" instead of reloading for ever.

use std::sync::OnceLock;

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::components::loading::Loading;
use crate::i18n::{t, use_page_title};

/// The path the document was loaded at, noted before the app mounts.
static LOADED_AT: OnceLock<String> = OnceLock::new();

/// Notes the path the document was loaded at (the app calls this once, before mounting).
pub fn note_loaded_path() {
    let path = window().location().pathname().unwrap_or_default();
    let _first = LOADED_AT.set(path);
}

/// The router's fallback: loads the page from the server unless this document was
/// loaded for it.
#[component]
pub fn Elsewhere() -> impl IntoView {
    let location = use_location();
    let path = location.pathname.get_untracked();
    if LOADED_AT.get().is_some_and(|loaded| *loaded == path) {
        return view! { <NotFound /> }.into_any();
    }
    let target = full_path(&path, &location.search.get_untracked(), &location.hash.get_untracked());
    // The router records the new address once this view is in place; the load waits for
    // that and then takes its entry, so history holds the page once. Should the router
    // not have recorded it, the load adds the entry itself.
    set_timeout(
        move || {
            let here = window().location();
            let recorded = here.pathname().is_ok_and(|now| now == path);
            let _loading = if recorded {
                here.replace(&target)
            } else {
                here.assign(&target)
            };
        },
        std::time::Duration::ZERO,
    );
    view! { <Loading /> }.into_any()
}

/// Path, query (without its `?`) and fragment as one URL path.
fn full_path(path: &str, search: &str, hash: &str) -> String {
    let mut full = path.to_owned();
    if !search.is_empty() {
        full.push('?');
        full.push_str(search);
    }
    if !hash.is_empty() && hash != "#" {
        if !hash.starts_with('#') {
            full.push('#');
        }
        full.push_str(hash);
    }
    full
}

#[component]
pub fn NotFound() -> impl IntoView {
    use_page_title("notfound.title");
    view! {
        <h1>{t("notfound.title")}</h1>
        <p>{t("notfound.body")}</p>
        <p><a href="/">{t("launch.go_home")}</a></p>
    }
}

#[cfg(test)]
mod tests {
    use super::full_path;

    #[test]
    fn query_and_fragment_are_kept() {
        assert_eq!(full_path("/cases/MR-1", "", ""), "/cases/MR-1");
        assert_eq!(
            full_path("/cases/MR-1", "submitted=2026-11-25", ""),
            "/cases/MR-1?submitted=2026-11-25"
        );
        assert_eq!(full_path("/help", "", "#faq"), "/help#faq");
        assert_eq!(full_path("/help", "a=1", "faq"), "/help?a=1#faq");
        assert_eq!(full_path("/help", "", "#"), "/help");
    }
}
