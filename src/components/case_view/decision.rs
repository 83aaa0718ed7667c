//! The decisions on a case, as the player and trackers read them: the outcome, the money
//! per order with the refund ids, the reason and the developer's note; and, for the
//! player of a decided case, accepting it.

use leptos::prelude::*;
use refund_api::{CaseState, DecisionRound, DecisionView, Outcome, RejectReason};

use crate::api::{self, ApiError};
use crate::components::error_view::ErrorNotice;
use crate::format;
use crate::i18n::{keys, t, tf};

pub fn round_key(round: DecisionRound) -> &'static str {
    match round {
        DecisionRound::First => "decision.round.first",
        DecisionRound::Appeal => "decision.round.appeal",
        DecisionRound::Platform => "decision.round.platform",
    }
}

/// The outcome's name; `in_words` when the case has no orders, so upholding it gives a
/// written answer, not money.
pub fn outcome_key(outcome: Outcome, in_words: bool) -> &'static str {
    match outcome {
        Outcome::Full if in_words => "decision.outcome.upheld",
        Outcome::Reject if in_words => "decision.outcome.not_upheld",
        Outcome::Full => "decision.outcome.full",
        Outcome::Partial => "decision.outcome.partial",
        Outcome::Reject => "decision.outcome.reject",
    }
}

/// Every decision of the case, newest first, with the accept action when it applies.
#[component]
pub fn Decisions(
    /// The decisions, oldest first.
    decisions: Vec<DecisionView>,
    /// The case, when its player is looking (they may accept a decided case).
    player_case: Option<(String, CaseState)>,
    /// Loads the case again after the player accepted.
    on_done: Callback<()>,
    /// The case has no orders (a complaint answered in words, not money).
    #[prop(optional)]
    in_words: bool,
) -> impl IntoView {
    if decisions.is_empty() {
        return ().into_any();
    }
    let cards = decisions
        .into_iter()
        .rev()
        .map(|d| decision_card(&d, in_words))
        .collect_view();
    let accept = player_case
        .filter(|(_, state)| matches!(state, CaseState::Decided | CaseState::AppealDecided))
        .map(|(case_no, _)| view! { <Accept case_no on_done /> });
    view! {
        <section aria-labelledby="case-decision" class="decision">
            <h2 id="case-decision">{t("decision.title")}</h2>
            {cards}
            {accept}
        </section>
    }
    .into_any()
}

fn decision_card(decision: &DecisionView, in_words: bool) -> impl IntoView + use<> {
    let total = format::yuan(decision.refunded_fen);
    let refunds = decision
        .refunds
        .iter()
        .map(|r| {
            view! {
                <li>
                    <span>{r.order_no.clone()}</span>
                    <span class="order-meta">{t("decision.refund_id")} " " {r.refund_id.clone()}</span>
                    <strong>{format::yuan(r.amount_fen)}</strong>
                </li>
            }
        })
        .collect_view();
    let has_refunds = !decision.refunds.is_empty();
    view! {
        <article class="decision-card">
            <h3>{t(round_key(decision.round))} " · " {t(outcome_key(decision.outcome, in_words))}</h3>
            <p class="muted">
                <time datetime=format::iso(&decision.decided_at)>{format::date_time(&decision.decided_at)}</time>
            </p>
            {has_refunds.then(|| view! {
                <ul class="claimed">{refunds}</ul>
                <p class="total">{move || tf("decision.refunded", &[("amount", &total)])}</p>
                <p class="muted">{t("decision.money_back")}</p>
            })}
            {decision.reason.map(|r: RejectReason| view! { <p><strong>{t("decision.reason")}</strong> " " {t(keys::reject_reason(r))}</p> })}
            {(!decision.note.is_empty()).then(|| view! {
                <p><strong>{t(if decision.round == DecisionRound::Platform { "decision.platform_note" } else { "decision.note" })}</strong></p>
                <p class="narrative">{decision.note.clone()}</p>
            })}
        </article>
    }
}

/// Accepting the decision: the case closes.
#[component]
fn Accept(
    /// The case to close.
    case_no: String,
    /// Called once the server agreed.
    on_done: Callback<()>,
) -> impl IntoView {
    let action = Action::new_local(move |no: &String| {
        let no = no.clone();
        async move { api::accept(&no).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            on_done.run(());
        }
    });
    let pending = action.pending();
    let accept = move |_| {
        if !pending.get_untracked() {
            action.dispatch_local(case_no.clone());
        }
    };
    view! {
        <div class="decision-next">
            <p>{t("decision.accept_effect")}</p>
            <button type="button" class="button primary" disabled=move || pending.get() on:click=accept>
                {t("decision.accept")}
            </button>
            {move || action.value().get().and_then(Result::err).map(|error: ApiError| view! { <ErrorNotice error /> })}
        </div>
    }
}
