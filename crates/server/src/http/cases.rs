//! The player's cases: submit (`POST /api/cases`, idempotent), list, read, tracking key;
//! what the player does to a submitted case is in `case_actions`.

use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use refund_api::ErrorCode;
use refund_api::{CaseCreated, CaseDetail, CaseKind, CaseSummary, NewCase, TrackingKey};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{CurrentPlayer, SessionToken, no_session};
use super::case_views::{shanghai_time, summary};
use super::limits::Limit;
use super::openapi::{
    CaseNo, Conflict, IdempotencyKey, InternalError, JsonBodyErrors, NotFound, TooManyRequests, Unauthorized,
};
use crate::app::AppState;
use crate::domain::application::{self, ApplicationError, OrderFacts, UploadFacts};
use crate::domain::money::Fen;
use crate::error::{AppError, AppJson, AppPath, AppResult};
use crate::secrets::{hash_secret, random_token};
use crate::store::{CreateCaseError, CreateOutcome, IdempotentResult, NewCaseRecord, Player};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(submit))
        .routes(routes!(list))
        .routes(routes!(read))
        .routes(routes!(new_tracking_key))
        .merge(super::case_actions::router())
}

/// Whose Idempotency-Keys a player's submissions are under.
pub(super) fn idempotency_scope(player: &Player) -> String {
    format!("player:{}:{}", player.appid, player.openid)
}

/// Submits a minor's refund application or a complaint, with uploaded evidence.
#[utoipa::path(
    post,
    path = "/cases",
    tag = "cases",
    operation_id = "submit_case",
    params(IdempotencyKey),
    request_body = NewCase,
    responses(
        (status = 201, description = "Submitted: the case number, its tracking key and deadline.", body = CaseCreated),
        (status = 200, description = "The same submission again: the first answer.", body = CaseCreated),
        JsonBodyErrors,
        Unauthorized,
        NotFound,
        Conflict,
        TooManyRequests,
        InternalError,
    ),
    security(("player_session" = []))
)]
async fn submit(
    State(state): State<AppState>,
    CurrentPlayer(player): CurrentPlayer,
    headers: HeaderMap,
    AppJson(new): AppJson<NewCase>,
) -> AppResult<(StatusCode, AppJson<CaseCreated>)> {
    state.limits.check_player(Limit::Submit, &player)?;
    let key = idempotency_key(&headers)?;
    let scope = idempotency_scope(&player);
    let request_hash = hash_secret(&serde_json::to_string(&new).unwrap_or_default());
    let now = state.clock.now();
    let (prefix, days) = match new.kind {
        CaseKind::MinorRefund => ("MR", state.config.minor_refund_due_days),
        CaseKind::Complaint => ("CP", state.config.complaint_due_days),
    };
    // The checks' reads and the deadline's are independent: side by side.
    let (checked, deadline) = tokio::join!(
        check_application(&state, &player, new),
        super::force_majeure::deadline_for_game(&state, &player.appid, now, days),
    );
    // A retry that still passes the checks is recognised when its key is stored (the write
    // claims the key first); one that no longer does (its files are now in the case) is
    // recognised here, after the refusal.
    let valid = match checked {
        Ok(valid) => valid,
        Err(refusal) => {
            return match replay(&state, &player, &scope, &key, &request_hash).await? {
                Some(replay) => Ok((StatusCode::OK, AppJson(replay))),
                None => Err(refusal),
            };
        }
    };
    let deadline = deadline?;
    // Random, and stored only hashed: a case number reused after a restore from backup
    // cannot open with an old family's link.
    let tracking_key = random_token(32);
    let record = NewCaseRecord {
        prefix,
        kind: valid.kind,
        appid: player.appid.clone(),
        openid: player.openid.clone(),
        details: serde_json::to_string(&valid.details).map_err(|e| AppError::Internal(e.to_string()))?,
        claims: valid.claims.iter().map(|(no, Fen(fen))| (no.clone(), *fen)).collect(),
        claimed_fen: valid.claimed.0,
        evidence_ids: valid.evidence_ids,
        submitted_at: now,
        due_at: deadline.due_at.with_timezone(&chrono::Utc),
        tracking_key_hash: hash_secret(&tracking_key),
        idempotency_scope: scope.clone(),
        idempotency_key: key.clone(),
        request_hash: request_hash.clone(),
    };
    let answer = move |case_no: &str| CaseCreated {
        case_no: case_no.to_owned(),
        tracking_key: tracking_key.clone(),
        due_at: deadline.due_at,
    };
    let kept = answer.clone();
    let outcome = state
        .store
        .create_case(record, move |case_no| {
            serde_json::to_string(&kept(case_no)).unwrap_or_default()
        })
        .await;
    match outcome {
        Ok(CreateOutcome::Created { case_no, event }) => {
            tracing::info!(case = %case_no, due = %deadline.due_at, "case submitted");
            state.announce(&event);
            Ok((StatusCode::CREATED, AppJson(answer(&case_no))))
        }
        Ok(CreateOutcome::Replayed(earlier)) => {
            Ok((StatusCode::OK, AppJson(replayed(&state, &player, earlier).await?)))
        }
        Err(error) => Err(create_error(&state, error).await),
    }
}

