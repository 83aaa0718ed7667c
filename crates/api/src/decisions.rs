//! Decisions on a case: what the developer (or, finally, the platform) sends, and what
//! every side then sees. Money is integer fen.

use serde::{Deserialize, Serialize};

use crate::Instant;

/// What a decision grants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Every claimed order's whole refundable amount.
    Full,
    /// An amount per order, each at least 1 fen and at most what is still refundable.
    Partial,
    /// Nothing; with a reason from [`RejectReason`] and a note the player reads.
    Reject,
}

impl Outcome {
    pub const ALL: [Self; 3] = [Self::Full, Self::Partial, Self::Reject];

    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::Partial => "partial",
            Self::Reject => "reject",
        }
    }

    #[must_use]
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.key() == key)
    }
}

/// Why a request is rejected: the reasons both sides know the words for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RejectReason {
    /// No proof the player is a minor.
    NoMinorProof,
    /// The account holder is an adult.
    AccountHolderAdult,
    /// The orders were refunded already.
    AlreadyRefunded,
    /// The purchase was not made in this game.
    NotThisGame,
    /// A complaint: what it describes could not be reproduced.
    NotReproducible,
    /// A complaint: the game works as designed and stated; no fault or breach.
    WorkingAsIntended,
    Other,
}

impl RejectReason {
    pub const ALL: [Self; 7] = [
        Self::NoMinorProof,
        Self::AccountHolderAdult,
        Self::AlreadyRefunded,
        Self::NotThisGame,
        Self::NotReproducible,
        Self::WorkingAsIntended,
        Self::Other,
    ];

    /// The reasons a case of `kind` may be rejected for: a complaint is not refused for
    /// want of proof of a minor, nor a minor's refund for a fault that cannot be found.
    #[must_use]
    pub fn for_kind(kind: crate::CaseKind) -> &'static [Self] {
        match kind {
            crate::CaseKind::MinorRefund => &[
                Self::NoMinorProof,
                Self::AccountHolderAdult,
                Self::AlreadyRefunded,
                Self::NotThisGame,
                Self::Other,
            ],
            crate::CaseKind::Complaint => &[
                Self::NotReproducible,
                Self::WorkingAsIntended,
                Self::AlreadyRefunded,
                Self::Other,
            ],
        }
    }

    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Self::NoMinorProof => "no_minor_proof",
            Self::AccountHolderAdult => "account_holder_adult",
            Self::AlreadyRefunded => "already_refunded",
            Self::NotThisGame => "not_this_game",
            Self::NotReproducible => "not_reproducible",
            Self::WorkingAsIntended => "working_as_intended",
            Self::Other => "other",
        }
    }

    #[must_use]
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.key() == key)
    }
}

/// One order's refund in a partial decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefundLine {
    pub order_no: String,
    pub amount_fen: i64,
}

/// `POST /api/console/cases/{no}/decision` (and the platform's, with the same body).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionRequest {
    pub outcome: Outcome,
    /// Partial only: the amount per order.
    #[serde(default)]
    pub refunds: Vec<RefundLine>,
    /// Required for a rejection.
    #[serde(default)]
    pub reason: Option<RejectReason>,
    /// What the player reads; required for a rejection.
    #[serde(default)]
    pub note: String,
}

/// Which decision of a case this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DecisionRound {
    First,
    Appeal,
    Platform,
}

impl DecisionRound {
    pub const ALL: [Self; 3] = [Self::First, Self::Appeal, Self::Platform];

    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Self::First => "first",
            Self::Appeal => "appeal",
            Self::Platform => "platform",
        }
    }

    #[must_use]
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.key() == key)
    }
}

/// A refund as the payment gateway recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefundView {
    pub refund_id: String,
    pub order_no: String,
    pub amount_fen: i64,
}

/// A decision as every side sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionView {
    pub round: DecisionRound,
    pub outcome: Outcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<RejectReason>,
    pub note: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    #[serde(deserialize_with = "crate::rfc3339::read")]
    pub decided_at: Instant,
    pub refunds: Vec<RefundView>,
    /// The sum of `refunds`.
    pub refunded_fen: i64,
}

/// The longest note a decision (a developer's, the platform's, or on a force-majeure
/// report) carries, in characters.
pub const DECISION_NOTE_MAX_CHARS: usize = 2_000;
