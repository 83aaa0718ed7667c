//! Storing a new case: its row, claims, evidence links, idempotency record and
//! `submitted` event (with its notifications and webhook outbox), as one unit of writes.
//!
//! The unit goes through [`Store::write_unit`]: on SQLite it shares a transaction and its
//! flush with the submissions that arrive meanwhile (each in its own savepoint, so one
//! refused submission takes nothing of the others with it), on PostgreSQL it is a
//! transaction of its own. Either way the caller hears of the case only once it is
//! committed, and only then announces the event to live streams.
//!
//! Case numbers come from one counter row per series. On SQLite there is one writer, so
//! the number is drawn inside the unit and a refused unit gives it back (no gaps). On
//! PostgreSQL a number drawn inside the unit would hold that row's lock until the unit
//! commits, and every concurrent submission would queue behind it; there the number is
//! drawn first, in a short transaction of its own, and a unit that keeps nothing (refused,
//! or a retry answered from its first request) leaves a gap.

use chrono::{DateTime, Utc};
use futures::FutureExt;
use refund_api::{Actor, CaseKind, CaseState, EventKind};

use super::db::{Dialect, StoreError, StoreResult, Tx, sql};
use super::events::{self, AppendedEvent, NewEvent};
use super::idempotency::{self, IdempotentResult};
use super::{Store, Work};

/// Everything needed to store a new, already validated case.
#[derive(Debug, Clone)]
pub struct NewCaseRecord {
    /// `MR` or `CP`; the case number is the prefix, the year and a sequence.
    pub prefix: &'static str,
    pub kind: CaseKind,
    pub appid: String,
    pub openid: String,
    pub details: String,
    pub claims: Vec<(String, i64)>,
    pub claimed_fen: i64,
    pub evidence_ids: Vec<String>,
    pub submitted_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    /// The SHA-256 of the case's random tracking key (the key itself is never stored).
    pub tracking_key_hash: String,
    /// Whose Idempotency-Keys these are, and the key of this submission.
    pub idempotency_scope: String,
    pub idempotency_key: String,
    /// A hash of the request body: the same key with another body is a client bug.
    pub request_hash: String,
}

/// What storing a case came to.
#[derive(Debug, Clone)]
pub enum CreateOutcome {
    Created {
        case_no: String,
        event: AppendedEvent,
    },
    /// The same Idempotency-Key was seen before: that request's result is the answer.
    Replayed(IdempotentResult),
}

/// Why a case could not be stored.
#[derive(Debug, thiserror::Error)]
pub enum CreateCaseError {
    /// The holder is named by [`Store::open_claim`]: on PostgreSQL it may be uncommitted here.
    #[error("order {order_no} is already in an open case")]
    OrderInOpenCase { order_no: String },
    #[error("the Idempotency-Key was used for a different request")]
    KeyReused,
    #[error("an evidence file is no longer available")]
    EvidenceTaken,
    #[error(transparent)]
    Storage(#[from] StoreError),
}

impl Store {
    /// Stores a case with its claims, evidence links and `submitted` event, exactly once
    /// per Idempotency-Key: `answer` gives, from the new case number, the response to keep
    /// for retries. Returns once the case is committed.
    pub async fn create_case(
        &self,
        new: NewCaseRecord,
        answer: impl FnOnce(&str) -> String + Send + 'static,
    ) -> Result<CreateOutcome, CreateCaseError> {
        let drawn = match self.dialect() {
            Dialect::Postgres => Some(self.draw_case_no(new.prefix, new.submitted_at).await?),
            Dialect::Sqlite => None,
        };
        let work: Work<CreateOutcome, Unkept> = Box::new(move |tx| insert_case(tx, new, drawn, answer).boxed());
        match self.write_unit(work).await {
            Ok(created) => Ok(created),
            Err(Unkept::Seen(earlier)) => Ok(CreateOutcome::Replayed(earlier)),
            Err(Unkept::Refused(refusal)) => Err(refusal),
        }
    }

