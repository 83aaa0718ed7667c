//! Cases: what the player submits and what anyone tracking a case sees.

use serde::{Deserialize, Serialize};

use crate::{ComplaintInfo, EvidenceView, FileRetention, Instant};

/// A refund for a minor's spending, or a general complaint about a game.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    MinorRefund,
    Complaint,
}

impl CaseKind {
    pub const ALL: [Self; 2] = [Self::MinorRefund, Self::Complaint];

    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Self::MinorRefund => "minor_refund",
            Self::Complaint => "complaint",
        }
    }

    #[must_use]
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }
}

/// Where a case stands. See docs/ARCHITECTURE.md, "Case states", for the transitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    Submitted,
    Decided,
    Appealed,
    AppealDecided,
    PlatformReview,
    Closed,
    Withdrawn,
}

impl CaseState {
    pub const ALL: [Self; 7] = [
        Self::Submitted,
        Self::Decided,
        Self::Appealed,
        Self::AppealDecided,
        Self::PlatformReview,
        Self::Closed,
        Self::Withdrawn,
    ];

    /// The state whose [`key`](Self::key) this is.
    #[must_use]
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Open cases still hold their orders: the same order cannot be claimed twice.
    #[must_use]
    pub fn is_open(self) -> bool {
        !matches!(self, Self::Closed | Self::Withdrawn)
    }

    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Decided => "decided",
            Self::Appealed => "appealed",
            Self::AppealDecided => "appeal_decided",
            Self::PlatformReview => "platform_review",
            Self::Closed => "closed",
            Self::Withdrawn => "withdrawn",
        }
    }
}

/// The guardian's relation to the minor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    Father,
    Mother,
    OtherGuardian,
}

impl Relation {
    pub const ALL: [Self; 3] = [Self::Father, Self::Mother, Self::OtherGuardian];

    /// The wire name, e.g. `other_guardian`: what serde writes and the form's value.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Self::Father => "father",
            Self::Mother => "mother",
            Self::OtherGuardian => "other_guardian",
        }
    }
}

/// A year and month (1-12), e.g. a birth month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct YearMonth {
    pub year: i32,
    pub month: u32,
}

/// Who applies for a minor refund, and the minor's birth month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GuardianInfo {
    pub relation: Relation,
    pub name: String,
    pub phone: String,
    pub minor_birth: YearMonth,
}

/// `POST /api/cases` body (with an `Idempotency-Key` header).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewCase {
    pub kind: CaseKind,
    /// Orders claimed; required for a minor refund, optional for a complaint.
    #[serde(default)]
    pub order_nos: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guardian: Option<GuardianInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complaint: Option<ComplaintInfo>,
    /// The account of what happened.
    pub narrative: String,
    #[serde(default)]
    pub evidence_ids: Vec<String>,
}

/// The answer to a submission. The tracking key is shown once; only its hash is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseCreated {
    pub case_no: String,
    pub tracking_key: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    #[serde(deserialize_with = "crate::rfc3339::read")]
    pub due_at: Instant,
}

/// The request header that carries a tracking key. Links carry the key after `#key=`,
/// a part of the URL browsers never send, so servers, proxies and logs never see it.
pub const TRACKING_KEY_HEADER: &str = "X-Tracking-Key";

/// Days after a case ends (see the retention rule) that its tracking links keep working.
pub const TRACKING_LINK_DAYS_AFTER_END: i64 = 90;

/// A short-lived token to open a tracked case's live stream with (`EventSource` cannot
/// send headers, so the key itself never goes into the stream's URL). It stops working
/// when it expires or when the case's tracking key is replaced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StreamToken {
    pub token: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    #[serde(deserialize_with = "crate::rfc3339::read")]
    pub expires_at: Instant,
}

/// A fresh tracking key for a case (the old one stops working).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrackingKey {
    pub case_no: String,
    pub tracking_key: String,
}

/// One line of "my cases".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseSummary {
    pub case_no: String,
    pub kind: CaseKind,
    pub state: CaseState,
    pub game_name: String,
    pub claimed_fen: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    #[serde(deserialize_with = "crate::rfc3339::read")]
    pub submitted_at: Instant,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    #[serde(deserialize_with = "crate::rfc3339::read")]
    pub due_at: Instant,
    /// Working days until the deadline; 0 on its last day, negative once overdue.
    pub working_days_left: i64,
}

/// An order as claimed in a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClaimedOrder {
    pub order_no: String,
    pub item: String,
    pub amount_fen: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    #[serde(deserialize_with = "crate::rfc3339::read")]
    pub paid_at: Instant,
}

