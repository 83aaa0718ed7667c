//! Appeals and the platform's review: what the player sends to appeal a decision, and
//! the words of why a case reached the platform.

use serde::{Deserialize, Serialize};

/// Why the player appeals a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AppealReason {
    RefundTooSmall,
    WrongReason,
    NewEvidence,
    NoContact,
    Other,
}

impl AppealReason {
    pub const ALL: [Self; 5] = [
        Self::RefundTooSmall,
        Self::WrongReason,
        Self::NewEvidence,
        Self::NoContact,
        Self::Other,
    ];

    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Self::RefundTooSmall => "refund_too_small",
            Self::WrongReason => "wrong_reason",
            Self::NewEvidence => "new_evidence",
            Self::NoContact => "no_contact",
            Self::Other => "other",
        }
    }

    #[must_use]
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.key() == key)
    }
}

/// `POST /api/cases/{no}/appeal` body (with an `Idempotency-Key` header).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppealRequest {
    pub reason: AppealReason,
    /// The player's account of why the decision is wrong.
    pub statement: String,
    /// Supplemental evidence: the player's own uploads, not yet in a case.
    #[serde(default)]
    pub evidence_ids: Vec<String>,
}

/// The shortest and longest appeal statement, in characters.
pub const APPEAL_STATEMENT_MIN_CHARS: usize = 10;
pub const APPEAL_STATEMENT_MAX_CHARS: usize = 2_000;

/// How many calendar days after a decision the player may appeal it (or, after the
/// appeal decision, ask the platform), unless the server is configured otherwise.
pub const DEFAULT_APPEAL_WINDOW_DAYS: i64 = 15;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_round_trips_through_its_key() {
        for reason in AppealReason::ALL {
            assert_eq!(AppealReason::from_key(reason.key()), Some(reason));
            assert_eq!(
                serde_json::to_string(&reason).expect("serialises"),
                format!("\"{}\"", reason.key())
            );
        }
    }
}

/// Why a case is in the platform's queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PlatformReferral {
    /// The player asked the platform after the appeal decision.
    PlayerAsked,
    /// The developer did not decide the appeal in time.
    LateAppeal,
}

/// One row of the platform's intervention queue (`GET /api/platform/cases`), oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlatformRow {
    pub case_no: String,
    pub appid: String,
    pub game_name: String,
    pub kind: crate::CaseKind,
    pub claimed_fen: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    #[serde(deserialize_with = "crate::rfc3339::read")]
    pub submitted_at: crate::Instant,
    pub reason: PlatformReferral,
    /// When the case reached the platform.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    #[serde(deserialize_with = "crate::rfc3339::read")]
    pub waiting_since: crate::Instant,
}

/// What the player may still do about a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NextStepKind {
    /// Appeal the first decision (`/cases/{no}/appeal`).
    Appeal,
    /// Ask the platform to decide after the appeal decision.
    Escalate,
}

/// The step open to the player on a decided case, and until when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NextStep {
    pub kind: NextStepKind,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    #[serde(deserialize_with = "crate::rfc3339::read")]
    pub until: crate::Instant,
}

/// The player's appeal as the desks read it (`ConsoleCase.appeal`): what it said and
/// which of the case's files it added since the first decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppealView {
    pub reason: AppealReason,
    pub statement: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    #[serde(deserialize_with = "crate::rfc3339::read")]
    pub appealed_at: crate::Instant,
    pub evidence_ids: Vec<String>,
}
