//! The retention job: deletes the files of cases that ended more than the configured
//! retention days ago (`domain::retention` says when a case ended), and tells the player.

use crate::app::AppState;
use crate::domain::retention::{ENDING_STATES, delete_at};

use super::remove_content;

/// Deletes the files of every case past its retention period. Each case is its own
/// transaction that checks the case has not moved on, so a rerun, a restart or a second
/// process deletes nothing twice.
pub async fn delete_ended_files(state: &AppState) -> Result<(), String> {
    let now = state.clock.now();
    let config = &state.config;
    let candidates = state
        .store
        .cases_with_files(&ENDING_STATES)
        .await
        .map_err(|e| e.to_string())?;
    for case in candidates {
        let due = delete_at(
            case.state,
            case.entered_at,
            config.appeal_window_days,
            config.retention_days,
        );
        if due.is_none_or(|at| at > now) {
            continue;
        }
        let Some(deleted) = state
            .store
            .delete_case_files(&case.case_no, case.state, now)
            .await
            .map_err(|e| e.to_string())?
        else {
            continue;
        };
        for sha in &deleted.contents {
            remove_content(state, sha).await?;
        }
        tracing::info!(case = %case.case_no, contents = deleted.contents.len(), "deleted an ended case's files");
        state.announce(&deleted.event);
    }
    Ok(())
}
