//! What is waiting to be done, as the operator's metrics read it at scrape time: the job
//! queue by kind, and the webhook outbox's size and oldest delivery.

use chrono::{DateTime, Utc};

use super::Store;
use super::db::{At, StoreResult, sql};

/// The unfinished jobs of one kind.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct JobBacklog {
    /// The stored kind (see `jobs::JobKind`).
    pub kind: String,
    /// Jobs not yet done, due or not (recurring sweeps are always here once).
    pub pending: i64,
    /// Of those, the ones whose run time has come.
    pub due: i64,
}

/// Webhook deliveries not yet made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxLag {
    /// Deliveries still pending (first attempt or a retry to come).
    pub undelivered: i64,
    /// When the oldest of them was queued; `None` when nothing waits.
    pub oldest: Option<DateTime<Utc>>,
}

impl Store {
    /// The unfinished jobs at `now`, one row per kind that has any.
    pub async fn job_backlog(&self, now: DateTime<Utc>) -> StoreResult<Vec<JobBacklog>> {
        self.read()
            .fetch_all(
                sql("SELECT kind, COUNT(*) AS pending,
                            CAST(SUM(CASE WHEN run_at <= $1 THEN 1 ELSE 0 END) AS BIGINT) AS due
                     FROM jobs WHERE done = 0 GROUP BY kind ORDER BY kind")
                .bind(now),
            )
            .await
    }

    /// How many webhook deliveries wait, and since when the oldest has.
    pub async fn outbox_lag(&self) -> StoreResult<OutboxLag> {
        let (undelivered, oldest): (i64, Option<At>) = self
            .read()
            .fetch_one(sql(
                "SELECT COUNT(*), MIN(created_at) FROM webhook_deliveries WHERE status = 'pending'",
            ))
            .await?;
        Ok(OutboxLag {
            undelivered,
            oldest: oldest.map(DateTime::from),
        })
    }
}
