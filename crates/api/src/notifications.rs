//! The notification centre of each app, messages between the player and the developer,
//! and the webhook delivery log.

use serde::{Deserialize, Serialize};

use crate::{EventKind, Instant};

/// One notification: something happened on a case that concerns its reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationView {
    pub id: i64,
    pub case_no: String,
    /// The event, whose kind is also the notification's translation key.
    pub event_id: i64,
    pub kind: EventKind,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    #[serde(deserialize_with = "crate::rfc3339::read")]
    pub at: Instant,
    pub read: bool,
}

/// `GET /api/notifications`: the latest notifications, newest first, and the unread count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationList {
    pub unread: i64,
    pub items: Vec<NotificationView>,
}

/// `POST /api/notifications/read`: mark read those up to an id, or all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MarkRead {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub up_to: Option<i64>,
}

/// `POST /api/cases/{no}/messages` and `POST /api/console/cases/{no}/messages`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageRequest {
    pub text: String,
    /// The player's own uploads to attach (not yet in a case).
    #[serde(default)]
    pub evidence_ids: Vec<String>,
}

/// The most characters one message may have.
pub const MESSAGE_MAX_CHARS: usize = 2_000;

/// `POST /api/console/cases/{no}/reveal-phone`: the guardian's number, to call them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevealedPhone {
    pub phone: String,
}

/// Where a webhook delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    Pending,
    Delivered,
    Failed,
}

impl DeliveryStatus {
    pub const ALL: [Self; 3] = [Self::Pending, Self::Delivered, Self::Failed];

    /// The wire name, as serde writes it and the store keeps it.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
        }
    }

    /// The status whose [`key`](Self::key) this is.
    #[must_use]
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// One entry of the webhook delivery log (`GET /api/console/webhooks`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliveryView {
    pub id: i64,
    pub appid: String,
    pub case_no: String,
    pub event: EventKind,
    pub status: DeliveryStatus,
    pub attempts: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_status: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    #[serde(deserialize_with = "crate::rfc3339::read")]
    pub created_at: Instant,
}
