//! One case, read-only: for its player (session) and for anyone with the tracking link.
//!
//! Policy: the same view serves both audiences. The tracking-link box and the actions
//! (accept, withdraw, message) are offered to the player alone, and a tracking link sees
//! no private details (the server leaves them out; the page says where they are). A
//! server-sent event about the case refetches it, so a decision shows up without reloading;
//! a reply being written outlives that (its text is kept here, and its focus put back).

pub mod decision;
mod evidence_gallery;
pub mod message_form;
mod next_step;
pub mod parties;
pub mod retention;
pub mod timeline;
mod tracking_link;
mod withdraw;

use std::sync::Arc;

use leptos::prelude::*;
use refund_api::CaseDetail;
use send_wrapper::SendWrapper;

use crate::api::{self, CaseSource};
use crate::components::deadline::{Deadline, awaits_developer};
use crate::components::loaded::{AsyncContent, Loaded};
use crate::components::state_badge::StateBadge;
use crate::format;
use crate::i18n::{keys, t, tf};

use decision::Decisions;
use evidence_gallery::EvidenceGallery;
use message_form::MessageForm;
use next_step::NextStepBox;
use parties::Parties;
use timeline::Timeline;
use tracking_link::TrackingLink;
use withdraw::Withdraw;

/// The id of the case's (visually hidden) state heading, where focus goes when an action
/// removes the button that had it.
const STATE_HEADING_ID: &str = "case-state";

/// Loads the case, keeps it live, and shows it.
#[component]
pub fn CaseView(
    /// Whose eyes: the player's session or a tracking key.
    source: CaseSource,
) -> impl IntoView {
    let fetch_source = source.clone();
    let detail = LocalResource::new(move || {
        let source = fetch_source.clone();
        async move { api::case_detail(&source).await }
    });
    let updates = RwSignal::new(0u32);
    // The reply being written, kept outside the part that is drawn again on each change,
    // and whether the cursor was in it then.
    let reply = RwSignal::new(String::new());
    let refocus = StoredValue::new(false);
    let events = api::subscribe(&source, move |_| {
        let typing = document()
            .active_element()
            .is_some_and(|e| e.id() == message_form::TEXT_ID);
        refocus.set_value(typing);
        detail.refetch();
        updates.update(|n| *n += 1);
    });
    let events = SendWrapper::new(events);
    on_cleanup(move || drop(events));

    let reload = Callback::new(move |()| detail.refetch());
    let content: AsyncContent = Arc::new(move || {
        let source = source.clone();
        Suspend::new(async move {
            let detail = detail.await?;
            if refocus.get_value() {
                refocus.set_value(false);
                crate::components::focus::focus_later(message_form::TEXT_ID.to_owned());
            }
            Ok(view! { <CaseBody detail source reload reply /> }.into_any())
        })
    });
    view! {
        <p class="live-note" role="status">
            {move || (updates.get() > 0).then(|| t("case.updated")())}
        </p>
        <Loaded content />
    }
}

/// The case once loaded.
#[component]
fn CaseBody(
    /// The case.
    detail: CaseDetail,
    /// How it was loaded: a tracking link sees no private details and cannot act.
    source: CaseSource,
    /// Loads the case again after the player changed it.
    reload: Callback<()>,
    /// The reply being written (it outlives this view).
    reply: RwSignal<String>,
) -> impl IntoView {
    let s = detail.summary.clone();
    let is_player = matches!(source, CaseSource::Session { .. });
    let claimed = format::yuan(s.claimed_fen);
    let orders = detail
        .orders
        .iter()
        .map(|o| {
            view! {
                <li>
                    <span>{o.item.clone()}</span>
                    <span class="order-meta">
                        <time datetime=format::iso(&o.paid_at)>{format::date_time(&o.paid_at)}</time>
                        " · " {o.order_no.clone()}
                    </span>
                    <strong>{format::yuan(o.amount_fen)}</strong>
                </li>
            }
        })
        .collect_view();
    let has_orders = !detail.orders.is_empty();
    view! {
        {(!is_player).then(|| view! { <p class="hint">{t("track.read_only")}</p> })}
        <section class="case-head" aria-labelledby="case-state">
            <h2 id=STATE_HEADING_ID class="visually-hidden" tabindex="-1">{t("case.state")}</h2>
            <div class="row spread">
                <StateBadge state=s.state />
                <span class="muted">{t(keys::kind(s.kind))} " · " {s.game_name.clone()}</span>
            </div>
            {awaits_developer(s.state).then(|| view! { <Deadline due_at=s.due_at days_left=s.working_days_left /> })}
            <p class="muted">
                {t("case.submitted_at")} " "
                <time datetime=format::iso(&s.submitted_at)>{format::date_time(&s.submitted_at)}</time>
            </p>
        </section>
        <Decisions
            decisions=detail.decisions.clone()
            player_case=is_player.then(|| (s.case_no.clone(), s.state))
            on_done=reload
            in_words=detail.orders.is_empty()
        />
        {detail
            .next_step
            .filter(|_| is_player)
            .map(|step| view! { <NextStepBox case_no=s.case_no.clone() step on_done=reload /> })}
        {is_player.then(|| view! { <TrackingLink case_no=s.case_no.clone() /> })}
        // Withdrawing is for a case nobody has decided yet: once decided, the player accepts
        // or appeals, and money refunded already is not undone by leaving.
        {(is_player && s.state.is_open() && detail.decisions.is_empty())
            .then(|| view! { <Withdraw case_no=s.case_no.clone() on_done=reload /> })}
        <section aria-labelledby="case-timeline">
            <h2 id="case-timeline">{t("case.timeline")}</h2>
            <Timeline entries=detail.timeline.clone() />
        </section>
        {(is_player && s.state.is_open())
            .then(|| view! { <MessageForm case_no=s.case_no.clone() side=api::Side::Player on_sent=reload text=reply /> })}
        <Parties guardian=detail.guardian.clone() complaint=detail.complaint.clone() />
        <section aria-labelledby="case-orders">
            <h2 id="case-orders">{t("case.orders")}</h2>
            {if has_orders {
                view! { <ul class="claimed">{orders}</ul> }.into_any()
            } else {
                view! { <p>{t("case.no_orders")}</p> }.into_any()
            }}
            {has_orders.then(|| view! { <p class="total">{move || tf("case.claimed", &[("amount", &claimed)])}</p> })}
        </section>
        {if is_player {
            view! {
                <section aria-labelledby="case-story">
                    <h2 id="case-story">{t("case.narrative")}</h2>
                    <p class="narrative">{detail.narrative.clone()}</p>
                </section>
                <section aria-labelledby="case-evidence">
                    <h2 id="case-evidence">{t("case.evidence")}</h2>
                    <retention::Retention retention=detail.retention />
                    <EvidenceGallery evidence=detail.evidence.clone() />
                </section>
            }
            .into_any()
        } else {
            view! { <p class="hint">{t("track.private")}</p> }.into_any()
        }}
        <p><a href="/help">{t("help.title")}</a></p>
    }
}