/// The answer an earlier request with the same key got, if there was one.
async fn replay(
    state: &AppState,
    player: &Player,
    scope: &str,
    key: &str,
    request_hash: &str,
) -> AppResult<Option<CaseCreated>> {
    match earlier_request(state, scope, key, request_hash).await? {
        Some(earlier) => Ok(Some(replayed(state, player, earlier).await?)),
        None => Ok(None),
    }
}

/// The earlier request under this key, if any; the same key with another body is refused.
pub(super) async fn earlier_request(
    state: &AppState,
    scope: &str,
    key: &str,
    request_hash: &str,
) -> AppResult<Option<IdempotentResult>> {
    let Some(earlier) = state.store.idempotent_result(scope, key).await? else {
        return Ok(None);
    };
    if earlier.request_hash != request_hash {
        return Err(key_reused());
    }
    Ok(Some(earlier))
}

/// The first answer while it is kept; after that, the case with a new tracking key (the
/// client evidently lost the first one, and keys are never stored in the clear for long).
async fn replayed(state: &AppState, player: &Player, earlier: IdempotentResult) -> AppResult<CaseCreated> {
    if let Some(kept) = earlier.response.as_deref().and_then(|r| serde_json::from_str(r).ok()) {
        return Ok(kept);
    }
    let case = state
        .store
        .player_case(&earlier.case_no, &player.appid, &player.openid)
        .await?
        .ok_or_else(|| AppError::Internal("an idempotency record names a missing case".to_owned()))?;
    replace_tracking_key(state, player, &case.case_no, shanghai_time(case.due_at))
        .await?
        .ok_or(AppError::NotFound)
}

/// Gives the player's case a new random tracking key; `None` when the case is not theirs.
async fn replace_tracking_key(
    state: &AppState,
    player: &Player,
    case_no: &str,
    due_at: refund_api::Instant,
) -> AppResult<Option<CaseCreated>> {
    let answer = CaseCreated {
        case_no: case_no.to_owned(),
        tracking_key: random_token(32),
        due_at,
    };
    let kept = serde_json::to_string(&answer).map_err(|e| AppError::Internal(e.to_string()))?;
    let replaced = state
        .store
        .replace_tracking_key(
            case_no,
            &player.appid,
            &player.openid,
            &hash_secret(&answer.tracking_key),
            &kept,
        )
        .await?;
    Ok(replaced.then_some(answer))
}

async fn check_application(
    state: &AppState,
    player: &Player,
    new: NewCase,
) -> AppResult<application::ValidApplication> {
    // Duplicates go first, then the count is bounded: `[a x 21, b]` is two files.
    let mut requested: Vec<String> = Vec::new();
    for id in &new.evidence_ids {
        if !requested.contains(id) {
            requested.push(id.clone());
        }
        if requested.len() > state.config.max_files_per_case as usize {
            break;
        }
    }
    let (orders, uploads) = tokio::try_join!(
        state.store.player_orders(&player.appid, &player.openid),
        state
            .store
            .unattached_evidence(&player.appid, &player.openid, &requested),
    )?;
    let orders: Vec<OrderFacts> = orders
        .into_iter()
        .map(|o| OrderFacts {
            refundable: Fen(o.amount_fen - o.refunded_fen),
            paid_at: shanghai_time(o.paid_at),
            order_no: o.order_no,
            open_case: o.open_case,
        })
        .collect();
    let uploads: Vec<UploadFacts> = uploads
        .into_iter()
        .map(|e| UploadFacts {
            id: e.id,
            category: e.category,
        })
        .collect();
    let today = shanghai_time(state.clock.now()).date_naive();
    application::check(new, &orders, &uploads, state.config.limits(), today).map_err(application_error)
}

/// The player's cases, newest first.
#[utoipa::path(
    get,
    path = "/cases",
    tag = "cases",
    operation_id = "list_cases",
    responses(
        (status = 200, description = "The player's cases.", body = Vec<CaseSummary>),
        Unauthorized,
        InternalError,
    ),
    security(("player_session" = []))
)]
async fn list(
    State(state): State<AppState>,
    CurrentPlayer(player): CurrentPlayer,
) -> AppResult<AppJson<Vec<CaseSummary>>> {
    let cases = state.store.player_cases(&player.appid, &player.openid).await?;
    Ok(AppJson(cases.iter().map(|c| summary(&state, c)).collect()))
}

