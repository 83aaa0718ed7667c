//! The one error shape of every failed request: `{"error":{"code","message"}}`.

use serde::{Deserialize, Serialize};

/// Body of every non-2xx response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// A stable machine-readable `code` (snake_case) and a human-readable `message`.
///
/// `field` names the offending input field when there is one, so a form can show the
/// error beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}
