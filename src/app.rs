//! The app shell: translations, header, routes and footer.

use leptos::prelude::*;
use leptos_router::components::{FlatRoutes, Route, Router};
use leptos_router::path;

use crate::components::header::Header;
use crate::components::notifications::{Centre, provide_unread};
use crate::i18n::{provide_i18n, t};
use crate::pages::{
    appeal::AppealPage, apply::Apply, case::CasePage, cases::Cases, complaint::Complaint, help::Help, home::Home,
    launch::Launch, not_found::NotFound, notifications::Notifications, track::Track,
};

#[component]
pub fn App() -> impl IntoView {
    provide_i18n();
    provide_unread(Centre::PLAYER);
    view! {
        <Router>
            <Header />
            <main id="main" tabindex="-1">
                <FlatRoutes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/launch") view=Launch />
                    <Route path=path!("/apply") view=Apply />
                    <Route path=path!("/complaint") view=Complaint />
                    <Route path=path!("/cases") view=Cases />
                    <Route path=path!("/cases/:no") view=CasePage />
                    <Route path=path!("/cases/:no/appeal") view=AppealPage />
                    <Route path=path!("/track/:no") view=Track />
                    <Route path=path!("/notifications") view=Notifications />
                    <Route path=path!("/help") view=Help />
                </FlatRoutes>
            </main>
            <footer class="site-footer">
                <p>{t("app.footer")}</p>
            </footer>
        </Router>
    }
}
