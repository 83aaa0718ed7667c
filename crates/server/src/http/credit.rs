//! What platform staff watch over time: credit scores (a developer reads their
//! organisation's, `GET /api/console/credit`; platform staff every organisation's,
//! `GET /api/platform/credit`; each with its ledger and the score after each entry, from
//! [`credit::START`]), and the working-day calendar's coverage (`GET /api/platform/calendar`).

use axum::extract::State;
use refund_api::{CalendarCoverage, CreditEntry, CreditView};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{CurrentDeveloper, CurrentPlatform};
use super::case_views::shanghai_time;
use super::openapi::{Forbidden, InternalError, Unauthorized};
use crate::app::AppState;
use crate::domain::credit;
use crate::error::{AppError, AppJson, AppResult};
use crate::store::CreditLedger;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(own))
        .routes(routes!(every))
        .routes(routes!(calendar))
}

/// The calendar's coverage, for platform staff to add next year's notice in time.
#[utoipa::path(
    get,
    path = "/platform/calendar",
    tag = "platform",
    operation_id = "platform_calendar",
    responses(
        (status = 200, description = "The years the working-day calendar covers, and those it lacks.", body = CalendarCoverage),
        Unauthorized,
        Forbidden,
        InternalError,
    ),
    security(("console_session" = []))
)]
async fn calendar(State(state): State<AppState>, CurrentPlatform(_): CurrentPlatform) -> AppJson<CalendarCoverage> {
    AppJson(CalendarCoverage {
        covered_years: state.calendar.covered_years(),
        missing_years: state.calendar.missing_years(&state.clock.now()),
    })
}

/// A ledger as shown: the running score after each entry.
fn view(ledger: CreditLedger) -> CreditView {
    let mut score = credit::START;
    let entries = ledger
        .entries
        .into_iter()
        .map(|(at, cause, points, case_no)| {
            score += points;
            CreditEntry {
                at: shanghai_time(at),
                cause,
                points,
                case_no,
                score_after: score,
            }
        })
        .collect();
    CreditView {
        org_id: ledger.org_id,
        org_name: ledger.name,
        score,
        entries,
    }
}

/// The organisation's credit score and ledger.
#[utoipa::path(
    get,
    path = "/console/credit",
    tag = "console",
    operation_id = "console_credit",
    responses(
        (status = 200, description = "The score and the entries that made it.", body = CreditView),
        Unauthorized,
        Forbidden,
        InternalError,
    ),
    security(("console_session" = []))
)]
async fn own(
    State(state): State<AppState>,
    CurrentDeveloper(developer): CurrentDeveloper,
) -> AppResult<AppJson<CreditView>> {
    let ledger = state
        .store
        .credit_ledgers(Some(&developer.org_id))
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::Internal(format!("organisation {} is missing", developer.org_id)))?;
    Ok(AppJson(view(ledger)))
}

/// Every organisation's credit score and ledger.
#[utoipa::path(
    get,
    path = "/platform/credit",
    tag = "platform",
    operation_id = "platform_credit",
    responses(
        (status = 200, description = "Each organisation's score and ledger.", body = Vec<CreditView>),
        Unauthorized,
        Forbidden,
        InternalError,
    ),
    security(("console_session" = []))
)]
async fn every(
    State(state): State<AppState>,
    CurrentPlatform(_): CurrentPlatform,
) -> AppResult<AppJson<Vec<CreditView>>> {
    let ledgers = state.store.credit_ledgers(None).await?;
    Ok(AppJson(ledgers.into_iter().map(view).collect()))
}
