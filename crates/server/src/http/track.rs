//! Read-only tracking in any browser: `GET /api/track/{no}?key=` and its evidence files.
//!
//! A wrong key and an unknown case get the same 404, so keys cannot be probed per case.
//! Identity documents are not shown to a link: the privacy notice promises that only the
//! developer and platform staff see them, and a link may be forwarded to anyone.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use refund_api::CaseDetail;
use serde::Deserialize;

use super::case_views::detail;
use super::evidence::file_response;
use crate::app::AppState;
use crate::error::{AppError, AppJson, AppQuery, AppResult};
use crate::secrets::hash_secret;
use crate::store::CaseRecord;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/track/{no}", get(read))
        .route("/track/{no}/evidence/{id}", get(evidence))
}

/// `?key=`: the tracking key from the case's link.
#[derive(Debug, Deserialize)]
pub struct KeyQuery {
    #[serde(default)]
    pub key: String,
}

/// The case this key opens, or 404.
pub async fn tracked_case(state: &AppState, case_no: &str, key: &str) -> AppResult<CaseRecord> {
    if key.is_empty() {
        return Err(AppError::NotFound);
    }
    state
        .store
        .tracked_case(case_no, &hash_secret(key))
        .await?
        .ok_or(AppError::NotFound)
}

async fn read(
    State(state): State<AppState>,
    Path(case_no): Path<String>,
    AppQuery(query): AppQuery<KeyQuery>,
) -> AppResult<AppJson<CaseDetail>> {
    let case = tracked_case(&state, &case_no, &query.key).await?;
    let mut detail = detail(&state, &case).await?;
    detail.evidence.retain(|e| !e.category.is_identity());
    Ok(AppJson(detail))
}

async fn evidence(
    State(state): State<AppState>,
    Path((case_no, id)): Path<(String, String)>,
    AppQuery(query): AppQuery<KeyQuery>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let case = tracked_case(&state, &case_no, &query.key).await?;
    let record = state
        .store
        .case_evidence_file(&case.case_no, &id)
        .await?
        .filter(|e| !e.category.is_identity())
        .ok_or(AppError::NotFound)?;
    file_response(&state, (&record).into(), &headers).await
}
