//! The page header: skip link, service name, main navigation and the language switch.

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use wasm_bindgen::JsCast;

use super::lang_switch::LangSwitch;
use super::notifications::NotificationLink;
use crate::i18n::t;

/// Moves focus to `<main>` (the router would otherwise treat `#main` as a navigation).
pub fn skip_to_main(ev: &leptos::ev::MouseEvent) {
    ev.prevent_default();
    if let Some(main) = document()
        .get_element_by_id("main")
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = main.focus();
    }
}

/// A main-navigation link, marked `aria-current="page"` on its section's pages.
#[component]
pub fn NavLink(
    /// Where it goes; also the path prefix of its section unless `section` says otherwise.
    href: &'static str,
    /// Translation key of its text.
    label_key: &'static str,
    /// The path prefix of its section's other pages, when not `href`.
    #[prop(optional)]
    section: Option<&'static str>,
) -> impl IntoView {
    let path = use_location().pathname;
    let prefix = section.unwrap_or(href);
    let current = move || {
        path.with(|p| {
            let p = p.strip_suffix('/').filter(|p| !p.is_empty()).unwrap_or(p);
            p == href || p.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('/'))
        })
        .then_some("page")
    };
    view! {
        <a href=href aria-current=current>
            {t(label_key)}
        </a>
    }
}

/// The service's mark and name, linking to an app's start.
#[component]
pub fn Brand(
    /// The app's start page.
    href: &'static str,
    /// Translation key of the name.
    name_key: &'static str,
) -> impl IntoView {
    view! {
        <a href=href class="brand">
            <svg class="brand-mark" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true">
                <circle cx="12" cy="12" r="11" fill="currentColor" />
                <path d="M7 12.5l3 3 7-7" fill="none" stroke="#fff" stroke-width="2.4" />
            </svg>
            <span>{t(name_key)}</span>
        </a>
    }
}

/// Whether the page is opened by a tracking link, where nobody need be signed in: the
/// player's own pages would only say "open it again from the game" to a relative holding
/// the link, so the header offers help alone there.
fn by_tracking_link() -> Memo<bool> {
    let path = use_location().pathname;
    Memo::new(move |_| path.with(|p| p.starts_with("/track/")))
}

#[component]
pub fn Header() -> impl IntoView {
    let tracking = by_tracking_link();
    view! {
        <a class="skip-link" href="#main" on:click=|ev| skip_to_main(&ev)>
            {t("nav.skip")}
        </a>
        <header class="site-header">
            <div class="bar">
                <Brand href="/" name_key="app.name" />
                <div class="row">
                    <NotificationLink />
                    <LangSwitch />
                </div>
            </div>
            <nav aria-label=t("nav.label")>
                <ul class="nav-links">
                    <Show when=move || !tracking.get()>
                        <li><NavLink href="/apply" label_key="nav.apply" /></li>
                        <li><NavLink href="/complaint" label_key="nav.complaint" /></li>
                        <li><NavLink href="/cases" label_key="nav.cases" /></li>
                    </Show>
                    <li><NavLink href="/help" label_key="nav.help" /></li>
                </ul>
            </nav>
        </header>
    }
}
