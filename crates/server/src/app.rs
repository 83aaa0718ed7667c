//! Building and running the server: state, router, listener, background work, graceful
//! shutdown.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;

use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::domain::calendar::WorkingCalendar;
use crate::files::EvidenceFiles;
use crate::jobs::JobRunner;
use crate::live::{LiveEvent, LiveHub, forward_notifications};
use crate::payments::{LedgerGateway, PaymentGateway};
use crate::store::{AppendedEvent, Dialect, Store, StoreError};

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot use the data directory: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot open the database: {0}")]
    Database(#[from] StoreError),
    #[error("cannot open the evidence store: {0}")]
    Files(#[from] object_store::Error),
    #[error("cannot load the holiday calendar: {0}")]
    Calendar(#[from] crate::domain::calendar::CalendarError),
}

/// What every handler can reach. Nothing a request needs lives only here: sessions,
/// nonces, idempotency records and jobs are in the database, files in the evidence
/// store, so any number of processes can serve the same users.
#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Store,
    pub files: EvidenceFiles,
    pub hub: LiveHub,
    pub calendar: Arc<WorkingCalendar>,
    pub config: Arc<Config>,
    pub clock: Arc<dyn Clock>,
    /// Where refunds are carried out (the built-in one records them in the ledger).
    pub gateway: Arc<dyn PaymentGateway>,
    /// What `/metrics` reports: this process's counters and gauges.
    pub metrics: crate::metrics::Metrics,
    /// This process's rate limits.
    pub limits: crate::http::RateLimits,
    /// The last answer to each case read, reused while the case is unchanged (checked
    /// against the database on every read, so any process may change the case).
    pub case_answers: Arc<crate::http::CaseAnswers>,
}

impl AppState {
    /// Opens the database (migrated), the evidence store and the calendar.
    pub async fn open(config: Config, clock: Arc<dyn Clock>) -> Result<Self, StartupError> {
        let store = config.data.open_store().await?;
        let files = EvidenceFiles::open(&config.evidence_url())?;
        let calendar = match &config.calendar_dir {
            Some(dir) => WorkingCalendar::from_dir(dir)?,
            None => WorkingCalendar::bundled(),
        };
        let limits = crate::http::RateLimits::new(&config.edge);
        Ok(Self {
            store,
            files,
            hub: LiveHub::new(),
            calendar: Arc::new(calendar),
            config: Arc::new(config),
            clock,
            gateway: Arc::new(LedgerGateway),
            metrics: crate::metrics::Metrics::new(),
            limits,
            case_answers: Arc::default(),
        })
    }

    /// The base URL of links to this service (`--public-url`, or the listen address).
    #[must_use]
    pub fn public_base(&self) -> String {
        self.config
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.config.addr))
            .trim_end_matches('/')
            .to_owned()
    }

    /// Tells open streams about an event just committed. On PostgreSQL the commit's
    /// notification does this for every process (this one included), so only SQLite,
    /// where this process is the only writer, publishes here.
    pub fn announce(&self, appended: &AppendedEvent) {
        if self.store.dialect() == Dialect::Sqlite {
            self.hub.publish(LiveEvent::Case(appended.signal()));
        }
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
        Self::build_with_clock(config, Arc::new(SystemClock)).await
    }

    /// As [`Application::build`], telling the time by `clock`.
    pub async fn build_with_clock(config: Config, clock: Arc<dyn Clock>) -> Result<Self, StartupError> {
        let addr = config.addr;
        let state = AppState::open(config, clock).await?;
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

    /// Serves until `shutdown` resolves, then ends event streams and the job runner, lets
    /// open requests finish and closes the database.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let store = self.state.store.clone();
        let hub = self.state.hub.clone();
        match store.event_listener().await {
            Ok(Some(listener)) => {
                tokio::spawn(forward_notifications(listener, hub.clone()));
            }
            Ok(None) => {}
            Err(e) => return Err(std::io::Error::other(format!("cannot listen for case events: {e}"))),
        }
        let jobs = JobRunner::new(self.state.clone());
        if let Err(e) = jobs.schedule_recurring().await {
            return Err(std::io::Error::other(format!("cannot schedule jobs: {e}")));
        }
        let jobs = tokio::spawn(jobs.run_until(hub.closed()));
        let edge = self.state.config.edge.clone();
        let router = crate::http::router(self.state);
        let shutdown = async move {
            shutdown.await;
            hub.close();
        };
        crate::listen::serve(self.listener, router, &edge, shutdown).await?;
        let _finished = jobs.await;
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
