//! Live updates pushed over server-sent events (`GET /api/events`).

use serde::{Deserialize, Serialize};

use crate::{CaseState, Instant};

/// The `data` of an SSE message named `case`: a case changed; its event id is the SSE id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseChanged {
    pub event_id: i64,
    pub case_no: String,
    pub state: CaseState,
    pub kind: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    #[serde(deserialize_with = "crate::rfc3339::read")]
    pub at: Instant,
}
