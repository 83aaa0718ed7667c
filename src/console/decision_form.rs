//! Deciding a case: full, partial (an amount per order) or reject (a reason from the list
//! and a note the player reads). The form first restates the money and asks for
//! confirmation; the request is sent once, and a repeat of it returns the first result.

use leptos::prelude::*;
use refund_api::{CaseKind, ConsoleOrder, DecisionRequest, Outcome, RefundLine, RejectReason};

use super::api;
use crate::api::ApiError;
use crate::components::case_view::decision::outcome_key;
use crate::components::error_view::ErrorNotice;
use crate::format;
use crate::i18n::{keys, t, tf, tr};

/// Reads an amount in yuan (`12`, `12.3`, `12.34`) as fen; `None` when it is not one.
#[must_use]
pub fn parse_yuan(text: &str) -> Option<i64> {
    let text = text.trim().trim_start_matches('¥');
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() || frac.len() > 2 || !(whole.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())) {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let frac: i64 = format!("{frac:0<2}").parse().ok()?;
    whole.checked_mul(100)?.checked_add(frac)
}

/// What is wrong with one order's amount (the translation key), if anything: an empty
/// field asks for nothing, and is fine.
fn amount_problem(text: &str, refundable_fen: i64) -> Option<&'static str> {
    if text.trim().is_empty() {
        return None;
    }
    match parse_yuan(text) {
        None => Some("console.decide.bad_amount"),
        Some(fen) if fen < 1 || fen > refundable_fen => Some("console.decide.amount_out_of_range"),
        Some(_) => None,
    }
}

/// The request the form's state makes, or the translation key of what is missing.
pub fn build_request(
    outcome: Outcome,
    orders: &[ConsoleOrder],
    amounts: &[String],
    reason: Option<RejectReason>,
    note: &str,
) -> Result<DecisionRequest, &'static str> {
    let note = note.trim().to_owned();
    let refunds = match outcome {
        Outcome::Full | Outcome::Reject => Vec::new(),
        Outcome::Partial => {
            let mut lines = Vec::new();
            for (order, amount) in orders.iter().zip(amounts) {
                if let Some(problem) = amount_problem(amount, order.refundable_fen) {
                    return Err(problem);
                }
                let Some(fen) = parse_yuan(amount) else {
                    continue;
                };
                lines.push(RefundLine {
                    order_no: order.order.order_no.clone(),
                    amount_fen: fen,
                });
            }
            if lines.is_empty() {
                return Err("console.decide.no_amount");
            }
            lines
        }
    };
    if outcome == Outcome::Reject && (reason.is_none() || note.is_empty()) {
        return Err("console.decide.reject_needs");
    }
    if outcome == Outcome::Full && orders.is_empty() && note.is_empty() {
        return Err("console.decide.answer_needs");
    }
    Ok(DecisionRequest {
        outcome,
        refunds,
        reason: if outcome == Outcome::Reject { reason } else { None },
        note,
    })
}

/// What the decision will do, in words: the money per order and the total, or the reason.
fn restatement(request: &DecisionRequest, orders: &[ConsoleOrder]) -> impl IntoView + use<> {
    let lines: Vec<(String, i64)> = match request.outcome {
        Outcome::Full => orders
            .iter()
            .filter(|o| o.refundable_fen > 0)
            .map(|o| (o.order.order_no.clone(), o.refundable_fen))
            .collect(),
        Outcome::Partial => request
            .refunds
            .iter()
            .map(|r| (r.order_no.clone(), r.amount_fen))
            .collect(),
        Outcome::Reject => Vec::new(),
    };
    let total = format::yuan(lines.iter().map(|(_, fen)| fen).sum());
    let items = lines
        .into_iter()
        .map(|(order_no, fen)| view! { <li><span>{order_no}</span><strong>{format::yuan(fen)}</strong></li> })
        .collect_view();
    let reason = request.reason;
    view! {
        <p class="notice-title">{t(outcome_key(request.outcome, orders.is_empty()))}</p>
        {(request.outcome != Outcome::Reject && !orders.is_empty()).then(|| view! {
            <ul class="claimed">{items}</ul>
            <p class="total">{move || tf("console.decide.total", &[("amount", &total)])}</p>
        })}
        {reason.map(|r| view! { <p>{t("decision.reason")} " " {t(keys::reject_reason(r))}</p> })}
        {(!request.note.is_empty()).then(|| view! { <p class="narrative">{request.note.clone()}</p> })}
    }
}

