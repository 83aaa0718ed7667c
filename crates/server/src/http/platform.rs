//! The platform's review: the intervention queue (`GET /api/platform/cases`, oldest
//! first, with why each case came) and the binding final decision
//! (`POST /api/platform/cases/{no}/decision`, the developer's body), which refunds through
//! the same exactly-once path and closes the case.

use axum::extract::State;
use axum::http::StatusCode;
use refund_api::{Actor, DecisionRequest, DecisionRound, DecisionView, EventKind, PlatformReferral, PlatformRow};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::CurrentPlatform;
use super::case_views::shanghai_time;
use super::deciding;
use super::openapi::{CaseNo, Conflict, Forbidden, InternalError, JsonBodyErrors, NotFound, Unauthorized};
use crate::app::AppState;
use crate::domain::case_state::CaseEvent;
use crate::error::{AppError, AppJson, AppPath, AppResult};
use crate::store::NewDecision;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(queue)).routes(routes!(decide))
}

/// The intervention queue, oldest first, with why each case came.
#[utoipa::path(
    get,
    path = "/platform/cases",
    tag = "platform",
    operation_id = "platform_queue",
    responses(
        (status = 200, description = "The cases waiting for the platform.", body = Vec<PlatformRow>),
        Unauthorized,
        Forbidden,
        InternalError,
    ),
    security(("console_session" = []))
)]
async fn queue(
    State(state): State<AppState>,
    CurrentPlatform(_): CurrentPlatform,
) -> AppResult<AppJson<Vec<PlatformRow>>> {
    let mut rows = Vec::new();
    for (case_no, kind, since) in state.store.platform_queue().await? {
        let Some(case) = state.store.staff_case(&case_no, None).await? else {
            continue;
        };
        rows.push(PlatformRow {
            case_no: case.case_no,
            appid: case.appid,
            game_name: case.game_name,
            kind: case.kind,
            claimed_fen: case.claimed_fen,
            submitted_at: shanghai_time(case.submitted_at),
            reason: if kind == EventKind::AppealOverdue {
                PlatformReferral::LateAppeal
            } else {
                PlatformReferral::PlayerAsked
            },
            waiting_since: shanghai_time(since),
        });
    }
    Ok(AppJson(rows))
}

/// The platform's final, binding decision.
#[utoipa::path(
    post,
    path = "/platform/cases/{no}/decision",
    tag = "platform",
    operation_id = "platform_decide",
    params(CaseNo),
    request_body = DecisionRequest,
    responses(
        (status = 201, description = "Decided; the case is closed.", body = DecisionView),
        (status = 200, description = "The same decision again: the first result.", body = DecisionView),
        JsonBodyErrors,
        Unauthorized,
        Forbidden,
        NotFound,
        Conflict,
        InternalError,
    ),
    security(("console_session" = []))
)]
async fn decide(
    State(state): State<AppState>,
    CurrentPlatform(login): CurrentPlatform,
    AppPath(case_no): AppPath<String>,
    AppJson(request): AppJson<DecisionRequest>,
) -> AppResult<(StatusCode, AppJson<DecisionView>)> {
    // The kind never changes: read before the decision's own locked read.
    let kind = state
        .store
        .staff_case(&case_no, None)
        .await?
        .ok_or(AppError::NotFound)?
        .kind;
    let new = NewDecision {
        case_no: &case_no,
        round: DecisionRound::Platform,
        org_scope: None,
        actor: Actor::Platform,
        decided_by: &login,
        request_hash: String::new(),
        at: state.clock.now(),
    };
    deciding::apply(&state, new, CaseEvent::PlatformDecide, kind, &request).await
}
