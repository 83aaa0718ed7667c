//! Server configuration: from the command line or the environment (`REFUND_*`).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;
use refund_api::EvidenceLimits;

/// How `refund-server serve` runs.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "REFUND_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Directory for the SQLite database, evidence files and the server's secret.
    #[arg(long, env = "REFUND_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// Directory of the built web app (Trunk's `dist`); without it only the API is served.
    #[arg(long, env = "REFUND_STATIC_DIR")]
    pub static_dir: Option<PathBuf>,
    /// Seed a demo game with players and orders, and print launch links.
    #[arg(long, env = "REFUND_DEMO")]
    pub demo: bool,
    /// Base URL printed in demo links (defaults to http://ADDR).
    #[arg(long, env = "REFUND_PUBLIC_URL")]
    pub public_url: Option<String>,
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
    /// Hours a player's session lasts.
    #[arg(long, env = "REFUND_SESSION_HOURS", default_value_t = 24)]
    pub session_hours: u32,
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
            data_dir,
            static_dir: None,
            demo: false,
            public_url: None,
            max_file_bytes: 20 * 1024 * 1024,
            max_files_per_case: 20,
            minor_refund_due_days: 2,
            complaint_due_days: 3,
            session_hours: 24,
            calendar_dir: None,
        }
    }

    #[must_use]
    pub fn limits(&self) -> EvidenceLimits {
        EvidenceLimits {
            max_file_bytes: self.max_file_bytes,
            max_files_per_case: self.max_files_per_case,
        }
    }
}
