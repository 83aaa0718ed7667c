//! The one error shape of every failed request: `{"error":{"code","message"}}`, and the
//! codes both sides know.
//!
//! The code is what the app words for its reader (in their language, filling in
//! `params`); `message` is the server's English, for logs and for clients that know no
//! better. A code the app has no words for falls back to a general sentence, never to
//! the English glued onto Chinese.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Declares [`ErrorCode`] with its wire names, once.
macro_rules! error_codes {
    ($($variant:ident => $key:literal,)*) => {
        /// Every error code the server can send.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum ErrorCode {
            $($variant,)*
        }

        impl ErrorCode {
            pub const ALL: &'static [Self] = &[$(Self::$variant,)*];

            /// The code's wire name, also its translation key (`error.<key>`).
            #[must_use]
            pub fn key(self) -> &'static str {
                match self {
                    $(Self::$variant => $key,)*
                }
            }

            #[must_use]
            pub fn from_key(key: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|c| c.key() == key)
            }
        }
    };
}

error_codes! {
    AlreadyDecided => "already_decided",
    AmountOverflow => "amount_overflow",
    AppealWindowClosed => "appeal_window_closed",
    BadOrigin => "bad_origin",
    BodyTooLarge => "body_too_large",
    CaseClosed => "case_closed",
    DatabaseUnreachable => "database_unreachable",
    DescriptionLength => "description_length",
    DevelopersOnly => "developers_only",
    DuplicateOrder => "duplicate_order",
    DuplicateRefundOrder => "duplicate_refund_order",
    EmptyFile => "empty_file",
    EvidenceNotAllowed => "evidence_not_allowed",
    EvidenceNotFound => "evidence_not_found",
    EvidenceTaken => "evidence_taken",
    FileTooLarge => "file_too_large",
    IdempotencyKeyReused => "idempotency_key_reused",
    Internal => "internal",
    InvalidBirthMonth => "invalid_birth_month",
    InvalidContact => "invalid_contact",
    InvalidJson => "invalid_json",
    InvalidName => "invalid_name",
    InvalidPeriod => "invalid_period",
    InvalidPhone => "invalid_phone",
    InvalidTitle => "invalid_title",
    MalformedJson => "malformed_json",
    MalformedQuery => "malformed_query",
    MalformedUpload => "malformed_upload",
    MessageLength => "message_length",
    MissingCategory => "missing_category",
    MissingComplaint => "missing_complaint",
    MissingEvidence => "missing_evidence",
    MissingFile => "missing_file",
    MissingGuardian => "missing_guardian",
    MissingIdempotencyKey => "missing_idempotency_key",
    MissingNote => "missing_note",
    MissingReason => "missing_reason",
    NarrativeTooLong => "narrative_too_long",
    NarrativeTooShort => "narrative_too_short",
    NoConsoleSession => "no_console_session",
    NoDemand => "no_demand",
    NoOrders => "no_orders",
    NoPhone => "no_phone",
    NoRefunds => "no_refunds",
    NoSession => "no_session",
    NoSuchEndpoint => "no_such_endpoint",
    NoWebApp => "no_web_app",
    NotAMinor => "not_a_minor",
    NotAllowedNow => "not_allowed_now",
    NotFound => "not_found",
    NoteTooLong => "note_too_long",
    NothingRefundable => "nothing_refundable",
    NothingToAppeal => "nothing_to_appeal",
    OrderFullyRefunded => "order_fully_refunded",
    OrderInOpenCase => "order_in_open_case",
    OrderNotFound => "order_not_found",
    PlatformOnly => "platform_only",
    PrivacyConsentRequired => "privacy_consent_required",
    RateLimited => "rate_limited",
    ReasonNotForKind => "reason_not_for_kind",
    ReasonTooLong => "reason_too_long",
    RefundAmountTooSmall => "refund_amount_too_small",
    RefundOrderNotInCase => "refund_order_not_in_case",
    RefundOverRefundable => "refund_over_refundable",
    RefundsNotAllowed => "refunds_not_allowed",
    StaleNotice => "stale_notice",
    StatementLength => "statement_length",
    StorageQuotaExceeded => "storage_quota_exceeded",
    TicketExpired => "ticket_expired",
    TicketExpiryTooFar => "ticket_expiry_too_far",
    TicketForged => "ticket_forged",
    TicketMalformed => "ticket_malformed",
    TicketReused => "ticket_reused",
    TooManyAttempts => "too_many_attempts",
    TooManyFiles => "too_many_files",
    TrackingKeyInUrl => "tracking_key_in_url",
    TrackingLinkExpired => "tracking_link_expired",
    UnknownCategory => "unknown_category",
    UnknownGame => "unknown_game",
    UnsupportedType => "unsupported_type",
    UploadInterrupted => "upload_interrupted",
    WrongContentType => "wrong_content_type",
    WrongEvidenceCategory => "wrong_evidence_category",
    WrongLogin => "wrong_login",
}

/// Body of every non-2xx response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// A stable machine-readable `code` (snake_case) and a human-readable `message`.
///
/// `field` names the offending input field when there is one, so a form can show the
/// error beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    /// One of [`ErrorCode`]'s names; a string, so that an older app still reads a newer code.
    #[cfg_attr(feature = "openapi", schema(value_type = ErrorCode))]
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Values the app puts into its wording of the code (an order number, a limit).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, String>,
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn every_code_reads_back_from_its_key_and_serialises_as_it() {
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::from_key(code.key()), Some(*code));
            assert_eq!(
                serde_json::to_string(code).expect("json"),
                format!("\"{}\"", code.key())
            );
        }
    }
}
