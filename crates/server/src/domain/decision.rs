//! Checking a decision against the money of the case: what may be refunded, on which
//! order, and how much.
//!
//! Policy: pure, and run inside the transaction that applies the decision, on balances
//! read under that transaction's lock, so two decisions can never both see the same
//! refundable amount. The database's own check (`refunded_fen <= amount_fen`) stands
//! behind it.

use refund_api::ErrorCode;
use std::collections::BTreeSet;

use refund_api::{CaseKind, DECISION_NOTE_MAX_CHARS, DecisionRequest, Outcome, RejectReason};

use super::money::Fen;

/// A claimed order's money as it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderBalance {
    pub order_no: String,
    pub amount: Fen,
    pub refunded: Fen,
}

impl OrderBalance {
    /// What is left to refund: between 0 and the order's amount even if the stored
    /// balance broke its invariant (`0 <= refunded <= amount`), and never overflowing.
    #[must_use]
    pub fn refundable(&self) -> Fen {
        let amount = self.amount.0.max(0);
        Fen(amount - self.refunded.0.clamp(0, amount))
    }
}

/// A decision that passed every rule: the refunds to apply, per order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidDecision {
    pub outcome: Outcome,
    pub reason: Option<RejectReason>,
    pub note: String,
    pub refunds: Vec<(String, Fen)>,
}

impl ValidDecision {
    /// The refunds' sum; [`check`] refuses a decision whose sum does not fit.
    #[must_use]
    pub fn total(&self) -> Option<Fen> {
        Fen::checked_sum(self.refunds.iter().map(|(_, fen)| *fen))
    }
}

/// Why a decision is refused: a code both sides know, the field, and a message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct DecisionError {
    pub code: ErrorCode,
    pub field: &'static str,
    pub message: String,
}

fn refuse(code: ErrorCode, field: &'static str, message: impl Into<String>) -> DecisionError {
    DecisionError {
        code,
        field,
        message: message.into(),
    }
}

/// Checks `request` against the case's claimed orders.
pub fn check(
    request: &DecisionRequest,
    kind: CaseKind,
    claimed: &[OrderBalance],
) -> Result<ValidDecision, DecisionError> {
    let note = request.note.trim().to_owned();
    if note.chars().count() > DECISION_NOTE_MAX_CHARS {
        return Err(refuse(
            ErrorCode::NoteTooLong,
            "note",
            format!("Keep the note under {DECISION_NOTE_MAX_CHARS} characters."),
        ));
    }
    let refunds = match request.outcome {
        // A complaint without orders is answered in words: upheld with a written answer.
        Outcome::Full if claimed.is_empty() => written_answer(request, &note)?,
        Outcome::Partial if claimed.is_empty() => {
            return Err(refuse(
                ErrorCode::RefundsNotAllowed,
                "outcome",
                "This case has no orders: uphold it with a written answer, or reject it.",
            ));
        }
        Outcome::Full => full(request, claimed)?,
        Outcome::Partial => partial(request, claimed)?,
        Outcome::Reject => {
            reject(request, kind, &note)?;
            Vec::new()
        }
    };
    let valid = ValidDecision {
        outcome: request.outcome,
        reason: request.reason.filter(|_| request.outcome == Outcome::Reject),
        note,
        refunds,
    };
    // Out of reach while a case's claims sum within i64 (applications check that); refused
    // rather than assumed, since the case views sum a decision's refunds.
    if valid.total().is_none() {
        return Err(refuse(
            ErrorCode::AmountOverflow,
            "refunds",
            "The amounts are too large.",
        ));
    }
    Ok(valid)
}

/// Upholding a case without orders: no money, and an answer the player reads.
fn written_answer(request: &DecisionRequest, note: &str) -> Result<Vec<(String, Fen)>, DecisionError> {
    if !request.refunds.is_empty() {
        return Err(refuse(
            ErrorCode::RefundsNotAllowed,
            "refunds",
            "This case has no orders to refund; answer it in words.",
        ));
    }
    if note.is_empty() {
        return Err(refuse(
            ErrorCode::MissingNote,
            "note",
            "Write the answer the player will read: what you will do about the complaint.",
        ));
    }
    Ok(Vec::new())
}

fn full(request: &DecisionRequest, claimed: &[OrderBalance]) -> Result<Vec<(String, Fen)>, DecisionError> {
    if !request.refunds.is_empty() {
        return Err(refuse(
            ErrorCode::RefundsNotAllowed,
            "refunds",
            "A full refund refunds every claimed order; send no amounts with it.",
        ));
    }
    let refunds: Vec<(String, Fen)> = claimed
        .iter()
        .filter(|o| o.refundable().0 > 0)
        .map(|o| (o.order_no.clone(), o.refundable()))
        .collect();
    if refunds.is_empty() {
        return Err(refuse(
            ErrorCode::NothingRefundable,
            "outcome",
            "Nothing in this case can be refunded: answer with a rejection and a note instead.",
        ));
    }
    Ok(refunds)
}