/// Who caused a timeline entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    Player,
    Developer,
    Platform,
    System,
}

impl Actor {
    pub const ALL: [Self; 4] = [Self::Player, Self::Developer, Self::Platform, Self::System];

    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Self::Player => "player",
            Self::Developer => "developer",
            Self::Platform => "platform",
            Self::System => "system",
        }
    }

    #[must_use]
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.key() == key)
    }
}

/// What happened to a case: the kinds of its append-only events (and timeline entries).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Submitted,
    Decided,
    Appealed,
    AppealDecided,
    Accepted,
    Escalated,
    AppealOverdue,
    PlatformDecided,
    Withdrawn,
    /// The first decision's deadline passed without one.
    Overdue,
    /// A message between the player and the developer (its text is the note).
    Message,
    /// The developer revealed the guardian's phone number to call them.
    PhoneRevealed,
    /// Less than one working day is left before the deadline.
    DueSoon,
    /// Platform staff accepted the developer's force majeure: the deadline moved later
    /// (the note gives the period).
    DeadlineExtended,
    /// The case ended long enough ago: its files were deleted (the note gives how many).
    FilesDeleted,
}

impl EventKind {
    pub const ALL: [Self; 15] = [
        Self::Submitted,
        Self::Decided,
        Self::Appealed,
        Self::AppealDecided,
        Self::Accepted,
        Self::Escalated,
        Self::AppealOverdue,
        Self::PlatformDecided,
        Self::Withdrawn,
        Self::Overdue,
        Self::Message,
        Self::PhoneRevealed,
        Self::DueSoon,
        Self::DeadlineExtended,
        Self::FilesDeleted,
    ];

    /// The event's name in the log and on the wire; also its translation key.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Decided => "decided",
            Self::Appealed => "appealed",
            Self::AppealDecided => "appeal_decided",
            Self::Accepted => "accepted",
            Self::Escalated => "escalated",
            Self::AppealOverdue => "appeal_overdue",
            Self::PlatformDecided => "platform_decided",
            Self::Withdrawn => "withdrawn",
            Self::Overdue => "overdue",
            Self::Message => "message",
            Self::PhoneRevealed => "phone_revealed",
            Self::DueSoon => "due_soon",
            Self::DeadlineExtended => "deadline_extended",
            Self::FilesDeleted => "files_deleted",
        }
    }

    #[must_use]
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }
}

/// One entry of a case's timeline, built from its append-only events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineEntry {
    pub id: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    #[serde(deserialize_with = "crate::rfc3339::read")]
    pub at: Instant,
    pub actor: Actor,
    /// The event's name, e.g. `submitted`; also a translation key.
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Everything about one case: for its player, and read-only for anyone with the tracking key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseDetail {
    pub summary: CaseSummary,
    /// What happened, in the player's words; left out of tracking views.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub narrative: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guardian: Option<GuardianView>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complaint: Option<ComplaintInfo>,
    pub orders: Vec<ClaimedOrder>,
    /// The evidence files; left out of tracking views.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<EvidenceView>,
    pub timeline: Vec<TimelineEntry>,
    /// The decisions so far, oldest first, with the refunds they applied.
    #[serde(default)]
    pub decisions: Vec<crate::DecisionView>,
    /// What the player may still do about the latest decision (for the player's eyes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_step: Option<crate::NextStep>,
    /// How long the case's files are kept, or when they were deleted.
    #[serde(default)]
    pub retention: FileRetention,
}

/// The guardian as shown back: the phone number is masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GuardianView {
    pub relation: Relation,
    pub name: String,
    pub phone_masked: String,
    pub minor_birth: YearMonth,
}

impl YearMonth {
    /// Whole years of age reached by `year`/`month` for someone born in this month.
    ///
    /// Days are unknown, so within the birth month the birthday counts as not yet reached:
    /// the doubt goes the guardian's way.
    #[must_use]
    pub fn age_at(self, year: i32, month: u32) -> i32 {
        let years = year - self.year;
        if month <= self.month { years - 1 } else { years }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_counts_the_birth_month_as_not_yet_reached() {
        let born = YearMonth { year: 2012, month: 5 };
        assert_eq!(born.age_at(2025, 4), 12);
        assert_eq!(born.age_at(2025, 5), 12);
        assert_eq!(born.age_at(2025, 6), 13);
    }
}

/// `POST /api/cases/{no}/withdraw` body: the player's optional reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WithdrawRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}
