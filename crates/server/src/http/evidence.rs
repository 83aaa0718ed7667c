//! Evidence upload (`POST /api/evidence`), read-back and removal.
//!
//! The multipart body carries a `category` text field, then one `file` field. The file
//! streams straight into staging; its type is decided from its bytes. A file that passes
//! is pinned in the database, placed at its content address (synced to disk) and only
//! then recorded, so the 201 means the file is durable.

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::header::{
    ACCEPT_RANGES, CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_RANGE, CONTENT_SECURITY_POLICY, CONTENT_TYPE, RANGE,
    X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use refund_api::ErrorCode;
use refund_api::{EvidenceCategory, EvidenceView, MediaType, PRIVACY_NOTICE_VERSION};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use super::auth::CurrentPlayer;
use super::limits::Limit;
use super::openapi::{
    BadRequest, ByteRange, Conflict, EvidenceId, FileResponses, InternalError, NotFound, PayloadTooLarge,
    TooManyRequests, Unauthorized, Unprocessable, UnsupportedMediaType,
};
use super::upload_form::{EvidenceForm, read_evidence_form};
use crate::app::AppState;
use crate::config::Config;
use crate::error::{AppError, AppJson, AppMultipart, AppPath, AppResult};
use crate::files::UploadError;
use crate::jobs::remove_content;
use crate::secrets::random_token;
use crate::store::{EvidenceInsert, EvidenceRecord, NewEvidence};

/// Room for the multipart framing and the category field around the largest file.
pub(super) const MULTIPART_OVERHEAD: u64 = 64 * 1024;

pub fn router(config: &Config) -> OpenApiRouter<AppState> {
    let body_limit = usize::try_from(config.max_file_bytes + MULTIPART_OVERHEAD).unwrap_or(usize::MAX);
    OpenApiRouter::new()
        .routes(routes!(upload).layer(DefaultBodyLimit::max(body_limit)))
        .routes(routes!(download))
        .routes(routes!(remove))
}

/// The upload's multipart form, as the spec shows it (the handler reads it part by part).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // Only its schema is used.
struct EvidenceUpload {
    /// Which evidence the file is; this part comes first.
    category: EvidenceCategory,
    /// The file: a photo (JPEG, PNG, WebP, HEIC), an MP4 video or a PDF file. Its type is
    /// decided from its bytes.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// Uploads one evidence file, to attach to a case when it is submitted.
#[utoipa::path(
    post,
    path = "/evidence",
    tag = "cases",
    operation_id = "upload_evidence",
    request_body(content = EvidenceUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Stored (durably).", body = EvidenceView),
        BadRequest,
        Unauthorized,
        Conflict,
        PayloadTooLarge,
        UnsupportedMediaType,
        Unprocessable,
        TooManyRequests,
        InternalError,
    ),
    security(("player_session" = []))
)]
async fn upload(
    State(state): State<AppState>,
    CurrentPlayer(player): CurrentPlayer,
    AppMultipart(mut multipart): AppMultipart,
) -> AppResult<(StatusCode, AppJson<EvidenceView>)> {
    // The file count is checked when the upload is recorded, after the body has been read:
    // refusing earlier would close the connection under the client's upload.
    let limits = state.config.limits();
    let EvidenceForm {
        category,
        file_name,
        file,
    } = read_evidence_form(&mut multipart).await?;
    let stored = state
        .files
        .stage(file, limits.max_file_bytes)
        .await
        .map_err(|e| upload_error(e, limits.max_file_bytes))?;
    if let Err(refused) = state.limits.check_player(Limit::Upload, &player) {
        state.files.discard(&stored).await;
        return Err(refused);
    }
    // Checked once the body is read (refusing earlier would cut the upload off under the
    // client); the staged file is discarded, so nothing of a refused document is kept.
    let consented = !category.is_identity()
        || state
            .store
            .has_privacy_consent(&player.appid, &player.openid, PRIVACY_NOTICE_VERSION)
            .await?;
    if !consented {
        state.files.discard(&stored).await;
        return Err(AppError::conflict(
            ErrorCode::PrivacyConsentRequired,
            "Read the privacy notice and agree to it before uploading identity documents.",
        ));
    }
    if let Err(e) = state.store.pin_content(&stored.sha256, state.clock.now()).await {
        state.files.discard(&stored).await;
        return Err(e.into());
    }
    state.files.place(&stored).await?;
    let id = random_token(16);
    let record = NewEvidence {
        id: &id,
        sha256: &stored.sha256,
        size: stored.size,
        media_type: stored.media_type,
        category,
        file_name: &file_name,
        appid: &player.appid,
        openid: &player.openid,
    };
    let quota = state.config.edge.player_quota_bytes;
    let refusal = match state
        .store
        .insert_evidence(&record, limits.max_files_per_case, quota, state.clock.now())
        .await?
    {
        EvidenceInsert::Recorded => None,
        EvidenceInsert::TooManyFiles => Some(too_many_files(limits.max_files_per_case)),
        EvidenceInsert::OverQuota { used } => Some(over_quota(used, quota)),
    };
    if let Some(refusal) = refusal {
        remove_content(&state, &stored.sha256)
            .await
            .map_err(AppError::Internal)?;
        return Err(refusal);
    }
    tracing::info!(evidence = %id, size = stored.size, media = stored.media_type.mime(), "evidence stored");
    Ok((
        StatusCode::CREATED,
        AppJson(EvidenceView {
            id,
            sha256: stored.sha256,
            size: stored.size,
            media_type: stored.media_type,
            category,
            file_name,
        }),
    ))
}

