//! The developer organisation's credit score: the rules, in one place.
//!
//! Every organisation starts at [`START`]. Points are lost for lateness and for
//! disputes the developer loses, and come back one at a time for decisions made in time;
//! no gain takes the score above [`START`]. Each cause is recorded once per case in the credit ledger, so a
//! rerun of the job that records it changes nothing. An accepted force-majeure report
//! excuses the lateness inside its period: the deduction is answered by an entry that
//! gives the same points back, so the ledger keeps both.

pub use refund_api::CreditCause;

/// Where every organisation's score starts, and the most it can reach.
pub const START: i64 = refund_api::CREDIT_START;

/// Points gained (positive) or lost (negative) for `cause`.
#[must_use]
pub fn points(cause: CreditCause) -> i64 {
    match cause {
        CreditCause::LateFirstDecision => -2,
        CreditCause::LateAppealDecision => -3,
        CreditCause::OverruledByPlatform => -5,
        CreditCause::DecidedOnTime => 1,
        CreditCause::ExcusedLateFirstDecision => -points(CreditCause::LateFirstDecision),
        CreditCause::ExcusedLateAppealDecision => -points(CreditCause::LateAppealDecision),
    }
}

/// The entry that takes back a deduction for lateness excused by force majeure.
#[must_use]
pub fn excused(cause: CreditCause) -> Option<CreditCause> {
    match cause {
        CreditCause::LateFirstDecision => Some(CreditCause::ExcusedLateFirstDecision),
        CreditCause::LateAppealDecision => Some(CreditCause::ExcusedLateAppealDecision),
        _ => None,
    }
}

/// The points an entry of `cause` moves while the score is `score`, or `None` when it
/// moves nothing: points come back (on time, or excused) only up to [`START`].
#[must_use]
pub fn granted(cause: CreditCause, score: i64) -> Option<i64> {
    let points = points(cause);
    let points = if points > 0 { points.min(START - score) } else { points };
    (points != 0).then_some(points)
}

/// What a final decision by the platform costs the developer: points when it gave the
/// player anything (money or, for a complaint without orders, a favourable answer) beyond
/// what the developer had decided.
#[must_use]
pub fn after_platform_decision(outcome: refund_api::Outcome) -> Option<CreditCause> {
    (outcome != refund_api::Outcome::Reject).then_some(CreditCause::OverruledByPlatform)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excuse_gives_back_exactly_what_the_lateness_cost() {
        for cause in [CreditCause::LateFirstDecision, CreditCause::LateAppealDecision] {
            let excuse = excused(cause).expect("lateness can be excused");
            assert_eq!(points(cause) + points(excuse), 0, "{cause:?}");
        }
        assert_eq!(excused(CreditCause::OverruledByPlatform), None);
    }

    #[test]
    fn points_come_back_only_up_to_the_start() {
        assert_eq!(granted(CreditCause::DecidedOnTime, START - 1), Some(1));
        assert_eq!(granted(CreditCause::DecidedOnTime, START), None);
        assert_eq!(granted(CreditCause::ExcusedLateAppealDecision, START - 3), Some(3));
        assert_eq!(granted(CreditCause::ExcusedLateAppealDecision, START - 1), Some(1));
        assert_eq!(granted(CreditCause::LateFirstDecision, START), Some(-2));
    }
}
