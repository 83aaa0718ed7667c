//! The credit ledger as people read it: each organisation's entries, oldest first. (Entries
//! are written inside the changes that cause them; see `changes::record_credit`.)

use chrono::{DateTime, Utc};

use super::Store;
use refund_api::CreditCause;

use super::db::{StoreError, StoreResult, sql};

/// An organisation's credit ledger: `(at, cause, points, case_no)`, oldest first.
#[derive(Debug, Clone)]
pub struct CreditLedger {
    pub org_id: String,
    pub name: String,
    pub entries: Vec<(DateTime<Utc>, CreditCause, i64, Option<String>)>,
}

impl Store {
    /// Every organisation (or just `org_id`) with its credit entries, oldest first, as
    /// `(org_id, org_name, entries of (at, cause, points, case_no))`.
    pub async fn credit_ledgers(&self, org_id: Option<&str>) -> StoreResult<Vec<CreditLedger>> {
        let orgs: Vec<(String, String)> = self
            .read()
            .fetch_all(
                sql("SELECT org_id, name FROM organizations WHERE ($1 IS NULL OR org_id = $1) ORDER BY org_id")
                    .bind(org_id),
            )
            .await?;
        let rows: Vec<(String, super::values::At, String, i64, Option<String>)> = self
            .read()
            .fetch_all(
                sql("SELECT org_id, at, cause, points, case_no FROM credit_ledger
                     WHERE ($1 IS NULL OR org_id = $1) ORDER BY at, id")
                .bind(org_id),
            )
            .await?;
        orgs.into_iter()
            .map(|(id, name)| {
                let entries = rows
                    .iter()
                    .filter(|(org, ..)| *org == id)
                    .map(|(_, at, cause, points, case_no)| {
                        let cause = CreditCause::from_key(cause)
                            .ok_or_else(|| StoreError::Corrupt(format!("credit cause {cause:?}")))?;
                        Ok((at.0, cause, *points, case_no.clone()))
                    })
                    .collect::<StoreResult<_>>()?;
                Ok(CreditLedger {
                    org_id: id,
                    name,
                    entries,
                })
            })
            .collect()
    }

    /// An organisation's credit entries as `(cause, points, case)`, oldest first.
    pub async fn credit_entries(&self, org_id: &str) -> StoreResult<Vec<(String, i64, Option<String>)>> {
        self.read()
            .fetch_all(
                sql("SELECT cause, points, case_no FROM credit_ledger WHERE org_id = $1 ORDER BY at, id").bind(org_id),
            )
            .await
    }
}