/// One of the player's evidence files, with byte ranges (videos seek).
#[utoipa::path(
    get,
    path = "/evidence/{id}",
    tag = "cases",
    operation_id = "evidence_file",
    params(EvidenceId, ByteRange),
    responses(FileResponses, Unauthorized, NotFound, InternalError),
    security(("player_session" = []))
)]
async fn download(
    State(state): State<AppState>,
    CurrentPlayer(player): CurrentPlayer,
    AppPath(id): AppPath<String>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let record = state
        .store
        .own_evidence(&id, &player.appid, &player.openid)
        .await?
        .ok_or(AppError::NotFound)?;
    file_response(&state, (&record).into(), &headers).await
}

/// Removes an uploaded file that no case uses yet.
#[utoipa::path(
    delete,
    path = "/evidence/{id}",
    tag = "cases",
    operation_id = "remove_evidence",
    params(EvidenceId),
    responses(
        (status = 204, description = "Removed."),
        Unauthorized,
        NotFound,
        InternalError,
    ),
    security(("player_session" = []))
)]
async fn remove(
    State(state): State<AppState>,
    CurrentPlayer(player): CurrentPlayer,
    AppPath(id): AppPath<String>,
) -> AppResult<StatusCode> {
    let sha256 = state
        .store
        .delete_unattached_evidence(&id, &player.appid, &player.openid)
        .await?
        .ok_or(AppError::NotFound)?;
    // The record is gone either way; a file left behind is the sweep job's to remove.
    if let Err(e) = remove_content(&state, &sha256).await {
        tracing::warn!(error = %e, "could not remove an unused evidence file now");
    }
    Ok(StatusCode::NO_CONTENT)
}

/// The policy of every evidence response: a sandbox (no script, no same-origin access),
/// framed only by this site's own pages (the console's PDF viewer).
pub(super) const EVIDENCE_CSP: &str = "sandbox; frame-ancestors 'self'";

/// A stored file as a response needs it: its content address, size and sniffed type.
#[derive(Debug, Clone, Copy)]
pub(super) struct StoredFile<'a> {
    pub sha256: &'a str,
    pub size: i64,
    pub media_type: MediaType,
}

impl<'a> From<&'a EvidenceRecord> for StoredFile<'a> {
    fn from(record: &'a EvidenceRecord) -> Self {
        Self {
            sha256: &record.sha256,
            size: record.size,
            media_type: record.media_type,
        }
    }
}

