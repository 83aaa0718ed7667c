//! The console: the web app of people at desks (a game's developers, platform staff),
//! served under `/console/` from its own bundle.
//!
//! Policy: it shares the player app's API client, components and translations, and adds
//! only what desks need; its own words live in `console/i18n/*.json` (keys under
//! `console.`), so nothing here reaches the player's bundle. The shell asks the server
//! who is signed in and shows the login form until someone is.

mod api;
mod appeal_view;
mod case;
mod credit;
mod decision_form;
mod evidence_viewer;
mod force_majeure;
mod force_majeure_form;
mod header;
mod login;
mod orders;
mod platform;
mod queue;
mod table;
mod webhooks;

#[cfg(test)]
mod tests;

use leptos::prelude::*;
use leptos_router::components::{FlatRoutes, Route, Router};
use leptos_router::path;
use refund_api::StaffView;

use crate::components::loading::Loading;
use crate::components::notifications::{Centre, provide_unread};
use crate::i18n::{add_catalog, provide_i18n, t};

/// Where the console's English catalog is served (see console/index.html).
const EN_URL: &str = "/console/i18n/en.json";
const ZH_CN: &str = include_str!("console/i18n/zh-CN.json");

/// Who is signed in: unknown while asking, then `Some` or `None`.
#[derive(Debug, Clone, Copy)]
pub struct Signed(pub RwSignal<Option<Option<StaffView>>>);

impl Signed {
    /// The signed-in account, if there is one.
    #[must_use]
    pub fn staff(self) -> Option<StaffView> {
        self.0.get().flatten()
    }
}

#[component]
pub fn ConsoleApp() -> impl IntoView {
    add_catalog(ZH_CN, EN_URL);
    provide_i18n();
    provide_unread(Centre {
        page: "/console/notifications",
        cases: "/console/cases/",
        stream: "/api/events?audience=console",
        lead: None,
    });
    let signed = Signed(RwSignal::new(None));
    provide_context(signed);
    leptos::task::spawn_local(async move {
        let who = api::session().await.ok();
        signed.0.set(Some(who));
    });
    view! {
        <Router>
            <header::ConsoleHeader />
            <main id="main" tabindex="-1" class="console-main">
                {move || match signed.0.get() {
                    None => view! { <Loading /> }.into_any(),
                    Some(None) => view! { <login::Login /> }.into_any(),
                    Some(Some(_)) => view! { <Pages /> }.into_any(),
                }}
            </main>
            <footer class="site-footer">
                <p>{t("console.footer")}</p>
            </footer>
        </Router>
    }
}

/// The signed-in console's pages.
#[component]
fn Pages() -> impl IntoView {
    view! {
        <FlatRoutes fallback=|| view! { <crate::pages::not_found::NotFound /> }>
            <Route path=path!("/console") view=queue::Queue />
            <Route path=path!("/console/") view=queue::Queue />
            <Route path=path!("/console/cases/:no") view=case::ConsoleCasePage />
            <Route path=path!("/console/notifications") view=crate::pages::notifications::Notifications />
            <Route path=path!("/console/webhooks") view=webhooks::Webhooks />
            <Route path=path!("/console/platform") view=platform::PlatformQueue />
            <Route path=path!("/console/credit") view=credit::Credit />
            <Route path=path!("/console/force-majeure") view=force_majeure::ForceMajeure />
        </FlatRoutes>
    }
}
