//! `/console/cases/:no`: everything needed to decide. The appeal (what it said and added),
//! the orders with what is refundable
//! and the minor's age, the guardian (phone masked until "reveal to contact", which the
//! timeline records), the complaint, the story, the evidence viewer, the timeline with the
//! message thread, the decisions, and the decision form while the case awaits one. Any
//! event on the case reloads it.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use refund_api::{CaseState, ConsoleCase, ConsoleGuardian};
use send_wrapper::SendWrapper;

use super::api;
use super::appeal_view::AppealSummary;
use super::decision_form::DecisionForm;
use super::evidence_viewer::EvidenceViewer;
use super::orders::OrdersTable;
use super::queue::time_left_text;
use crate::api::{ApiError, Side};
use crate::components::case_view::decision::Decisions;
use crate::components::case_view::message_form::MessageForm;
use crate::components::case_view::parties::Parties;
use crate::components::case_view::retention::Retention;
use crate::components::case_view::timeline::Timeline;
use crate::components::error_view::ErrorNotice;
use crate::components::state_badge::StateBadge;
use crate::format;
use crate::i18n::{keys, t, use_page_title};

/// A contact shown masked, with the button that reveals it (recorded in the timeline);
/// once revealed, a link that calls or writes to it.
#[component]
fn RevealContact(
    /// The case (the reveal is recorded on it).
    case_no: String,
    /// The contact as shown before revealing.
    masked: String,
) -> impl IntoView {
    let reveal = Action::new_local(move |no: &String| {
        let no = no.clone();
        async move { api::reveal_phone(&no).await }
    });
    let pending = reveal.pending();
    let shown = move || match reveal.value().get() {
        Some(Ok(revealed)) => {
            let scheme = if revealed.phone.contains('@') { "mailto" } else { "tel" };
            let href = format!("{scheme}:{}", revealed.phone);
            view! { <a href=href>{revealed.phone}</a> }.into_any()
        }
        _ => {
            let no = case_no.clone();
            view! {
                <span>{masked.clone()}</span> " "
                <button type="button" class="button small" disabled=move || pending.get()
                    on:click=move |_| { if !pending.get_untracked() { reveal.dispatch_local(no.clone()); } }>
                    {t("console.case.reveal")}
                </button>
                <p class="hint">{t("console.case.reveal_hint")}</p>
            }
            .into_any()
        }
    };
    view! {
        {shown}
        {move || reveal.value().get().and_then(Result::err).map(|error: ApiError| view! { <ErrorNotice error /> })}
    }
}

/// The guardian, with the masked phone and the button that reveals it.
#[component]
fn Guardian(
    /// The case (the reveal is recorded on it).
    case_no: String,
    /// The guardian as given.
    guardian: ConsoleGuardian,
    /// The player's account in the game.
    account: String,
) -> impl IntoView {
    let birth = format!("{}-{:02}", guardian.minor_birth.year, guardian.minor_birth.month);
    view! {
        <section aria-labelledby="case-guardian">
            <h2 id="case-guardian">{t("console.case.guardian")}</h2>
            <dl class="pairs">
                <dt>{t("console.case.account")}</dt>
                <dd>{account}</dd>
                <dt>{t("console.case.relation")}</dt>
                <dd>{t(keys::relation(guardian.relation))}</dd>
                <dt>{t("guardian.name")}</dt>
                <dd>{guardian.name.clone()}</dd>
                <dt>{t("guardian.phone")}</dt>
                <dd><RevealContact case_no masked=guardian.phone_masked.clone() /></dd>
                <dt>{t("guardian.minor_birth")}</dt>
                <dd>{birth}</dd>
            </dl>
        </section>
    }
}

/// The copy of the case to show: `latest` once it is at least as new as `initial`.
/// Events are only ever appended, so the newer copy's timeline reaches further; a slow
/// answer must never put an older copy over a newer one.
fn newest(initial: &ConsoleCase, latest: Option<ConsoleCase>) -> ConsoleCase {
    let last = |c: &ConsoleCase| c.timeline.last().map(|e| e.id);
    match latest {
        Some(later) if later.row.case_no == initial.row.case_no && last(&later) >= last(initial) => later,
        _ => initial.clone(),
    }
}

