//! The notification centre (`/notifications`, `/console/notifications`): what happened on
//! the reader's cases, newest first; opening the page marks everything read.

use std::sync::Arc;

use leptos::prelude::*;
use refund_api::NotificationView;

use crate::api;
use crate::components::loaded::{AsyncContent, Loaded};
use crate::components::notifications::Unread;
use crate::format;
use crate::i18n::{keys, t, use_page_title};

fn item(n: &NotificationView, cases: &str) -> impl IntoView + use<> {
    let href = format!("{cases}{}", api::encode(&n.case_no));
    let what = keys::event(n.kind);
    view! {
        <li class=if n.read { "notification" } else { "notification unread" }>
            <a href=href>
                <strong>{t(what)}</strong>
                <span class="muted">
                    {n.case_no.clone()} " · "
                    <time datetime=format::iso(&n.at)>{format::date_time(&n.at)}</time>
                </span>
            </a>
            {(!n.read).then(|| view! { <span class="visually-hidden">{t("notifications.new")}</span> })}
        </li>
    }
}

#[component]
pub fn Notifications() -> impl IntoView {
    use_page_title("notifications.title");
    let Unread(unread, centre) = expect_context::<Unread>();
    // Shows the list as it was (new ones marked), while marking it read on the server.
    let list = LocalResource::new(move || async move {
        let list = api::notifications().await?;
        if list.unread > 0 {
            let read = api::mark_notifications_read().await?;
            unread.set(Some(read.unread));
        }
        Ok::<_, api::ApiError>(list)
    });
    let content: AsyncContent = Arc::new(move || {
        Suspend::new(async move {
            let list = list.await?;
            Ok(if list.items.is_empty() {
                view! { <p>{t("notifications.none")}</p> }.into_any()
            } else {
                let items = list.items.iter().map(|n| item(n, centre.cases)).collect_view();
                view! { <ul class="notification-list">{items}</ul> }.into_any()
            })
        })
    });
    view! {
        <h1>{t("notifications.title")}</h1>
        {centre.lead.map(|key| view! { <p class="lead">{t(key)}</p> })}
        <Loaded content />
    }
}
