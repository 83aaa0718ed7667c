//! Fetching the follow-up bundle ahead, while the parent fills in the form.
//!
//! After submitting, the new case opens in the follow-up bundle (`app.rs`): a page load.
//! The build names that bundle's glue and wasm in the application page's
//! `<meta name="refund-follow-up">`; once the parent has moved past the form's first
//! step, they are asked for as `<link rel="prefetch">`, which the browser fetches at its
//! lowest priority into its cache. Not at once: the page's own first load comes first.
//! A page without the meta (a development build) simply fetches nothing ahead.

use leptos::prelude::document;

/// Asks the browser to fetch the follow-up bundle's files ahead; does so once per page.
pub fn follow_up_bundle() {
    let document = document();
    let Ok(Some(meta)) = document.query_selector("meta[name=refund-follow-up]") else {
        return;
    };
    let paths = meta.get_attribute("content").unwrap_or_default();
    for path in paths.split_whitespace() {
        if let Ok(link) = document.create_element("link") {
            let _rel = link.set_attribute("rel", "prefetch");
            let _href = link.set_attribute("href", path);
            let _added = meta.before_with_node_1(&link);
        }
    }
    // The meta goes once its files are asked for, so a later step asks again for nothing.
    meta.remove();
}
