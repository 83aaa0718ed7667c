//! Evidence files: categories each case kind asks for, accepted types, limits.

use serde::{Deserialize, Serialize};

use crate::CaseKind;

/// What a piece of evidence shows. The first group serves minor refunds, the second complaints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EvidenceCategory {
    PaymentRecords,
    MinorProof,
    GuardianshipProof,
    GuardianIdentity,
    GameAccount,
    DeveloperChats,
    Screenshots,
    ScreenRecordings,
    TransactionRecords,
    ChatRecords,
    Other,
}

impl EvidenceCategory {
    pub const MINOR_REFUND: [Self; 6] = [
        Self::MinorProof,
        Self::GuardianshipProof,
        Self::GuardianIdentity,
        Self::PaymentRecords,
        Self::GameAccount,
        Self::DeveloperChats,
    ];
    pub const COMPLAINT: [Self; 5] = [
        Self::Screenshots,
        Self::ScreenRecordings,
        Self::TransactionRecords,
        Self::ChatRecords,
        Self::Other,
    ];

    /// The categories a case of this kind offers, in the order the form shows them.
    #[must_use]
    pub fn for_kind(kind: CaseKind) -> &'static [Self] {
        match kind {
            CaseKind::MinorRefund => &Self::MINOR_REFUND,
            CaseKind::Complaint => &Self::COMPLAINT,
        }
    }

    /// Whether a case of `kind` cannot be submitted without at least one file of this category.
    #[must_use]
    pub fn is_required_for(self, kind: CaseKind) -> bool {
        match kind {
            CaseKind::MinorRefund => matches!(
                self,
                Self::MinorProof | Self::GuardianshipProof | Self::GuardianIdentity
            ),
            CaseKind::Complaint => false,
        }
    }

    /// Whether this category holds identity documents (ID cards, the household register),
    /// which need the privacy notice's consent before the first upload.
    #[must_use]
    pub fn is_identity(self) -> bool {
        matches!(
            self,
            Self::MinorProof | Self::GuardianshipProof | Self::GuardianIdentity
        )
    }

    /// The snake_case name used on the wire and as a translation key.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Self::PaymentRecords => "payment_records",
            Self::MinorProof => "minor_proof",
            Self::GuardianshipProof => "guardianship_proof",
            Self::GuardianIdentity => "guardian_identity",
            Self::GameAccount => "game_account",
            Self::DeveloperChats => "developer_chats",
            Self::Screenshots => "screenshots",
            Self::ScreenRecordings => "screen_recordings",
            Self::TransactionRecords => "transaction_records",
            Self::ChatRecords => "chat_records",
            Self::Other => "other",
        }
    }

    /// Parses the wire name back, for multipart form fields.
    #[must_use]
    pub fn from_key(key: &str) -> Option<Self> {
        Self::MINOR_REFUND
            .iter()
            .chain(Self::COMPLAINT.iter())
            .copied()
            .find(|c| c.key() == key)
    }
}

/// A file type the service accepts, decided from the file's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MediaType {
    Jpeg,
    Png,
    Webp,
    Heic,
    Mp4,
    Pdf,
}

impl MediaType {
    pub const ALL: [Self; 6] = [Self::Jpeg, Self::Png, Self::Webp, Self::Heic, Self::Mp4, Self::Pdf];

    #[must_use]
    pub fn mime(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Webp => "image/webp",
            Self::Heic => "image/heic",
            Self::Mp4 => "video/mp4",
            Self::Pdf => "application/pdf",
        }
    }

    /// Whether a browser can show it inline as a picture (HEIC mostly cannot).
    #[must_use]
    pub fn is_viewable_image(self) -> bool {
        matches!(self, Self::Jpeg | Self::Png | Self::Webp)
    }
}

/// Limits stated to the user before any upload and enforced by the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvidenceLimits {
    pub max_file_bytes: u64,
    pub max_files_per_case: u32,
}

/// A stored evidence file: the answer to an upload, and an entry in a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvidenceView {
    pub id: String,
    pub sha256: String,
    pub size: u64,
    pub media_type: MediaType,
    pub category: EvidenceCategory,
    pub file_name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_round_trips_through_its_key() {
        for c in EvidenceCategory::MINOR_REFUND
            .iter()
            .chain(EvidenceCategory::COMPLAINT.iter())
        {
            assert_eq!(EvidenceCategory::from_key(c.key()), Some(*c));
            let json = serde_json::to_string(c).expect("serialises");
            assert_eq!(json, format!("\"{}\"", c.key()));
        }
        assert_eq!(EvidenceCategory::from_key("passport"), None);
    }

    #[test]
    fn a_minor_refund_requires_the_three_identity_proofs_and_a_complaint_none() {
        let required: Vec<_> = EvidenceCategory::MINOR_REFUND
            .iter()
            .filter(|c| c.is_required_for(CaseKind::MinorRefund))
            .map(|c| c.key())
            .collect();
        assert_eq!(required, ["minor_proof", "guardianship_proof", "guardian_identity"]);
        assert!(
            EvidenceCategory::COMPLAINT
                .iter()
                .all(|c| !c.is_required_for(CaseKind::Complaint))
        );
    }
}
