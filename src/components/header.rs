//! The page header: skip link, service name, main navigation and the language switch.

use leptos::prelude::*;
use leptos_router::components::A;
use wasm_bindgen::JsCast;

use super::lang_switch::LangSwitch;
use crate::i18n::t;

/// Moves focus to `<main>` (the router would otherwise treat `#main` as a navigation).
fn skip_to_main(ev: leptos::ev::MouseEvent) {
    ev.prevent_default();
    if let Some(main) = document()
        .get_element_by_id("main")
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = main.focus();
    }
}

#[component]
pub fn Header() -> impl IntoView {
    view! {
        <a class="skip-link" href="#main" on:click=skip_to_main>
            {t("nav.skip")}
        </a>
        <header class="site-header">
            <div class="bar">
                <A href="/" attr:class="brand">
                    <svg class="brand-mark" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true">
                        <circle cx="12" cy="12" r="11" fill="currentColor" />
                        <path d="M7 12.5l3 3 7-7" fill="none" stroke="#fff" stroke-width="2.4" />
                    </svg>
                    <span>{t("app.name")}</span>
                </A>
                <LangSwitch />
            </div>
            <nav aria-label=t("nav.label")>
                <ul class="nav-links">
                    <li><A href="/apply">{t("nav.apply")}</A></li>
                    <li><A href="/complaint">{t("nav.complaint")}</A></li>
                    <li><A href="/cases">{t("nav.cases")}</A></li>
                </ul>
            </nav>
        </header>
    }
}
