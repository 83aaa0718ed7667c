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
}

impl CreditCause {
    /// The cause's name in the ledger.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Self::LateFirstDecision => "late_first_decision",
        }
    }

    /// Points gained (positive) or lost (negative).
    #[must_use]
    pub fn points(self) -> i64 {
        match self {
            Self::LateFirstDecision => -2,
        }
    }
}
