//! State changes of a case: one transaction that checks the current state, applies the
//! state machine's answer, releases the orders of a case that closes, and appends the
//! event (announced to other processes on PostgreSQL).

use chrono::{DateTime, Utc};
use refund_api::{Actor, CaseState, EventKind};

use super::cases::CASE_COLUMNS;
use super::db::{StoreError, StoreResult, Tx, sql};
use super::events::{self, AppendedEvent, NewEvent};
use super::{CaseRecord, Store};

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

impl Store {
    /// Moves a case to the state `next_state` allows from its current one and appends the
    /// event, in one transaction; with `owner` set, only that player's case is found. A
    /// case that leaves the open states releases its orders.
    #[expect(
        clippy::too_many_arguments,
        reason = "one unit of work; a struct would only rename them"
    )]
    pub async fn change_state<E>(
        &self,
        case_no: &str,
        owner: Option<(&str, &str)>,
        actor: Actor,
        kind: EventKind,
        note: Option<&str>,
        at: DateTime<Utc>,
        next_state: impl FnOnce(CaseState) -> Result<CaseState, E>,
    ) -> Result<(CaseRecord, AppendedEvent), ChangeError<E>> {
        let mut tx = self.begin().await?;
        let lock = format!(
            "SELECT state, appid, openid FROM cases WHERE case_no = $1{}",
            tx.dialect().for_update()
        );
        let current: Option<(String, String, String)> = tx.fetch_optional(sql(lock).bind(case_no)).await?;
        let Some((state, appid, openid)) = current else {
            return Err(ChangeError::NotFound);
        };
        if owner.is_some_and(|(a, o)| (a, o) != (appid.as_str(), openid.as_str())) {
            return Err(ChangeError::NotFound);
        }
        let state = CaseState::from_key(&state).ok_or_else(|| StoreError::Corrupt(format!("case state {state:?}")))?;
        let next = next_state(state).map_err(ChangeError::Refused)?;
        set_state(&mut tx, case_no, next).await?;
        let event = events::append(
            &mut tx,
            NewEvent {
                case_no,
                appid: &appid,
                openid: &openid,
                at,
                actor,
                kind,
                state: next,
                note,
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
        for id in note.evidence_ids {
            let attached = tx
                .execute(
                    sql("UPDATE evidence SET case_no = $1
                         WHERE id = $2 AND appid = $3 AND openid = $4 AND case_no IS NULL")
                    .bind(note.case_no)
                    .bind(id)
                    .bind(&appid)
                    .bind(&openid),
                )
                .await?;
            if attached != 1 {
                return Err(ChangeError::EvidenceTaken);
            }
        }
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