/// The case once loaded, built once: later copies (`latest`) change only the parts they
/// touch, so what the reader is typing, a revealed phone and the viewer's place stay.
fn body(initial: &ConsoleCase, latest: RwSignal<Option<ConsoleCase>>, reload: Callback<()>) -> impl IntoView + use<> {
    let live = {
        let initial = initial.clone();
        Memo::new(move |_| newest(&initial, latest.get()))
    };
    // Each part follows only its own piece of the case, compared: it redraws only when
    // that piece changed.
    let row = Memo::new(move |_| live.with(|c| c.row.clone()));
    let appeal = Memo::new(move |_| live.with(|c| c.appeal.clone()));
    let orders = Memo::new(move |_| live.with(|c| c.orders.clone()));
    let retention = Memo::new(move |_| live.with(|c| c.retention));
    let evidence = Memo::new(move |_| live.with(|c| c.evidence.clone()));
    let timeline = Memo::new(move |_| live.with(|c| c.timeline.clone()));
    let decisions = Memo::new(move |_| live.with(|c| c.decisions.clone()));
    let no = initial.row.case_no.clone();
    let platform = expect_context::<super::Signed>()
        .staff()
        .is_some_and(|s| s.role == refund_api::StaffRole::Platform);
    // Who decides now: the developer (first decision, appeal), or platform staff. A form
    // stays while the answer stays the same, however often the case changes around it.
    let deciding = Memo::new(move |_| {
        let state = row.with(|r| r.state);
        let developer = !platform && matches!(state, CaseState::Submitted | CaseState::Appealed);
        let final_decision = platform && state == CaseState::PlatformReview;
        (developer || final_decision).then_some(final_decision)
    });
    let open = Memo::new(move |_| row.with(|r| r.state.is_open()));
    // A form that goes because someone else decided (another tab, a colleague, the
    // platform) says so: what was entered in it was not sent.
    let decided_here = RwSignal::new(false);
    let taken = RwSignal::new(false);
    Effect::new(move |was: Option<bool>| {
        let now = deciding.with(Option::is_some);
        if was == Some(true) && !now && !decided_here.get_untracked() {
            taken.set(true);
        }
        now
    });
    let on_decided = Callback::new(move |()| {
        decided_here.set(true);
        reload.run(());
    });
    let account = format!("{} ({})", initial.nickname, initial.openid);
    let in_words = initial.orders.is_empty();
    let kind = initial.row.kind;
    let deadline = move || {
        let row = row.get();
        let left = row.time_left;
        matches!(row.state, CaseState::Submitted | CaseState::Appealed).then(|| {
            let text = move || time_left_text(left);
            view! {
                <p class=if left.overdue { "time-left overdue" } else { "time-left" }>
                    {t("console.queue.deadline")} " "
                    <time datetime=format::iso(&row.due_at)>{format::date_time(&row.due_at)}</time> " · " {text}
                </p>
            }
        })
    };
    // A complaint has no guardian: the player's account stands alone beside its subject.
    let complaint = initial.complaint.clone().map(|c| {
        let contact = view! { <RevealContact case_no=no.clone() masked=c.contact.clone() /> }.into_any();
        view! {
            <section aria-labelledby="case-account">
                <h2 id="case-account">{t("console.case.account")}</h2>
                <p>{account.clone()}</p>
            </section>
            <Parties guardian=None complaint=Some(c) contact words=("console.case.demands", "console.case.contact") />
        }
    });
    let head = &initial.row;
    let form_case = no.clone();
    let decision_form = move || {
        deciding.get().map(|final_decision| {
            let orders = live.with_untracked(|c| c.orders.clone());
            view! { <DecisionForm case_no=form_case.clone() kind orders on_done=on_decided final_decision /> }
        })
    };
    let message_case = no.clone();
    let message_form = move || {
        open.get().then(|| {
            let words = if platform {
                ("console.message.title_both", "console.message.hint_both")
            } else {
                ("console.message.title", "console.message.hint")
            };
            view! { <MessageForm case_no=message_case.clone() side=Side::Developer on_sent=reload words /> }
        })
    };
    let viewer_case = no.clone();
    view! {
        <div class="case-head">
            <h1>{no.clone()}</h1>
            <p class="row">
                {move || view! { <StateBadge state=row.with(|r| r.state) /> }}
                <span class="muted">{t(keys::kind(head.kind))} " · " {head.game_name.clone()}</span>
                {(head.claimed_fen > 0).then(|| view! { <strong>{format::yuan(head.claimed_fen)}</strong> })}
            </p>
            <p class="muted">
                {t("case.submitted_at")} " "
                <time datetime=format::iso(&head.submitted_at)>{format::date_time(&head.submitted_at)}</time>
            </p>
            {deadline}
        </div>
        <div class="console-columns">
            <div class="column-main">
                {move || appeal.get().map(|appeal| view! { <AppealSummary appeal evidence=evidence.get() /> })}
                <section aria-labelledby="case-orders">
                    <h2 id="case-orders">{t("case.orders")}</h2>
                    {move || view! { <OrdersTable orders=orders.get() /> }}
                </section>
                <section aria-labelledby="case-story">
                    <h2 id="case-story">{t("case.narrative")}</h2>
                    <p class="narrative">{initial.narrative.clone()}</p>
                </section>
                <section aria-labelledby="case-evidence">
                    <h2 id="case-evidence">{t("case.evidence")}</h2>
                    {move || view! { <Retention retention=retention.get() /> }}
                    {move || view! { <EvidenceViewer case_no=viewer_case.clone() evidence=evidence.get() /> }}
                </section>
                <section aria-labelledby="case-timeline">
                    <h2 id="case-timeline">{t("case.timeline")}</h2>
                    {move || view! { <Timeline entries=timeline.get() /> }}
                </section>
            </div>
            <div class="column-side">
                {initial.guardian.clone().map(|guardian| view! { <Guardian case_no=no.clone() guardian account=account.clone() /> })}
                {complaint}
                {move || view! { <Decisions decisions=decisions.get() player_case=None on_done=reload in_words /> }}
                <Show when=move || taken.get()>
                    <div class="notice" role="status">
                        <p class="notice-title">{t("console.decide.taken")}</p>
                    </div>
                </Show>
                {decision_form}
                {message_form}
            </div>
        </div>
    }
}

