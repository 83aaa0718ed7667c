//! `/track/:no?key=...`: a case read-only by its tracking link, in any browser, live.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::CaseSource;
use crate::components::case_view::CaseView;
use crate::i18n::{t, use_page_title};

#[component]
pub fn Track() -> impl IntoView {
    use_page_title("track.title");
    let params = use_params_map();
    let query = use_query_map();
    let source = move || CaseSource::Track {
        case_no: params.with(|p| p.get("no").unwrap_or_default()),
        key: query.with(|q| q.get("key").unwrap_or_default()),
    };
    let case_no = move || params.with(|p| p.get("no").unwrap_or_default());
    view! {
        <h1>{t("track.title")} " " <span class="case-no">{case_no}</span></h1>
        <p class="hint">{t("track.read_only")}</p>
        {move || view! { <CaseView source=source() /> }}
    }
}
