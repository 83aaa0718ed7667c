//! What platform staff watch over time: credit scores (a developer reads their
//! organisation's, `GET /api/console/credit`; platform staff every organisation's,
//! `GET /api/platform/credit`; each with its ledger and the score after each entry, from
//! [`credit::START`]), and the working-day calendar's coverage (`GET /api/platform/calendar`).

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use refund_api::{CalendarCoverage, CreditEntry, CreditView};

use super::auth::{CurrentDeveloper, CurrentPlatform};
use super::case_views::shanghai_time;
use crate::app::AppState;
use crate::domain::credit;
use crate::error::{AppError, AppJson, AppResult};
use crate::store::CreditLedger;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/console/credit", get(own))
        .route("/platform/credit", get(every))
        .route("/platform/calendar", get(calendar))
}

/// The calendar's coverage, for platform staff to add next year's notice in time.
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

async fn every(
    State(state): State<AppState>,
    CurrentPlatform(_): CurrentPlatform,
) -> AppResult<AppJson<Vec<CreditView>>> {
    let ledgers = state.store.credit_ledgers(None).await?;
    Ok(AppJson(ledgers.into_iter().map(view).collect()))
}
