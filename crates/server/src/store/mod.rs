//! The repository layer: every SQL statement of the server lives below this module.
//!
//! Policy: callers get domain or wire types, never rows; each method is one unit of
//! work (its own transaction where it writes more than one row). SQLite is the embedded
//! default (WAL, foreign keys on); the methods here are the seam where PostgreSQL plugs in.

mod cases;
mod evidence;
mod games;
mod orders;
mod sessions;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

pub use cases::{
    CaseParts, CaseRecord, ChangeError, ClaimedOrderRecord, CreateCaseError, CreateOutcome, NewCaseRecord, StateChange,
    StoredEvent,
};
pub use evidence::{DeletedEvidence, EvidenceRecord, NewEvidence};
pub use games::GameRecord;
pub use orders::{ImportError, ImportedOrder, OrderRecord};
pub use sessions::{Player, TicketUse};

/// Handle to the database; cheap to clone.
///
/// Reads share a pool; writes go through a single connection, so writers queue in the
/// process instead of spinning on SQLite's lock (WAL lets reads go on meanwhile).
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
    writer: SqlitePool,
}

/// The database file inside the data directory.
pub const DATABASE_FILE: &str = "refund-desk.sqlite3";

impl Store {
    /// Opens (creating if needed) the database in `data_dir` and brings its schema up to date.
    pub async fn open(data_dir: &Path) -> Result<Self, sqlx::Error> {
        let options = SqliteConnectOptions::from_str("sqlite://")?
            .filename(data_dir.join(DATABASE_FILE))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await?;
        sqlx::migrate!("./migrations/sqlite")
            .run(&writer)
            .await
            .map_err(sqlx::Error::from)?;
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options.read_only(true))
            .await?;
        Ok(Self { pool, writer })
    }

    /// Whether the database answers: the readiness check.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map(|_| ())
    }

    /// Closes every connection, flushing the WAL; called on shutdown.
    pub async fn close(&self) {
        self.pool.close().await;
        self.writer.close().await;
    }
}

/// Whether an error is a uniqueness or primary-key violation (a lost race, a replay).
pub(crate) fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.is_unique_violation())
}
