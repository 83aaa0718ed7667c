//! What a player does to their own case once submitted: withdraw it while it is open
//! (`POST /api/cases/{no}/withdraw`), or accept a decision (`POST /api/cases/{no}/accept`).
//! Both go through the state machine and the store's one path for state changes.

use axum::extract::State;
use refund_api::{Actor, CaseDetail, ErrorCode, WithdrawRequest};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::CurrentPlayer;
use super::case_views::detail;
use super::openapi::{CaseNo, Conflict, InternalError, JsonBodyErrors, NotFound, Unauthorized};
use crate::app::AppState;
use crate::domain::case_state::{CaseEvent, transition};
use crate::error::{AppError, AppJson, AppPath, AppResult};
use crate::store::{Player, StateChange};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(withdraw)).routes(routes!(accept))
}

/// The player withdraws an open case; its orders become claimable again.
#[utoipa::path(
    post,
    path = "/cases/{no}/withdraw",
    tag = "cases",
    operation_id = "withdraw_case",
    params(CaseNo),
    request_body = WithdrawRequest,
    responses(
        (status = 200, description = "Withdrawn: the case as it is now.", body = CaseDetail),
        JsonBodyErrors,
        Unauthorized,
        NotFound,
        Conflict,
        InternalError,
    ),
    security(("player_session" = []))
)]
async fn withdraw(
    State(state): State<AppState>,
    CurrentPlayer(player): CurrentPlayer,
    AppPath(case_no): AppPath<String>,
    AppJson(request): AppJson<WithdrawRequest>,
) -> AppResult<AppJson<CaseDetail>> {
    let reason = request.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
    if reason.is_some_and(|r| r.chars().count() > 500) {
        return Err(AppError::invalid(
            ErrorCode::ReasonTooLong,
            "reason",
            "Keep the reason under 500 characters.",
        ));
    }
    player_change(&state, &player, &case_no, CaseEvent::Withdraw, reason).await
}

/// The player accepts the decision: the case closes and its orders are released.
#[utoipa::path(
    post,
    path = "/cases/{no}/accept",
    tag = "cases",
    operation_id = "accept_decision",
    params(CaseNo),
    responses(
        (status = 200, description = "Accepted: the case is closed.", body = CaseDetail),
        Unauthorized,
        NotFound,
        Conflict,
        InternalError,
    ),
    security(("player_session" = []))
)]
async fn accept(
    State(state): State<AppState>,
    CurrentPlayer(player): CurrentPlayer,
    AppPath(case_no): AppPath<String>,
) -> AppResult<AppJson<CaseDetail>> {
    player_change(&state, &player, &case_no, CaseEvent::Accept, None).await
}

/// A change the player makes to their own case, through the state machine.
async fn player_change(
    state: &AppState,
    player: &Player,
    case_no: &str,
    change: CaseEvent,
    note: Option<&str>,
) -> AppResult<AppJson<CaseDetail>> {
    let (case, event) = state
        .store
        .change_state(
            StateChange {
                owner: Some((&player.appid, &player.openid)),
                note,
                ..StateChange::new(case_no, Actor::Player, change.kind(), state.clock.now())
            },
            |current| {
                transition(current, change).map_err(|refused| {
                    AppError::conflict(
                        ErrorCode::NotAllowedNow,
                        format!("A case that is {} cannot take this now.", refused.from.key()),
                    )
                })
            },
        )
        .await
        .map_err(super::messages::change_error)?;
    state.announce(&event);
    Ok(AppJson(detail(state, &case).await?))
}
