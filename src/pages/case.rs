//! `/cases/:no`: one of my cases, live, with the way back to the list.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::CaseSource;
use crate::components::case_view::CaseView;
use crate::i18n::{t, use_page_title};

#[component]
pub fn CasePage() -> impl IntoView {
    use_page_title("case.title");
    let params = use_params_map();
    let case_no = move || params.with(|p| p.get("no").unwrap_or_default());
    view! {
        // A way back to the list, whether the case loads or turns out not to be theirs.
        <p class="back-link"><a href="/cases">{t("case.back_to_cases")}</a></p>
        <h1>{t("case.title")} " " <span class="case-no">{case_no}</span></h1>
        {move || view! { <CaseView source=CaseSource::Session { case_no: case_no() } /> }}
    }
}
