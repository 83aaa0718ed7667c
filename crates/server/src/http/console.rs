//! The developer's console API: the queue (`GET /api/console/cases`), a case with
//! everything needed to decide (`GET /api/console/cases/{no}`), and the decision
//! (`POST /api/console/cases/{no}/decision`). A developer sees only cases of their
//! organisation's games (another organisation's case is a 404); platform staff see all.

use axum::extract::State;
use axum::http::StatusCode;
use refund_api::{
    Actor, AppealView, CaseState, ConsoleCase, ConsoleGuardian, ConsoleOrder, DecisionRequest, DecisionRound,
    DecisionView, DeliveryStatus, DeliveryView, QueueFilter, QueueRow, TimeLeft, mask_contact,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{CurrentDeveloper, CurrentStaff};
use super::case_views::{decision_views, evidence_view, masked_contact, retention, shanghai_time, timeline_entry};
use super::openapi::{
    BadRequest, ByteRange, CaseEvidence, CaseNo, Conflict, FileResponses, Forbidden, InternalError, JsonBodyErrors,
    NotFound, Unauthorized,
};
use crate::app::AppState;
use crate::domain::application::CaseDetails;
use crate::domain::case_state::CaseEvent;
use crate::error::{AppError, AppJson, AppPath, AppQuery, AppResult};
use crate::store::{CaseRecord, NewDecision};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(queue))
        .routes(routes!(case))
        .routes(routes!(decide))
        .routes(routes!(evidence))
        .routes(routes!(webhooks))
}

/// One evidence file of a case the caller may see, with byte ranges (videos seek).
#[utoipa::path(
    get,
    path = "/console/cases/{no}/evidence/{id}",
    tag = "console",
    operation_id = "console_evidence_file",
    params(CaseEvidence, ByteRange),
    responses(FileResponses, Unauthorized, NotFound, InternalError),
    security(("console_session" = []))
)]
async fn evidence(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    AppPath((case_no, id)): AppPath<(String, String)>,
    headers: axum::http::HeaderMap,
) -> AppResult<axum::response::Response> {
    let case = state
        .store
        .staff_case(&case_no, staff.org_id.as_deref())
        .await?
        .ok_or(AppError::NotFound)?;
    let record = state
        .store
        .case_evidence_file(&case.case_no, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    super::evidence::file_response(&state, (&record).into(), &headers).await
}

/// The webhook delivery log of the organisation's games (every game's for platform staff).
#[utoipa::path(
    get,
    path = "/console/webhooks",
    tag = "console",
    operation_id = "console_webhooks",
    responses(
        (status = 200, description = "The latest deliveries, newest first.", body = Vec<DeliveryView>),
        Unauthorized,
        InternalError,
    ),
    security(("console_session" = []))
)]
async fn webhooks(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
) -> AppResult<AppJson<Vec<DeliveryView>>> {
    let deliveries = state.store.deliveries(staff.org_id.as_deref(), 200).await?;
    Ok(AppJson(
        deliveries
            .into_iter()
            .map(|d| DeliveryView {
                id: d.id,
                appid: d.appid,
                case_no: d.case_no,
                event: d.kind,
                status: DeliveryStatus::from_key(&d.status).unwrap_or(DeliveryStatus::Pending),
                attempts: d.attempts,
                last_status: d.last_status,
                last_error: d.last_error,
                created_at: shanghai_time(d.created_at),
            })
            .collect(),
    ))
}

/// The queue: the cases of the organisation's games (every case for platform staff).
#[utoipa::path(
    get,
    path = "/console/cases",
    tag = "console",
    operation_id = "console_queue",
    params(QueueFilter),
    responses(
        (status = 200, description = "The cases that match the filter.", body = Vec<QueueRow>),
        BadRequest,
        Unauthorized,
        InternalError,
    ),
    security(("console_session" = []))
)]
async fn queue(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    AppQuery(filter): AppQuery<QueueFilter>,
) -> AppResult<AppJson<Vec<QueueRow>>> {
    let cases = state.store.staff_cases(staff.org_id.as_deref(), &filter).await?;
    let rows = cases
        .iter()
        .map(|c| queue_row(&state, c))
        .filter(|row| !filter.overdue || row.time_left.overdue)
        .filter(|row| !filter.due_soon || (!row.time_left.overdue && row.time_left.working_days <= 1))
        .collect();
    Ok(AppJson(rows))
}

