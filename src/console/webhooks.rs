//! `/console/webhooks`: the delivery log of the games' webhooks: what was sent for which
//! case, whether it arrived, after how many attempts, and the last answer or error.

use std::sync::Arc;

use leptos::prelude::*;
use refund_api::{DeliveryStatus, DeliveryView};

use super::api;
use super::table::{Column, DataTable};
use crate::components::loaded::{AsyncContent, Loaded};
use crate::format;
use crate::i18n::{keys, t, use_page_title};

const COLUMNS: &[Column] = &[
    ("console.webhooks.at", false),
    ("console.webhooks.game", false),
    ("console.queue.case", false),
    ("console.webhooks.event", false),
    ("console.webhooks.status", false),
    ("console.webhooks.attempts", true),
    ("console.webhooks.answer", false),
];

fn status_key(status: DeliveryStatus) -> &'static str {
    match status {
        DeliveryStatus::Pending => "console.webhooks.pending",
        DeliveryStatus::Delivered => "console.webhooks.delivered",
        DeliveryStatus::Failed => "console.webhooks.failed",
    }
}

fn row(d: DeliveryView) -> impl IntoView {
    let what = keys::event(d.event);
    let href = format!("/console/cases/{}", crate::api::encode(&d.case_no));
    let answer = match (d.last_status, d.last_error) {
        (Some(status), _) => status.to_string(),
        (None, Some(error)) => error,
        (None, None) => String::new(),
    };
    view! {
        <tr>
            <td><time datetime=format::iso(&d.created_at)>{format::date_time(&d.created_at)}</time></td>
            <td>{d.appid}</td>
            <th scope="row"><a href=href>{d.case_no}</a></th>
            <td>{t(what)}</td>
            <td><span class=format!("delivery delivery-{}", d.status.key())>{t(status_key(d.status))}</span></td>
            <td class="num">{d.attempts}</td>
            <td>{answer}</td>
        </tr>
    }
}

#[component]
pub fn Webhooks() -> impl IntoView {
    use_page_title("console.webhooks.title");
    let log = LocalResource::new(api::webhooks);
    let content: AsyncContent = Arc::new(move || {
        Suspend::new(async move {
            let log = log.await?;
            if log.is_empty() {
                return Ok(view! { <p>{t("console.webhooks.none")}</p> }.into_any());
            }
            let rows = log.into_iter().map(row).collect_view();
            Ok(view! {
                <DataTable columns=COLUMNS label=Signal::derive(t("console.webhooks.title"))>{rows}</DataTable>
            }
            .into_any())
        })
    });
    view! {
        <h1>{t("console.webhooks.title")}</h1>
        <p class="muted">{t("console.webhooks.intro")}</p>
        <Loaded content />
    }
}
