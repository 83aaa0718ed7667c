//! The last JSON answer to each player's case read, sent again while nothing it is made of
//! has changed.
//!
//! A case view is a function of the case's row, its parts at the row's version, the time
//! of reading (only through [`Timely`]) and this process's configuration. The row,
//! version included, is read fresh for every request, and the parts are those of that
//! version (`store::case_cache`); so when the row, as read now, and the time-dependent
//! part equal those of a kept answer, the kept bytes are exactly what building the view
//! again would give. A change by any process changes the row or its version, and the
//! next read builds the answer anew.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use axum::body::Bytes;

use super::case_views::{Timely, detail_of, timely};
use crate::app::AppState;
use crate::error::{AppError, AppResult};
use crate::store::CaseRecord;

/// At most this many answers are kept (a few kilobytes each); a new one then replaces one.
const CAPACITY: usize = 2048;

/// Kept answers, by case number.
#[derive(Debug, Default)]
pub struct CaseAnswers {
    kept: Mutex<HashMap<String, Kept>>,
}

#[derive(Debug)]
struct Kept {
    row: CaseRecord,
    timely: Timely,
    json: Bytes,
}

impl CaseAnswers {
    fn get(&self, row: &CaseRecord, timely: &Timely) -> Option<Bytes> {
        let kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        kept.get(&row.case_no)
            .filter(|k| k.row == *row && k.timely == *timely)
            .map(|k| k.json.clone())
    }

    fn keep(&self, row: &CaseRecord, timely: Timely, json: &Bytes) {
        let mut kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        if kept.len() >= CAPACITY && !kept.contains_key(&row.case_no) {
            // Any one will do: a case read again is answered anew.
            if let Some(victim) = kept.keys().next().cloned() {
                kept.remove(&victim);
            }
        }
        let answer = Kept {
            row: row.clone(),
            timely,
            json: json.clone(),
        };
        kept.insert(row.case_no.clone(), answer);
    }
}

/// The player's view of `case` (a row just read) as JSON: the kept answer when it still
/// holds, else built now and kept.
pub async fn case_json(state: &AppState, case: &CaseRecord) -> AppResult<Bytes> {
    let (parts, of_version) = state.store.case_contents_checked(case).await?;
    let timely = timely(state, case, &parts);
    if let Some(json) = state.case_answers.get(case, &timely) {
        return Ok(json);
    }
    let detail = detail_of(state, case, &parts, timely)?;
    let json = Bytes::from(serde_json::to_vec(&detail).map_err(|e| AppError::Internal(e.to_string()))?);
    if of_version {
        state.case_answers.keep(case, timely, &json);
    }
    Ok(json)
}
