//! The deadline scan: cases whose first decision is late are marked overdue, once.

use crate::app::AppState;

/// Marks every case past its first deadline; each mark is its own transaction and is
/// set only once, so a rerun after a crash or in a second process finds nothing to do.
pub async fn scan(state: &AppState) -> Result<(), String> {
    let now = state.clock.now();
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
    Ok(())
}
