//! Force-majeure reports as stored: the report with its files (their bytes live in the
//! content store beside evidence, pinned until the report is recorded), and platform
//! staff's decision. Accepting is one transaction: the report's state, the moved
//! deadlines with an event per case, the cleared overdue marks and the credit entries
//! that excuse the lateness the period covers.

use chrono::{DateTime, NaiveDate, Utc};
use refund_api::{Actor, CaseState, CreditCause, EventKind, ForceMajeureState, MediaType};

use super::Store;
use super::changes::{CreditRecord, record_credit};
use super::db::{At, Key, StoreError, StoreResult, Tx, keyed, sql};
use super::events::{self, AppendedEvent, NewEvent};
use crate::domain::credit;

keyed!(ForceMajeureState);

/// One evidence file of a report.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReportFile {
    pub id: String,
    pub sha256: String,
    pub size: i64,
    #[sqlx(try_from = "Key")]
    pub media_type: MediaType,
    pub file_name: String,
}

/// A report as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ForceMajeureRecord {
    pub id: String,
    pub org_id: String,
    pub org_name: String,
    pub description: String,
    pub starts_on: String,
    pub ends_on: String,
    pub reported_by: String,
    #[sqlx(try_from = "At")]
    pub reported_at: DateTime<Utc>,
    #[sqlx(try_from = "Key")]
    pub state: ForceMajeureState,
    pub decided_at: Option<At>,
    pub decision_note: Option<String>,
    pub moved_cases: Option<i64>,
    pub moved_days: Option<i64>,
    #[sqlx(skip)]
    pub files: Vec<ReportFile>,
}

impl ForceMajeureRecord {
    /// The period's first and last day.
    pub fn dates(&self) -> StoreResult<(NaiveDate, NaiveDate)> {
        Ok((parse_date(&self.starts_on)?, parse_date(&self.ends_on)?))
    }
}

fn parse_date(text: &str) -> StoreResult<NaiveDate> {
    text.parse()
        .map_err(|_| StoreError::Corrupt(format!("report date {text:?}")))
}

/// A report to record, with its files already in place.
#[derive(Debug, Clone)]
pub struct NewForceMajeure<'a> {
    pub id: &'a str,
    pub org_id: &'a str,
    pub description: &'a str,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub reported_by: &'a str,
    pub at: DateTime<Utc>,
    pub files: &'a [ReportFile],
}

/// Whose accepted periods to read: an organisation's, or that of a game's owner.
#[derive(Debug, Clone, Copy)]
pub enum ReportOwner<'a> {
    Org(&'a str),
    Game(&'a str),
}

/// Platform staff's acceptance: the period's span and where each deadline in it moves.
pub struct Acceptance<'a> {
    pub id: &'a str,
    pub decided_by: &'a str,
    pub note: &'a str,
    pub at: DateTime<Utc>,
    /// `[start, end)` of the period.
    pub span: (DateTime<Utc>, DateTime<Utc>),
    /// The period as the players' timelines show it.
    pub period_note: &'a str,
    /// The working days the deadlines move (recorded with the decision).
    pub days: u32,
    pub move_deadline: &'a (dyn Fn(DateTime<Utc>) -> DateTime<Utc> + Sync),
}

