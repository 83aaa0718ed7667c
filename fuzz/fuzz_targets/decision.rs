//! Decision amounts (`domain::decision::check`): on any balances, stored ones or broken,
//! and any request, the check answers without panicking (no overflow); an accepted
//! decision refunds only claimed orders, each at most once, at least 1 fen and at most
//! what is left on it (all of it, on every order with some left, for a full refund), with
//! a total exact in integer fen; a rejection gives a reason of the case's kind; a request
//! that keeps every rule is accepted, and a refusal names a rule the request really breaks.
//!
//! Input: 105 bytes of little-endian numbers (see [`Input`]), then the note.

#![no_main]

use std::collections::BTreeSet;

use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use refund_api::{CaseKind, DECISION_NOTE_MAX_CHARS, DecisionRequest, ErrorCode, Outcome, RefundLine, RejectReason};
use refund_server::domain::decision::{OrderBalance, check};
use refund_server::domain::money::Fen;

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    /// Full, partial or reject (modulo 3).
    outcome: u8,
    /// 0 none, else one of the reasons.
    reason: u8,
    /// Bit 0: use the balances as given instead of as the database keeps them
    /// (`0 < amount`, `0 <= refunded <= amount`). Bit 1: repeat the note past the limit.
    /// Bit 2: the case is a complaint (else a minor's refund).
    flags: u8,
    /// How many of `orders` the case claims (modulo 5).
    claimed: u8,
    /// (amount, refunded) per order.
    orders: [(i64, i64); 4],
    /// How many of `lines` the request has (modulo 5).
    asked: u8,
    /// (order index, an index past the claimed orders naming an unknown order; amount).
    lines: [(u8, i64); 4],
    note: &'a str,
}

fuzz_target!(|input: Input| {
    let broken_balances = input.flags & 1 == 1;
    let claimed: Vec<OrderBalance> = input.orders[..usize::from(input.claimed % 5)]
        .iter()
        .enumerate()
        .map(|(i, &(amount, refunded))| {
            let (amount, refunded) = if broken_balances {
                (amount, refunded)
            } else {
                let amount = amount.checked_abs().unwrap_or(i64::MAX).max(1);
                let room = amount.unsigned_abs() + 1;
                (
                    amount,
                    i64::try_from(refunded.unsigned_abs() % room).expect("at most amount"),
                )
            };
            OrderBalance {
                order_no: format!("O-{i}"),
                amount: Fen(amount),
                refunded: Fen(refunded),
            }
        })
        .collect();
    let note = if input.flags & 2 == 2 {
        input.note.repeat(DECISION_NOTE_MAX_CHARS / input.note.len().max(1) + 1)
    } else {
        input.note.to_owned()
    };
    let request = DecisionRequest {
        outcome: Outcome::ALL[usize::from(input.outcome) % Outcome::ALL.len()],
        refunds: input.lines[..usize::from(input.asked % 5)]
            .iter()
            .map(|&(order, amount_fen)| RefundLine {
                order_no: format!("O-{order}"),
                amount_fen,
            })
            .collect(),
        reason: (input.reason > 0).then(|| RejectReason::ALL[usize::from(input.reason - 1) % RejectReason::ALL.len()]),
        note,
    };

    let kind = if input.flags & 4 == 4 {
        CaseKind::Complaint
    } else {
        CaseKind::MinorRefund
    };
    let answer = check(&request, kind, &claimed);
    let acceptable = keeps_every_rule(&request, kind, &claimed);
    match answer {
        Ok(valid) => {
            assert!(
                acceptable,
                "accepted a request that breaks a rule: {request:?} on {claimed:?}"
            );
            assert_eq!(valid.outcome, request.outcome);
            assert_eq!(valid.note, request.note.trim());
            let mut seen = BTreeSet::new();
            let mut total: i128 = 0;
            for (order_no, Fen(fen)) in &valid.refunds {
                let order = claimed
                    .iter()
                    .find(|o| &o.order_no == order_no)
                    .expect("a claimed order");
                assert!(seen.insert(order_no), "{order_no} refunded twice");
                assert!(*fen >= 1 && i128::from(*fen) <= left(order), "{fen} on {order:?}");
                total += i128::from(*fen);
            }
            assert_eq!(valid.total().map(|Fen(fen)| i128::from(fen)), Some(total));
            match request.outcome {
                Outcome::Full => {
                    let every: Vec<_> = claimed.iter().filter(|o| left(o) > 0).map(|o| &o.order_no).collect();
                    assert_eq!(valid.refunds.iter().map(|(no, _)| no).collect::<Vec<_>>(), every);
                    assert!(valid.refunds.iter().all(|(no, Fen(fen))| {
                        claimed.iter().any(|o| &o.order_no == no && left(o) == i128::from(*fen))
                    }));
                }
                Outcome::Partial => {
                    let asked: Vec<_> = request
                        .refunds
                        .iter()
                        .map(|l| (l.order_no.clone(), Fen(l.amount_fen)))
                        .collect();
                    assert_eq!(valid.refunds, asked);
                }
                Outcome::Reject => assert!(valid.refunds.is_empty() && valid.reason.is_some()),
            }
        }
        Err(error) => {
            assert!(
                !acceptable,
                "refused a request that keeps every rule ({:?}): {request:?} on {claimed:?}",
                error.code
            );
            assert!(
                breaks(&request, kind, &claimed, error.code),
                "{:?} for {request:?} on {claimed:?}",
                error.code
            );
        }
    }
});

