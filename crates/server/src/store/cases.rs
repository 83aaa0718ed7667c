//! Cases as read: their rows, claimed orders, evidence, events and decisions. Storing a new
//! case is `submissions`; changing one is `changes` and `decisions`.

use chrono::{DateTime, Utc};
use refund_api::{CaseKind, CaseState};

use super::db::{At, Key, StoreResult, keyed, sql};
use super::{DecisionRecord, EvidenceRecord, RefundRecord, Store, StoredEvent};

/// A case row joined with its game's name.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
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
    /// Raised in the transaction of every change to the case's [`CaseParts`] (by triggers,
    /// whoever writes): what a kept copy of the parts is checked against.
    pub version: i64,
    files_deleted_at: Option<At>,
    files_deleted: i64,
}

keyed!(CaseKind);

impl CaseRecord {
    /// When the retention job deleted the case's files, and how many there were.
    #[must_use]
    pub fn files_deleted(&self) -> Option<(DateTime<Utc>, i64)> {
        self.files_deleted_at.map(|At(at)| (at, self.files_deleted))
    }
}

/// An order as claimed by a case.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClaimedOrderRecord {
    pub order_no: String,
    pub item: String,
    pub amount_fen: i64,
    #[sqlx(try_from = "At")]
    pub paid_at: DateTime<Utc>,
}

/// What a case is made of besides its own row: everything its [`CaseRecord::version`]
/// stands for.
#[derive(Debug, Clone)]
pub struct CaseParts {
    pub orders: Vec<ClaimedOrderRecord>,
    pub evidence: Vec<EvidenceRecord>,
    /// Oldest first.
    pub events: Vec<StoredEvent>,
    pub decisions: Vec<DecisionRecord>,
    pub refunds: Vec<RefundRecord>,
}

pub(super) const CASE_COLUMNS: &str = "c.case_no, c.kind, c.appid, c.openid, g.name AS game_name, c.state, c.details,
    c.claimed_fen, c.submitted_at, c.due_at, c.version, c.files_deleted_at, c.files_deleted";

impl Store {
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

    /// A case's claimed orders, evidence, events and decisions, read now (see
    /// [`Store::case_contents`] for the kept copy).
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
        let (decisions, refunds) = self.case_decisions(case_no).await?;
        Ok(CaseParts {
            orders,
            evidence,
            events,
            decisions,
            refunds,
        })
    }
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