/// Why a decision on a report was not stored.
#[derive(Debug, thiserror::Error)]
pub enum ReportDecisionError {
    #[error("no such report")]
    NotFound,
    #[error("the report was decided already")]
    AlreadyDecided,
    #[error(transparent)]
    Storage(#[from] StoreError),
}

const COLUMNS: &str = "f.id, f.org_id, o.name AS org_name, f.description, f.starts_on, f.ends_on, f.reported_by,
                       f.reported_at, f.state, f.decided_at, f.decision_note, f.moved_cases,
                       f.moved_days";

impl Store {
    /// Records a report and its files, and releases the files' pins.
    pub async fn insert_force_majeure(&self, new: &NewForceMajeure<'_>) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        tx.execute(
            sql(
                "INSERT INTO force_majeure (id, org_id, description, starts_on, ends_on, reported_by, reported_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(new.id)
            .bind(new.org_id)
            .bind(new.description)
            .bind(new.starts_on.to_string())
            .bind(new.ends_on.to_string())
            .bind(new.reported_by)
            .bind(new.at),
        )
        .await?;
        for (position, file) in new.files.iter().enumerate() {
            tx.execute(
                sql(
                    "INSERT INTO force_majeure_files (id, report_id, position, sha256, size, media_type, file_name)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(file.id.as_str())
                .bind(new.id)
                .bind(i64::try_from(position).unwrap_or(i64::MAX))
                .bind(file.sha256.as_str())
                .bind(file.size)
                .bind(file.media_type.mime())
                .bind(file.file_name.as_str()),
            )
            .await?;
            tx.execute(
                sql("UPDATE evidence_contents SET pins = pins - 1 WHERE sha256 = $1 AND pins > 0")
                    .bind(file.sha256.as_str()),
            )
            .await?;
        }
        tx.commit().await
    }

    /// Reports, those waiting for a decision first, then newest first; an
    /// organisation's only when `org_id` is given.
    pub async fn force_majeure_reports(&self, org_id: Option<&str>) -> StoreResult<Vec<ForceMajeureRecord>> {
        let mut reports: Vec<ForceMajeureRecord> = self
            .read()
            .fetch_all(
                sql(format!(
                    "SELECT {COLUMNS} FROM force_majeure f JOIN organizations o ON o.org_id = f.org_id
                     WHERE ($1 IS NULL OR f.org_id = $1)
                     ORDER BY CASE WHEN f.state = $2 THEN 0 ELSE 1 END, f.reported_at DESC, f.id"
                ))
                .bind(org_id)
                .bind(ForceMajeureState::Pending.key()),
            )
            .await?;
        for report in &mut reports {
            report.files = self.report_files(&report.id).await?;
        }
        Ok(reports)
    }

    /// One report, with its files.
    pub async fn force_majeure_report(&self, id: &str) -> StoreResult<Option<ForceMajeureRecord>> {
        let report: Option<ForceMajeureRecord> = self
            .read()
            .fetch_optional(
                sql(format!(
                    "SELECT {COLUMNS} FROM force_majeure f JOIN organizations o ON o.org_id = f.org_id WHERE f.id = $1"
                ))
                .bind(id),
            )
            .await?;
        let Some(mut report) = report else { return Ok(None) };
        report.files = self.report_files(id).await?;
        Ok(Some(report))
    }

    /// The accepted periods of the organisation owning `appid`'s game (or of `org_id`)
    /// that end on or after `since`, as `(first day, last day)`.
    pub async fn accepted_force_majeure(
        &self,
        owner: ReportOwner<'_>,
        since: NaiveDate,
    ) -> StoreResult<Vec<(NaiveDate, NaiveDate)>> {
        let (org, appid) = match owner {
            ReportOwner::Org(org) => (Some(org), None),
            ReportOwner::Game(appid) => (None, Some(appid)),
        };
        let rows: Vec<(String, String)> = self
            .read()
            .fetch_all(
                sql("SELECT f.starts_on, f.ends_on FROM force_majeure f
                     WHERE f.state = $1 AND f.ends_on >= $2
                       AND ($3 IS NULL OR f.org_id = $3)
                       AND ($4 IS NULL OR f.org_id = (SELECT org_id FROM games WHERE appid = $4))
                     ORDER BY f.starts_on")
                .bind(ForceMajeureState::Accepted.key())
                .bind(since.to_string())
                .bind(org)
                .bind(appid),
            )
            .await?;
        rows.into_iter()
            .map(|(from, to)| Ok((parse_date(&from)?, parse_date(&to)?)))
            .collect()
    }

    async fn report_files(&self, report_id: &str) -> StoreResult<Vec<ReportFile>> {
        self.read()
            .fetch_all(
                sql("SELECT id, sha256, size, media_type, file_name FROM force_majeure_files
                     WHERE report_id = $1 ORDER BY position")
                .bind(report_id),
            )
            .await
    }

    /// Rejects a waiting report with platform staff's note.
    pub async fn reject_force_majeure(
        &self,
        id: &str,
        decided_by: &str,
        note: &str,
        at: DateTime<Utc>,
    ) -> Result<(), ReportDecisionError> {
        let mut tx = self.begin().await?;
        decide_report(&mut tx, id, ForceMajeureState::Rejected, decided_by, note, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Accepts a waiting report: moves the organisation's open deadlines inside the
    /// period (an event per case, for its player and the developer), clears the overdue
    /// marks and excuses the lateness deductions whose deadline fell inside it. Returns
    /// the events to publish.
    pub async fn accept_force_majeure(
        &self,
        acceptance: &Acceptance<'_>,
    ) -> Result<Vec<AppendedEvent>, ReportDecisionError> {
        let mut tx = self.begin().await?;
        let org_id = decide_report(
            &mut tx,
            acceptance.id,
            ForceMajeureState::Accepted,
            acceptance.decided_by,
            acceptance.note,
            acceptance.at,
        )
        .await?;
        let (start, end) = acceptance.span;
        let lock = format!(
            "SELECT c.case_no, c.appid, c.openid, c.state, c.due_at FROM cases c JOIN games g ON g.appid = c.appid
             WHERE g.org_id = $1 AND c.state IN ($2, $3) AND c.due_at >= $4 AND c.due_at < $5
             ORDER BY c.case_no{}",
            tx.dialect().for_update()
        );
        let covered: Vec<(String, String, String, String, At)> = tx
            .fetch_all(
                sql(lock)
                    .bind(org_id.as_str())
                    .bind(CaseState::Submitted.key())
                    .bind(CaseState::Appealed.key())
                    .bind(start)
                    .bind(end),
            )
            .await?;
        let mut appended = Vec::new();
        for (case_no, appid, openid, state, At(due_at)) in covered {
            let moved = (acceptance.move_deadline)(due_at);
            if moved <= due_at {
                continue;
            }
            tx.execute(
                sql("UPDATE cases SET due_at = $1, due_soon_at = NULL, overdue_at = NULL WHERE case_no = $2")
                    .bind(moved)
                    .bind(case_no.as_str()),
            )
            .await?;
            let state =
                CaseState::from_key(&state).ok_or_else(|| StoreError::Corrupt(format!("case state {state:?}")))?;
            let event = NewEvent {
                case_no: &case_no,
                appid: &appid,
                openid: &openid,
                at: acceptance.at,
                actor: Actor::Platform,
                kind: EventKind::DeadlineExtended,
                state,
                note: Some(acceptance.period_note),
            };
            appended.push(events::append(&mut tx, event).await?);
        }
        excuse_lateness(&mut tx, &org_id, acceptance).await?;
        tx.execute(
            sql("UPDATE force_majeure SET moved_cases = $1, moved_days = $2 WHERE id = $3")
                .bind(i64::try_from(appended.len()).unwrap_or(i64::MAX))
                .bind(i64::from(acceptance.days))
                .bind(acceptance.id),
        )
        .await?;
        tx.commit().await?;
        Ok(appended)
    }
}

/// Sets a waiting report's decision; returns its organisation.
async fn decide_report(
    tx: &mut Tx,
    id: &str,
    state: ForceMajeureState,
    decided_by: &str,
    note: &str,
    at: DateTime<Utc>,
) -> Result<String, ReportDecisionError> {
    let decided: Option<(String,)> = tx
        .fetch_optional(
            sql(
                "UPDATE force_majeure SET state = $1, decided_by = $2, decision_note = $3, decided_at = $4
                 WHERE id = $5 AND state = $6 RETURNING org_id",
            )
            .bind(state.key())
            .bind(decided_by)
            .bind(note)
            .bind(at)
            .bind(id)
            .bind(ForceMajeureState::Pending.key()),
        )
        .await?;
    if let Some((org_id,)) = decided {
        return Ok(org_id);
    }
    let exists: Option<(String,)> = tx
        .fetch_optional(sql("SELECT id FROM force_majeure WHERE id = $1").bind(id))
        .await?;
    Err(if exists.is_some() {
        ReportDecisionError::AlreadyDecided
    } else {
        ReportDecisionError::NotFound
    })
}

/// Answers every lateness deduction of `org_id` whose missed deadline lies inside the
/// period with the entry that gives it back, and clears those cases' overdue marks.
async fn excuse_lateness(tx: &mut Tx, org_id: &str, acceptance: &Acceptance<'_>) -> StoreResult<()> {
    let (start, end) = acceptance.span;
    let late: Vec<(String, String, At)> = tx
        .fetch_all(
            sql("SELECT case_no, cause, deadline_at FROM credit_ledger
                 WHERE org_id = $1 AND cause IN ($2, $3) AND deadline_at >= $4 AND deadline_at < $5
                 ORDER BY id")
            .bind(org_id)
            .bind(CreditCause::LateFirstDecision.key())
            .bind(CreditCause::LateAppealDecision.key())
            .bind(start)
            .bind(end),
        )
        .await?;
    for (case_no, cause, At(deadline)) in late {
        let Some(excuse) = CreditCause::from_key(&cause).and_then(credit::excused) else {
            continue;
        };
        let entry = CreditRecord {
            org_id,
            cause: excuse,
            case_no: &case_no,
            deadline,
            at: acceptance.at,
        };
        record_credit(tx, &entry).await?;
        if excuse == CreditCause::ExcusedLateFirstDecision {
            tx.execute(sql("UPDATE cases SET overdue_at = NULL WHERE case_no = $1").bind(case_no.as_str()))
                .await?;
        }
    }
    Ok(())
}
