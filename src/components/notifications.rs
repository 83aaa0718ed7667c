//! The notification centre's entry in the header: a link with the unread count, kept up
//! to date on every navigation and from the reader's live stream. Shown only to someone
//! signed in. Each app says where its centre, its cases and its stream are ([`Centre`]).

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use send_wrapper::SendWrapper;

use crate::api::{self, CaseEvents};
use crate::i18n::{t, tf};

/// The unread count (`None` while unknown or signed out) and where the centre is, shared
/// by the header and the notifications page.
#[derive(Debug, Clone, Copy)]
pub struct Unread(pub RwSignal<Option<i64>>, pub Centre);

/// Where an app's notification centre lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Centre {
    /// The centre's page.
    pub page: &'static str,
    /// Where a case is opened: this prefix and the case number.
    pub cases: &'static str,
    /// The reader's live event stream.
    pub stream: &'static str,
    /// The translation key of the line under the centre's title, where the page has one
    /// (the player's, which its static shell paints first).
    pub lead: Option<&'static str>,
}

impl Centre {
    /// The player app's.
    pub const PLAYER: Self = Self {
        page: "/notifications",
        cases: "/cases/",
        stream: "/api/events",
        lead: Some("notifications.lead"),
    };
}

/// Provides the unread count (the header's link keeps it fresh) and where the centre is.
pub fn provide_unread(centre: Centre) {
    provide_context(Unread(RwSignal::new(None), centre));
}

/// The header's link to the notifications, with the unread count as a badge.
#[component]
pub fn NotificationLink() -> impl IntoView {
    let Unread(unread, centre) = expect_context::<Unread>();
    let refresh = move || {
        leptos::task::spawn_local(async move {
            unread.set(api::notifications().await.ok().map(|list| list.unread));
        });
    };
    // Look again on every page (a launch signs the player in without reloading) ...
    let path = use_location().pathname;
    Effect::new(move |_| {
        path.track();
        refresh();
    });
    // ... and listen live once signed in.
    let stream: StoredValue<Option<SendWrapper<CaseEvents>>, LocalStorage> = StoredValue::new_local(None);
    Effect::new(move |_| {
        if unread.get().is_some() && stream.with_value(Option::is_none) {
            let events = api::listen(centre.stream, move |_| refresh());
            stream.set_value(events.map(SendWrapper::new));
        }
    });
    on_cleanup(move || stream.set_value(None));
    move || {
        unread.get().map(|count| {
            let label = if count > 0 {
                tf("notifications.link_unread", &[("n", &count.to_string())])
            } else {
                t("notifications.title")()
            };
            view! {
                <a href=centre.page class="notification-link" aria-label=label>
                    <span aria-hidden="true">{t("notifications.title")}</span>
                    {(count > 0).then(|| view! { <span class="badge" aria-hidden="true">{count}</span> })}
                </a>
            }
        })
    }
}
