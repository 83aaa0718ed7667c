//! `/complaint`: a general complaint about the game, through the same form machinery.

use leptos::prelude::*;
use refund_api::CaseKind;

use crate::components::wizard::CaseFormPage;
use crate::i18n::{t, use_page_title};

#[component]
pub fn Complaint() -> impl IntoView {
    use_page_title("complaint_page.title");
    view! {
        <h1>{t("complaint_page.title")}</h1>
        <p class="lead">{t("complaint_page.lead")}</p>
        <CaseFormPage kind=CaseKind::Complaint />
    }
}
