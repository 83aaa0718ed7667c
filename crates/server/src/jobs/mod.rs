//! The job runner: every server process claims due jobs from the database's queue and
//! runs them, so jobs survive restarts and each runs once however many processes run.
//!
//! Policy: a job is a row (kind, JSON payload, run at, attempts, last error; see
//! `store::jobs`). A failed run is retried with exponential backoff; a recurring job
//! (the sweeps) schedules its next run when it finishes. The time comes from the
//! injected clock, and [`JobRunner::run_due`] runs whatever is due right now, so tests
//! drive jobs without sleeping. Handlers are idempotent: a run cut off by a crash is
//! run again once its lease expires.

mod deadlines;
mod refunds;
mod retention;
mod sweeps;
pub mod webhooks;

pub use sweeps::remove_content;

use std::future::Future;

use chrono::{DateTime, Duration, Utc};

use crate::app::AppState;
use crate::secrets::random_token;
use crate::store::{JobRecord, NewJob, StoreResult};

/// A claimed job is another process's to take over after this long without finishing.
const LEASE: Duration = Duration::minutes(10);
/// Retries wait `BACKOFF_BASE * 2^(attempts - 1)`, at most [`BACKOFF_MAX`].
const BACKOFF_BASE: Duration = Duration::seconds(30);
const BACKOFF_MAX: Duration = Duration::hours(1);

/// The kinds of job, by their stored names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    /// Removes uploads never attached to a case, after the configured time.
    ExpireUploads,
    /// Removes staging leftovers of uploads cut off mid-way, and contents nothing uses.
    ClearStaging,
    /// Marks cases whose first decision is late overdue.
    ScanDeadlines,
    /// Carries one refund out with the payment gateway.
    SettleRefund,
    /// Delivers one notification to a game's webhook.
    DeliverWebhook,
    /// Deletes the files of cases that ended longer ago than the retention period.
    DeleteEndedFiles,
}

impl JobKind {
    pub const ALL: [Self; 6] = [
        Self::ExpireUploads,
        Self::ClearStaging,
        Self::ScanDeadlines,
        Self::SettleRefund,
        Self::DeliverWebhook,
        Self::DeleteEndedFiles,
    ];

    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Self::ExpireUploads => "expire_uploads",
            Self::ClearStaging => "clear_staging",
            Self::ScanDeadlines => "scan_deadlines",
            Self::SettleRefund => crate::store::SETTLE_REFUND,
            Self::DeliverWebhook => crate::store::DELIVER_WEBHOOK,
            Self::DeleteEndedFiles => "delete_ended_files",
        }
    }

    #[must_use]
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }

    /// How often the recurring job of this kind runs (`None`: the kind is one-off only).
    /// A job of a recurring kind enqueued without a unique key runs once.
    fn every(self) -> Option<Duration> {
        match self {
            Self::ExpireUploads | Self::ClearStaging => Some(Duration::minutes(15)),
            Self::ScanDeadlines => Some(Duration::minutes(1)),
            Self::DeleteEndedFiles => Some(Duration::hours(1)),
            Self::SettleRefund | Self::DeliverWebhook => None,
        }
    }

    /// How many runs a one-off job gets before it is given up.
    fn max_attempts(self) -> Option<i64> {
        match self {
            // A delivery ends itself a day after its notification.
            Self::ExpireUploads
            | Self::ClearStaging
            | Self::ScanDeadlines
            | Self::DeliverWebhook
            | Self::DeleteEndedFiles => None,
            // About two days of retries at the longest backoff.
            Self::SettleRefund => Some(60),
        }
    }
}

/// Claims and runs jobs for one process.
#[derive(Debug, Clone)]
pub struct JobRunner {
    state: AppState,
    worker: String,
}

impl JobRunner {
    #[must_use]
    pub fn new(state: AppState) -> Self {
        Self {
            state,
            worker: format!("{}-{}", std::process::id(), random_token(6)),
        }
    }

