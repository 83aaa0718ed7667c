//! Building and running the server: state, router, listener, graceful shutdown.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;

use crate::config::Config;
use crate::domain::calendar::WorkingCalendar;
use crate::files::EvidenceFiles;
use crate::live::LiveHub;
use crate::secrets::{hash_secret, load_or_create_server_secret, tracking_key};
use crate::store::Store;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot use the data directory: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot open the database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("cannot open the evidence store: {0}")]
    Files(#[from] object_store::Error),
    #[error("cannot load the holiday calendar: {0}")]
    Calendar(#[from] crate::domain::calendar::CalendarError),
}

/// What every handler can reach.
#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Store,
    pub files: EvidenceFiles,
    pub hub: LiveHub,
    pub calendar: Arc<WorkingCalendar>,
    pub config: Arc<Config>,
    server_secret: Arc<[u8]>,
}

impl AppState {
    /// Opens the data directory: database (migrated), evidence files, secret, calendar.
    pub async fn open(config: Config) -> Result<Self, StartupError> {
        std::fs::create_dir_all(&config.data_dir)?;
        let store = Store::open(&config.data_dir).await?;
        let files = EvidenceFiles::local(&config.data_dir.join("evidence"))?;
        let server_secret = load_or_create_server_secret(&config.data_dir)?;
        let calendar = match &config.calendar_dir {
            Some(dir) => WorkingCalendar::from_dir(dir)?,
            None => WorkingCalendar::bundled(),
        };
        Ok(Self {
            store,
            files,
            hub: LiveHub::new(),
            calendar: Arc::new(calendar),
            config: Arc::new(config),
            server_secret: server_secret.into(),
        })
    }

    /// The tracking key of a case's current generation.
    #[must_use]
    pub fn tracking_key(&self, case_no: &str, generation: i64) -> String {
        tracking_key(&self.server_secret, case_no, generation)
    }

    /// The stored hash of that key.
    #[must_use]
    pub fn tracking_hash(&self, case_no: &str, generation: i64) -> String {
        hash_secret(&self.tracking_key(case_no, generation))
    }
}

/// A server bound to its address, ready to run.
#[derive(Debug)]
pub struct Application {
    listener: TcpListener,
    state: AppState,
}

impl Application {
    /// Opens the state and binds the listener (port 0 picks a free port, as tests do).
    pub async fn build(config: Config) -> Result<Self, StartupError> {
        let addr = config.addr;
        let state = AppState::open(config).await?;
        let listener = TcpListener::bind(addr).await?;
        Ok(Self { listener, state })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    #[must_use]
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` resolves, then ends event streams, lets open requests finish
    /// and closes the database.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let store = self.state.store.clone();
        let hub = self.state.hub.clone();
        let router = crate::http::router(self.state);
        let shutdown = async move {
            shutdown.await;
            hub.close();
        };
        axum::serve(
            self.listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await?;
        store.close().await;
        Ok(())
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing open requests");
}
