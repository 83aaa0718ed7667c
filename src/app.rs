//! The player's two apps: the application bundle's and the follow-up bundle's routes
//! (`refund_api::PlayerBundle` says which pages each has), in one frame of translations,
//! header and footer. Each bundle mounts only its own app, so neither first load carries
//! the other's pages; a page of the other bundle is loaded from the server
//! (`pages::not_found::Elsewhere`).

use leptos::prelude::*;
use leptos_router::components::{FlatRoutes, Route, Router};
use leptos_router::path;

use crate::components::header::Header;
use crate::components::notifications::{Centre, provide_unread};
use crate::i18n::{provide_i18n, t};
use crate::pages::not_found::Elsewhere;

/// Translations, the unread count, the router, header and footer around a bundle's routes.
#[component]
fn Frame(children: Children) -> impl IntoView {
    provide_i18n();
    provide_unread(Centre::PLAYER);
    view! {
        <Router>
            <Header />
            <main id="main" tabindex="-1">{children()}</main>
            <footer class="site-footer">
                <p>{t("app.footer")}</p>
            </footer>
        </Router>
    }
}

/// The application bundle: where a parent arrives from the game's menu and applies.
#[component]
pub fn ApplyApp() -> impl IntoView {
    use crate::pages::{apply::Apply, complaint::Complaint, help::Help, home::Home, launch::Launch};
    view! {
        <Frame>
            <FlatRoutes fallback=Elsewhere>
                <Route path=path!("/") view=Home />
                <Route path=path!("/launch") view=Launch />
                <Route path=path!("/apply") view=Apply />
                <Route path=path!("/complaint") view=Complaint />
                <Route path=path!("/help") view=Help />
            </FlatRoutes>
        </Frame>
    }
}

/// The follow-up bundle: a parent's cases, appeals, tracking links and notifications.
#[component]
pub fn FollowApp() -> impl IntoView {
    use crate::pages::{appeal::AppealPage, case::CasePage, cases::Cases, notifications::Notifications, track::Track};
    view! {
        <Frame>
            <FlatRoutes fallback=Elsewhere>
                <Route path=path!("/cases") view=Cases />
                <Route path=path!("/cases/:no") view=CasePage />
                <Route path=path!("/cases/:no/appeal") view=AppealPage />
                <Route path=path!("/track/:no") view=Track />
                <Route path=path!("/notifications") view=Notifications />
            </FlatRoutes>
        </Frame>
    }
}

#[cfg(test)]
mod tests {
    use refund_api::PlayerBundle;

    /// The routes above, as the server must split them (kept in step by hand: the
    /// router's paths are not listable).
    #[test]
    fn each_route_is_served_by_its_bundle() {
        for path in ["/", "/launch", "/apply", "/complaint", "/help"] {
            assert_eq!(PlayerBundle::serving(path), PlayerBundle::Apply, "{path}");
        }
        for path in [
            "/cases",
            "/cases/MR-1",
            "/cases/MR-1/appeal",
            "/track/MR-1",
            "/notifications",
        ] {
            assert_eq!(PlayerBundle::serving(path), PlayerBundle::Follow, "{path}");
        }
    }
}
