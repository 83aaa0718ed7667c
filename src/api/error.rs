//! The one error type of the client: the server's `ErrorBody`, plus the HTTP status.

use std::fmt;

use refund_api::{ErrorBody, ErrorCode};

/// Codes the app gives failures the server never named: no answer, an answer it cannot
/// read, a launch link without its ticket. The server's own codes are [`ErrorCode`]; the
/// two sets share the `error.<code>` wording in the catalogs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientCode {
    /// No answer at all: offline, DNS, connection reset.
    Network,
    /// An answer that is not what the contract says.
    BadResponse,
    /// A launch link without its ticket.
    MissingTicket,
}

impl ClientCode {
    pub const ALL: [Self; 3] = [Self::Network, Self::BadResponse, Self::MissingTicket];

    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Self::Network => "network",
            Self::BadResponse => "bad_response",
            Self::MissingTicket => "missing_ticket",
        }
    }
}

/// A failed request, in the server's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status; 0 when no answer arrived.
    pub status: u16,
    pub code: String,
    pub message: String,
    /// The input the server blames, e.g. `guardian.phone`.
    pub field: Option<String>,
    /// Values the wording of the code puts in, e.g. `order_no`.
    pub params: Vec<(String, String)>,
}

impl ApiError {
    /// No answer at all: offline, DNS, connection reset.
    #[must_use]
    pub fn network() -> Self {
        Self::client(0, ClientCode::Network)
    }

    /// A refusal the app makes itself before sending, in the server's words for it (the
    /// status the server would answer with).
    #[must_use]
    pub fn local(status: u16, code: ErrorCode) -> Self {
        Self::with_code(status, code.key())
    }

    /// A failure the server did not name (see [`ClientCode`]).
    #[must_use]
    pub fn client(status: u16, code: ClientCode) -> Self {
        Self::with_code(status, code.key())
    }

    fn with_code(status: u16, code: &str) -> Self {
        Self {
            status,
            code: code.to_owned(),
            message: String::new(),
            field: None,
            params: Vec::new(),
        }
    }

    /// Decodes a non-2xx answer body; a body that is not an `ErrorBody` still keeps the status.
    #[must_use]
    pub fn from_body(status: u16, body: &str) -> Self {
        match serde_json::from_str::<ErrorBody>(body) {
            Ok(ErrorBody { error }) => Self {
                status,
                code: error.code,
                message: error.message,
                field: error.field,
                params: error.params.into_iter().collect(),
            },
            Err(_) => Self {
                status,
                code: if status >= 500 {
                    ErrorCode::Internal.key()
                } else {
                    ClientCode::BadResponse.key()
                }
                .to_owned(),
                message: body.chars().take(200).collect(),
                field: None,
                params: Vec::new(),
            },
        }
    }

    /// Whether the server (or the app, for it) gave this code.
    #[must_use]
    pub fn is(&self, code: ErrorCode) -> bool {
        self.code == code.key()
    }

    /// The server answered that the request itself was wrong, so it changed nothing;
    /// resending the same body would fail the same way.
    #[must_use]
    pub fn is_rejection(&self) -> bool {
        (400..500).contains(&self.status)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.code, self.status, self.message)
    }
}

impl std::error::Error for ApiError {}

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_body_keeps_code_message_field_and_status() {
        let body = r#"{"error":{"code":"invalid","message":"bad phone","field":"guardian.phone"}}"#;
        let e = ApiError::from_body(422, body);
        assert_eq!(e.status, 422);
        assert_eq!(e.code, "invalid");
        assert_eq!(e.field.as_deref(), Some("guardian.phone"));
        assert!(e.is_rejection());
    }

    #[test]
    fn a_body_that_is_not_an_error_body_still_keeps_the_status() {
        let e = ApiError::from_body(502, "<html>Bad gateway</html>");
        assert_eq!((e.status, e.code.as_str()), (502, "internal"));
        assert!(!e.is_rejection());
        assert_eq!(ApiError::from_body(404, "").code, "bad_response");
        assert!(!ApiError::network().is_rejection());
    }
}
