//! Any other path: say so and offer the way home.

use leptos::prelude::*;

use crate::i18n::{t, use_page_title};

#[component]
pub fn NotFound() -> impl IntoView {
    use_page_title("notfound.title");
    view! {
        <h1>{t("notfound.title")}</h1>
        <p>{t("notfound.body")}</p>
        <p><a href="/">{t("launch.go_home")}</a></p>
    }
}
