//! Idempotency records: a request retried with the same `Idempotency-Key` gets the first
//! answer instead of doing the work twice.
//!
//! A record is written in the same transaction as the work it stands for, holding a hash
//! of the request (the same key with another body is a client bug) and the answer that
//! was sent. Answers may carry secrets (a new case's tracking key), so they are cleared
//! after [`ANSWER_KEPT`]; the record itself stays, so the key can never do the work twice.

use chrono::{DateTime, Duration, Utc};

use super::Store;
use super::db::{StoreResult, Tx, sql};

/// How long a stored answer is kept for retries.
pub const ANSWER_KEPT: Duration = Duration::hours(24);

/// What an earlier request with the same key came to.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct IdempotentResult {
    pub request_hash: String,
    /// The case the request created or acted on.
    pub case_no: String,
    /// The answer sent, while it is kept.
    pub response: Option<String>,
}

impl Store {
    /// The earlier request under `scope` (whose keys these are) and `key`, if any.
    pub async fn idempotent_result(&self, scope: &str, key: &str) -> StoreResult<Option<IdempotentResult>> {
        self.read()
            .fetch_optional(
                sql("SELECT request_hash, case_no, response FROM idempotency WHERE scope = $1 AND idem_key = $2")
                    .bind(scope)
                    .bind(key),
            )
            .await
    }

    /// Clears answers older than [`ANSWER_KEPT`]; returns how many.
    pub async fn clear_old_answers(&self, now: DateTime<Utc>) -> StoreResult<u64> {
        self.write()
            .execute(
                sql("UPDATE idempotency SET response = NULL WHERE response IS NOT NULL AND created_at < $1")
                    .bind(now - ANSWER_KEPT),
            )
            .await
    }
}

/// Looks the key up inside a write transaction (locking the record on PostgreSQL).
pub(super) async fn find(tx: &mut Tx, scope: &str, key: &str) -> StoreResult<Option<IdempotentResult>> {
    let text = format!(
        "SELECT request_hash, case_no, response FROM idempotency WHERE scope = $1 AND idem_key = $2{}",
        tx.dialect().for_update()
    );
    tx.fetch_optional(sql(text).bind(scope).bind(key)).await
}

/// Claims the key for the work of this transaction, with its answer: `false` when an
/// earlier request holds it (on PostgreSQL, once that request's transaction committed;
/// one that rolled back leaves the key to this one).
pub(super) async fn claim(
    tx: &mut Tx,
    scope: &str,
    key: &str,
    result: &IdempotentResult,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    Ok(insert(tx, "ON CONFLICT (scope, idem_key) DO NOTHING", scope, key, result, now).await? == 1)
}

/// Records the key with its answer inside the work's transaction. A twin request racing
/// on PostgreSQL waits here and then fails with a uniqueness violation.
pub(super) async fn record(
    tx: &mut Tx,
    scope: &str,
    key: &str,
    result: &IdempotentResult,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    insert(tx, "", scope, key, result, now).await.map(drop)
}

/// The one insert of a key and its answer; `on_conflict` says what a twin key does.
async fn insert(
    tx: &mut Tx,
    on_conflict: &'static str,
    scope: &str,
    key: &str,
    result: &IdempotentResult,
    now: DateTime<Utc>,
) -> StoreResult<u64> {
    let text = format!(
        "INSERT INTO idempotency (scope, idem_key, request_hash, case_no, response, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) {on_conflict}"
    );
    tx.execute(
        sql(text)
            .bind(scope)
            .bind(key)
            .bind(&result.request_hash)
            .bind(&result.case_no)
            .bind(result.response.clone())
            .bind(now),
    )
    .await
}
