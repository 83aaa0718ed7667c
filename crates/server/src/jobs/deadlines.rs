//! The deadline scan: a developer is told once when one working day is left on a
//! decision, a case whose first decision is late is marked overdue (once), and an appeal
//! not decided in time goes to the platform (once: the state change itself is the mark).

use chrono::Duration;
use refund_api::Actor;

use crate::app::AppState;
use crate::domain::calendar::shanghai;
use crate::domain::case_state::{CaseEvent, transition};
use crate::domain::credit::CreditCause;
use crate::store::{ChangeError, StateChange};

/// How far ahead the scan looks for cases that may be due soon. One working day can span
/// a long holiday (the National Day week and its weekends), so the calendar decides
/// within this window.
const DUE_SOON_WINDOW_DAYS: i64 = 15;

/// Tells developers of cases due within one working day, then marks every case past its
/// first deadline. Each mark is its own transaction and is set only once, so a rerun
/// after a crash or in a second process finds nothing to do.
pub async fn scan(state: &AppState) -> Result<(), String> {
    let now = state.clock.now();
    let candidates = state
        .store
        .cases_due_before(now, now + Duration::days(DUE_SOON_WINDOW_DAYS))
        .await
        .map_err(|e| e.to_string())?;
    for (case_no, due_at) in candidates {
        // The queue's "due within one working day" filter uses the same test.
        if state
            .calendar
            .working_days_left(&now, &due_at.with_timezone(&shanghai()))
            > 1
        {
            continue;
        }
        if let Some(event) = state
            .store
            .mark_due_soon(&case_no, now)
            .await
            .map_err(|e| e.to_string())?
        {
            tracing::info!(case = %case_no, "one working day left");
            state.announce(&event);
        }
    }
    let due = state
        .store
        .cases_past_first_deadline(now)
        .await
        .map_err(|e| e.to_string())?;
    for case_no in due {
        if let Some(marked) = state
            .store
            .mark_overdue(&case_no, now)
            .await
            .map_err(|e| e.to_string())?
        {
            tracing::info!(case = %case_no, org = %marked.org_id, "case overdue");
            state.announce(&marked.event);
        }
    }
    for case_no in state
        .store
        .cases_past_appeal_deadline(now)
        .await
        .map_err(|e| e.to_string())?
    {
        let change = StateChange {
            credit: Some(CreditCause::LateAppealDecision),
            ..StateChange::new(&case_no, Actor::System, CaseEvent::AppealOverdue.kind(), now)
        };
        // Refused means another process, or the developer, moved the case meanwhile.
        match state
            .store
            .change_state(change, |current| transition(current, CaseEvent::AppealOverdue))
            .await
        {
            Ok((_, event)) => {
                tracing::info!(case = %case_no, "appeal overdue; the platform decides");
                state.announce(&event);
            }
            Err(ChangeError::Refused(_) | ChangeError::NotFound) => {}
            Err(e) => return Err(e.to_string()),
        }
    }
    Ok(())
}
