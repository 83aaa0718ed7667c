//! Sweeps that keep evidence storage to what cases use: uploads never attached to a case
//! (after the configured time), staging leftovers of uploads cut off mid-way, and
//! contents no record uses any more.

use chrono::Duration;

use crate::app::AppState;
use crate::store::STALE_PIN;

/// Removes uploads left unattached longer than the configured hours, and their files
/// when nothing else uses them.
pub async fn expire_uploads(state: &AppState) -> Result<(), String> {
    let now = state.clock.now();
    let before = now - Duration::hours(i64::from(state.config.unattached_upload_hours));
    let shas = state
        .store
        .delete_unattached_evidence_before(before)
        .await
        .map_err(|e| e.to_string())?;
    let mut removed = 0;
    for sha in &shas {
        if remove_content(state, sha).await? {
            removed += 1;
        }
    }
    if !shas.is_empty() {
        tracing::info!(uploads = shas.len(), files = removed, "removed unattached uploads");
    }
    Ok(())
}

/// Removes staging objects older than a stale pin, then contents nothing uses.
pub async fn clear_staging(state: &AppState) -> Result<(), String> {
    let now = state.clock.now();
    let staged = state
        .files
        .remove_stale_staging(now - STALE_PIN)
        .await
        .map_err(|e| e.to_string())?;
    let unused = state.store.unused_contents(now).await.map_err(|e| e.to_string())?;
    for sha in &unused {
        remove_content(state, sha).await?;
    }
    if staged > 0 || !unused.is_empty() {
        tracing::info!(staging = staged, contents = unused.len(), "cleared upload leftovers");
    }
    Ok(())
}

/// Deletes a content's file if no record uses it (decided under the database's lock).
pub async fn remove_content(state: &AppState, sha256: &str) -> Result<bool, String> {
    state
        .store
        .remove_unused_content(sha256, state.clock.now(), || state.files.delete(sha256))
        .await
        .map_err(|e| e.to_string())
}