fn partial(request: &DecisionRequest, claimed: &[OrderBalance]) -> Result<Vec<(String, Fen)>, DecisionError> {
    if request.refunds.is_empty() {
        return Err(refuse(
            ErrorCode::NoRefunds,
            "refunds",
            "Name at least one order and its amount.",
        ));
    }
    let mut seen = BTreeSet::new();
    let mut refunds = Vec::new();
    for line in &request.refunds {
        let Some(order) = claimed.iter().find(|o| o.order_no == line.order_no) else {
            return Err(refuse(
                ErrorCode::RefundOrderNotInCase,
                "refunds",
                format!("Order {} is not claimed in this case.", line.order_no),
            ));
        };
        if !seen.insert(line.order_no.as_str()) {
            return Err(refuse(
                ErrorCode::DuplicateRefundOrder,
                "refunds",
                format!("Order {} is named twice.", line.order_no),
            ));
        }
        if line.amount_fen < 1 {
            return Err(refuse(
                ErrorCode::RefundAmountTooSmall,
                "refunds",
                format!("The refund on order {} must be at least 1 fen.", line.order_no),
            ));
        }
        if line.amount_fen > order.refundable().0 {
            return Err(refuse(
                ErrorCode::RefundOverRefundable,
                "refunds",
                format!(
                    "Order {} has {} fen left to refund; {} fen is more.",
                    line.order_no,
                    order.refundable().0,
                    line.amount_fen
                ),
            ));
        }
        refunds.push((line.order_no.clone(), Fen(line.amount_fen)));
    }
    Ok(refunds)
}

