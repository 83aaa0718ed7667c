//! Live updates inside one server process: case events fan out to open SSE streams.
//!
//! Policy: the database is the source of truth; this hub only says "look again".
//! A stream that lags or reconnects replays from the database by event id, so a
//! dropped message is never a lost update. (Across processes, the PostgreSQL path
//! feeds this same hub from LISTEN/NOTIFY.) On shutdown the hub is closed, which ends
//! every open stream: a graceful shutdown waits for open responses, and an event stream
//! would otherwise never end.

use std::future::Future;
use std::sync::Arc;

use tokio::sync::{broadcast, watch};

use crate::store::StoredEvent;

/// A case event together with whose case it is.
#[derive(Debug, Clone)]
pub struct LiveEvent {
    pub appid: String,
    pub openid: String,
    pub event: StoredEvent,
}

/// The in-process fan-out of case events.
#[derive(Debug, Clone)]
pub struct LiveHub {
    sender: broadcast::Sender<Arc<LiveEvent>>,
    closing: Arc<watch::Sender<bool>>,
}

impl Default for LiveHub {
    fn default() -> Self {
        Self::new()
    }
}

impl LiveHub {
    #[must_use]
    pub fn new() -> Self {
        let (sender, _) = broadcast::channel(1024);
        let (closing, _) = watch::channel(false);
        Self {
            sender,
            closing: Arc::new(closing),
        }
    }

    /// Tells every open stream; nobody listening is fine.
    pub fn publish(&self, event: LiveEvent) {
        let _listeners = self.sender.send(Arc::new(event));
    }

    #[must_use]
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<LiveEvent>> {
        self.sender.subscribe()
    }

    /// Ends every open stream, and any opened later: the server is shutting down.
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// Resolves once the hub is closed.
    pub fn closed(&self) -> impl Future<Output = ()> + Send + use<> {
        let mut closing = self.closing.subscribe();
        async move {
            // An error means the hub itself is gone, which ends the streams just the same.
            let _gone = closing.wait_for(|closed| *closed).await;
        }
    }
}
