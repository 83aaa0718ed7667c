//! The repository layer: every SQL statement of the server lives below this module.
//!
//! Policy: callers get typed records (enums for states, kinds and actors; `DateTime<Utc>`
//! for instants), never rows, and [`StoreError`], never a database error type. Each method
//! is one unit of work (its own transaction where it writes more than one row). The
//! clock is the caller's: every method that needs "now" takes it as an argument.
//!
//! Two backends run the same statements (see [`db`]): SQLite, the embedded default
//! (WAL, `synchronous=FULL` so an acknowledged write survives power loss, one writer
//! connection), and PostgreSQL for several server processes on one database (row locks
//! where SQLite's single writer already serialises, `LISTEN/NOTIFY` for live events).
//! Migrations for both run at start; sqlx takes an advisory lock on PostgreSQL, so
//! processes starting at once apply them once.

mod appeals;
mod backlog;
mod case_cache;
mod cases;
mod changes;
mod console;
mod credit;
mod db;
mod decisions;
mod events;
mod evidence;
mod force_majeure;
mod games;
mod group_commit;
mod idempotency;
mod jobs;
mod notifications;
mod orders;
mod overdue;
mod privacy;
mod readers;
mod sessions;
mod staff;
mod submissions;
mod values;

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

pub use appeals::AppealRecord;
pub use backlog::{JobBacklog, OutboxLag};
pub use cases::{CaseParts, CaseRecord, ClaimedOrderRecord};
pub use changes::{CaseNote, CaseScope, ChangeError, StateChange};
pub use credit::CreditLedger;
pub use db::{At, DatabaseFailure, Dialect, StoreError, StoreResult};
pub use decisions::{DecideError, Decided, DecisionRecord, NewDecision, RefundRecord, SETTLE_REFUND};
pub use events::{
    AppendedEvent, EventListener, EventSignal, Heard, PLATFORM_RECIPIENT, StoredEvent, org_recipient, player_recipient,
};
pub use evidence::{ContentError, EvidenceInsert, EvidenceRecord, NewEvidence, STALE_PIN};
pub use force_majeure::{
    Acceptance, ForceMajeureRecord, NewForceMajeure, ReportDecisionError, ReportFile, ReportOwner,
};
pub use games::GameRecord;
pub use idempotency::{ANSWER_KEPT, IdempotentResult};
pub use jobs::{JobRecord, JobStatus, NewJob};
pub use notifications::{DELIVER_WEBHOOK, DELIVERY_WINDOW, DeliveryRecord, NotificationRecord};
pub use orders::{ImportError, ImportedOrder, OrderRecord};
pub use overdue::MarkedOverdue;
pub use privacy::{DeletedFiles, EndedCase};
pub use sessions::{Player, TicketUse};
pub use staff::{LoginFailures, StaffRecord};
pub use submissions::{CreateCaseError, CreateOutcome, NewCaseRecord};

use case_cache::CaseCache;
use db::{Conn, Pools, Tx};
use group_commit::{GroupCommit, Work};

/// SQLite connections for reads (each has a thread of its own; the machine this serves
/// from has few cores, and a case read is one statement).
const READERS: usize = 4;

/// The database file inside the data directory, when no URL is given.
pub const DATABASE_FILE: &str = "refund-desk.sqlite3";

/// How SQLite acknowledges a commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum SqliteSync {
    /// Each commit is on disk before it is acknowledged (survives power loss).
    #[default]
    Full,
    /// Faster; a power loss may drop the last acknowledged commits. For measurements only.
    Normal,
}

/// Handle to the database; cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    pools: Pools,
    /// Parts of cases recently read, by case and version (see `case_cache`).
    cases: Arc<CaseCache>,
    /// SQLite's batching writer (see `group_commit`); `None` on PostgreSQL.
    group: Option<GroupCommit>,
}

