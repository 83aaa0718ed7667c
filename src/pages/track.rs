//! `/track/:no#key=...`: a case read-only by its tracking link, in any browser, live.
//!
//! The key sits after `#`, which browsers never send, so it reaches the server only in the
//! `X-Tracking-Key` header of the app's own requests. Links from before (`?key=`) are
//! refused by the server; the page says what to do instead of showing an error code.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::CaseSource;
use crate::components::case_view::CaseView;
use crate::i18n::{t, use_page_title};

/// The key in the page's fragment (`#key=...`), if any.
fn fragment_key() -> Option<String> {
    let hash = window().location().hash().ok()?;
    let raw = hash
        .trim_start_matches('#')
        .split('&')
        .find_map(|pair| pair.strip_prefix("key="))?;
    let key = js_sys::decode_uri_component(raw).ok()?.as_string()?;
    (!key.is_empty()).then_some(key)
}

#[component]
pub fn Track() -> impl IntoView {
    use_page_title("track.title");
    let params = use_params_map();
    let query = use_query_map();
    let case_no = move || params.with(|p| p.get("no").unwrap_or_default());
    let old_link = query.with_untracked(|q| q.get("key").is_some());
    let refusal = |key: &'static str| {
        view! {
            <div class="notice notice-error" role="alert">
                <p class="notice-title">{t(key)}</p>
            </div>
        }
        .into_any()
    };
    let body = move || match (old_link, fragment_key()) {
        (true, _) => refusal("track.old_link"),
        (false, None) => refusal("track.no_key"),
        (false, Some(key)) => {
            let source = CaseSource::Track {
                case_no: case_no(),
                key,
            };
            // The case says it is read-only once it is there (not above a refusal).
            view! { <CaseView source /> }.into_any()
        }
    };
    view! {
        <h1>{t("track.title")} " " <span class="case-no">{case_no}</span></h1>
        {body}
    }
}
