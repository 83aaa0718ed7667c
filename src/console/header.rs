//! The console's header: skip link, name, the signed-in account, navigation, the
//! notification badge, the language switch and signing out.

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use refund_api::StaffRole;

use super::{Signed, api};
use crate::components::header::skip_to_main;
use crate::components::lang_switch::LangSwitch;
use crate::components::notifications::NotificationLink;
use crate::i18n::t;

/// A navigation link, marked current on its page.
#[component]
fn NavLink(
    /// Where it goes.
    href: &'static str,
    /// Translation key of its text.
    label_key: &'static str,
) -> impl IntoView {
    let path = use_location().pathname;
    let current = move || {
        path.with(|p| {
            let p = p.trim_end_matches('/');
            p == href.trim_end_matches('/') || (href == "/console" && p.starts_with("/console/cases"))
        })
        .then_some("page")
    };
    view! {
        <a href=href aria-current=current>
            {t(label_key)}
        </a>
    }
}

#[component]
pub fn ConsoleHeader() -> impl IntoView {
    let signed = expect_context::<Signed>();
    let sign_out = move |_| {
        leptos::task::spawn_local(async move {
            // Signed out locally even if the request fails: the cookie expires anyway.
            let _ = api::logout().await;
            signed.0.set(Some(None));
        });
    };
    let account = move || {
        signed.staff().map(|staff| {
            let role = match staff.role {
                StaffRole::Developer => "console.role.developer",
                StaffRole::Platform => "console.role.platform",
            };
            let org = staff.org_name.clone().or(staff.org_id.clone()).unwrap_or_default();
            view! {
                <span class="account">
                    <span class="muted">{t(role)} " · " {org}</span>
                    " " <strong>{staff.login.clone()}</strong>
                </span>
                <NotificationLink />
                <button type="button" class="button" on:click=sign_out>{t("console.sign_out")}</button>
            }
        })
    };
    let nav = move || {
        signed.staff().map(|_| {
            view! {
                <nav aria-label=t("nav.label")>
                    <ul class="nav-links">
                        <li><NavLink href="/console" label_key="console.nav.queue" /></li>
                        <li><NavLink href="/console/notifications" label_key="notifications.title" /></li>
                        <li><NavLink href="/console/webhooks" label_key="console.nav.webhooks" /></li>
                    </ul>
                </nav>
            }
        })
    };
    view! {
        <a class="skip-link" href="#main" on:click=|ev| skip_to_main(&ev)>{t("nav.skip")}</a>
        <header class="site-header console-header">
            <div class="bar">
                <a href="/console" class="brand">
                    <svg class="brand-mark" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true">
                        <circle cx="12" cy="12" r="11" fill="currentColor" />
                        <path d="M7 12.5l3 3 7-7" fill="none" stroke="#fff" stroke-width="2.4" />
                    </svg>
                    <span>{t("console.name")}</span>
                </a>
                <div class="row">
                    {account}
                    <LangSwitch />
                </div>
            </div>
            {nav}
        </header>
    }
}