impl Store {
    /// Opens the database at `url` (`sqlite://PATH` or `postgres://...`), creating a
    /// SQLite file if missing, and brings its schema up to date.
    pub async fn open(url: &str, sync: SqliteSync) -> StoreResult<Self> {
        let (pools, group) = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await?;
            sqlx::migrate!("./migrations/postgres").run(&pool).await?;
            (Pools::Postgres(pool), None)
        } else if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(match sync {
                    SqliteSync::Full => SqliteSynchronous::Full,
                    SqliteSync::Normal => SqliteSynchronous::Normal,
                })
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5));
            // One connection, kept for good (a local file cannot go stale: no ping before
            // handing it out, no recycling), made on the group commit's thread.
            let write_pool = SqlitePoolOptions::new()
                .max_connections(1)
                .test_before_acquire(false)
                .idle_timeout(None)
                .max_lifetime(None);
            let (group, write) = GroupCommit::start(write_pool, options.clone()).await?;
            sqlx::migrate!("./migrations/sqlite").run(&write).await?;
            let read = Arc::new(readers::Readers::open(&options, READERS).await?);
            (Pools::Sqlite { read, write }, Some(group))
        } else {
            return Err(StoreError::Config(format!(
                "unsupported database URL {:?}: use sqlite://PATH or postgres://...",
                redact_url(url)
            )));
        };
        Ok(Self {
            pools,
            cases: Arc::new(CaseCache::default()),
            group,
        })
    }

    /// The default database: a SQLite file in `data_dir`.
    #[must_use]
    pub fn default_url(data_dir: &Path) -> String {
        format!("sqlite://{}", data_dir.join(DATABASE_FILE).display())
    }

    #[must_use]
    pub fn dialect(&self) -> Dialect {
        match self.pools {
            Pools::Sqlite { .. } => Dialect::Sqlite,
            Pools::Postgres(_) => Dialect::Postgres,
        }
    }

    /// Where reads go.
    fn read(&self) -> Conn<'_> {
        match &self.pools {
            Pools::Sqlite { read, .. } => Conn::SqliteReaders(read),
            Pools::Postgres(pool) => Conn::PgPool(pool),
        }
    }

    /// Where single-statement writes go.
    fn write(&self) -> Conn<'_> {
        match &self.pools {
            Pools::Sqlite { write, .. } => Conn::SqlitePool(write),
            Pools::Postgres(pool) => Conn::PgPool(pool),
        }
    }

    /// A write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`),
    /// so a read-then-write inside it cannot be overtaken; PostgreSQL uses row locks.
    async fn begin(&self) -> StoreResult<Tx> {
        Ok(match &self.pools {
            Pools::Sqlite { write, .. } => Tx::Sqlite(write.begin_with("BEGIN IMMEDIATE").await?),
            Pools::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// Runs `work` as one unit of writes, and returns once it is committed: on SQLite in
    /// the group commit (a savepoint in a transaction shared with concurrent units), on
    /// PostgreSQL in a transaction of its own. An error keeps nothing of the unit.
    async fn write_unit<T, E>(&self, work: Work<T, E>) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        if let Some(group) = &self.group {
            return group.run(work).await;
        }
        let mut tx = self.begin().await?;
        let done = work(&mut tx).await?;
        tx.commit().await?;
        Ok(done)
    }

    /// Whether the database answers: the readiness check.
    pub async fn ping(&self) -> StoreResult<()> {
        self.read().execute(db::sql("SELECT 1")).await.map(|_| ())
    }

    /// Whether a commit is on disk before it is acknowledged: SQLite's `synchronous` is
    /// FULL or EXTRA on the writer, PostgreSQL's `synchronous_commit` is not off.
    pub async fn durable_commits(&self) -> StoreResult<bool> {
        match &self.pools {
            Pools::Sqlite { write, .. } => {
                let (level,): (i64,) = Conn::SqlitePool(write).fetch_one(db::sql("PRAGMA synchronous")).await?;
                Ok(level >= 2)
            }
            Pools::Postgres(pool) => {
                let (setting,): (String,) = Conn::PgPool(pool).fetch_one(db::sql("SHOW synchronous_commit")).await?;
                Ok(setting != "off")
            }
        }
    }

    /// A consistent copy of a live SQLite database in `path` (which must not exist).
    /// PostgreSQL has its own tools for this (`pg_dump`), so it is refused here.
    pub async fn backup_to(&self, path: &Path) -> StoreResult<()> {
        match self.dialect() {
            Dialect::Sqlite => {
                let target = path.to_string_lossy().into_owned();
                self.write().execute(db::sql("VACUUM INTO $1").bind(target)).await?;
                Ok(())
            }
            Dialect::Postgres => Err(StoreError::Config(
                "backup copies SQLite databases; back up PostgreSQL with pg_dump (see the README)".to_owned(),
            )),
        }
    }

    /// Closes every connection (flushing SQLite's WAL); called on shutdown.
    pub async fn close(&self) {
        match &self.pools {
            Pools::Sqlite { read, write } => {
                read.close().await;
                write.close().await;
            }
            Pools::Postgres(pool) => pool.close().await,
        }
    }
}

/// The URL without its password, for messages.
#[must_use]
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}
