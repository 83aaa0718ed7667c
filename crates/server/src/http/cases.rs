//! The player's cases: submit (`POST /api/cases`, idempotent), list, read, tracking key.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use chrono::Utc;
use refund_api::{CaseCreated, CaseDetail, CaseKind, CaseSummary, NewCase, TrackingKey, WithdrawRequest};

use super::auth::CurrentPlayer;
use super::case_views::{detail, parse_state, shanghai_time, summary};
use crate::app::AppState;
use crate::domain::application::{self, ApplicationError, OrderFacts, UploadFacts};
use crate::domain::case_state::{CaseEvent, transition};
use crate::domain::money::Fen;
use crate::error::{AppError, AppJson, AppResult};
use crate::live::LiveEvent;
use crate::secrets::hash_secret;
use crate::store::{CaseRecord, ChangeError, CreateCaseError, CreateOutcome, NewCaseRecord, Player, StateChange};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/cases", post(submit).get(list))
        .route("/cases/{no}", get(read))
        .route("/cases/{no}/tracking-key", post(new_tracking_key))
        .route("/cases/{no}/withdraw", post(withdraw))
}

async fn submit(
    State(state): State<AppState>,
    CurrentPlayer(player): CurrentPlayer,
    headers: HeaderMap,
    AppJson(new): AppJson<NewCase>,
) -> AppResult<(StatusCode, AppJson<CaseCreated>)> {
    let key = idempotency_key(&headers)?;
    let request_hash = hash_secret(&serde_json::to_string(&new).unwrap_or_default());
    if let Some(replay) = replay(&state, &player, &key, &request_hash).await? {
        return Ok((StatusCode::OK, AppJson(replay)));
    }
    let valid = match check_application(&state, &player, new).await {
        Ok(valid) => valid,
        Err(refusal) => {
            // A twin request may have won the race while this one was being checked.
            return match replay(&state, &player, &key, &request_hash).await? {
                Some(replay) => Ok((StatusCode::OK, AppJson(replay))),
                None => Err(refusal),
            };
        }
    };
    let now = Utc::now();
    let (prefix, kind, days) = match valid.kind {
        CaseKind::MinorRefund => ("MR", "minor_refund", state.config.minor_refund_due_days),
        CaseKind::Complaint => ("CP", "complaint", state.config.complaint_due_days),
    };
    let deadline = state.calendar.add_working_days(&now, days);
    let record = NewCaseRecord {
        prefix,
        kind,
        appid: &player.appid,
        openid: &player.openid,
        details: serde_json::to_string(&valid.details).map_err(|e| AppError::Internal(e.to_string()))?,
        claims: valid.claims.iter().map(|(no, Fen(fen))| (no.clone(), *fen)).collect(),
        claimed_fen: valid.claimed.0,
        evidence_ids: valid.evidence_ids,
        submitted_at: now,
        due_at: deadline.due_at.with_timezone(&Utc),
        idempotency_key: &key,
        request_hash: request_hash.clone(),
    };
    let outcome = state
        .store
        .create_case(record, |case_no, generation| state.tracking_hash(case_no, generation))
        .await
        .map_err(create_error)?;
    match outcome {
        CreateOutcome::Created { case_no, event } => {
            tracing::info!(case = %case_no, due = %deadline.due_at, "case submitted");
            state.hub.publish(LiveEvent {
                appid: player.appid.clone(),
                openid: player.openid.clone(),
                event,
            });
            Ok((
                StatusCode::CREATED,
                AppJson(CaseCreated {
                    tracking_key: state.tracking_key(&case_no, 0),
                    case_no,
                    due_at: deadline.due_at,
                }),
            ))
        }
        CreateOutcome::Replayed { .. } => replay(&state, &player, &key, &request_hash)
            .await?
            .map(|r| (StatusCode::OK, AppJson(r)))
            .ok_or_else(|| AppError::Internal("a replayed case vanished".to_owned())),
    }
}

/// The answer an earlier request with the same key got, if there was one.
async fn replay(state: &AppState, player: &Player, key: &str, request_hash: &str) -> AppResult<Option<CaseCreated>> {
    let Some((case, earlier_hash)) = state.store.idempotent_case(&player.appid, &player.openid, key).await? else {
        return Ok(None);
    };
    if earlier_hash != request_hash {
        return Err(key_reused());
    }
    Ok(Some(created_answer(state, &case)))
}

fn created_answer(state: &AppState, case: &CaseRecord) -> CaseCreated {
    CaseCreated {
        tracking_key: state.tracking_key(&case.case_no, case.tracking_generation),
        case_no: case.case_no.clone(),
        due_at: shanghai_time(case.due_at),
    }
}

