//! The report's multipart body: read part by part, its files staged as they stream in,
//! and every staged file discarded again when the body turns out to be unusable.

use axum::extract::Multipart;
use chrono::NaiveDate;
use refund_api::{ErrorCode, FORCE_MAJEURE_MAX_FILES};

use super::super::evidence::{clean_file_name, upload_error};
use crate::app::AppState;
use crate::error::{AppError, AppResult};
use crate::files::StagedFile;

/// The report's multipart form, as the spec shows it (the handler reads it part by part).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // Only its schema is used.
pub(super) struct ReportUpload {
    /// What happened, in 10 to 2000 characters.
    description: String,
    /// The first day of the event, `YYYY-MM-DD`.
    #[schema(format = Date)]
    starts_on: String,
    /// The last day of the event, `YYYY-MM-DD`.
    #[schema(format = Date)]
    ends_on: String,
    /// One to five files of evidence (photos, MP4 videos or PDF files).
    #[schema(value_type = Vec<String>, format = Binary)]
    file: Vec<String>,
}

/// What the multipart body said, with the files staged so far.
#[derive(Default)]
pub(super) struct ReportForm {
    pub description: String,
    pub starts_on: String,
    pub ends_on: String,
    pub files: Vec<(StagedFile, String)>,
}

/// Reads the whole body; on any failure the files staged so far are discarded.
pub(super) async fn read_form(state: &AppState, multipart: &mut Multipart) -> AppResult<ReportForm> {
    let mut form = ReportForm::default();
    let outcome = read_fields(state, multipart, &mut form).await;
    if outcome.is_err() {
        for (staged, _) in &form.files {
            state.files.discard(staged).await;
        }
    }
    outcome.map(|()| form)
}

async fn read_fields(state: &AppState, multipart: &mut Multipart, form: &mut ReportForm) -> AppResult<()> {
    let max_bytes = state.config.limits().max_file_bytes;
    while let Some(field) = multipart.next_field().await? {
        match field.name().unwrap_or("") {
            "description" => form.description = field.text().await?,
            "starts_on" => form.starts_on = field.text().await?,
            "ends_on" => form.ends_on = field.text().await?,
            "file" if form.files.len() < FORCE_MAJEURE_MAX_FILES => {
                let name = clean_file_name(field.file_name().unwrap_or("file"));
                let staged = state
                    .files
                    .stage(field, max_bytes)
                    .await
                    .map_err(|e| upload_error(e, max_bytes).with("file", name.clone()))?;
                form.files.push((staged, name));
            }
            "file" => {
                return Err(AppError::invalid(
                    ErrorCode::TooManyFiles,
                    "file",
                    format!("Attach at most {FORCE_MAJEURE_MAX_FILES} files to one report."),
                )
                .with("max", FORCE_MAJEURE_MAX_FILES.to_string()));
            }
            _ => {}
        }
    }
    Ok(())
}

pub(super) fn date(text: &str, field: &'static str) -> AppResult<NaiveDate> {
    text.trim()
        .parse()
        .map_err(|_| AppError::invalid(ErrorCode::InvalidPeriod, field, "Give the date as YYYY-MM-DD."))
}
