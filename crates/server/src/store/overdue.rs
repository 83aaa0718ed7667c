//! Deadlines: cases overdue (the first decision's deadline passed without one), due soon
//! (one working day left, so the developer is told once), past their appeal deadline, and
//! the platform's queue they then join.
//!
//! One transaction per case: the mark is set only where none is (so a rerun, a restart
//! or a second process finds nothing left to do), the `overdue` event is appended (the
//! state does not change: the developer can still decide), and the organisation's
//! credit deduction is recorded once per case.

use chrono::{DateTime, Utc};
use refund_api::{Actor, CaseState, EventKind};

use super::Store;
use super::changes::CreditRecord;
use super::db::{StoreResult, sql};
use super::events::{self, AppendedEvent, NewEvent};
use crate::domain::credit::CreditCause;

/// A case just marked overdue.
#[derive(Debug, Clone)]
pub struct MarkedOverdue {
    pub org_id: String,
    pub event: AppendedEvent,
}

impl Store {
    /// Cases awaiting their first decision whose deadline is before `now`, not yet marked.
    pub async fn cases_past_first_deadline(&self, now: DateTime<Utc>) -> StoreResult<Vec<String>> {
        let rows: Vec<(String,)> = self
            .read()
            .fetch_all(
                sql(
                    "SELECT case_no FROM cases WHERE state = $1 AND due_at < $2 AND overdue_at IS NULL
                     ORDER BY due_at",
                )
                .bind(CaseState::Submitted.key())
                .bind(now),
            )
            .await?;
        Ok(rows.into_iter().map(|(case_no,)| case_no).collect())
    }

    /// Marks one case overdue, with its event and credit deduction; `None` when it was
    /// decided, marked or not yet due meanwhile.
    pub async fn mark_overdue(&self, case_no: &str, now: DateTime<Utc>) -> StoreResult<Option<MarkedOverdue>> {
        let mut tx = self.begin().await?;
        let marked: Option<(String, String, String, super::values::At)> = tx
            .fetch_optional(
                sql("UPDATE cases SET overdue_at = $1
                     WHERE case_no = $2 AND state = $3 AND due_at < $1 AND overdue_at IS NULL
                     RETURNING appid, openid, (SELECT org_id FROM games g WHERE g.appid = cases.appid), due_at")
                .bind(now)
                .bind(case_no)
                .bind(CaseState::Submitted.key()),
            )
            .await?;
        let Some((appid, openid, org_id, super::values::At(deadline))) = marked else {
            return Ok(None);
        };
        let event = events::append(
            &mut tx,
            NewEvent {
                case_no,
                appid: &appid,
                openid: &openid,
                at: now,
                actor: Actor::System,
                kind: EventKind::Overdue,
                state: CaseState::Submitted,
                note: None,
            },
        )
        .await?;
        let entry = CreditRecord {
            org_id: &org_id,
            cause: CreditCause::LateFirstDecision,
            case_no,
            deadline,
            at: now,
        };
        super::changes::record_credit(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(Some(MarkedOverdue { org_id, event }))
    }

    /// Cases awaiting their first decision, not yet overdue nor told they are due soon,
    /// whose deadline is before `horizon`, as `(case_no, due_at)`: the candidates the
    /// calendar then picks the due-soon ones from.
    pub async fn cases_due_before(
        &self,
        now: DateTime<Utc>,
        horizon: DateTime<Utc>,
    ) -> StoreResult<Vec<(String, DateTime<Utc>)>> {
        let rows: Vec<(String, super::values::At)> = self
            .read()
            .fetch_all(
                sql("SELECT case_no, due_at FROM cases
                     WHERE state IN ($1, $4) AND due_at >= $2 AND due_at < $3 AND due_soon_at IS NULL
                     ORDER BY due_at")
                .bind(CaseState::Submitted.key())
                .bind(now)
                .bind(horizon)
                .bind(CaseState::Appealed.key()),
            )
            .await?;
        Ok(rows.into_iter().map(|(case_no, at)| (case_no, at.0)).collect())
    }

    /// Tells the developer, once, that one working day is left: sets the mark and appends
    /// the `due_soon` event; `None` when the case was decided or marked meanwhile.
    pub async fn mark_due_soon(&self, case_no: &str, now: DateTime<Utc>) -> StoreResult<Option<AppendedEvent>> {
        let mut tx = self.begin().await?;
        let marked: Option<(String, String, String)> = tx
            .fetch_optional(
                sql("UPDATE cases SET due_soon_at = $1
                     WHERE case_no = $2 AND state IN ($3, $4) AND due_at >= $1 AND due_soon_at IS NULL
                     RETURNING appid, openid, state")
                .bind(now)
                .bind(case_no)
                .bind(CaseState::Submitted.key())
                .bind(CaseState::Appealed.key()),
            )
            .await?;
        let Some((appid, openid, state)) = marked else {
            return Ok(None);
        };
        let event = events::append(
            &mut tx,
            NewEvent {
                case_no,
                appid: &appid,
                openid: &openid,
                at: now,
                actor: Actor::System,
                kind: EventKind::DueSoon,
                state: CaseState::from_key(&state).unwrap_or(CaseState::Submitted),
                note: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Some(event))
    }

    /// Appealed cases whose appeal deadline is before `now`: they go to the platform.
    pub async fn cases_past_appeal_deadline(&self, now: DateTime<Utc>) -> StoreResult<Vec<String>> {
        let rows: Vec<(String,)> = self
            .read()
            .fetch_all(
                sql("SELECT case_no FROM cases WHERE state = $1 AND due_at < $2 ORDER BY due_at")
                    .bind(CaseState::Appealed.key())
                    .bind(now),
            )
            .await?;
        Ok(rows.into_iter().map(|(case_no,)| case_no).collect())
    }

    /// Cases awaiting the platform, oldest first: `(case_no, the kind of the event that
    /// sent it, when)`.
    pub async fn platform_queue(&self) -> StoreResult<Vec<(String, EventKind, DateTime<Utc>)>> {
        let rows: Vec<(String, String, super::values::At)> = self
            .read()
            .fetch_all(
                sql("SELECT c.case_no, e.kind, e.at FROM cases c
                     JOIN case_events e ON e.id = (
                         SELECT MAX(id) FROM case_events
                         WHERE case_no = c.case_no AND kind IN ($2, $3))
                     WHERE c.state = $1
                     ORDER BY e.at, e.id")
                .bind(CaseState::PlatformReview.key())
                .bind(EventKind::Escalated.key())
                .bind(EventKind::AppealOverdue.key()),
            )
            .await?;
        rows.into_iter()
            .map(|(case_no, kind, at)| {
                let kind = EventKind::from_key(&kind)
                    .ok_or_else(|| super::db::StoreError::Corrupt(format!("event kind {kind:?}")))?;
                Ok((case_no, kind, at.0))
            })
            .collect()
    }
}
