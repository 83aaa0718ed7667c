//! Kept copies of cases' parts (claimed orders, evidence, events, decisions, refunds), by
//! case number and version, so a case read costs one statement: its row.
//!
//! Why a kept copy is never stale, with any number of processes on one database: every
//! change to a case's parts raises `cases.version` in the same transaction (triggers do
//! it, so no writer can forget: see migration `case_version`). A reader always reads the
//! case's row, version included, fresh from the database, and uses a copy only when it
//! was taken at exactly that version. Once another process commits a change, the next
//! read sees the new version and loads the parts again.
//!
//! A copy is kept only when it is known to be of its version: the parts are read after
//! the row, then the version is read again; if it has not moved, no change committed
//! before that last read, so every part read before it was as of that version. (Parts
//! read while a change was committing are still returned, as they always were, but not
//! kept.)

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use super::db::{StoreResult, sql};
use super::{CaseParts, CaseRecord, Store};

/// At most this many cases are kept (a few kilobytes each); a new one then replaces one
/// of them.
const CAPACITY: usize = 2048;

/// The copies, by case number.
#[derive(Debug, Default)]
pub(super) struct CaseCache {
    copies: Mutex<HashMap<String, (i64, Arc<CaseParts>)>>,
}

impl CaseCache {
    fn get(&self, case_no: &str, version: i64) -> Option<Arc<CaseParts>> {
        let copies = self.copies.lock().unwrap_or_else(PoisonError::into_inner);
        copies
            .get(case_no)
            .filter(|(kept, _)| *kept == version)
            .map(|(_, parts)| Arc::clone(parts))
    }

    fn keep(&self, case_no: &str, version: i64, parts: &Arc<CaseParts>) {
        let mut copies = self.copies.lock().unwrap_or_else(PoisonError::into_inner);
        if copies.len() >= CAPACITY && !copies.contains_key(case_no) {
            // Any one will do: a case read again is loaded again.
            if let Some(victim) = copies.keys().next().cloned() {
                copies.remove(&victim);
            }
        }
        copies.insert(case_no.to_owned(), (version, Arc::clone(parts)));
    }
}

impl Store {
    /// The parts of `case` (a row just read) as of its version: the kept copy when there
    /// is one, else read now.
    pub async fn case_contents(&self, case: &CaseRecord) -> StoreResult<Arc<CaseParts>> {
        Ok(self.case_contents_checked(case).await?.0)
    }

    /// As [`Store::case_contents`], and whether the parts are known to be of the row's
    /// version (they may be newer when a change committed while they were being read).
    pub async fn case_contents_checked(&self, case: &CaseRecord) -> StoreResult<(Arc<CaseParts>, bool)> {
        if let Some(parts) = self.cases.get(&case.case_no, case.version) {
            return Ok((parts, true));
        }
        let parts = Arc::new(self.case_parts(&case.case_no).await?);
        let (version,): (i64,) = self
            .read()
            .fetch_one(sql("SELECT version FROM cases WHERE case_no = $1").bind(&case.case_no))
            .await?;
        let of_version = version == case.version;
        if of_version {
            self.cases.keep(&case.case_no, version, &parts);
        }
        Ok((parts, of_version))
    }
}