#[component]
pub fn ConsoleCasePage() -> impl IntoView {
    use_page_title("console.case.title");
    let params = use_params_map();
    let case_no = move || params.with(|p| p.get("no").unwrap_or_default());
    let case = LocalResource::new(move || {
        let no = case_no();
        async move { api::case(&no).await }
    });
    // Later copies, fetched when the case changes: applied in place (see `body`).
    let latest = RwSignal::new(None::<ConsoleCase>);
    let refresh = move || {
        let no = params.with_untracked(|p| p.get("no").unwrap_or_default());
        leptos::task::spawn_local(async move {
            if let Ok(fresh) = api::case(&no).await {
                // The page may have been left meanwhile.
                let _ = latest.try_set(Some(fresh));
            }
        });
    };
    let updates = RwSignal::new(0u32);
    let events = SendWrapper::new(api::subscribe(move |change| {
        if change.case_no == params.with_untracked(|p| p.get("no").unwrap_or_default()) {
            refresh();
            updates.update(|n| *n += 1);
        }
    }));
    on_cleanup(move || drop(events));
    let reload = Callback::new(move |()| refresh());
    let content: crate::components::loaded::AsyncContent = Arc::new(move || {
        Suspend::new(async move {
            let case = case.await?;
            Ok(body(&case, latest, reload).into_any())
        })
    });
    view! {
        <p><a href="/console">{t("console.case.back")}</a></p>
        <p class="live-note" role="status">{move || (updates.get() > 0).then(|| t("case.updated")())}</p>
        <crate::components::loaded::Loaded content />
    }
}