/// Streams a stored evidence file with its sniffed type; browsers must not guess another.
/// Honours a single `Range: bytes=a-b`, which phone browsers need to play videos.
pub(super) async fn file_response(state: &AppState, file: StoredFile<'_>, headers: &HeaderMap) -> AppResult<Response> {
    let size = u64::try_from(file.size).unwrap_or(0);
    let range = headers
        .get(RANGE)
        .and_then(|v| v.to_str().ok())
        .map(|v| byte_range(v, size));
    let (status, range) = match range {
        None => (StatusCode::OK, None),
        Some(Some(range)) => (StatusCode::PARTIAL_CONTENT, Some(range)),
        Some(None) => {
            return Ok((
                StatusCode::RANGE_NOT_SATISFIABLE,
                [(CONTENT_RANGE, format!("bytes */{size}"))],
            )
                .into_response());
        }
    };
    let stream = state.files.read(file.sha256, range.clone()).await?;
    let mime = file.media_type.mime();
    // What a browser can show is shown inline, but sandboxed: a crafted PDF or picture
    // runs no script with this site's cookies. Anything else is only ever downloaded.
    let disposition = match file.media_type {
        MediaType::Jpeg | MediaType::Png | MediaType::Webp | MediaType::Pdf | MediaType::Mp4 => "inline",
        MediaType::Heic => "attachment",
    };
    let mut response = (
        status,
        [
            (CONTENT_TYPE, mime.to_owned()),
            (CONTENT_DISPOSITION, disposition.to_owned()),
            (X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            // Identity documents must not outlive the page in a shared phone's cache.
            (CACHE_CONTROL, "private, no-store".to_owned()),
            (ACCEPT_RANGES, "bytes".to_owned()),
            (CONTENT_SECURITY_POLICY, EVIDENCE_CSP.to_owned()),
        ],
        Body::from_stream(stream),
    )
        .into_response();
    if let Some(range) = range
        && let Ok(value) = format!("bytes {}-{}/{size}", range.start, range.end - 1).parse()
    {
        response.headers_mut().insert(CONTENT_RANGE, value);
    }
    Ok(response)
}

/// The half-open byte range of `bytes=a-b`, `bytes=a-` or `bytes=-n` within `size`;
/// `None` when it cannot be satisfied (or is not one simple range).
fn byte_range(header: &str, size: u64) -> Option<std::ops::Range<u64>> {
    let spec = header.trim().strip_prefix("bytes=")?;
    let (start, end) = spec.split_once('-')?;
    let range = match (start.trim(), end.trim()) {
        ("", suffix) => {
            let n: u64 = suffix.parse().ok()?;
            size.saturating_sub(n)..size
        }
        (start, "") => start.parse().ok()?..size,
        (start, end) => start.parse().ok()?..end.parse::<u64>().ok()?.saturating_add(1).min(size),
    };
    (range.start < range.end && range.end <= size).then_some(range)
}

fn over_quota(used: u64, quota: u64) -> AppError {
    AppError::TooLarge {
        code: ErrorCode::StorageQuotaExceeded,
        message: format!("Your files take {used} of your {quota} bytes; delete some to upload more."),
    }
    .with("used_bytes", used.to_string())
    .with("max_bytes", quota.to_string())
}

fn too_many_files(max: u32) -> AppError {
    AppError::invalid(
        ErrorCode::TooManyFiles,
        "file",
        format!("You can attach at most {max} files to one case. Remove one to add another."),
    )
}

pub(super) fn upload_error(error: UploadError, max: u64) -> AppError {
    match error {
        UploadError::TooLarge { .. } => AppError::TooLarge {
            code: ErrorCode::FileTooLarge,
            message: format!("The file is larger than {} MB.", max / (1024 * 1024)),
        }
        .with("max_bytes", max.to_string()),
        UploadError::Empty => AppError::invalid(ErrorCode::EmptyFile, "file", "The file is empty."),
        UploadError::Unsupported(found) => AppError::UnsupportedMedia {
            code: ErrorCode::UnsupportedType,
            message: format!(
                "This file is {}; only photos (JPEG, PNG, WebP, HEIC), MP4 videos and PDF files are accepted.",
                found.key()
            ),
        }
        .with("found", found.key()),
        UploadError::Interrupted(why) => AppError::bad_request(
            ErrorCode::UploadInterrupted,
            format!("The upload was interrupted: {why}. Try again."),
        ),
        UploadError::Store(e) => AppError::Files(e),
    }
}

/// Keeps the last path component, without control characters, at most 120 characters.
pub(super) fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base.chars().filter(|c| !c.is_control()).take(120).collect();
    if cleaned.trim().is_empty() {
        "file".to_owned()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::byte_range;

    #[test]
    fn byte_ranges_are_read_within_the_file() {
        assert_eq!(byte_range("bytes=0-99", 1000), Some(0..100));
        assert_eq!(byte_range("bytes=900-", 1000), Some(900..1000));
        assert_eq!(byte_range("bytes=-100", 1000), Some(900..1000));
        assert_eq!(byte_range("bytes=0-5000", 1000), Some(0..1000));
        assert_eq!(byte_range("bytes=1000-", 1000), None);
        assert_eq!(byte_range("bytes=5-2", 1000), None);
        assert_eq!(byte_range("items=0-1", 1000), None);
        assert_eq!(byte_range("bytes=0-1,5-6", 1000), None);
    }
}