#[component]
pub fn DecisionForm(
    /// The case to decide.
    case_no: String,
    /// Its kind: which reasons a rejection may give.
    kind: CaseKind,
    /// Its orders, with what is still refundable.
    orders: Vec<ConsoleOrder>,
    /// Called once the decision is applied.
    on_done: Callback<()>,
    /// Platform staff's final decision (`/api/platform/...`) rather than the developer's.
    #[prop(optional)]
    final_decision: bool,
) -> impl IntoView {
    let outcome = RwSignal::new(Outcome::Full);
    let amounts = RwSignal::new(vec![String::new(); orders.len()]);
    let reason = RwSignal::new(None::<RejectReason>);
    let note = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<&'static str>);
    let review = RwSignal::new(None::<DecisionRequest>);
    let orders = StoredValue::new(orders);
    let action = Action::new_local(move |(no, request): &(String, DecisionRequest)| {
        let (no, request) = (no.clone(), request.clone());
        async move {
            if final_decision {
                api::platform_decide(&no, &request).await
            } else {
                api::decide(&no, &request).await
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            on_done.run(());
        }
    });
    let pending = action.pending();
    let check = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let built = orders.with_value(|orders| {
            build_request(
                outcome.get_untracked(),
                orders,
                &amounts.get_untracked(),
                reason.get_untracked(),
                &note.get_untracked(),
            )
        });
        match built {
            Ok(request) => {
                problem.set(None);
                review.set(Some(request));
                // The reader goes on to the restatement they must confirm.
                crate::components::focus::focus_later("confirm-title".to_owned());
            }
            Err(key) => problem.set(Some(key)),
        }
    };
    let confirm = move |_| {
        if let Some(request) = review.get_untracked()
            && !pending.get_untracked()
        {
            action.dispatch_local((case_no.clone(), request));
        }
    };
    let outcome_choice = move |o: Outcome| {
        view! {
            <label class="check">
                <input type="radio" name="outcome" value=o.key() prop:checked=move || outcome.get() == o
                    on:change=move |_| { outcome.set(o); review.set(None); problem.set(None); } />
                {t(outcome_key(o, orders.with_value(Vec::is_empty)))}
            </label>
        }
    };
    let amount_fields = move || {
        (outcome.get() == Outcome::Partial).then(|| {
            orders.with_value(|orders| {
                orders
                    .iter()
                    .enumerate()
                    .map(|(i, o)| {
                        let id = format!("amount-{i}");
                        let most = format::yuan(o.refundable_fen);
                        let refundable = o.refundable_fen;
                        // Marked when the form was refused and this amount is why.
                        let wrong = move || {
                            let bad = amounts.with(|a| a.get(i).is_some_and(|text| amount_problem(text, refundable).is_some()));
                            (problem.get().is_some() && bad).to_string()
                        };
                        let order_no = o.order.order_no.clone();
                        view! {
                            <div class="field inline">
                                <label for=id.clone()>{move || tf("console.decide.amount_for", &[("order", &order_no), ("most", &most)])}</label>
                                <input id=id inputmode="decimal" disabled=o.refundable_fen == 0
                                    aria-invalid=wrong aria-describedby="decide-problem"
                                    prop:value=move || amounts.with(|a| a.get(i).cloned().unwrap_or_default())
                                    on:input=move |ev| { let v = event_target_value(&ev); amounts.update(|a| a[i] = v); review.set(None); } />
                            </div>
                        }
                    })
                    .collect_view()
            })
        })
    };
    let reason_field = move || {
        (outcome.get() == Outcome::Reject).then(|| {
            let options = RejectReason::for_kind(kind)
                .iter()
                .map(|r| view! { <option value=r.key()>{t(keys::reject_reason(*r))}</option> })
                .collect_view();
            view! {
                <div class="field">
                    <label for="reject-reason">{t(if orders.with_value(Vec::is_empty) { "console.decide.reason_complaint" } else { "console.decide.reason" })}</label>
                    <select id="reject-reason" on:change=move |ev| { reason.set(RejectReason::from_key(&event_target_value(&ev))); review.set(None); }>
                        <option value="">{t("console.decide.choose_reason")}</option>
                        {options}
                    </select>
                </div>
            }
        })
    };
    view! {
        <section class="decide" aria-labelledby="decide-title">
            <h2 id="decide-title">
                {t(if final_decision { "console.decide.title_final" } else { "console.decide.title" })}
            </h2>
            <form on:submit=check>
                <fieldset>
                    <legend>{t("console.decide.outcome")}</legend>
                    {outcome_choice(Outcome::Full)}
                    {orders.with_value(|o| !o.is_empty()).then(|| outcome_choice(Outcome::Partial))}
                    {outcome_choice(Outcome::Reject)}
                </fieldset>
                {amount_fields}
                {reason_field}
                <div class="field">
                    <label for="decision-note">{t("console.decide.note")}</label>
                    <textarea id="decision-note" rows="3" prop:value=move || note.get()
                        on:input=move |ev| { note.set(event_target_value(&ev)); review.set(None); }></textarea>
                </div>
                <p class="field-error" id="decide-problem" role="alert">{move || problem.get().map(tr)}</p>
                <button type="submit" class="button" id="decide-review">{t("console.decide.review")}</button>
            </form>
            {move || review.get().map(|request| {
                let said = orders.with_value(|orders| restatement(&request, orders));
                view! {
                    // Escape backs out to the form, as "back" does.
                    <div class="notice confirm" role="region" aria-labelledby="confirm-title"
                        on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                            if ev.key() == "Escape" {
                                review.set(None);
                                crate::components::focus::focus_later("decide-review".to_owned());
                            }
                        }>
                        <h3 id="confirm-title" tabindex="-1">{t("console.decide.confirm_title")}</h3>
                        {said}
                        <div class="row">
                            <button type="button" class="button primary" disabled=move || pending.get() on:click=confirm.clone()>
                                {t("console.decide.confirm")}
                            </button>
                            <button type="button" class="button" on:click=move |_| review.set(None)>{t("console.decide.back")}</button>
                        </div>
                    </div>
                }
            })}
            {move || action.value().get().and_then(Result::err).map(|error: ApiError| view! { <ErrorNotice error /> })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use refund_api::ClaimedOrder;

    use super::*;

    fn order(no: &str, amount: i64, refundable: i64) -> ConsoleOrder {
        ConsoleOrder {
            order: ClaimedOrder {
                order_no: no.into(),
                item: "x".into(),
                amount_fen: amount,
                paid_at: chrono::DateTime::parse_from_rfc3339("2026-01-01T08:00:00+08:00").expect("a time"),
            },
            refunded_fen: amount - refundable,
            refundable_fen: refundable,
            minor_age: None,
        }
    }

    #[test]
    fn yuan_amounts_are_read_exactly_as_fen() {
        assert_eq!(parse_yuan("12"), Some(1200));
        assert_eq!(parse_yuan("12.3"), Some(1230));
        assert_eq!(parse_yuan(" ¥0.01 "), Some(1));
        for bad in ["", ".5", "1.234", "-1", "1e3", "1,00", "abc"] {
            assert_eq!(parse_yuan(bad), None, "{bad}");
        }
    }

    #[test]
    fn partial_amounts_stay_within_what_is_refundable() {
        let orders = [order("A", 648, 648), order("B", 100, 0)];
        let ok =
            build_request(Outcome::Partial, &orders, &["3".into(), String::new()], None, "").expect("a valid partial");
        assert_eq!(
            ok.refunds,
            vec![RefundLine {
                order_no: "A".into(),
                amount_fen: 300
            }]
        );
        let over = build_request(Outcome::Partial, &orders, &["6.49".into(), String::new()], None, "");
        let unanswered = build_request(Outcome::Full, &[], &[], None, " ");
        assert_eq!(unanswered, Err("console.decide.answer_needs"));
        assert_eq!(over, Err("console.decide.amount_out_of_range"));
        let zero = build_request(Outcome::Partial, &orders, &["0".into(), String::new()], None, "");
        assert_eq!(zero, Err("console.decide.amount_out_of_range"));
        let none = build_request(Outcome::Partial, &orders, &[String::new(), String::new()], None, "");
        assert_eq!(none, Err("console.decide.no_amount"));
    }

    #[test]
    fn a_rejection_needs_a_reason_and_a_note() {
        let orders = [order("A", 648, 648)];
        let missing = build_request(Outcome::Reject, &orders, &[String::new()], None, "no");
        assert_eq!(missing, Err("console.decide.reject_needs"));
        let ok = build_request(
            Outcome::Reject,
            &orders,
            &[String::new()],
            Some(RejectReason::Other),
            " see note ",
        )
        .expect("a valid rejection");
        assert_eq!(ok.note, "see note");
        assert!(ok.refunds.is_empty());
    }
}
