//! Server configuration: from the command line or the environment (`REFUND_*`).

mod edge;

pub use edge::EdgeArgs;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::Args;
use refund_api::EvidenceLimits;

use crate::store::{SqliteSync, Store};

/// Where the data lives: every operator command takes these.
#[derive(Debug, Clone, Args)]
pub struct DataArgs {
    /// Directory for the default SQLite database and evidence files.
    #[arg(long, env = "REFUND_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// `sqlite://PATH` or `postgres://USER@HOST/DB` (default: a SQLite file in the data dir).
    #[arg(long, env = "REFUND_DATABASE_URL")]
    pub database_url: Option<String>,
    /// How SQLite acknowledges commits: `full` (durable, the default) or `normal`.
    #[arg(long, env = "REFUND_SQLITE_SYNCHRONOUS", value_enum, default_value_t = SqliteSync::Full)]
    pub sqlite_synchronous: SqliteSync,
}

impl DataArgs {
    #[must_use]
    pub fn for_data_dir(data_dir: PathBuf) -> Self {
        Self {
            data_dir,
            database_url: None,
            sqlite_synchronous: SqliteSync::Full,
        }
    }

    /// The database URL in effect.
    #[must_use]
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| Store::default_url(&self.data_dir))
    }

    /// Opens (and migrates) the database.
    pub async fn open_store(&self) -> Result<Store, crate::store::StoreError> {
        if self.database_url.is_none() {
            std::fs::create_dir_all(&self.data_dir).map_err(|e| {
                crate::store::StoreError::Config(format!("cannot create {}: {e}", self.data_dir.display()))
            })?;
        }
        Store::open(&self.database_url(), self.sqlite_synchronous).await
    }
}

/// How `refund-server serve` runs.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "REFUND_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    #[command(flatten)]
    pub data: DataArgs,
    /// `file:///DIR` or `s3://BUCKET/PREFIX` (credentials and endpoint from `AWS_*`);
    /// default: `evidence/` in the data dir.
    #[arg(long, env = "REFUND_EVIDENCE_URL")]
    pub evidence_url: Option<String>,
    /// Directory of the built web app (Trunk's `dist`); without it only the API is served.
    #[arg(long, env = "REFUND_STATIC_DIR")]
    pub static_dir: Option<PathBuf>,
    /// Seed a demo game with players and orders, and print launch links.
    #[arg(long, env = "REFUND_DEMO")]
    pub demo: bool,
    /// The URL people reach the service at, e.g. `https://refund.example.com` (default
    /// http://ADDR): the base of printed links, the origin state-changing requests must
    /// come from, and, when https, secure `__Host-` cookies and HSTS.
    #[arg(long, env = "REFUND_PUBLIC_URL")]
    pub public_url: Option<String>,
    #[command(flatten)]
    pub edge: EdgeArgs,
    /// Largest evidence file accepted, in bytes.
    #[arg(long, env = "REFUND_MAX_FILE_BYTES", default_value_t = 20 * 1024 * 1024)]
    pub max_file_bytes: u64,
    /// Most evidence files in one case.
    #[arg(long, env = "REFUND_MAX_FILES_PER_CASE", default_value_t = 20)]
    pub max_files_per_case: u32,
    /// Working days a developer has to answer a minor refund.
    #[arg(long, env = "REFUND_MINOR_REFUND_DUE_DAYS", default_value_t = 2)]
    pub minor_refund_due_days: u32,
    /// Working days a developer has to answer a complaint.
    #[arg(long, env = "REFUND_COMPLAINT_DUE_DAYS", default_value_t = 3)]
    pub complaint_due_days: u32,
    /// Working days a developer has to decide an appeal.
    #[arg(long, env = "REFUND_APPEAL_DUE_DAYS", default_value_t = 7)]
    pub appeal_due_days: u32,
    /// Calendar days after a decision during which the player may appeal it (or, after
    /// the appeal decision, ask the platform).
    #[arg(long, env = "REFUND_APPEAL_WINDOW_DAYS", default_value_t = refund_api::DEFAULT_APPEAL_WINDOW_DAYS)]
    pub appeal_window_days: i64,
    /// Hours a player's session lasts.
    #[arg(long, env = "REFUND_SESSION_HOURS", default_value_t = 24)]
    pub session_hours: u32,
    /// Launch tickets expiring further ahead than this are refused (default 15; 120 in demo mode).
    #[arg(long, env = "REFUND_MAX_TICKET_MINUTES")]
    pub max_ticket_minutes: Option<u32>,
    /// Hours an upload may stay unattached to a case before it is removed.
    #[arg(long, env = "REFUND_UNATTACHED_UPLOAD_HOURS", default_value_t = 24)]
    pub unattached_upload_hours: u32,
    /// Days a case's files are kept after the case ends (it can no longer be appealed or
    /// taken to the platform); the job runner then deletes them.
    #[arg(long, env = "REFUND_RETENTION_DAYS", default_value_t = refund_api::DEFAULT_RETENTION_DAYS)]
    pub retention_days: u32,
    /// Seconds between looks at the job queue.
    #[arg(long, env = "REFUND_JOB_POLL_SECONDS", default_value_t = 5)]
    pub job_poll_seconds: u64,
    /// Directory of holiday notices (holiday-cn JSON) to use instead of the bundled ones.
    #[arg(long, env = "REFUND_CALENDAR_DIR")]
    pub calendar_dir: Option<PathBuf>,
}

impl Config {
    /// Defaults for a server on `data_dir` (tests and tools start from this).
    #[must_use]
    pub fn for_data_dir(data_dir: PathBuf) -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            data: DataArgs::for_data_dir(data_dir),
            evidence_url: None,
            static_dir: None,
            demo: false,
            public_url: None,
            edge: EdgeArgs::default(),
            max_file_bytes: 20 * 1024 * 1024,
            max_files_per_case: 20,
            minor_refund_due_days: refund_api::DEFAULT_MINOR_REFUND_DUE_DAYS,
            complaint_due_days: refund_api::DEFAULT_COMPLAINT_DUE_DAYS,
            appeal_due_days: refund_api::DEFAULT_APPEAL_DUE_DAYS,
            appeal_window_days: refund_api::DEFAULT_APPEAL_WINDOW_DAYS,
            session_hours: 24,
            max_ticket_minutes: None,
            unattached_upload_hours: 24,
            retention_days: refund_api::DEFAULT_RETENTION_DAYS,
            job_poll_seconds: 5,
            calendar_dir: None,
        }
    }

    /// Whether people reach the service over https (`--public-url https://...`).
    #[must_use]
    pub fn https(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|url| url.get(..8).is_some_and(|s| s.eq_ignore_ascii_case("https://")))
    }

    #[must_use]
    pub fn data_dir(&self) -> &Path {
        &self.data.data_dir
    }

    /// The evidence store's URL in effect.
    #[must_use]
    pub fn evidence_url(&self) -> String {
        self.evidence_url
            .clone()
            .unwrap_or_else(|| format!("file://{}", self.data.data_dir.join("evidence").display()))
    }

    /// How far ahead a launch ticket may expire.
    #[must_use]
    pub fn max_ticket_lifetime(&self) -> chrono::Duration {
        let minutes = self.max_ticket_minutes.unwrap_or(if self.demo { 120 } else { 15 });
        chrono::Duration::minutes(i64::from(minutes))
    }

    #[must_use]
    pub fn limits(&self) -> EvidenceLimits {
        EvidenceLimits {
            max_file_bytes: self.max_file_bytes,
            max_files_per_case: self.max_files_per_case,
        }
    }
}
