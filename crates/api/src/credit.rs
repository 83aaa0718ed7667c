//! The developer organisation's credit ledger as both sides name it: why points moved
//! (the points themselves are the server's rule) and the ledger as people read it.

use serde::{Deserialize, Serialize};

use crate::Instant;

/// Where every organisation's credit score starts, and the most it can reach.
pub const CREDIT_START: i64 = 100;

/// Why an organisation's credit score moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CreditCause {
    /// The first decision's deadline passed without one.
    LateFirstDecision,
    /// The appeal's deadline passed without a decision (the case went to the platform).
    LateAppealDecision,
    /// The platform's final decision gave the player more than the developer had.
    OverruledByPlatform,
    /// A decision made in time gives a point back (never above the starting score).
    DecidedOnTime,
    /// An accepted force-majeure report took back a late first decision's deduction.
    ExcusedLateFirstDecision,
    /// An accepted force-majeure report took back a late appeal decision's deduction.
    ExcusedLateAppealDecision,
}

impl CreditCause {
    pub const ALL: [Self; 6] = [
        Self::LateFirstDecision,
        Self::LateAppealDecision,
        Self::OverruledByPlatform,
        Self::DecidedOnTime,
        Self::ExcusedLateFirstDecision,
        Self::ExcusedLateAppealDecision,
    ];

    /// The cause's name in the ledger and on the wire; also its translation key's tail.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Self::LateFirstDecision => "late_first_decision",
            Self::LateAppealDecision => "late_appeal_decision",
            Self::OverruledByPlatform => "overruled_by_platform",
            Self::DecidedOnTime => "decided_on_time",
            Self::ExcusedLateFirstDecision => "excused_late_first_decision",
            Self::ExcusedLateAppealDecision => "excused_late_appeal_decision",
        }
    }

    #[must_use]
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.key() == key)
    }
}

/// One movement of an organisation's credit score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreditEntry {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    #[serde(deserialize_with = "crate::rfc3339::read")]
    pub at: Instant,
    pub cause: CreditCause,
    pub points: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_no: Option<String>,
    /// The score after this entry.
    pub score_after: i64,
}

/// An organisation's credit score and its ledger, oldest first
/// (`GET /api/console/credit`, and per organisation in `GET /api/platform/credit`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreditView {
    pub org_id: String,
    pub org_name: String,
    pub score: i64,
    pub entries: Vec<CreditEntry>,
}
