//! Cases, their claimed orders and evidence links, and their state changes.

use chrono::{DateTime, Utc};
use refund_api::{Actor, CaseKind, CaseState, EventKind};

use super::db::{At, Key, StoreError, StoreResult, Tx, keyed, sql};
use super::events::{self, AppendedEvent, NewEvent};
use super::idempotency::{self, IdempotentResult};
use super::{EvidenceRecord, Store, StoredEvent};

/// A case row joined with its game's name.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CaseRecord {
    pub case_no: String,
    #[sqlx(try_from = "Key")]
    pub kind: CaseKind,
    pub appid: String,
    pub openid: String,
    pub game_name: String,
    #[sqlx(try_from = "Key")]
    pub state: CaseState,
    pub details: String,
    pub claimed_fen: i64,
    #[sqlx(try_from = "At")]
    pub submitted_at: DateTime<Utc>,
    #[sqlx(try_from = "At")]
    pub due_at: DateTime<Utc>,
}

keyed!(CaseKind);

/// An order as claimed by a case.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClaimedOrderRecord {
    pub order_no: String,
    pub item: String,
    pub amount_fen: i64,
    #[sqlx(try_from = "At")]
    pub paid_at: DateTime<Utc>,
}

/// What a case is made of besides its own row.
#[derive(Debug, Clone)]
pub struct CaseParts {
    pub orders: Vec<ClaimedOrderRecord>,
    pub evidence: Vec<EvidenceRecord>,
    /// Oldest first.
    pub events: Vec<StoredEvent>,
}

/// Everything needed to store a new, already validated case.
#[derive(Debug, Clone)]
pub struct NewCaseRecord<'a> {
    /// `MR` or `CP`; the case number is the prefix, the year and a sequence.
    pub prefix: &'a str,
    pub kind: CaseKind,
    pub appid: &'a str,
    pub openid: &'a str,
    pub details: String,
    pub claims: Vec<(String, i64)>,
    pub claimed_fen: i64,
    pub evidence_ids: Vec<String>,
    pub submitted_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    /// The SHA-256 of the case's random tracking key (the key itself is never stored).
    pub tracking_key_hash: String,
    /// Whose Idempotency-Keys these are, and the key of this submission.
    pub idempotency_scope: &'a str,
    pub idempotency_key: &'a str,
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
    /// A twin request with the same key committed first; its result is the answer.
    #[error("a request with the same Idempotency-Key was stored meanwhile")]
    Raced,
    #[error(transparent)]
    Storage(#[from] StoreError),
}

pub(super) const CASE_COLUMNS: &str = "c.case_no, c.kind, c.appid, c.openid, g.name AS game_name, c.state, c.details,
    c.claimed_fen, c.submitted_at, c.due_at";