/// What is left to refund on an order, in exact arithmetic: at most its amount, even on
/// broken balances.
fn left(order: &OrderBalance) -> i128 {
    let amount = i128::from(order.amount.0.max(0));
    amount - i128::from(order.refunded.0).clamp(0, amount)
}

fn claimed_order<'a>(claimed: &'a [OrderBalance], order_no: &str) -> Option<&'a OrderBalance> {
    claimed.iter().find(|o| o.order_no == order_no)
}

fn named_twice(request: &DecisionRequest) -> bool {
    let mut seen = BTreeSet::new();
    !request.refunds.iter().all(|l| seen.insert(&l.order_no))
}

/// The rules of a decision, in exact arithmetic, independent of their order of checking.
fn keeps_every_rule(request: &DecisionRequest, kind: CaseKind, claimed: &[OrderBalance]) -> bool {
    let note = request.note.trim();
    if note.chars().count() > DECISION_NOTE_MAX_CHARS {
        return false;
    }
    let total: i128 = match request.outcome {
        Outcome::Full if claimed.is_empty() => return request.refunds.is_empty() && !note.is_empty(),
        Outcome::Full => {
            let left: Vec<i128> = claimed.iter().map(left).filter(|l| *l > 0).collect();
            if !request.refunds.is_empty() || left.is_empty() {
                return false;
            }
            left.iter().sum()
        }
        Outcome::Partial => {
            let lines_ok = request.refunds.iter().all(|l| {
                claimed_order(claimed, &l.order_no)
                    .is_some_and(|o| l.amount_fen >= 1 && i128::from(l.amount_fen) <= left(o))
            });
            if claimed.is_empty() || request.refunds.is_empty() || !lines_ok || named_twice(request) {
                return false;
            }
            request.refunds.iter().map(|l| i128::from(l.amount_fen)).sum()
        }
        Outcome::Reject => {
            let fits = request
                .reason
                .is_some_and(|r| RejectReason::for_kind(kind).contains(&r));
            return request.refunds.is_empty() && fits && !note.is_empty();
        }
    };
    total <= i128::from(i64::MAX)
}

/// Whether the request really breaks the rule `code` names.
fn breaks(request: &DecisionRequest, kind: CaseKind, claimed: &[OrderBalance], code: ErrorCode) -> bool {
    let note = request.note.trim();
    let lines = &request.refunds;
    match code {
        ErrorCode::NoteTooLong => note.chars().count() > DECISION_NOTE_MAX_CHARS,
        ErrorCode::RefundsNotAllowed => {
            !lines.is_empty() || (request.outcome == Outcome::Partial && claimed.is_empty())
        }
        ErrorCode::MissingNote => note.is_empty(),
        ErrorCode::MissingReason => request.outcome == Outcome::Reject && request.reason.is_none(),
        ErrorCode::ReasonNotForKind => {
            request.outcome == Outcome::Reject
                && request
                    .reason
                    .is_some_and(|r| !RejectReason::for_kind(kind).contains(&r))
        }
        ErrorCode::NothingRefundable => request.outcome == Outcome::Full && claimed.iter().all(|o| left(o) <= 0),
        ErrorCode::NoRefunds => request.outcome == Outcome::Partial && lines.is_empty(),
        ErrorCode::RefundOrderNotInCase => lines.iter().any(|l| claimed_order(claimed, &l.order_no).is_none()),
        ErrorCode::DuplicateRefundOrder => named_twice(request),
        ErrorCode::RefundAmountTooSmall => lines.iter().any(|l| l.amount_fen < 1),
        ErrorCode::RefundOverRefundable => lines
            .iter()
            .any(|l| claimed_order(claimed, &l.order_no).is_some_and(|o| i128::from(l.amount_fen) > left(o))),
        ErrorCode::AmountOverflow => {
            let full: i128 = claimed.iter().map(left).filter(|l| *l > 0).sum();
            let partial: i128 = lines.iter().map(|l| i128::from(l.amount_fen)).sum();
            full.max(partial) > i128::from(i64::MAX)
        }
        _ => false,
    }
}
