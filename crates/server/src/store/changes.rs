//! State changes of a case: one transaction that checks the current state, applies the
//! state machine's answer, releases the orders of a case that closes, sets a new
//! deadline, attaches uploads, records the idempotency key and a credit deduction, and
//! appends the event (announced to other processes on PostgreSQL).

use chrono::{DateTime, Utc};
use refund_api::{Actor, AppealReason, CaseState, EventKind};

use super::cases::CASE_COLUMNS;
use super::db::{StoreError, StoreResult, Tx, sql};
use super::events::{self, AppendedEvent, NewEvent};
use super::idempotency::{self, IdempotentResult};
use super::{CaseRecord, Store};
use crate::domain::credit::{self, CreditCause};

/// Why a state change was not stored.
#[derive(Debug, thiserror::Error)]
pub enum ChangeError<E> {
    #[error("no such case")]
    NotFound,
    /// An upload to attach is not the player's, or is in a case already.
    #[error("an evidence file is no longer available")]
    EvidenceTaken,
    #[error(transparent)]
    Refused(E),
    #[error(transparent)]
    Storage(#[from] StoreError),
}

/// One change of a case's state, as the case service asks for it.
#[derive(Debug, Clone)]
pub struct StateChange<'a> {
    pub case_no: &'a str,
    /// When set, only this player's (appid, openid) case is found.
    pub owner: Option<(&'a str, &'a str)>,
    pub actor: Actor,
    pub kind: EventKind,
    pub note: Option<&'a str>,
    pub at: DateTime<Utc>,
    /// A new deadline (an appeal's); the due-soon notice may then come again.
    pub due_at: Option<DateTime<Utc>>,
    /// Uploads of the case's player to attach to the case with the change.
    pub evidence_ids: &'a [String],
    /// `(scope, key, request hash)`: recorded with the change, so a retry is recognised.
    pub idempotency: Option<(&'a str, &'a str, &'a str)>,
    /// A credit deduction for the organisation owning the case's game (once per case).
    pub credit: Option<CreditCause>,
    /// The player's appeal: why, and their statement.
    pub appeal: Option<(AppealReason, &'a str)>,
}

impl<'a> StateChange<'a> {
    /// A change with nothing but an event: no deadline, uploads, key or credit.
    #[must_use]
    pub fn new(case_no: &'a str, actor: Actor, kind: EventKind, at: DateTime<Utc>) -> Self {
        Self {
            case_no,
            owner: None,
            actor,
            kind,
            note: None,
            at,
            due_at: None,
            evidence_ids: &[],
            idempotency: None,
            credit: None,
            appeal: None,
        }
    }
}

impl Store {
    /// Moves a case to the state `next_state` allows from its current one, in one
    /// transaction with everything the change carries: the event, a new deadline, the
    /// attached uploads, the idempotency record and a credit deduction. A case that
    /// leaves the open states releases its orders.
    pub async fn change_state<E>(
        &self,
        change: StateChange<'_>,
        next_state: impl FnOnce(CaseState) -> Result<CaseState, E>,
    ) -> Result<(CaseRecord, AppendedEvent), ChangeError<E>> {
        let case_no = change.case_no;
        let mut tx = self.begin().await?;
        let lock = format!(
            "SELECT c.state, c.appid, c.openid, g.org_id, c.due_at FROM cases c JOIN games g ON g.appid = c.appid
             WHERE c.case_no = $1{}",
            tx.dialect().for_update()
        );
        let current: Option<(String, String, String, String, super::values::At)> =
            tx.fetch_optional(sql(lock).bind(case_no)).await?;
        let Some((state, appid, openid, org_id, super::values::At(deadline))) = current else {
            return Err(ChangeError::NotFound);
        };
        if change
            .owner
            .is_some_and(|(a, o)| (a, o) != (appid.as_str(), openid.as_str()))
        {
            return Err(ChangeError::NotFound);
        }
        let state = CaseState::from_key(&state).ok_or_else(|| StoreError::Corrupt(format!("case state {state:?}")))?;
        let next = next_state(state).map_err(ChangeError::Refused)?;
        set_state(&mut tx, case_no, next).await?;
        if let Some(due_at) = change.due_at {
            tx.execute(
                sql("UPDATE cases SET due_at = $1, due_soon_at = NULL WHERE case_no = $2")
                    .bind(due_at)
                    .bind(case_no),
            )
            .await?;
        }
        attach_evidence(&mut tx, case_no, &appid, &openid, change.evidence_ids).await?;
        if let Some((scope, key, request_hash)) = change.idempotency {
            let result = IdempotentResult {
                request_hash: request_hash.to_owned(),
                case_no: case_no.to_owned(),
                response: None,
            };
            idempotency::record(&mut tx, scope, key, &result, change.at).await?;
        }
        if let Some((reason, statement)) = change.appeal {
            tx.execute(
                sql(
                    "INSERT INTO appeals (case_no, reason, statement, appealed_at, evidence_ids)
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(case_no)
                .bind(reason.key())
                .bind(statement)
                .bind(change.at)
                .bind(serde_json::to_string(change.evidence_ids).unwrap_or_else(|_| "[]".to_owned())),
            )
            .await?;
        }
        if let Some(cause) = change.credit {
            let entry = CreditRecord {
                org_id: &org_id,
                cause,
                case_no,
                deadline,
                at: change.at,
            };
            record_credit(&mut tx, &entry).await?;
        }
        let event = events::append(
            &mut tx,
            NewEvent {
                case_no,
                appid: &appid,
                openid: &openid,
                at: change.at,
                actor: change.actor,
                kind: change.kind,
                state: next,
                note: change.note,
            },
        )
        .await?;
        let case = tx
            .fetch_one(
                sql(format!(
                    "SELECT {CASE_COLUMNS} FROM cases c JOIN games g ON g.appid = c.appid WHERE c.case_no = $1"
                ))
                .bind(case_no),
            )
            .await?;
        tx.commit().await?;
        Ok((case, event))
    }
}

/// Attaches uploads of the case's player that are in no case yet; any other id fails
/// the whole change.
async fn attach_evidence<E>(
    tx: &mut Tx,
    case_no: &str,
    appid: &str,
    openid: &str,
    ids: &[String],
) -> Result<(), ChangeError<E>> {
    for id in ids {
        let attached = tx
            .execute(
                sql("UPDATE evidence SET case_no = $1
                     WHERE id = $2 AND appid = $3 AND openid = $4 AND case_no IS NULL")
                .bind(case_no)
                .bind(id)
                .bind(appid)
                .bind(openid),
            )
            .await?;
        if attached != 1 {
            return Err(ChangeError::EvidenceTaken);
        }
    }
    Ok(())
}

/// A credit entry to record for a case.
#[derive(Debug, Clone, Copy)]
pub(super) struct CreditRecord<'a> {
    pub org_id: &'a str,
    pub cause: CreditCause,
    pub case_no: &'a str,
    /// The case's deadline as the entry is recorded (the one missed, for lateness).
    pub deadline: DateTime<Utc>,
    pub at: DateTime<Utc>,
}

/// Records a credit entry inside the caller's transaction, once per case and cause, and
/// only where the rules allow it at the current score (points come back only up to the
/// start). The organisation's row is locked first on PostgreSQL, so two processes cannot
/// both read the same score.
pub(super) async fn record_credit(tx: &mut Tx, entry: &CreditRecord<'_>) -> StoreResult<()> {
    let CreditRecord {
        org_id,
        cause,
        case_no,
        deadline,
        at,
    } = *entry;
    let lock = format!(
        "SELECT org_id FROM organizations WHERE org_id = $1{}",
        tx.dialect().for_update()
    );
    tx.fetch_optional::<(String,)>(sql(lock).bind(org_id)).await?;
    let (total,): (i64,) = tx
        .fetch_one(
            sql("SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM credit_ledger WHERE org_id = $1").bind(org_id),
        )
        .await?;
    let Some(points) = credit::granted(cause, credit::START + total) else {
        return Ok(());
    };
    tx.execute(
        sql(
            "INSERT INTO credit_ledger (org_id, at, points, cause, case_no, deadline_at) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (org_id, cause, case_no) DO NOTHING",
        )
        .bind(org_id)
        .bind(at)
        .bind(points)
        .bind(cause.key())
        .bind(case_no)
        .bind(deadline),
    )
    .await?;
    Ok(())
}

/// Moves a case to `next` inside the caller's transaction; a case that leaves the open
/// states releases its orders, so they can be claimed again.
pub(super) async fn set_state(tx: &mut Tx, case_no: &str, next: CaseState) -> StoreResult<()> {
    tx.execute(
        sql("UPDATE cases SET state = $1 WHERE case_no = $2")
            .bind(next.key())
            .bind(case_no),
    )
    .await?;
    if !next.is_open() {
        tx.execute(sql("DELETE FROM open_claims WHERE case_no = $1").bind(case_no))
            .await?;
    }
    Ok(())
}

/// Whose cases a caller may act on.
#[derive(Debug, Clone, Copy)]
pub enum CaseScope<'a> {
    /// The case's own player.
    Player { appid: &'a str, openid: &'a str },
    /// A developer of the organisation that owns the case's game.
    Org(&'a str),
    /// Platform staff and the system.
    Any,
}

/// Something that happens on a case without changing its state (a message, a phone
/// revealed), as the caller asks for it.
#[derive(Debug, Clone)]
pub struct CaseNote<'a> {
    pub case_no: &'a str,
    pub scope: CaseScope<'a>,
    pub actor: Actor,
    pub kind: EventKind,
    pub note: Option<&'a str>,
    /// The player's uploads to attach to the case with it.
    pub evidence_ids: &'a [String],
    pub at: DateTime<Utc>,
}

impl Store {
    /// Appends an event that does not change the case's state, if `allowed` accepts the
    /// current state; attaches the given uploads of the case's player in the same
    /// transaction. Returns the case's details (as JSON) with the event.
    pub async fn record_event<E>(
        &self,
        note: CaseNote<'_>,
        allowed: impl FnOnce(CaseState) -> Result<(), E>,
    ) -> Result<(String, AppendedEvent), ChangeError<E>> {
        let mut tx = self.begin().await?;
        let lock = format!(
            "SELECT c.state, c.appid, c.openid, g.org_id, c.details FROM cases c JOIN games g ON g.appid = c.appid
             WHERE c.case_no = $1{}",
            tx.dialect().for_update()
        );
        let found: Option<(String, String, String, String, String)> =
            tx.fetch_optional(sql(lock).bind(note.case_no)).await?;
        let Some((state, appid, openid, org_id, details)) = found else {
            return Err(ChangeError::NotFound);
        };
        let visible = match note.scope {
            CaseScope::Player { appid: a, openid: o } => (a, o) == (appid.as_str(), openid.as_str()),
            CaseScope::Org(org) => org == org_id,
            CaseScope::Any => true,
        };
        if !visible {
            return Err(ChangeError::NotFound);
        }
        let state = CaseState::from_key(&state).ok_or_else(|| StoreError::Corrupt(format!("case state {state:?}")))?;
        allowed(state).map_err(ChangeError::Refused)?;
        attach_evidence(&mut tx, note.case_no, &appid, &openid, note.evidence_ids).await?;
        let event = events::append(
            &mut tx,
            NewEvent {
                case_no: note.case_no,
                appid: &appid,
                openid: &openid,
                at: note.at,
                actor: note.actor,
                kind: note.kind,
                state,
                note: note.note,
            },
        )
        .await?;
        tx.commit().await?;
        Ok((details, event))
    }
}