impl Store {
    /// Stores a case with its claims, evidence links and `submitted` event, exactly once
    /// per Idempotency-Key: `answer` gives, from the new case number, the response to keep
    /// for retries.
    pub async fn create_case(
        &self,
        new: NewCaseRecord<'_>,
        answer: impl FnOnce(&str) -> String,
    ) -> Result<CreateOutcome, CreateCaseError> {
        let mut tx = self.begin().await?;
        if let Some(earlier) = idempotency::find(&mut tx, new.idempotency_scope, new.idempotency_key).await? {
            return if earlier.request_hash == new.request_hash {
                Ok(CreateOutcome::Replayed(earlier))
            } else {
                Err(CreateCaseError::KeyReused)
            };
        }
        let case_no = next_case_no(&mut tx, new.prefix, new.submitted_at).await?;
        let result = IdempotentResult {
            request_hash: new.request_hash.clone(),
            case_no: case_no.clone(),
            response: Some(answer(&case_no)),
        };
        // First, so a twin on another connection waits here rather than on an order.
        match idempotency::record(
            &mut tx,
            new.idempotency_scope,
            new.idempotency_key,
            &result,
            new.submitted_at,
        )
        .await
        {
            Err(e) if e.is_unique_violation() => return Err(CreateCaseError::Raced),
            other => other?,
        }
        tx.execute(
            sql(
                "INSERT INTO cases (case_no, kind, appid, openid, state, details, claimed_fen, submitted_at, due_at,
                                    tracking_key_hash)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(&case_no)
            .bind(new.kind.key())
            .bind(new.appid)
            .bind(new.openid)
            .bind(CaseState::Submitted.key())
            .bind(&new.details)
            .bind(new.claimed_fen)
            .bind(new.submitted_at)
            .bind(new.due_at)
            .bind(&new.tracking_key_hash),
        )
        .await?;
        for (order_no, amount) in &new.claims {
            claim_order(&mut tx, &case_no, order_no, *amount).await?;
        }
        for id in &new.evidence_ids {
            let attached = tx
                .execute(
                    sql("UPDATE evidence SET case_no = $1
                         WHERE id = $2 AND appid = $3 AND openid = $4 AND case_no IS NULL")
                    .bind(&case_no)
                    .bind(id)
                    .bind(new.appid)
                    .bind(new.openid),
                )
                .await?;
            if attached != 1 {
                return Err(CreateCaseError::EvidenceTaken);
            }
        }
        let event = events::append(
            &mut tx,
            NewEvent {
                case_no: &case_no,
                appid: new.appid,
                openid: new.openid,
                at: new.submitted_at,
                actor: Actor::Player,
                kind: EventKind::Submitted,
                state: CaseState::Submitted,
                note: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(CreateOutcome::Created { case_no, event })
    }

    /// The player's cases, newest first.
    pub async fn player_cases(&self, appid: &str, openid: &str) -> StoreResult<Vec<CaseRecord>> {
        self.read()
            .fetch_all(
                sql(format!(
                    "SELECT {CASE_COLUMNS} FROM cases c JOIN games g ON g.appid = c.appid
                     WHERE c.appid = $1 AND c.openid = $2 ORDER BY c.submitted_at DESC, c.case_no DESC"
                ))
                .bind(appid)
                .bind(openid),
            )
            .await
    }

    /// One case, if it is the player's.
    pub async fn player_case(&self, case_no: &str, appid: &str, openid: &str) -> StoreResult<Option<CaseRecord>> {
        self.read()
            .fetch_optional(
                sql(format!(
                    "SELECT {CASE_COLUMNS} FROM cases c JOIN games g ON g.appid = c.appid
                     WHERE c.case_no = $1 AND c.appid = $2 AND c.openid = $3"
                ))
                .bind(case_no)
                .bind(appid)
                .bind(openid),
            )
            .await
    }

    /// One case, if the tracking key's hash matches.
    pub async fn tracked_case(&self, case_no: &str, key_hash: &str) -> StoreResult<Option<CaseRecord>> {
        self.read()
            .fetch_optional(
                sql(format!(
                    "SELECT {CASE_COLUMNS} FROM cases c JOIN games g ON g.appid = c.appid
                     WHERE c.case_no = $1 AND c.tracking_key_hash = $2"
                ))
                .bind(case_no)
                .bind(key_hash),
            )
            .await
    }

    /// The hash of the case's current tracking key (what a stream token is signed with).
    pub async fn tracking_key_hash(&self, case_no: &str) -> StoreResult<Option<String>> {
        let found: Option<(String,)> = self
            .read()
            .fetch_optional(sql("SELECT tracking_key_hash FROM cases WHERE case_no = $1").bind(case_no))
            .await?;
        Ok(found.map(|(hash,)| hash))
    }

    /// Replaces the player's case's tracking key (given as its hash); the old key stops
    /// working at once. A submission answer still kept for retries becomes `answer`, so a
    /// retry never hands out a revoked key. Returns whether the case is theirs.
    pub async fn replace_tracking_key(
        &self,
        case_no: &str,
        appid: &str,
        openid: &str,
        key_hash: &str,
        answer: &str,
    ) -> StoreResult<bool> {
        let mut tx = self.begin().await?;
        let changed = tx
            .execute(
                sql("UPDATE cases SET tracking_key_hash = $1 WHERE case_no = $2 AND appid = $3 AND openid = $4")
                    .bind(key_hash)
                    .bind(case_no)
                    .bind(appid)
                    .bind(openid),
            )
            .await?;
        if changed == 1 {
            tx.execute(
                sql("UPDATE idempotency SET response = $1 WHERE case_no = $2 AND response IS NOT NULL")
                    .bind(answer)
                    .bind(case_no),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(changed == 1)
    }

    /// A case's claimed orders, evidence and events.
    pub async fn case_parts(&self, case_no: &str) -> StoreResult<CaseParts> {
        let orders = self
            .read()
            .fetch_all(
                sql("SELECT co.order_no, o.item, co.amount_fen, o.paid_at
                     FROM case_orders co JOIN orders o ON o.order_no = co.order_no
                     WHERE co.case_no = $1 ORDER BY o.paid_at, co.order_no")
                .bind(case_no),
            )
            .await?;
        let evidence = self
            .read()
            .fetch_all(
                sql(
                    "SELECT id, sha256, size, media_type, category, file_name, case_no, created_at
                     FROM evidence WHERE case_no = $1 ORDER BY created_at, id",
                )
                .bind(case_no),
            )
            .await?;
        let events = self.case_events_after(case_no, 0).await?;
        Ok(CaseParts {
            orders,
            evidence,
            events,
        })
    }
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

impl Store {
    /// The open case holding an order, if any.
    pub async fn open_claim(&self, order_no: &str) -> StoreResult<Option<String>> {
        let holder: Option<(String,)> = self
            .read()
            .fetch_optional(sql("SELECT case_no FROM open_claims WHERE order_no = $1").bind(order_no))
            .await?;
        Ok(holder.map(|(case_no,)| case_no))
    }
}