async fn check_application(
    state: &AppState,
    player: &Player,
    new: NewCase,
) -> AppResult<application::ValidApplication> {
    let orders = state.store.player_orders(&player.appid, &player.openid).await?;
    let orders: Vec<OrderFacts> = orders
        .into_iter()
        .map(|o| OrderFacts {
            refundable: Fen(o.amount_fen - o.refunded_fen),
            paid_at: shanghai_time(o.paid_at),
            order_no: o.order_no,
            open_case: o.open_case,
        })
        .collect();
    let requested: Vec<String> = new
        .evidence_ids
        .iter()
        .take(state.config.max_files_per_case as usize + 1)
        .cloned()
        .collect();
    let uploads: Vec<UploadFacts> = state
        .store
        .unattached_evidence(&player.appid, &player.openid, &requested)
        .await?
        .into_iter()
        .filter_map(super::case_views::evidence_view)
        .map(|e| UploadFacts {
            id: e.id,
            category: e.category,
        })
        .collect();
    let today = shanghai_time(Utc::now()).date_naive();
    application::check(new, &orders, &uploads, state.config.limits(), today).map_err(application_error)
}

async fn list(
    State(state): State<AppState>,
    CurrentPlayer(player): CurrentPlayer,
) -> AppResult<AppJson<Vec<CaseSummary>>> {
    let cases = state.store.player_cases(&player.appid, &player.openid).await?;
    let summaries = cases.iter().map(|c| summary(&state, c)).collect::<AppResult<_>>()?;
    Ok(AppJson(summaries))
}

async fn read(
    State(state): State<AppState>,
    CurrentPlayer(player): CurrentPlayer,
    Path(case_no): Path<String>,
) -> AppResult<AppJson<CaseDetail>> {
    let case = state
        .store
        .player_case(&case_no, &player.appid, &player.openid)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(AppJson(detail(&state, &case).await?))
}

async fn new_tracking_key(
    State(state): State<AppState>,
    CurrentPlayer(player): CurrentPlayer,
    Path(case_no): Path<String>,
) -> AppResult<AppJson<TrackingKey>> {
    let generation = state
        .store
        .rotate_tracking_key(&case_no, &player.appid, &player.openid, |no, generation| {
            state.tracking_hash(no, generation)
        })
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(AppJson(TrackingKey {
        tracking_key: state.tracking_key(&case_no, generation),
        case_no,
    }))
}

/// The player withdraws an open case; its orders become claimable again.
async fn withdraw(
    State(state): State<AppState>,
    CurrentPlayer(player): CurrentPlayer,
    Path(case_no): Path<String>,
    AppJson(request): AppJson<WithdrawRequest>,
) -> AppResult<AppJson<CaseDetail>> {
    let reason = request.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
    if reason.is_some_and(|r| r.chars().count() > 500) {
        return Err(AppError::invalid(
            "reason_too_long",
            "reason",
            "Keep the reason under 500 characters.",
        ));
    }
    let change = StateChange {
        case_no: &case_no,
        owner: Some((&player.appid, &player.openid)),
        actor: "player",
        kind: CaseEvent::Withdraw.key(),
        note: reason,
        next_state: |current: &str| {
            let next = transition(parse_state(current)?, CaseEvent::Withdraw).map_err(|refused| {
                AppError::conflict(
                    "not_allowed_now",
                    format!("A case that is {} cannot be withdrawn.", refused.from.key()),
                )
            })?;
            Ok((next.key().to_owned(), next.is_open()))
        },
    };
    let (case, event) = state
        .store
        .change_state(change, Utc::now())
        .await
        .map_err(|e| match e {
            ChangeError::NotFound => AppError::NotFound,
            ChangeError::Refused(e) => e,
            ChangeError::Storage(e) => AppError::Storage(e),
        })?;
    state.hub.publish(LiveEvent {
        appid: player.appid,
        openid: player.openid,
        event,
    });
    Ok(AppJson(detail(&state, &case).await?))
}

fn idempotency_key(headers: &HeaderMap) -> AppResult<String> {
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .unwrap_or_default();
    let valid = (8..=128).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic());
    if !valid {
        return Err(AppError::bad_request(
            "missing_idempotency_key",
            "Send an Idempotency-Key header of 8 to 128 visible characters, the same for retries of one submission.",
        ));
    }
    Ok(key.to_owned())
}

fn key_reused() -> AppError {
    AppError::conflict(
        "idempotency_key_reused",
        "This Idempotency-Key was already used for a different submission.",
    )
}

fn application_error(error: ApplicationError) -> AppError {
    match error {
        ApplicationError::Invalid { code, field, message } => AppError::invalid(code, field, message),
        ApplicationError::OrderNotFound(order_no) => AppError::NotFoundWith {
            code: "order_not_found",
            message: format!("Order {order_no} is not one of your orders in this game."),
        },
        ApplicationError::OrderInOpenCase { order_no, case_no } => order_in_open_case(&order_no, &case_no),
    }
}

fn order_in_open_case(order_no: &str, case_no: &str) -> AppError {
    AppError::conflict(
        "order_in_open_case",
        format!("Order {order_no} is already in open case {case_no}."),
    )
}

fn create_error(error: CreateCaseError) -> AppError {
    match error {
        CreateCaseError::OrderInOpenCase { order_no, case_no } => order_in_open_case(&order_no, &case_no),
        CreateCaseError::KeyReused => key_reused(),
        CreateCaseError::EvidenceTaken => AppError::conflict(
            "evidence_taken",
            "One of the files was removed or used in another case meanwhile. Check the evidence and submit again.",
        ),
        CreateCaseError::Storage(e) => AppError::Storage(e),
    }
}
