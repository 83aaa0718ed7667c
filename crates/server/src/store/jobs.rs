//! The durable job queue: jobs are rows, so they survive restarts and are shared by every
//! process on the database.
//!
//! A job is claimed by setting a lease (`locked_until`) and the claimer's id in one
//! statement; on PostgreSQL the candidate row is picked `FOR UPDATE SKIP LOCKED`, so
//! processes claiming at once each get a different job and never wait on each other.
//! Only the claimer can finish or fail its job. A process that dies mid-run leaves its
//! lease to expire, after which another process runs the job again: handlers are
//! written so a second run finds nothing left to do.

use chrono::{DateTime, Utc};

use super::Store;
use super::db::{At, StoreResult, sql};

/// A claimed job.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JobRecord {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    /// Runs so far, this one included.
    pub attempts: i64,
    #[sqlx(try_from = "At")]
    pub run_at: DateTime<Utc>,
    /// Set for a recurring job (it is unique by this key and scheduled again when done).
    pub unique_key: Option<String>,
}

/// A job to enqueue.
#[derive(Debug, Clone)]
pub struct NewJob<'a> {
    pub kind: &'a str,
    pub payload: String,
    pub run_at: DateTime<Utc>,
    /// At most one unfinished job per unique key (a recurring sweep, say).
    pub unique_key: Option<&'a str>,
}

/// A job row as an operator or a test inspects it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JobStatus {
    pub id: i64,
    pub kind: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    #[sqlx(try_from = "At")]
    pub run_at: DateTime<Utc>,
    pub done: i64,
}

/// Adds a job inside the caller's transaction (an outbox: it exists only if the work
/// that asks for it commits).
pub(super) async fn enqueue_in(tx: &mut super::db::Tx, job: NewJob<'_>, now: DateTime<Utc>) -> StoreResult<()> {
    tx.execute(
        sql(
            "INSERT INTO jobs (kind, payload, run_at, attempts, unique_key, done, created_at)
             VALUES ($1, $2, $3, 0, $4, 0, $5)
             ON CONFLICT (unique_key) DO NOTHING",
        )
        .bind(job.kind)
        .bind(job.payload)
        .bind(job.run_at)
        .bind(job.unique_key)
        .bind(now),
    )
    .await?;
    Ok(())
}

impl Store {
    /// Adds a job; returns its id, or `None` when an unfinished job has the same unique key.
    pub async fn enqueue_job(&self, job: NewJob<'_>, now: DateTime<Utc>) -> StoreResult<Option<i64>> {
        let inserted: Option<(i64,)> = self
            .write()
            .fetch_optional(
                sql(
                    "INSERT INTO jobs (kind, payload, run_at, attempts, unique_key, done, created_at)
                     VALUES ($1, $2, $3, 0, $4, 0, $5)
                     ON CONFLICT (unique_key) DO NOTHING RETURNING id",
                )
                .bind(job.kind)
                .bind(job.payload)
                .bind(job.run_at)
                .bind(job.unique_key)
                .bind(now),
            )
            .await?;
        Ok(inserted.map(|(id,)| id))
    }

    /// Claims the next due job for `worker` until `lease_until`, if one is due.
    pub async fn claim_job(
        &self,
        worker: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> StoreResult<Option<JobRecord>> {
        let skip_locked = match self.dialect() {
            super::Dialect::Sqlite => "",
            super::Dialect::Postgres => " FOR UPDATE SKIP LOCKED",
        };
        self.write()
            .fetch_optional(
                sql(format!(
                    "UPDATE jobs SET locked_by = $1, locked_until = $2, attempts = attempts + 1
                     WHERE id = (SELECT id FROM jobs
                                 WHERE done = 0 AND run_at <= $3 AND (locked_until IS NULL OR locked_until < $3)
                                 ORDER BY run_at, id LIMIT 1{skip_locked})
                     RETURNING id, kind, payload, attempts, run_at, unique_key"
                ))
                .bind(worker)
                .bind(lease_until)
                .bind(now),
            )
            .await
    }

    /// Marks `worker`'s job done, or, for a recurring job, schedules its next run at
    /// `again_at`. Returns false when the lease was lost (another worker has the job).
    pub async fn finish_job(&self, id: i64, worker: &str, again_at: Option<DateTime<Utc>>) -> StoreResult<bool> {
        let statement = match again_at {
            Some(at) => sql(
                "UPDATE jobs SET run_at = $3, attempts = 0, last_error = NULL, locked_by = NULL,
                                             locked_until = NULL
                             WHERE id = $1 AND locked_by = $2",
            )
            .bind(id)
            .bind(worker)
            .bind(at),
            None => sql(
                "UPDATE jobs SET done = 1, unique_key = NULL, locked_by = NULL, locked_until = NULL
                         WHERE id = $1 AND locked_by = $2",
            )
            .bind(id)
            .bind(worker),
        };
        Ok(self.write().execute(statement).await? == 1)
    }

    /// Records a failed run: retried at `retry_at`, or given up (kept, with its error).
    pub async fn fail_job(
        &self,
        id: i64,
        worker: &str,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> StoreResult<bool> {
        let statement = match retry_at {
            Some(at) => sql(
                "UPDATE jobs SET run_at = $3, last_error = $4, locked_by = NULL, locked_until = NULL
                             WHERE id = $1 AND locked_by = $2",
            )
            .bind(id)
            .bind(worker)
            .bind(at)
            .bind(error),
            None => sql(
                "UPDATE jobs SET done = 2, last_error = $3, unique_key = NULL, locked_by = NULL,
                                         locked_until = NULL
                         WHERE id = $1 AND locked_by = $2",
            )
            .bind(id)
            .bind(worker)
            .bind(error),
        };
        Ok(self.write().execute(statement).await? == 1)
    }

    /// One job's state: attempts, last error, whether it is done (1) or given up (2).
    pub async fn job_status(&self, id: i64) -> StoreResult<Option<JobStatus>> {
        self.read()
            .fetch_optional(sql("SELECT id, kind, attempts, last_error, run_at, done FROM jobs WHERE id = $1").bind(id))
            .await
    }

    /// Jobs not yet done (due or not): the queue's depth.
    pub async fn pending_jobs(&self) -> StoreResult<i64> {
        let (count,): (i64,) = self
            .read()
            .fetch_one(sql("SELECT COUNT(*) FROM jobs WHERE done = 0"))
            .await?;
        Ok(count)
    }
}
