//! The platform's review: the intervention queue (`GET /api/platform/cases`, oldest
//! first, with why each case came) and the binding final decision
//! (`POST /api/platform/cases/{no}/decision`, the developer's body), which refunds through
//! the same exactly-once path and closes the case.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use refund_api::{Actor, DecisionRequest, DecisionRound, DecisionView, EventKind, PlatformReferral, PlatformRow};

use super::auth::CurrentPlatform;
use super::case_views::shanghai_time;
use super::deciding;
use crate::app::AppState;
use crate::domain::case_state::CaseEvent;
use crate::error::{AppJson, AppResult};
use crate::store::NewDecision;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/platform/cases", get(queue))
        .route("/platform/cases/{no}/decision", post(decide))
}

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

async fn decide(
    State(state): State<AppState>,
    CurrentPlatform(login): CurrentPlatform,
    Path(case_no): Path<String>,
    AppJson(request): AppJson<DecisionRequest>,
) -> AppResult<(StatusCode, AppJson<DecisionView>)> {
    let new = NewDecision {
        case_no: &case_no,
        round: DecisionRound::Platform,
        org_scope: None,
        actor: Actor::Platform,
        decided_by: &login,
        request_hash: String::new(),
        at: state.clock.now(),
    };
    deciding::apply(&state, new, CaseEvent::PlatformDecide, &request).await
}
