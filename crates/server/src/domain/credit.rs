//! The developer organisation's credit score: the rules, in one place.
//!
//! Every organisation starts at [`START`]. Points are lost for lateness and for
//! disputes the developer loses; each cause is recorded once per case in the credit
//! ledger, so a rerun of the job that records it changes nothing.

/// Where every organisation's score starts.
pub const START: i64 = 100;

/// Why points moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreditCause {
    /// The first decision's deadline passed without one.
    LateFirstDecision,
    /// The appeal's deadline passed without a decision (the case went to the platform).
    LateAppealDecision,
    /// The platform's final decision gave the player more than the developer had.
    OverruledByPlatform,
}

impl CreditCause {
    /// The cause's name in the ledger.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Self::LateFirstDecision => "late_first_decision",
            Self::LateAppealDecision => "late_appeal_decision",
            Self::OverruledByPlatform => "overruled_by_platform",
        }
    }

    /// Points gained (positive) or lost (negative).
    #[must_use]
    pub fn points(self) -> i64 {
        match self {
            Self::LateFirstDecision => -2,
            Self::LateAppealDecision => -3,
            Self::OverruledByPlatform => -5,
        }
    }
}

/// What a final decision by the platform costs the developer: points when it gave the
/// player anything (money or, for a complaint without orders, a favourable answer) beyond
/// what the developer had decided.
#[must_use]
pub fn after_platform_decision(outcome: refund_api::Outcome) -> Option<CreditCause> {
    (outcome != refund_api::Outcome::Reject).then_some(CreditCause::OverruledByPlatform)
}
