//! Appeals as stored: one per case, written with the appeal's state change
//! (`changes::change_state`), read here for the desks.

use chrono::{DateTime, Utc};
use refund_api::AppealReason;

use super::Store;
use super::db::{At, StoreError, StoreResult, sql};

/// A case's appeal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppealRecord {
    pub reason: AppealReason,
    pub statement: String,
    pub appealed_at: DateTime<Utc>,
    pub evidence_ids: Vec<String>,
}

impl Store {
    /// The case's appeal, if it was appealed.
    pub async fn case_appeal(&self, case_no: &str) -> StoreResult<Option<AppealRecord>> {
        let row: Option<(String, String, At, String)> = self
            .read()
            .fetch_optional(
                sql("SELECT reason, statement, appealed_at, evidence_ids FROM appeals WHERE case_no = $1")
                    .bind(case_no),
            )
            .await?;
        let Some((reason, statement, at, ids)) = row else {
            return Ok(None);
        };
        Ok(Some(AppealRecord {
            reason: AppealReason::from_key(&reason)
                .ok_or_else(|| StoreError::Corrupt(format!("appeal reason {reason:?}")))?,
            statement,
            appealed_at: at.0,
            evidence_ids: serde_json::from_str(&ids)
                .map_err(|e| StoreError::Corrupt(format!("appeal evidence of {case_no}: {e}")))?,
        }))
    }
}
