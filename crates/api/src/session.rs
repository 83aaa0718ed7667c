//! Launch from the game menu and the player's session.

use serde::{Deserialize, Serialize};

use crate::EvidenceLimits;

/// `POST /api/session/launch` body: the signed ticket from the game's menu link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LaunchRequest {
    pub ticket: String,
}

/// Who the session belongs to, and the limits the app must state before uploads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionView {
    pub appid: String,
    pub game_name: String,
    /// The player's display name in the game.
    pub nickname: String,
    pub limits: EvidenceLimits,
    /// Working days the developer has to answer, per case kind.
    pub minor_refund_due_days: u32,
    pub complaint_due_days: u32,
    /// Days a case's files are kept after the case ends.
    #[serde(default)]
    pub retention_days: u32,
    /// Whether the player has agreed to the current privacy notice (identity documents
    /// cannot be uploaded before).
    #[serde(default)]
    pub privacy_consent: bool,
}

/// Working days the developer has to answer a minor refund, a complaint and an appeal,
/// unless the server is configured otherwise.
pub const DEFAULT_MINOR_REFUND_DUE_DAYS: u32 = 2;
pub const DEFAULT_COMPLAINT_DUE_DAYS: u32 = 3;
pub const DEFAULT_APPEAL_DUE_DAYS: u32 = 7;
