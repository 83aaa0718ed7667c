//! The console's header: skip link, name, the signed-in account, navigation, the
//! notification badge, the language switch and signing out.

use leptos::prelude::*;
use refund_api::StaffRole;

use super::{Signed, api};
use crate::components::header::{Brand, NavLink, skip_to_main};
use crate::components::lang_switch::LangSwitch;
use crate::components::notifications::NotificationLink;
use crate::i18n::t;

#[component]
pub fn ConsoleHeader() -> impl IntoView {
    let signed = expect_context::<Signed>();
    let sign_out = move |_| {
        leptos::task::spawn_local(async move {
            // Signed out here even if the request fails: the cookie expires anyway. The
            // console starts over from a fresh page load, so nothing of the signed-in
            // pages (their live streams, pending loads) outlives the session.
            let _ = api::logout().await;
            let _ = window().location().assign("/console/");
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
        signed.staff().map(|staff| {
            let platform = staff.role == StaffRole::Platform;
            view! {
                <nav aria-label=t("nav.label")>
                    <ul class="nav-links">
                        <li><NavLink href="/console" section="/console/cases" label_key="console.nav.queue" /></li>
                        <li><NavLink href="/console/notifications" label_key="notifications.title" /></li>
                        {platform.then(|| view! { <li><NavLink href="/console/platform" label_key="console.nav.platform" /></li> })}
                        <li><NavLink href="/console/credit" label_key="console.nav.credit" /></li>
                        <li><NavLink href="/console/force-majeure" label_key="console.nav.force_majeure" /></li>
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
                <Brand href="/console" name_key="console.name" />
                <div class="row">
                    {account}
                    <LangSwitch />
                </div>
            </div>
            {nav}
        </header>
    }
}
