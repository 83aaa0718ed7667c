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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
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
