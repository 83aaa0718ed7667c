//! Read-only tracking in any browser: `GET /api/track/{no}` with the key in the
//! `X-Tracking-Key` header, and `POST /api/track/{no}/stream-token` for its live stream.
//!
//! Policy: a link is forwarded to relatives, pasted into chats and kept in histories, so
//! it carries the key after `#key=` (never sent to a server) and what it opens is the
//! least that answers "where does this stand": state, timeline, amounts and decisions.
//! The guardian's name and phone, the child's birth month, the player's account of what
//! happened, the timeline's free-text notes (messages, reasons), the complaint's contact
//! and every evidence file stay with the player's
//! session, the developer and the platform. A key in the query string is refused, so an
//! old link cannot keep leaking into logs. A wrong key and an unknown case get the same
//! 404, so keys cannot be probed per case; a key stops working
//! [`TRACKING_LINK_DAYS_AFTER_END`] days after the case ended.

use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use chrono::Duration;
use refund_api::{CaseDetail, ErrorCode, StreamToken, TRACKING_KEY_HEADER, TRACKING_LINK_DAYS_AFTER_END};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::case_views::{detail, entered_at, shanghai_time};
use super::limits::{ClientAddress, Limit};
use super::openapi::{BadRequest, CaseNo, Gone, InternalError, NotFound, TooManyRequests, TrackingKeyHeader};
use crate::app::AppState;
use crate::domain::retention;
use crate::error::{AppError, AppJson, AppPath, AppResult};
use crate::secrets::{hash_secret, stream_token};
use crate::store::CaseRecord;

/// How long a stream token opens the stream (the browser reconnects with it by itself).
const STREAM_TOKEN_HOURS: i64 = 12;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(read))
        .routes(routes!(new_stream_token))
}

/// Refuses a tracking key sent in the URL, where servers and proxies would log it.
pub fn refuse_key_in_url(uri: &Uri) -> AppResult<()> {
    let in_query = uri
        .query()
        .is_some_and(|q| q.split('&').any(|pair| pair.split('=').next() == Some("key")));
    if in_query {
        return Err(AppError::bad_request(
            ErrorCode::TrackingKeyInUrl,
            "Tracking keys are sent in the X-Tracking-Key header, never in the URL. Open the link again, \
             or ask the player for a new one.",
        ));
    }
    Ok(())
}

/// The key from the `X-Tracking-Key` header (empty when missing).
fn header_key(headers: &HeaderMap) -> &str {
    headers
        .get(TRACKING_KEY_HEADER)
        .and_then(|v| v.to_str().ok())
        .map_or("", str::trim)
}

/// The case this key opens: 404 for a wrong key or case, 410 once the link has expired.
async fn tracked_case(state: &AppState, case_no: &str, key: &str) -> AppResult<CaseRecord> {
    if key.is_empty() {
        return Err(AppError::NotFound);
    }
    let case = state
        .store
        .tracked_case(case_no, &hash_secret(key))
        .await?
        .ok_or(AppError::NotFound)?;
    let events = state.store.case_events_after(&case.case_no, 0).await?;
    let ended =
        entered_at(&case, &events).and_then(|at| retention::ended_at(case.state, at, state.config.appeal_window_days));
    if ended.is_some_and(|end| state.clock.now() > end + Duration::days(TRACKING_LINK_DAYS_AFTER_END)) {
        return Err(AppError::Gone {
            code: ErrorCode::TrackingLinkExpired,
            message: format!("Tracking links stop working {TRACKING_LINK_DAYS_AFTER_END} days after the case ends."),
        });
    }
    Ok(case)
}

/// The tracked case: state, timeline, amounts and decisions (nothing personal).
#[utoipa::path(
    get,
    path = "/track/{no}",
    tag = "tracking",
    operation_id = "track_case",
    params(CaseNo, TrackingKeyHeader),
    responses(
        (status = 200, description = "The case as a tracking link shows it.", body = CaseDetail),
        BadRequest,
        NotFound,
        Gone,
        TooManyRequests,
        InternalError,
    )
)]
async fn read(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    AppPath(case_no): AppPath<String>,
    uri: Uri,
    headers: HeaderMap,
) -> AppResult<AppJson<CaseDetail>> {
    state.limits.check_address(Limit::Track, address)?;
    refuse_key_in_url(&uri)?;
    let case = tracked_case(&state, &case_no, header_key(&headers)).await?;
    let mut view = detail(&state, &case).await?;
    view.guardian = None;
    view.narrative.clear();
    view.evidence.clear();
    view.next_step = None;
    // Notes are free text (messages, a withdrawal's reason) that may name people or carry
    // a phone number; the entries themselves still tell what happened when.
    for entry in &mut view.timeline {
        entry.note = None;
    }
    if let Some(complaint) = view.complaint.as_mut() {
        complaint.contact.clear();
    }
    Ok(AppJson(view))
}

/// A short-lived token to open the tracked case's live stream with
/// (`GET /api/events?case=NO&token=T`).
#[utoipa::path(
    post,
    path = "/track/{no}/stream-token",
    tag = "tracking",
    operation_id = "tracking_stream_token",
    params(CaseNo, TrackingKeyHeader),
    responses(
        (status = 200, description = "The token and when it expires.", body = StreamToken),
        BadRequest,
        NotFound,
        Gone,
        TooManyRequests,
        InternalError,
    )
)]
async fn new_stream_token(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    AppPath(case_no): AppPath<String>,
    uri: Uri,
    headers: HeaderMap,
) -> AppResult<AppJson<StreamToken>> {
    state.limits.check_address(Limit::Track, address)?;
    refuse_key_in_url(&uri)?;
    let key = header_key(&headers);
    let case = tracked_case(&state, &case_no, key).await?;
    let expires = state.clock.now() + Duration::hours(STREAM_TOKEN_HOURS);
    Ok(AppJson(StreamToken {
        token: stream_token(&hash_secret(key), &case.case_no, expires.timestamp()),
        expires_at: shanghai_time(expires),
    }))
}
