//! Force majeure: a developer organisation reports an event that kept it from answering
//! (what happened, from and to which day, evidence files); platform staff accept or
//! reject it with a note. Accepting moves the organisation's deadlines that fall in the
//! period later by the working days it covers.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{Instant, MediaType};

/// The most evidence files one report carries (at least one is required).
pub const FORCE_MAJEURE_MAX_FILES: usize = 5;
/// The shortest and longest description of what happened, in characters.
pub const FORCE_MAJEURE_DESCRIPTION_MIN_CHARS: usize = 10;
pub const FORCE_MAJEURE_DESCRIPTION_MAX_CHARS: usize = 2_000;
/// The longest period one report covers, in calendar days (both ends included), and how
/// long ago it may have begun: older events no longer explain a deadline.
pub const FORCE_MAJEURE_MAX_DAYS: i64 = 60;

/// Where a report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ForceMajeureState {
    Pending,
    Accepted,
    Rejected,
}

impl ForceMajeureState {
    pub const ALL: [Self; 3] = [Self::Pending, Self::Accepted, Self::Rejected];

    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
        }
    }

    #[must_use]
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// One evidence file of a report (read at
/// `GET /api/console/force-majeure/{id}/files/{file_id}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ForceMajeureFile {
    pub id: String,
    pub file_name: String,
    pub media_type: MediaType,
    pub size: u64,
}

/// A force-majeure report as the developer who sent it and platform staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ForceMajeureView {
    pub id: String,
    pub org_id: String,
    pub org_name: String,
    pub description: String,
    /// The first and last day of the event, China time, both included.
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// How far the deadlines it covers move, in working days: for an accepted report, what
    /// they moved; otherwise, the period's working days that no accepted report of the
    /// same organisation covers yet.
    pub working_days: u32,
    pub reported_by: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    #[serde(deserialize_with = "crate::rfc3339::read")]
    pub reported_at: Instant,
    pub state: ForceMajeureState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    #[serde(deserialize_with = "crate::rfc3339::read_option")]
    pub decided_at: Option<Instant>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_note: Option<String>,
    /// On acceptance: how many open cases' deadlines moved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moved_cases: Option<u32>,
    pub files: Vec<ForceMajeureFile>,
}

/// `POST /api/platform/force-majeure/{id}/decision` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ForceMajeureDecision {
    pub accept: bool,
    /// Why, for the developer (required either way).
    pub note: String,
}
