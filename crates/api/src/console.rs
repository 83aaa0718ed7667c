//! The consoles of people at desks: developers of a game's organisation, and platform staff.

use serde::{Deserialize, Serialize};

use crate::{CaseKind, CaseState, ClaimedOrder, ComplaintInfo, DecisionView, EvidenceView, Instant, TimelineEntry};

/// `POST /api/console/login` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    pub login: String,
    pub password: String,
}

/// What a staff account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    /// Works for one developer organisation and answers its games' cases.
    Developer,
    /// Platform staff: sees every case, steps in and decides finally.
    Platform,
}

impl StaffRole {
    pub const ALL: [Self; 2] = [Self::Developer, Self::Platform];

    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Self::Developer => "developer",
            Self::Platform => "platform",
        }
    }

    #[must_use]
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.key() == key)
    }
}

/// Who is signed in to the console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffView {
    pub login: String,
    pub role: StaffRole,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_name: Option<String>,
}

/// Filters of `GET /api/console/cases` (all optional, combined with "and").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct QueueFilter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<CaseState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<CaseKind>,
    /// Only cases past their deadline.
    #[serde(default)]
    pub overdue: bool,
    /// Only cases due within one working day.
    #[serde(default)]
    pub due_soon: bool,
}

/// Time left before a deadline, in working days and hours (negative once past).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimeLeft {
    pub working_days: i64,
    pub hours: i64,
    pub overdue: bool,
}

/// One row of the queue, sorted by deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueRow {
    pub case_no: String,
    pub appid: String,
    pub game_name: String,
    pub kind: CaseKind,
    pub state: CaseState,
    pub claimed_fen: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    #[serde(deserialize_with = "crate::rfc3339::read")]
    pub submitted_at: Instant,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    #[serde(deserialize_with = "crate::rfc3339::read")]
    pub due_at: Instant,
    pub time_left: TimeLeft,
}

/// A claimed order as the developer checks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsoleOrder {
    #[serde(flatten)]
    pub order: ClaimedOrder,
    pub refunded_fen: i64,
    pub refundable_fen: i64,
    /// The minor's age in whole years when the order was paid, from the birth month given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minor_age: Option<i32>,
}

/// The guardian as the developer sees them: the phone masked until revealed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsoleGuardian {
    pub relation: crate::Relation,
    pub name: String,
    pub phone_masked: String,
    pub minor_birth: crate::YearMonth,
}

/// `GET /api/console/cases/{no}`: everything the developer needs to decide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsoleCase {
    pub row: QueueRow,
    /// The player's account in the game.
    pub openid: String,
    pub nickname: String,
    pub narrative: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guardian: Option<ConsoleGuardian>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complaint: Option<ComplaintInfo>,
    pub orders: Vec<ConsoleOrder>,
    pub evidence: Vec<EvidenceView>,
    pub timeline: Vec<TimelineEntry>,
    pub decisions: Vec<DecisionView>,
    /// The player's appeal, once there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appeal: Option<crate::AppealView>,
    /// How long the case's files are kept, or when they were deleted.
    #[serde(default)]
    pub retention: crate::FileRetention,
}

/// `GET /api/platform/calendar`: which years the working-day calendar has holiday notices
/// for, and the years deadlines need now that it lacks (they fall back to Monday–Friday).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarCoverage {
    pub covered_years: Vec<i32>,
    pub missing_years: Vec<i32>,
}