/// One of the player's cases, in full.
#[utoipa::path(
    get,
    path = "/cases/{no}",
    tag = "cases",
    operation_id = "read_case",
    params(CaseNo),
    responses(
        (status = 200, description = "The case.", body = CaseDetail),
        Unauthorized,
        NotFound,
        InternalError,
    ),
    security(("player_session" = []))
)]
async fn read(
    State(state): State<AppState>,
    SessionToken(token): SessionToken,
    AppPath(case_no): AppPath<String>,
) -> AppResult<Response> {
    let now = state.clock.now();
    // The session and the case in one statement: players keep this page open.
    let Some(case) = state.store.session_case(&token, now, &case_no).await? else {
        state.store.session_player(&token, now).await?.ok_or_else(no_session)?;
        return Err(AppError::NotFound);
    };
    let json = super::case_answers::case_json(&state, &case).await?;
    Ok(([(CONTENT_TYPE, HeaderValue::from_static("application/json"))], json).into_response())
}

/// A new random tracking key for the case; the old link stops working at once.
#[utoipa::path(
    post,
    path = "/cases/{no}/tracking-key",
    tag = "cases",
    operation_id = "new_tracking_key",
    params(CaseNo),
    responses(
        (status = 200, description = "The new key.", body = TrackingKey),
        Unauthorized,
        NotFound,
        InternalError,
    ),
    security(("player_session" = []))
)]
async fn new_tracking_key(
    State(state): State<AppState>,
    CurrentPlayer(player): CurrentPlayer,
    AppPath(case_no): AppPath<String>,
) -> AppResult<AppJson<TrackingKey>> {
    let case = state
        .store
        .player_case(&case_no, &player.appid, &player.openid)
        .await?
        .ok_or(AppError::NotFound)?;
    let replaced = replace_tracking_key(&state, &player, &case.case_no, shanghai_time(case.due_at))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(AppJson(TrackingKey {
        tracking_key: replaced.tracking_key,
        case_no: replaced.case_no,
    }))
}

pub(super) fn idempotency_key(headers: &HeaderMap) -> AppResult<String> {
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .unwrap_or_default();
    let valid = (8..=128).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic());
    if !valid {
        return Err(AppError::bad_request(
            ErrorCode::MissingIdempotencyKey,
            "Send an Idempotency-Key header of 8 to 128 visible characters, the same for retries of one submission.",
        ));
    }
    Ok(key.to_owned())
}

fn key_reused() -> AppError {
    AppError::conflict(
        ErrorCode::IdempotencyKeyReused,
        "This Idempotency-Key was already used for a different submission.",
    )
}

fn application_error(error: ApplicationError) -> AppError {
    match error {
        ApplicationError::Invalid {
            code,
            field,
            message,
            params,
        } => params
            .into_iter()
            .fold(AppError::invalid(code, field, message), |e, (name, value)| {
                e.with(name, value)
            }),
        ApplicationError::OrderNotFound(order_no) => AppError::NotFoundWith {
            code: ErrorCode::OrderNotFound,
            message: format!("Order {order_no} is not one of your orders in this game."),
        }
        .with("order_no", order_no),
        ApplicationError::OrderInOpenCase { order_no, case_no } => order_in_open_case(&order_no, &case_no),
    }
}

fn order_in_open_case(order_no: &str, case_no: &str) -> AppError {
    AppError::conflict(
        ErrorCode::OrderInOpenCase,
        format!("Order {order_no} is already in open case {case_no}."),
    )
    .with("order_no", order_no)
    .with("case_no", case_no)
}

async fn create_error(state: &AppState, error: CreateCaseError) -> AppError {
    match error {
        CreateCaseError::OrderInOpenCase { order_no } => match state.store.open_claim(&order_no).await {
            Ok(Some(case_no)) => order_in_open_case(&order_no, &case_no),
            Ok(None) => AppError::conflict(
                ErrorCode::OrderInOpenCase,
                format!("Order {order_no} was just claimed by another submission; check your orders again."),
            ),
            Err(e) => AppError::Storage(e),
        },
        CreateCaseError::KeyReused => key_reused(),
        CreateCaseError::EvidenceTaken => AppError::conflict(
            ErrorCode::EvidenceTaken,
            "One of the files was removed or used in another case meanwhile. Check the evidence and submit again.",
        ),
        CreateCaseError::Storage(e) => AppError::Storage(e),
    }
}