fn reject(request: &DecisionRequest, kind: CaseKind, note: &str) -> Result<(), DecisionError> {
    if !request.refunds.is_empty() {
        return Err(refuse(
            ErrorCode::RefundsNotAllowed,
            "refunds",
            "A rejection refunds nothing; send no amounts with it.",
        ));
    }
    let Some(reason) = request.reason else {
        return Err(refuse(
            ErrorCode::MissingReason,
            "reason",
            "Choose why the request is rejected.",
        ));
    };
    if !RejectReason::for_kind(kind).contains(&reason) {
        return Err(refuse(
            ErrorCode::ReasonNotForKind,
            "reason",
            format!(
                "A {} is not rejected for {}: choose another reason.",
                kind.key(),
                reason.key()
            ),
        ));
    }
    if note.is_empty() {
        return Err(refuse(
            ErrorCode::MissingNote,
            "note",
            "Write a note the player will read, saying what the rejection rests on.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use refund_api::RefundLine;

    use super::*;

    fn balances() -> Vec<OrderBalance> {
        vec![
            OrderBalance {
                order_no: "A".into(),
                amount: Fen(600),
                refunded: Fen(0),
            },
            OrderBalance {
                order_no: "B".into(),
                amount: Fen(3_000),
                refunded: Fen(1_000),
            },
            OrderBalance {
                order_no: "C".into(),
                amount: Fen(100),
                refunded: Fen(100),
            },
        ]
    }

    fn request(outcome: Outcome, refunds: &[(&str, i64)]) -> DecisionRequest {
        DecisionRequest {
            outcome,
            refunds: refunds
                .iter()
                .map(|(no, fen)| RefundLine {
                    order_no: (*no).to_owned(),
                    amount_fen: *fen,
                })
                .collect(),
            reason: None,
            note: String::new(),
        }
    }

    #[test]
    fn full_refunds_what_is_left_on_every_order_that_has_any() {
        let valid = check(&request(Outcome::Full, &[]), CaseKind::MinorRefund, &balances()).expect("valid");
        assert_eq!(valid.refunds, vec![("A".into(), Fen(600)), ("B".into(), Fen(2_000))]);
        assert_eq!(valid.total(), Some(Fen(2_600)));
    }

    #[test]
    fn partial_amounts_are_between_one_fen_and_what_is_refundable() {
        let ok = check(
            &request(Outcome::Partial, &[("A", 1), ("B", 2_000)]),
            CaseKind::MinorRefund,
            &balances(),
        )
        .expect("valid");
        assert_eq!(ok.total(), Some(Fen(2_001)));
        for (refunds, code) in [
            (vec![("A", 0)], "refund_amount_too_small"),
            (vec![("A", -5)], "refund_amount_too_small"),
            (vec![("B", 2_001)], "refund_over_refundable"),
            (vec![("C", 1)], "refund_over_refundable"),
            (vec![("Z", 1)], "refund_order_not_in_case"),
            (vec![("A", 1), ("A", 2)], "duplicate_refund_order"),
            (vec![], "no_refunds"),
        ] {
            let error =
                check(&request(Outcome::Partial, &refunds), CaseKind::MinorRefund, &balances()).expect_err("refused");
            assert_eq!(error.code.key(), code, "{refunds:?}");
        }
    }

    #[test]
    fn a_rejection_needs_a_reason_and_a_note_and_refunds_nothing() {
        let mut reject = request(Outcome::Reject, &[]);
        assert_eq!(
            check(&reject, CaseKind::MinorRefund, &balances())
                .expect_err("no reason")
                .code
                .key(),
            "missing_reason"
        );
        reject.reason = Some(RejectReason::AccountHolderAdult);
        assert_eq!(
            check(&reject, CaseKind::MinorRefund, &balances())
                .expect_err("no note")
                .code
                .key(),
            "missing_note"
        );
        reject.note = "  账号实名为成年人。 ".into();
        let valid = check(&reject, CaseKind::MinorRefund, &balances()).expect("valid");
        assert_eq!(
            (valid.note.as_str(), valid.total()),
            ("账号实名为成年人。", Some(Fen(0)))
        );
        reject.refunds.push(RefundLine {
            order_no: "A".into(),
            amount_fen: 1,
        });
        assert_eq!(
            check(&reject, CaseKind::MinorRefund, &balances())
                .expect_err("money")
                .code
                .key(),
            "refunds_not_allowed"
        );
    }

    #[test]
    fn each_kind_is_rejected_only_for_its_own_reasons() {
        let mut reject = request(Outcome::Reject, &[]);
        reject.note = "说明".into();
        for (kind, reason, allowed) in [
            (CaseKind::MinorRefund, RejectReason::NoMinorProof, true),
            (CaseKind::MinorRefund, RejectReason::NotReproducible, false),
            (CaseKind::Complaint, RejectReason::NotReproducible, true),
            (CaseKind::Complaint, RejectReason::WorkingAsIntended, true),
            (CaseKind::Complaint, RejectReason::NoMinorProof, false),
            (CaseKind::Complaint, RejectReason::AccountHolderAdult, false),
            (CaseKind::Complaint, RejectReason::Other, true),
        ] {
            reject.reason = Some(reason);
            match check(&reject, kind, &[]) {
                Ok(_) => assert!(allowed, "{reason:?} accepted for {kind:?}"),
                Err(e) => {
                    assert!(!allowed, "{reason:?} refused for {kind:?}");
                    assert_eq!((e.code, e.field), (ErrorCode::ReasonNotForKind, "reason"));
                }
            }
        }
    }

    #[test]
    fn totals_beyond_i64_are_refused_and_broken_balances_refund_at_most_the_amount() {
        let huge = |no: &str| OrderBalance {
            order_no: no.into(),
            amount: Fen(i64::MAX),
            refunded: Fen(0),
        };
        let error = check(
            &request(Outcome::Full, &[]),
            CaseKind::MinorRefund,
            &[huge("A"), huge("B")],
        )
        .expect_err("too large");
        assert_eq!(error.code, ErrorCode::AmountOverflow);
        let broken = |amount, refunded| OrderBalance {
            order_no: "A".into(),
            amount: Fen(amount),
            refunded: Fen(refunded),
        };
        assert_eq!(broken(600, -100).refundable(), Fen(600));
        assert_eq!(broken(600, 700).refundable(), Fen(0));
        assert_eq!(broken(i64::MIN, 1).refundable(), Fen(0));
    }

    #[test]
    fn nothing_left_to_refund_cannot_be_granted_in_full() {
        let spent = vec![balances().remove(2)];
        assert_eq!(
            check(&request(Outcome::Full, &[]), CaseKind::MinorRefund, &spent)
                .expect_err("nothing")
                .code
                .key(),
            "nothing_refundable"
        );
    }

    #[test]
    fn a_case_without_orders_is_upheld_in_words_or_rejected() {
        let mut upheld = request(Outcome::Full, &[]);
        assert_eq!(
            check(&upheld, CaseKind::Complaint, &[]).expect_err("no answer").code,
            ErrorCode::MissingNote
        );
        upheld.note = "  下个版本修复闪退，并补发通行证奖励。 ".to_owned();
        let valid = check(&upheld, CaseKind::Complaint, &[]).expect("an answer in words");
        assert!(valid.refunds.is_empty());
        assert_eq!(valid.note, "下个版本修复闪退，并补发通行证奖励。");
        let partial = request(Outcome::Partial, &[("O-1", 100)]);
        assert_eq!(
            check(&partial, CaseKind::Complaint, &[]).expect_err("no money").code,
            ErrorCode::RefundsNotAllowed
        );
    }
}
