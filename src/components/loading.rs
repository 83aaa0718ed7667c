//! A polite "loading" line for Suspense and Transition fallbacks.

use leptos::prelude::*;

use crate::i18n::t;

#[component]
pub fn Loading() -> impl IntoView {
    view! {
        <p class="loading" role="status">
            <span class="spinner" aria-hidden="true"></span>
            {t("common.loading")}
        </p>
    }
}
