//! The evidence upload's multipart form (`POST /api/evidence`): a `category` text field
//! naming a known [`EvidenceCategory`], then one `file` field, in that order.
//!
//! Policy: the category comes first, so no file is streamed before it is known what it
//! is; fields are told apart by name alone, and the content type the client declares
//! for the file is ignored: its type is decided from its bytes as it streams
//! ([`crate::domain::upload`]). The upload handler reads its body through
//! [`read_evidence_form`], and so does the `upload` fuzz target.

use axum::extract::Multipart;
use axum::extract::multipart::{Field, MultipartError};
use refund_api::{ErrorCode, EvidenceCategory};

use super::evidence::clean_file_name;
use crate::error::AppError;

/// The form, read up to the start of the file's bytes.
pub struct EvidenceForm<'a> {
    pub category: EvidenceCategory,
    /// The client's name for the file: its last path component, without control
    /// characters, at most 120 characters, never blank.
    pub file_name: String,
    /// The file field, to be streamed (it yields the file's bytes).
    pub file: Field<'a>,
}

/// Why a form is refused before its file is read.
#[derive(Debug, thiserror::Error)]
pub enum FormError {
    #[error("the form does not start with a category field")]
    MissingCategory,
    #[error("unknown evidence category {0:?}")]
    UnknownCategory(String),
    #[error("no file field follows the category")]
    MissingFile,
    #[error(transparent)]
    Multipart(#[from] MultipartError),
}

/// Reads the category and opens the file field.
pub async fn read_evidence_form(multipart: &mut Multipart) -> Result<EvidenceForm<'_>, FormError> {
    let field = multipart.next_field().await?.ok_or(FormError::MissingCategory)?;
    if field.name() != Some("category") {
        return Err(FormError::MissingCategory);
    }
    let key = field.text().await?;
    let category = EvidenceCategory::from_key(key.trim()).ok_or(FormError::UnknownCategory(key))?;
    let file = multipart
        .next_field()
        .await?
        .filter(|f| f.name() == Some("file"))
        .ok_or(FormError::MissingFile)?;
    let file_name = clean_file_name(file.file_name().unwrap_or("file"));
    Ok(EvidenceForm {
        category,
        file_name,
        file,
    })
}

impl From<FormError> for AppError {
    fn from(error: FormError) -> Self {
        match error {
            FormError::MissingCategory => AppError::invalid(
                ErrorCode::MissingCategory,
                "category",
                "Say which evidence this file is.",
            ),
            FormError::UnknownCategory(key) => AppError::invalid(
                ErrorCode::UnknownCategory,
                "category",
                format!("Unknown evidence category {key:?}."),
            ),
            FormError::MissingFile => AppError::invalid(ErrorCode::MissingFile, "file", "Choose a file to upload."),
            FormError::Multipart(e) => e.into(),
        }
    }
}