/// A case as a row of the queue, with the time left before its deadline.
fn queue_row(state: &AppState, case: &CaseRecord) -> QueueRow {
    let now = state.clock.now();
    let due_at = shanghai_time(case.due_at);
    let overdue = case.due_at < now && matches!(case.state, CaseState::Submitted | CaseState::Appealed);
    QueueRow {
        case_no: case.case_no.clone(),
        appid: case.appid.clone(),
        game_name: case.game_name.clone(),
        kind: case.kind,
        state: case.state,
        claimed_fen: case.claimed_fen,
        submitted_at: shanghai_time(case.submitted_at),
        due_at,
        time_left: TimeLeft {
            working_days: state.calendar.working_days_left(&now, &due_at),
            hours: (case.due_at - now).num_hours(),
            overdue,
        },
    }
}

/// A case with everything needed to decide it.
#[utoipa::path(
    get,
    path = "/console/cases/{no}",
    tag = "console",
    operation_id = "console_case",
    params(CaseNo),
    responses(
        (status = 200, description = "The case.", body = ConsoleCase),
        Unauthorized,
        NotFound,
        InternalError,
    ),
    security(("console_session" = []))
)]
async fn case(
    State(state): State<AppState>,
    CurrentStaff(staff): CurrentStaff,
    AppPath(case_no): AppPath<String>,
) -> AppResult<AppJson<ConsoleCase>> {
    let case = state
        .store
        .staff_case(&case_no, staff.org_id.as_deref())
        .await?
        .ok_or(AppError::NotFound)?;
    let details: CaseDetails = serde_json::from_str(&case.details)
        .map_err(|e| AppError::Internal(format!("case {} details unreadable: {e}", case.case_no)))?;
    let parts = state.store.case_contents(&case).await?;
    let balances = state.store.case_order_balances(&case.case_no).await?;
    let nickname = state.store.player_nickname(&case.appid, &case.openid).await?;
    let retention = retention(&state, &case, &parts.events);
    let birth = details.guardian.as_ref().map(|g| g.minor_birth);
    let orders = parts
        .orders
        .iter()
        .map(|o| {
            let paid_at = shanghai_time(o.paid_at);
            let (amount, refunded) = balances.get(&o.order_no).copied().unwrap_or((o.amount_fen, 0));
            ConsoleOrder {
                order: refund_api::ClaimedOrder {
                    order_no: o.order_no.clone(),
                    item: o.item.clone(),
                    amount_fen: o.amount_fen,
                    paid_at,
                },
                refunded_fen: refunded,
                refundable_fen: amount - refunded,
                minor_age: birth.map(|b| {
                    use chrono::Datelike;
                    b.age_at(paid_at.year(), paid_at.month())
                }),
            }
        })
        .collect();
    Ok(AppJson(ConsoleCase {
        row: queue_row(&state, &case),
        openid: case.openid.clone(),
        nickname,
        narrative: details.narrative,
        guardian: details.guardian.map(|g| ConsoleGuardian {
            relation: g.relation,
            phone_masked: mask_contact(&g.phone),
            name: g.name,
            minor_birth: g.minor_birth,
        }),
        complaint: details.complaint.map(masked_contact),
        orders,
        evidence: parts.evidence.iter().cloned().map(evidence_view).collect(),
        timeline: parts.events.iter().cloned().map(timeline_entry).collect(),
        decisions: decision_views(&parts.decisions, &parts.refunds),
        appeal: state.store.case_appeal(&case.case_no).await?.map(|a| AppealView {
            reason: a.reason,
            statement: a.statement,
            appealed_at: shanghai_time(a.appealed_at),
            evidence_ids: a.evidence_ids,
        }),
        retention,
    }))
}

/// The developer decides a submitted case (late or not), or its appeal: once. The same
/// request sent again answers with the first result; a different one gets 409.
#[utoipa::path(
    post,
    path = "/console/cases/{no}/decision",
    tag = "console",
    operation_id = "console_decide",
    params(CaseNo),
    request_body = DecisionRequest,
    responses(
        (status = 201, description = "Decided (refunds, if any, are carried out).", body = DecisionView),
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
    CurrentDeveloper(developer): CurrentDeveloper,
    AppPath(case_no): AppPath<String>,
    AppJson(request): AppJson<DecisionRequest>,
) -> AppResult<(StatusCode, AppJson<DecisionView>)> {
    let case = state
        .store
        .staff_case(&case_no, Some(&developer.org_id))
        .await?
        .ok_or(AppError::NotFound)?;
    // The round follows the case: an appealed case's decision is the appeal decision.
    let (round, event) = match case.state {
        CaseState::Appealed | CaseState::AppealDecided => (DecisionRound::Appeal, CaseEvent::DecideAppeal),
        _ => (DecisionRound::First, CaseEvent::Decide),
    };
    let new = NewDecision {
        case_no: &case_no,
        round,
        org_scope: Some(&developer.org_id),
        actor: Actor::Developer,
        decided_by: &developer.login,
        request_hash: String::new(),
        at: state.clock.now(),
    };
    super::deciding::apply(&state, new, event, case.kind, &request).await
}
