//! The player disagrees: `POST /api/cases/{no}/appeal` (idempotent, with supplemental
//! evidence; the developer then has the appeal's working days to decide again) and, after
//! the appeal decision, `POST /api/cases/{no}/escalate` (the platform decides, finally).
//! Both go through the case service's one state-change path.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use refund_api::{Actor, AppealRequest, CaseDetail, DecisionRound, ErrorCode};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::CurrentPlayer;
use super::case_views::detail;
use super::cases::{earlier_request, idempotency_key, idempotency_scope};
use super::limits::Limit;
use super::messages::change_error;
use super::openapi::{
    CaseNo, Conflict, IdempotencyKey, InternalError, JsonBodyErrors, NotFound, TooManyRequests, Unauthorized,
};
use crate::app::AppState;
use crate::domain::appeal::{self, AppealRefusal};
use crate::domain::case_state::{CaseEvent, transition};
use crate::error::{AppError, AppJson, AppPath, AppResult};
use crate::secrets::hash_secret;
use crate::store::{CaseRecord, Player, StateChange};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(appeal)).routes(routes!(escalate))
}

fn refused(refusal: AppealRefusal, field: Option<&str>) -> AppError {
    let error = match field {
        Some(field) => AppError::invalid(refusal.code, field, refusal.message),
        None => AppError::conflict(refusal.code, refusal.message),
    };
    refusal
        .params
        .into_iter()
        .fold(error, |error, (name, value)| error.with(name, value))
}

fn not_now(from: refund_api::CaseState) -> AppError {
    AppError::conflict(
        ErrorCode::NotAllowedNow,
        format!("A case that is {} cannot take this now.", from.key()),
    )
}

/// The player's own case and its decision of `round`, checked to be in the window.
async fn decided_case(
    state: &AppState,
    player: &Player,
    case_no: &str,
    round: DecisionRound,
) -> AppResult<(CaseRecord, crate::store::DecisionRecord, i64)> {
    let case = state
        .store
        .player_case(case_no, &player.appid, &player.openid)
        .await?
        .ok_or(AppError::NotFound)?;
    let (decisions, refunds) = state.store.case_decisions(case_no).await?;
    let decision = decisions
        .into_iter()
        .rev()
        .find(|d| d.round == round)
        .ok_or_else(|| not_now(case.state))?;
    let refunded = refunds.iter().map(|r| r.amount_fen).sum();
    appeal::within_window(decision.decided_at, state.clock.now(), state.config.appeal_window_days)
        .map_err(|r| refused(r, None))?;
    Ok((case, decision, refunded))
}