    /// Puts each recurring job in the queue unless it is already there (processes
    /// starting at once add it once: its unique key is its kind).
    pub async fn schedule_recurring(&self) -> StoreResult<()> {
        let now = self.state.clock.now();
        for kind in JobKind::ALL.into_iter().filter(|k| k.every().is_some()) {
            self.state
                .store
                .enqueue_job(
                    NewJob {
                        kind: kind.key(),
                        payload: "{}".to_owned(),
                        run_at: now,
                        unique_key: Some(kind.key()),
                    },
                    now,
                )
                .await?;
        }
        Ok(())
    }

    /// Runs every job that is due now; returns how many runs there were.
    pub async fn run_due(&self) -> StoreResult<usize> {
        let mut runs = 0;
        loop {
            let now = self.state.clock.now();
            let Some(job) = self.state.store.claim_job(&self.worker, now, now + LEASE).await? else {
                return Ok(runs);
            };
            runs += 1;
            self.run(job, now).await?;
        }
    }

    /// Looks at the queue every poll interval until `stop` resolves.
    pub async fn run_until(self, stop: impl Future<Output = ()> + Send) {
        let poll = std::time::Duration::from_secs(self.state.config.job_poll_seconds.max(1));
        let work = async {
            loop {
                if let Err(e) = self.run_due().await {
                    tracing::warn!(error = %e, "the job queue is unavailable");
                }
                tokio::time::sleep(poll).await;
            }
        };
        tokio::select! {
            () = stop => {},
            () = work => {},
        }
    }

    async fn run(&self, job: JobRecord, now: DateTime<Utc>) -> StoreResult<()> {
        let kind = JobKind::from_key(&job.kind);
        let outcome = match kind {
            Some(kind) => self.execute(kind, &job).await,
            None => Err(format!("unknown job kind {:?}", job.kind)),
        };
        let store = &self.state.store;
        match outcome {
            Ok(()) => {
                let again = kind
                    .and_then(JobKind::every)
                    .filter(|_| job.unique_key.is_some())
                    .map(|every| self.state.clock.now() + every);
                store.finish_job(job.id, &self.worker, again).await?;
            }
            Err(error) => {
                tracing::warn!(job = job.id, kind = %job.kind, attempt = job.attempts, %error, "job failed");
                self.state.metrics.job_failed(&job.kind);
                let gave_up = kind
                    .and_then(JobKind::max_attempts)
                    .is_some_and(|max| job.attempts >= max)
                    || kind.is_none();
                let retry = (!gave_up).then(|| now + backoff(job.attempts));
                store.fail_job(job.id, &self.worker, &error, retry).await?;
            }
        }
        Ok(())
    }

    async fn execute(&self, kind: JobKind, job: &JobRecord) -> Result<(), String> {
        match kind {
            JobKind::ExpireUploads => sweeps::expire_uploads(&self.state).await,
            JobKind::ClearStaging => sweeps::clear_staging(&self.state).await,
            JobKind::ScanDeadlines => deadlines::scan(&self.state).await,
            JobKind::SettleRefund => refunds::settle(&self.state, &job.payload).await,
            JobKind::DeliverWebhook => webhooks::deliver(&self.state, &job.payload).await,
            JobKind::DeleteEndedFiles => retention::delete_ended_files(&self.state).await,
        }
    }
}

/// The wait before retry number `attempts`.
#[must_use]
pub fn backoff(attempts: i64) -> Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 20)).unwrap_or(20);
    let wait = BACKOFF_BASE * 2_i32.saturating_pow(doublings);
    wait.min(BACKOFF_MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_exponentially_up_to_an_hour() {
        assert_eq!(backoff(1), Duration::seconds(30));
        assert_eq!(backoff(2), Duration::seconds(60));
        assert_eq!(backoff(4), Duration::seconds(240));
        assert_eq!(backoff(30), Duration::hours(1));
    }

    #[test]
    fn every_kind_reads_back_from_its_key() {
        for kind in JobKind::ALL {
            assert_eq!(JobKind::from_key(kind.key()), Some(kind));
        }
    }
}
