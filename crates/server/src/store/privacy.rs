//! Privacy: players' consent to the privacy notice, and deleting the files of cases that
//! ended longer ago than the retention period.
//!
//! A deletion is one transaction per case: the case is marked (so a rerun or a second
//! process finds nothing left), its evidence records are removed and a `files_deleted`
//! event is appended. The contents themselves are removed afterwards by the caller,
//! under the usual check that nothing else uses them; a crash in between leaves unused
//! contents that the staging sweep removes.

use chrono::{DateTime, Utc};
use refund_api::{Actor, CaseState, EventKind};

use super::Store;
use super::db::{At, Key, StoreResult, sql};
use super::events::{self, AppendedEvent, NewEvent};

/// A case whose files may be due for deletion.
#[derive(Debug, Clone)]
pub struct EndedCase {
    pub case_no: String,
    pub state: CaseState,
    /// When the case entered its current state.
    pub entered_at: DateTime<Utc>,
}

/// The files of one case just deleted: their contents (to remove when unused) and the event.
#[derive(Debug, Clone)]
pub struct DeletedFiles {
    pub contents: Vec<String>,
    pub event: AppendedEvent,
}

impl Store {
    /// Records that the player agreed to notice `version` (again is harmless).
    pub async fn record_privacy_consent(
        &self,
        appid: &str,
        openid: &str,
        version: u32,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.write()
            .execute(
                sql(
                    "INSERT INTO privacy_consents (appid, openid, notice_version, consented_at)
                     VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                )
                .bind(appid)
                .bind(openid)
                .bind(i64::from(version))
                .bind(now),
            )
            .await?;
        Ok(())
    }

    /// Whether the player agreed to notice `version`.
    pub async fn has_privacy_consent(&self, appid: &str, openid: &str, version: u32) -> StoreResult<bool> {
        let found: Option<(i64,)> = self
            .read()
            .fetch_optional(
                sql("SELECT notice_version FROM privacy_consents
                     WHERE appid = $1 AND openid = $2 AND notice_version = $3")
                .bind(appid)
                .bind(openid)
                .bind(i64::from(version)),
            )
            .await?;
        Ok(found.is_some())
    }

    /// When the case's files were deleted, and how many, if they were.
    pub async fn files_deleted(&self, case_no: &str) -> StoreResult<Option<(DateTime<Utc>, i64)>> {
        let row: Option<(Option<At>, i64)> = self
            .read()
            .fetch_optional(sql("SELECT files_deleted_at, files_deleted FROM cases WHERE case_no = $1").bind(case_no))
            .await?;
        Ok(row.and_then(|(at, n)| at.map(|At(at)| (at, n))))
    }

    /// Cases in one of `states` that still have files, with when they entered that state.
    pub async fn cases_with_files(&self, states: &[CaseState; 4]) -> StoreResult<Vec<EndedCase>> {
        let rows: Vec<(String, Key, Option<At>)> = self
            .read()
            .fetch_all(
                sql("SELECT c.case_no, c.state,
                            (SELECT MIN(e.at) FROM case_events e WHERE e.case_no = c.case_no AND e.state = c.state)
                     FROM cases c
                     WHERE c.state IN ($1, $2, $3, $4) AND c.files_deleted_at IS NULL
                       AND EXISTS (SELECT 1 FROM evidence v WHERE v.case_no = c.case_no)
                     ORDER BY c.case_no")
                .bind(states[0].key())
                .bind(states[1].key())
                .bind(states[2].key())
                .bind(states[3].key()),
            )
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(case_no, state, entered)| {
                let state = CaseState::from_key(&state.0)?;
                Some(EndedCase {
                    case_no,
                    state,
                    entered_at: entered?.0,
                })
            })
            .collect())
    }

    /// Deletes the evidence records of a case still in `state` (`None` if it moved on or its
    /// files are already gone), marking the case and appending the `files_deleted` event.
    pub async fn delete_case_files(
        &self,
        case_no: &str,
        state: CaseState,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<DeletedFiles>> {
        let mut tx = self.begin().await?;
        let marked: Option<(String, String, i64)> = tx
            .fetch_optional(
                sql("UPDATE cases SET files_deleted_at = $1,
                            files_deleted = (SELECT COUNT(*) FROM evidence WHERE case_no = $2)
                     WHERE case_no = $2 AND state = $3 AND files_deleted_at IS NULL
                     RETURNING appid, openid, files_deleted")
                .bind(now)
                .bind(case_no)
                .bind(state.key()),
            )
            .await?;
        let Some((appid, openid, count)) = marked else {
            return Ok(None);
        };
        let rows: Vec<(String,)> = tx
            .fetch_all(sql("DELETE FROM evidence WHERE case_no = $1 RETURNING sha256").bind(case_no))
            .await?;
        let mut contents: Vec<String> = rows.into_iter().map(|(sha,)| sha).collect();
        contents.sort();
        contents.dedup();
        let note = count.to_string();
        let event = events::append(
            &mut tx,
            NewEvent {
                case_no,
                appid: &appid,
                openid: &openid,
                at: now,
                actor: Actor::System,
                kind: EventKind::FilesDeleted,
                state,
                note: Some(&note),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Some(DeletedFiles { contents, event }))
    }
}
