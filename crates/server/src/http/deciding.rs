//! Applying a decision, for the developer's console and the platform's alike: the state
//! machine's transition, the decision rules on balances read under the case's lock, and
//! the exactly-once answer (a retry gets the first result with 200; a different
//! decision of the same round gets 409).

use axum::http::StatusCode;
use refund_api::{CaseKind, DecisionRequest, DecisionView, ErrorCode};

use super::case_views::decision_views;
use crate::app::AppState;
use crate::domain::case_state::{CaseEvent, transition};
use crate::domain::decision;
use crate::error::{AppError, AppJson, AppResult};
use crate::secrets::hash_secret;
use crate::store::{DecideError, Decided, NewDecision};

/// Applies `request` as `new` (whose request hash is filled in here) to a case of `kind`,
/// moving the case by `event`.
pub(super) async fn apply(
    state: &AppState,
    mut new: NewDecision<'_>,
    event: CaseEvent,
    kind: CaseKind,
    request: &DecisionRequest,
) -> AppResult<(StatusCode, AppJson<DecisionView>)> {
    new.request_hash = hash_secret(&serde_json::to_string(request).unwrap_or_default());
    let case_no = new.case_no.to_owned();
    let decided = state
        .store
        .decide(new, |current, balances| {
            let next = transition(current, event).map_err(|refused| {
                AppError::conflict(
                    ErrorCode::NotAllowedNow,
                    format!("A case that is {} cannot be decided now.", refused.from.key()),
                )
            })?;
            let valid =
                decision::check(request, kind, balances).map_err(|e| AppError::invalid(e.code, e.field, e.message))?;
            Ok((next, valid))
        })
        .await
        .map_err(|e| match e {
            DecideError::NotFound => AppError::NotFound,
            DecideError::AlreadyDecided => AppError::conflict(
                ErrorCode::AlreadyDecided,
                "This case was decided already; its decision stands.",
            ),
            DecideError::Refused(e) => e,
            DecideError::Storage(e) => AppError::Storage(e),
        })?;
    let (status, decision, refunds) = match decided {
        Decided::Applied {
            decision,
            refunds,
            event,
        } => {
            tracing::info!(case = %case_no, round = decision.round.key(), outcome = decision.outcome.key(), "case decided");
            state.announce(&event);
            (StatusCode::CREATED, decision, refunds)
        }
        Decided::Replayed { decision, refunds } => (StatusCode::OK, decision, refunds),
    };
    let view = decision_views(std::slice::from_ref(&decision), &refunds)
        .pop()
        .ok_or_else(|| AppError::Internal("a decision without a view".to_owned()))?;
    Ok((status, AppJson(view)))
}
