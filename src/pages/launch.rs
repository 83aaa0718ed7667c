//! `/launch?ticket=...`: the game menu's entry point. Trades the ticket for a session and
//! goes home; on failure explains what happened and how to get back in. A link used
//! before, opened while its session is still valid, just goes home.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use refund_api::ErrorCode;

use crate::api::{self, ApiError};
use crate::components::error_view::{advice_text, error_text};
use crate::components::loading::Loading;
use crate::i18n::{t, use_page_title};

/// Why the launch failed, as a page with a heading, the reason and the way forward.
#[component]
fn LaunchFailed(
    /// The failure.
    error: ApiError,
) -> impl IntoView {
    let what = error.clone();
    view! {
        <h1>{t("launch.failed")}</h1>
        <div class="notice notice-error" role="alert">
            <p class="notice-title">{move || error_text(&what)}</p>
            <p>{move || advice_text(&error)}</p>
        </div>
        <p><a href="/">{t("launch.go_home")}</a></p>
    }
}

#[component]
pub fn Launch() -> impl IntoView {
    use_page_title("launch.title");
    let ticket = use_query_map()
        .with_untracked(|q| q.get("ticket"))
        .filter(|t| !t.trim().is_empty());
    let Some(ticket) = ticket else {
        return view! { <LaunchFailed error=ApiError::client(400, api::ClientCode::MissingTicket) /> }.into_any();
    };
    let navigate = use_navigate();
    let result = LocalResource::new(move || {
        let ticket = ticket.clone();
        async move {
            match api::launch(&ticket).await {
                // The menu link opened again (a reload, the back button) while its session
                // still holds: carry on rather than show an error.
                Err(error) if error.is(ErrorCode::TicketReused) && api::session().await.is_ok() => Ok(()),
                other => other.map(|_| ()),
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = result.get() {
            navigate(
                "/",
                NavigateOptions {
                    replace: true,
                    ..NavigateOptions::default()
                },
            );
        }
    });
    let page = move || match result.get() {
        None | Some(Ok(_)) => view! {
            <h1 class="visually-hidden">{t("launch.title")}</h1>
            <Loading />
        }
        .into_any(),
        Some(Err(error)) => view! { <LaunchFailed error /> }.into_any(),
    };
    page.into_any()
}
