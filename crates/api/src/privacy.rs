//! Privacy: the notice a guardian consents to before identity documents are uploaded, and
//! how long a case's files are kept.
//!
//! Policy: consent is recorded per player and per notice version; when the notice's
//! wording changes in substance, [`PRIVACY_NOTICE_VERSION`] goes up and everyone is asked
//! again. Files are kept while a case can still change, then for the configured number of
//! days, then deleted by the server's job runner.

use serde::{Deserialize, Serialize};

use crate::Instant;

/// The version of the privacy notice the app shows now.
pub const PRIVACY_NOTICE_VERSION: u32 = 1;

/// Days a case's files are kept after it ends, unless the server is configured otherwise.
pub const DEFAULT_RETENTION_DAYS: u32 = 180;

/// `POST /api/privacy-consent` body: the notice the player has read and agreed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PrivacyConsent {
    pub notice_version: u32,
}

/// Where a case's files stand.
///
/// Read through [`RetentionWire`], a plain struct, rather than serde's derive for a tagged
/// enum, which buffers the object first: that buffering alone cost the browser bundle
/// about 7 KB. The JSON is the same either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "status", rename_all = "snake_case", try_from = "RetentionWire")]
pub enum FileRetention {
    /// The case can still change: files are kept, and for `days` after it ends.
    Kept { days: u32 },
    /// The case has ended; its files are deleted at `delete_at`.
    Until {
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        delete_at: Instant,
    },
    /// The files were deleted at `deleted_at`; the case itself remains.
    Deleted {
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        deleted_at: Instant,
        files: u32,
    },
}

/// The fields of every [`FileRetention`] variant, as they arrive.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
struct RetentionWire {
    status: RetentionStatus,
    days: Option<u32>,
    #[serde(default, deserialize_with = "crate::rfc3339::read_option")]
    delete_at: Option<Instant>,
    #[serde(default, deserialize_with = "crate::rfc3339::read_option")]
    deleted_at: Option<Instant>,
    files: Option<u32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum RetentionStatus {
    Kept,
    Until,
    Deleted,
}

impl TryFrom<RetentionWire> for FileRetention {
    type Error = &'static str;

    fn try_from(wire: RetentionWire) -> Result<Self, Self::Error> {
        let missing = "a field of this retention status is missing";
        Ok(match wire.status {
            RetentionStatus::Kept => Self::Kept {
                days: wire.days.ok_or(missing)?,
            },
            RetentionStatus::Until => Self::Until {
                delete_at: wire.delete_at.ok_or(missing)?,
            },
            RetentionStatus::Deleted => Self::Deleted {
                deleted_at: wire.deleted_at.ok_or(missing)?,
                files: wire.files.ok_or(missing)?,
            },
        })
    }
}

impl Default for FileRetention {
    fn default() -> Self {
        Self::Kept {
            days: DEFAULT_RETENTION_DAYS,
        }
    }
}

/// What the server found a refused file to be, decided from its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FoundKind {
    /// Plain text (a note, a copied chat saved as .txt).
    Text,
    /// A picture in a format not accepted (GIF, BMP, TIFF...).
    OtherImage,
    /// A video in a format not accepted (MOV, AVI...).
    OtherVideo,
    Audio,
    /// An office document (Word, Excel...).
    Document,
    /// A compressed archive (zip, rar...).
    Archive,
    /// A program or script.
    Program,
    /// Nothing recognisable.
    Unknown,
}

impl FoundKind {
    pub const ALL: [Self; 8] = [
        Self::Text,
        Self::OtherImage,
        Self::OtherVideo,
        Self::Audio,
        Self::Document,
        Self::Archive,
        Self::Program,
        Self::Unknown,
    ];

    /// The name sent as the `found` parameter of `unsupported_type`, and its translation key.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::OtherImage => "other_image",
            Self::OtherVideo => "other_video",
            Self::Audio => "audio",
            Self::Document => "document",
            Self::Archive => "archive",
            Self::Program => "program",
            Self::Unknown => "unknown",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_retention_status_reads_back_what_was_written() {
        let at: Instant = chrono::DateTime::parse_from_rfc3339("2026-11-23T10:00:00+08:00").expect("a time");
        for retention in [
            FileRetention::Kept { days: 180 },
            FileRetention::Until { delete_at: at },
            FileRetention::Deleted {
                deleted_at: at,
                files: 3,
            },
        ] {
            let json = serde_json::to_string(&retention).expect("written");
            assert_eq!(
                serde_json::from_str::<FileRetention>(&json).expect("read"),
                retention,
                "{json}"
            );
        }
        let json = serde_json::to_value(FileRetention::Deleted {
            deleted_at: at,
            files: 3,
        })
        .expect("written");
        assert_eq!(json["status"], "deleted");
        assert_eq!(json["files"], 3);
    }

    #[test]
    fn a_status_without_its_fields_or_an_unknown_status_is_refused() {
        for json in [
            r#"{"status":"kept"}"#,
            r#"{"status":"deleted","files":2}"#,
            r#"{"status":"lost","days":1}"#,
        ] {
            assert!(serde_json::from_str::<FileRetention>(json).is_err(), "{json}");
        }
    }
}