/// Appeals the first decision, with a statement and supplemental evidence.
#[utoipa::path(
    post,
    path = "/cases/{no}/appeal",
    tag = "cases",
    operation_id = "appeal_case",
    params(CaseNo, IdempotencyKey),
    request_body = AppealRequest,
    responses(
        (status = 201, description = "Appealed: the case as it is now.", body = CaseDetail),
        (status = 200, description = "The same request again: the case as it is now.", body = CaseDetail),
        JsonBodyErrors,
        Unauthorized,
        NotFound,
        Conflict,
        TooManyRequests,
        InternalError,
    ),
    security(("player_session" = []))
)]
async fn appeal(
    State(state): State<AppState>,
    CurrentPlayer(player): CurrentPlayer,
    AppPath(case_no): AppPath<String>,
    headers: HeaderMap,
    AppJson(request): AppJson<AppealRequest>,
) -> AppResult<(StatusCode, AppJson<CaseDetail>)> {
    state.limits.check_player(Limit::Submit, &player)?;
    let key = idempotency_key(&headers)?;
    let scope = idempotency_scope(&player);
    let request_hash = hash_secret(&format!(
        "appeal:{case_no}:{}",
        serde_json::to_string(&request).unwrap_or_default()
    ));
    if let Some(answer) = replay(&state, &player, &scope, &key, &request_hash).await? {
        return Ok((StatusCode::OK, AppJson(answer)));
    }
    let statement = appeal::statement(&request.statement).map_err(|r| refused(r, Some("statement")))?;
    let (case, first, refunded) = decided_case(&state, &player, &case_no, DecisionRound::First).await?;
    appeal::something_to_appeal(first.outcome, case.claimed_fen, refunded).map_err(|r| refused(r, None))?;
    let now = state.clock.now();
    let due = super::force_majeure::deadline_for_game(&state, &player.appid, now, state.config.appeal_due_days).await?;
    let mut evidence_ids = request.evidence_ids.clone();
    evidence_ids.sort();
    evidence_ids.dedup();
    // The appeal's files join the case's, within the same limit a submission has.
    let max = state.config.max_files_per_case as usize;
    let attached = state.store.case_parts(&case.case_no).await?.evidence.len();
    if attached + evidence_ids.len() > max {
        return Err(AppError::invalid(
            ErrorCode::TooManyFiles,
            "evidence_ids",
            format!("A case takes at most {max} files."),
        )
        .with("max", max.to_string()));
    }
    let change = StateChange {
        owner: Some((&player.appid, &player.openid)),
        note: Some(&statement),
        due_at: Some(due.due_at.with_timezone(&chrono::Utc)),
        evidence_ids: &evidence_ids,
        idempotency: Some((&scope, &key, &request_hash)),
        appeal: Some((request.reason, &statement)),
        ..StateChange::new(&case.case_no, Actor::Player, CaseEvent::Appeal.kind(), now)
    };
    let changed = state
        .store
        .change_state(change, |current| {
            transition(current, CaseEvent::Appeal).map_err(|r| not_now(r.from))
        })
        .await;
    let (case, event) = match changed {
        Ok(changed) => changed,
        // A twin request may have won: its record answers this one too.
        Err(error) => {
            return match replay(&state, &player, &scope, &key, &request_hash).await? {
                Some(answer) => Ok((StatusCode::OK, AppJson(answer))),
                None => Err(change_error(error)),
            };
        }
    };
    tracing::info!(case = %case.case_no, due = %due.due_at, "case appealed");
    state.announce(&event);
    Ok((StatusCode::CREATED, AppJson(detail(&state, &case).await?)))
}

/// The case as it is now, when this key was used before for the same request.
async fn replay(
    state: &AppState,
    player: &Player,
    scope: &str,
    key: &str,
    request_hash: &str,
) -> AppResult<Option<CaseDetail>> {
    let Some(earlier) = earlier_request(state, scope, key, request_hash).await? else {
        return Ok(None);
    };
    let case = state
        .store
        .player_case(&earlier.case_no, &player.appid, &player.openid)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Some(detail(state, &case).await?))
}

/// Asks the platform to decide, finally, after the appeal decision.
#[utoipa::path(
    post,
    path = "/cases/{no}/escalate",
    tag = "cases",
    operation_id = "escalate_case",
    params(CaseNo),
    responses(
        (status = 200, description = "Escalated: the case as it is now.", body = CaseDetail),
        Unauthorized,
        NotFound,
        Conflict,
        InternalError,
    ),
    security(("player_session" = []))
)]
async fn escalate(
    State(state): State<AppState>,
    CurrentPlayer(player): CurrentPlayer,
    AppPath(case_no): AppPath<String>,
) -> AppResult<AppJson<CaseDetail>> {
    let (case, _, _) = decided_case(&state, &player, &case_no, DecisionRound::Appeal).await?;
    let change = StateChange {
        owner: Some((&player.appid, &player.openid)),
        ..StateChange::new(
            &case.case_no,
            Actor::Player,
            CaseEvent::Escalate.kind(),
            state.clock.now(),
        )
    };
    let (case, event) = state
        .store
        .change_state(change, |current| {
            transition(current, CaseEvent::Escalate).map_err(|r| not_now(r.from))
        })
        .await
        .map_err(change_error)?;
    tracing::info!(case = %case.case_no, "case escalated to the platform");
    state.announce(&event);
    Ok(AppJson(detail(&state, &case).await?))
}
