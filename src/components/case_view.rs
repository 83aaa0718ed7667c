//! One case, read-only: for its player (session) and for anyone with the tracking link.
//!
//! Policy: the same view serves both audiences. The tracking-link box and the actions
//! (accept, withdraw, message) are offered to the player alone, and a tracking link sees
//! no private details (the server leaves them out; the page says where they are). A
//! server-sent event about the case fetches it again and the page follows in place, so a
//! decision shows up without reloading and a message being written stays.

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
    // Later copies, fetched when the case changes, are applied to the page in place (see
    // `CaseBody`): a message being written, and the focus in it, stay.
    let latest = RwSignal::new(None::<CaseDetail>);
    let refresh = {
        let source = source.clone();
        move || {
            let source = source.clone();
            leptos::task::spawn_local(async move {
                if let Ok(fresh) = api::case_detail(&source).await {
                    latest.set(Some(fresh));
                }
            });
        }
    };
    let updates = RwSignal::new(0u32);
    let events = api::subscribe(&source, {
        let refresh = refresh.clone();
        move |_| {
            refresh();
            updates.update(|n| *n += 1);
        }
    });
    let events = SendWrapper::new(events);
    on_cleanup(move || drop(events));

    let reload = Callback::new(move |()| refresh());
    let content: AsyncContent = Arc::new(move || {
        let source = source.clone();
        Suspend::new(async move {
            let detail = detail.await?;
            Ok(view! { <CaseBody initial=detail latest source reload /> }.into_any())
        })
    });
    view! {
        <p class="live-note" role="status">
            {move || (updates.get() > 0).then(|| t("case.updated")())}
        </p>
        <Loaded content />
    }
}

/// The case once loaded, built once: later copies change only the parts they touch.
#[component]
fn CaseBody(
    /// The case as first loaded.
    initial: CaseDetail,
    /// Later copies, applied once at least as new as what is shown.
    latest: RwSignal<Option<CaseDetail>>,
    /// How it was loaded: a tracking link sees no private details and cannot act.
    source: CaseSource,
    /// Loads the case again after the player changed it.
    reload: Callback<()>,
) -> impl IntoView {
    let live = {
        let initial = initial.clone();
        Memo::new(move |_| match latest.get() {
            Some(later)
                if later.summary.case_no == initial.summary.case_no
                    && timeline::as_new(&later.timeline, &initial.timeline) =>
            {
                later
            }
            _ => initial.clone(),
        })
    };
    // Each part follows its own piece of the case, and redraws only when that changed.
    let summary = Memo::new(move |_| live.with(|d| d.summary.clone()));
    let decisions = Memo::new(move |_| live.with(|d| d.decisions.clone()));
    let next_step = Memo::new(move |_| live.with(|d| d.next_step));
    let entries = Memo::new(move |_| live.with(|d| d.timeline.clone()));
    let retention = Memo::new(move |_| live.with(|d| d.retention));
    let evidence = Memo::new(move |_| live.with(|d| d.evidence.clone()));
    let open = Memo::new(move |_| summary.with(|s| s.state.is_open()));
    // Withdrawing is for a case nobody has decided yet: once decided, the player accepts
    // or appeals, and money refunded already is not undone by leaving.
    let undecided = Memo::new(move |_| open.get() && decisions.with(Vec::is_empty));
    let s = initial.summary.clone();
    let no = s.case_no.clone();
    let is_player = matches!(source, CaseSource::Session { .. });
    let claimed = format::yuan(s.claimed_fen);
    let orders = initial
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
    let has_orders = !initial.orders.is_empty();
    let head = move || {
        let s = summary.get();
        view! {
            <div class="row spread">
                <StateBadge state=s.state />
                <span class="muted">{t(keys::kind(s.kind))} " · " {s.game_name.clone()}</span>
            </div>
            {awaits_developer(s.state).then(|| view! { <Deadline due_at=s.due_at days_left=s.working_days_left /> })}
        }
    };
    let decided = {
        let no = no.clone();
        move || {
            let player_case = is_player.then(|| (no.clone(), summary.with(|s| s.state)));
            view! { <Decisions decisions=decisions.get() player_case on_done=reload in_words=!has_orders /> }
        }
    };
    let step = {
        let no = no.clone();
        move || {
            next_step
                .get()
                .filter(|_| is_player)
                .map(|step| view! { <NextStepBox case_no=no.clone() step on_done=reload /> })
        }
    };
    let withdraw = {
        let no = no.clone();
        move || (is_player && undecided.get()).then(|| view! { <Withdraw case_no=no.clone() on_done=reload /> })
    };
    let message = {
        let no = no.clone();
        move || {
            (is_player && open.get())
                .then(|| view! { <MessageForm case_no=no.clone() side=api::Side::Player on_sent=reload /> })
        }
    };
    view! {
        {(!is_player).then(|| view! { <p class="hint">{t("track.read_only")}</p> })}
        <section class="case-head" aria-labelledby="case-state">
            <h2 id=STATE_HEADING_ID class="visually-hidden" tabindex="-1">{t("case.state")}</h2>
            {head}
            <p class="muted">
                {t("case.submitted_at")} " "
                <time datetime=format::iso(&s.submitted_at)>{format::date_time(&s.submitted_at)}</time>
            </p>
        </section>
        {decided}
        {step}
        {is_player.then(|| view! { <TrackingLink case_no=no.clone() /> })}
        {withdraw}
        <section aria-labelledby="case-timeline">
            <h2 id="case-timeline">{t("case.timeline")}</h2>
            {move || view! { <Timeline entries=entries.get() /> }}
        </section>
        {message}
        <Parties guardian=initial.guardian.clone() complaint=initial.complaint.clone() />
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
                    <p class="narrative">{initial.narrative.clone()}</p>
                </section>
                <section aria-labelledby="case-evidence">
                    <h2 id="case-evidence">{t("case.evidence")}</h2>
                    {move || view! { <retention::Retention retention=retention.get() /> }}
                    {move || view! { <EvidenceGallery evidence=evidence.get() /> }}
                </section>
            }
            .into_any()
        } else {
            view! { <p class="hint">{t("track.private")}</p> }.into_any()
        }}
        <p><a href="/help">{t("help.title")}</a></p>
    }
}
