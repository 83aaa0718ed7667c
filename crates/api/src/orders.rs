//! The player's payment orders in one game.

use serde::{Deserialize, Serialize};

use crate::Instant;

/// One payment order as the player sees it. Amounts are fen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderView {
    pub order_no: String,
    pub item: String,
    pub amount_fen: i64,
    pub refunded_fen: i64,
    pub refundable_fen: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    #[serde(deserialize_with = "crate::rfc3339::read")]
    pub paid_at: Instant,
    /// The open case that already claims this order; such an order cannot be chosen again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_case: Option<String>,
}
