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
                <dt>{t("guardian.relation")}</dt>
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

/// The case once loaded.
fn body(case: &ConsoleCase, reload: Callback<()>) -> impl IntoView + use<> {
    let row = case.row.clone();
    let no = row.case_no.clone();
    let awaiting = matches!(row.state, CaseState::Submitted | CaseState::Appealed);
    let platform = expect_context::<super::Signed>()
        .staff()
        .is_some_and(|s| s.role == refund_api::StaffRole::Platform);
    // Who decides now: the developer (first decision, appeal), or platform staff.
    let developer_decides = !platform && matches!(row.state, CaseState::Submitted | CaseState::Appealed);
    let platform_decides = platform && row.state == CaseState::PlatformReview;
    let open = row.state.is_open();
    let account = format!("{} ({})", case.nickname, case.openid);
    let left = row.time_left;
    let deadline = awaiting.then(|| {
        let text = move || time_left_text(left);
        view! {
            <p class=if left.overdue { "time-left overdue" } else { "time-left" }>
                {t("console.queue.deadline")} " "
                <time datetime=format::iso(&row.due_at)>{format::date_time(&row.due_at)}</time> " · " {text}
            </p>
        }
    });
    // A complaint has no guardian: the player's account stands alone beside its subject.
    let complaint = case.complaint.clone().map(|c| {
        let contact = view! { <RevealContact case_no=no.clone() masked=c.contact.clone() /> }.into_any();
        view! {
            <section aria-labelledby="case-account">
                <h2 id="case-account">{t("console.case.account")}</h2>
                <p>{account.clone()}</p>
            </section>
            <Parties guardian=None complaint=Some(c) contact />
        }
    });
    view! {
        <div class="case-head">
            <h1>{no.clone()}</h1>
            <p class="row">
                <StateBadge state=row.state />
                <span class="muted">{t(keys::kind(row.kind))} " · " {row.game_name.clone()}</span>
                {(row.claimed_fen > 0).then(|| view! { <strong>{format::yuan(row.claimed_fen)}</strong> })}
            </p>
            <p class="muted">
                {t("case.submitted_at")} " "
                <time datetime=format::iso(&row.submitted_at)>{format::date_time(&row.submitted_at)}</time>
            </p>
            {deadline}
        </div>
        <div class="console-columns">
            <div class="column-main">
                {case.appeal.clone().map(|appeal| view! { <AppealSummary appeal evidence=case.evidence.clone() /> })}
                <section aria-labelledby="case-orders">
                    <h2 id="case-orders">{t("case.orders")}</h2>
                    <OrdersTable orders=case.orders.clone() />
                </section>
                <section aria-labelledby="case-story">
                    <h2 id="case-story">{t("case.narrative")}</h2>
                    <p class="narrative">{case.narrative.clone()}</p>
                </section>
                <section aria-labelledby="case-evidence">
                    <h2 id="case-evidence">{t("case.evidence")}</h2>
                    <Retention retention=case.retention />
                    <EvidenceViewer case_no=no.clone() evidence=case.evidence.clone() />
                </section>
                <section aria-labelledby="case-timeline">
                    <h2 id="case-timeline">{t("case.timeline")}</h2>
                    <Timeline entries=case.timeline.clone() />
                </section>
            </div>
            <div class="column-side">
                {case.guardian.clone().map(|guardian| view! { <Guardian case_no=no.clone() guardian account=account.clone() /> })}
                {complaint}
                <Decisions decisions=case.decisions.clone() player_case=None on_done=reload in_words=case.orders.is_empty() />
                {developer_decides.then(|| view! { <DecisionForm case_no=no.clone() orders=case.orders.clone() on_done=reload /> })}
                {platform_decides.then(|| view! {
                    <DecisionForm case_no=no.clone() orders=case.orders.clone() on_done=reload final_decision=true />
                })}
                {open.then(|| {
                    let words = if platform {
                        ("console.message.title_both", "console.message.hint_both")
                    } else {
                        ("console.message.title", "console.message.hint")
                    };
                    view! { <MessageForm case_no=no.clone() side=Side::Developer on_sent=reload words /> }
                })}
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
    let updates = RwSignal::new(0u32);
    let events = SendWrapper::new(api::subscribe(move |change| {
        if change.case_no == case_no() {
            case.refetch();
            updates.update(|n| *n += 1);
        }
    }));
    on_cleanup(move || drop(events));
    let reload = Callback::new(move |()| case.refetch());
    let content: crate::components::loaded::AsyncContent = Arc::new(move || {
        Suspend::new(async move {
            let case = case.await?;
            Ok(body(&case, reload).into_any())
        })
    });
    view! {
        <p><a href="/console">{t("console.case.back")}</a></p>
        <p class="live-note" role="status">{move || (updates.get() > 0).then(|| t("case.updated")())}</p>
        <crate::components::loaded::Loaded content />
    }
}