    /// Draws a case number outside any unit (PostgreSQL): the counter row is locked only
    /// for this short transaction. Its commit need not wait for the disk: a case using the
    /// number commits later in the same write-ahead log, so once that case is durable the
    /// counter is too, and a counter lost in a crash was used by no durable case.
    async fn draw_case_no(&self, prefix: &str, at: DateTime<Utc>) -> StoreResult<String> {
        let mut tx = self.begin().await?;
        tx.execute(sql("SET LOCAL synchronous_commit = off")).await?;
        let case_no = next_case_no(&mut tx, prefix, at).await?;
        tx.commit().await?;
        Ok(case_no)
    }
}

/// Why a unit storing a case keeps nothing: a refusal, or an earlier request with the same
/// key, whose result is then the answer (the case number drawn meanwhile goes back too).
enum Unkept {
    Refused(CreateCaseError),
    Seen(IdempotentResult),
}

impl<E: Into<CreateCaseError>> From<E> for Unkept {
    fn from(error: E) -> Self {
        Self::Refused(error.into())
    }
}

/// Stores the case under `drawn`, the number drawn beforehand, or else a number drawn here.
async fn insert_case(
    tx: &mut Tx,
    new: NewCaseRecord,
    drawn: Option<String>,
    answer: impl FnOnce(&str) -> String,
) -> Result<CreateOutcome, Unkept> {
    let case_no = match drawn {
        Some(case_no) => case_no,
        None => next_case_no(tx, new.prefix, new.submitted_at).await?,
    };
    let result = IdempotentResult {
        request_hash: new.request_hash.clone(),
        case_no: case_no.clone(),
        response: Some(answer(&case_no)),
    };
    // The key before anything else of the case: a twin on another connection waits here
    // (PostgreSQL), and a retry in the same batch (SQLite) finds it taken.
    let (scope, key) = (&new.idempotency_scope, &new.idempotency_key);
    if !idempotency::claim(tx, scope, key, &result, new.submitted_at).await? {
        let earlier = idempotency::find(tx, scope, key)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("idempotency key {key:?} held by no record")))?;
        return Err(if earlier.request_hash == new.request_hash {
            Unkept::Seen(earlier)
        } else {
            Unkept::Refused(CreateCaseError::KeyReused)
        });
    }
    tx.execute(
        sql(
            "INSERT INTO cases (case_no, kind, appid, openid, state, details, claimed_fen, submitted_at, due_at,
                                tracking_key_hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&case_no)
        .bind(new.kind.key())
        .bind(&new.appid)
        .bind(&new.openid)
        .bind(CaseState::Submitted.key())
        .bind(&new.details)
        .bind(new.claimed_fen)
        .bind(new.submitted_at)
        .bind(new.due_at)
        .bind(&new.tracking_key_hash),
    )
    .await?;
    for (order_no, amount) in &new.claims {
        claim_order(tx, &case_no, order_no, *amount).await?;
    }
    attach_uploads(tx, &case_no, &new).await?;
    let event = events::append(
        tx,
        NewEvent {
            case_no: &case_no,
            appid: &new.appid,
            openid: &new.openid,
            at: new.submitted_at,
            actor: Actor::Player,
            kind: EventKind::Submitted,
            state: CaseState::Submitted,
            note: None,
        },
    )
    .await?;
    Ok(CreateOutcome::Created { case_no, event })
}

/// Attaches the player's unattached uploads to the case, a few hundred per statement (ids
/// are distinct: the application check removed repeats); any other id fails the unit.
async fn attach_uploads(tx: &mut Tx, case_no: &str, new: &NewCaseRecord) -> Result<(), CreateCaseError> {
    /// Well below either backend's limit on parameters.
    const PER_STATEMENT: usize = 500;
    let mut attached = 0;
    for ids in new.evidence_ids.chunks(PER_STATEMENT) {
        let params: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 4)).collect();
        let statement = ids.iter().fold(
            // The owner is compared through a cast, so SQLite finds the rows by primary key
            // instead of walking every upload of the player (`evidence_by_owner`).
            sql(format!(
                "UPDATE evidence SET case_no = $1
                 WHERE id IN ({}) AND CAST(appid AS TEXT) = $2 AND openid = $3 AND case_no IS NULL",
                params.join(", ")
            ))
            .bind(case_no)
            .bind(&new.appid)
            .bind(&new.openid),
            |statement, id| statement.bind(id),
        );
        attached += tx.execute(statement).await?;
    }
    if attached != new.evidence_ids.len() as u64 {
        return Err(CreateCaseError::EvidenceTaken);
    }
    Ok(())
}

/// Next number in the readable sequence, e.g. `MR-2026-000042`.
async fn next_case_no(tx: &mut Tx, prefix: &str, at: DateTime<Utc>) -> StoreResult<String> {
    // The year as people in China see it: a case filed at 07:00 on 1 January is this year's.
    let year = at.with_timezone(&crate::domain::calendar::shanghai()).format("%Y");
    let series = format!("{prefix}-{year}");
    let (last,): (i64,) = tx
        .fetch_one(
            sql("INSERT INTO case_numbers (prefix, last) VALUES ($1, 1)
                 ON CONFLICT (prefix) DO UPDATE SET last = case_numbers.last + 1 RETURNING last")
            .bind(&series),
        )
        .await?;
    Ok(format!("{series}-{last:06}"))
}

async fn claim_order(tx: &mut Tx, case_no: &str, order_no: &str, amount_fen: i64) -> Result<(), CreateCaseError> {
    let claimed = tx
        .execute(
            sql("INSERT INTO open_claims (order_no, case_no) VALUES ($1, $2)")
                .bind(order_no)
                .bind(case_no),
        )
        .await;
    if let Err(error) = claimed {
        if !error.is_unique_violation() {
            return Err(error.into());
        }
        return Err(CreateCaseError::OrderInOpenCase {
            order_no: order_no.to_owned(),
        });
    }
    tx.execute(
        sql("INSERT INTO case_orders (case_no, order_no, amount_fen) VALUES ($1, $2, $3)")
            .bind(case_no)
            .bind(order_no)
            .bind(amount_fen),
    )
    .await?;
    Ok(())
}
