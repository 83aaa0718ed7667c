//! `/console/platform` (platform staff): the cases awaiting the platform's final decision,
//! oldest first, with why each came (the player asked, or the appeal decision was late).

use std::sync::Arc;

use leptos::prelude::*;
use refund_api::{PlatformReferral, PlatformRow};
use send_wrapper::SendWrapper;

use super::api;
use crate::components::loaded::{AsyncContent, Loaded};
use crate::format;
use crate::i18n::{keys, t, tf, use_page_title};

fn referral_key(reason: PlatformReferral) -> &'static str {
    match reason {
        PlatformReferral::PlayerAsked => "console.platform.player_asked",
        PlatformReferral::LateAppeal => "console.platform.late_appeal",
    }
}

fn row(r: &PlatformRow) -> impl IntoView + use<> {
    let href = format!("/console/cases/{}", crate::api::encode(&r.case_no));
    view! {
        <tr>
            <th scope="row"><a href=href>{r.case_no.clone()}</a></th>
            <td>{r.game_name.clone()}</td>
            <td>{t(keys::kind(r.kind))}</td>
            <td>{t(referral_key(r.reason))}</td>
            <td class="num">{(r.claimed_fen > 0).then(|| format::yuan(r.claimed_fen))}</td>
            <td><time datetime=format::iso(&r.waiting_since)>{format::date_time(&r.waiting_since)}</time></td>
        </tr>
    }
}

#[component]
pub fn PlatformQueue() -> impl IntoView {
    use_page_title("console.platform.title");
    let rows = LocalResource::new(api::platform_queue);
    let events = SendWrapper::new(api::subscribe(move |_| rows.refetch()));
    on_cleanup(move || drop(events));
    let content: AsyncContent = Arc::new(move || {
        Suspend::new(async move {
            let rows = rows.await?;
            if rows.is_empty() {
                return Ok(view! { <p>{t("console.platform.none")}</p> }.into_any());
            }
            let count = rows.len();
            let body = rows.iter().map(row).collect_view();
            Ok(view! {
                <p class="muted" role="status">{move || tf("console.platform.count", &[("n", &count.to_string())])}</p>
                <div class="table-scroll">
                    <table>
                        <thead>
                            <tr>
                                <th scope="col">{t("console.queue.case")}</th>
                                <th scope="col">{t("console.queue.game")}</th>
                                <th scope="col">{t("console.queue.kind")}</th>
                                <th scope="col">{t("console.platform.why")}</th>
                                <th scope="col" class="num">{t("console.queue.claimed")}</th>
                                <th scope="col">{t("console.platform.since")}</th>
                            </tr>
                        </thead>
                        <tbody>{body}</tbody>
                    </table>
                </div>
            }
            .into_any())
        })
    });
    view! {
        <h1>{t("console.platform.title")}</h1>
        <p class="muted">{t("console.platform.intro")}</p>
        <Loaded content />
    }
}
