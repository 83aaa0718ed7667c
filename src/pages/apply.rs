//! `/apply`: the guardian's application for a refund of a minor's spending.

use leptos::prelude::*;
use refund_api::CaseKind;

use crate::components::wizard::CaseFormPage;
use crate::i18n::{t, use_page_title};

#[component]
pub fn Apply() -> impl IntoView {
    use_page_title("apply.title");
    view! {
        <h1>{t("apply.title")}</h1>
        <p class="lead">{t("apply.lead")}</p>
        <CaseFormPage kind=CaseKind::MinorRefund />
    }
}
