//! Live updates inside one server process: case events fan out to open SSE streams.
//!
//! Policy: the database is the source of truth; this hub only says "look again".
//! A stream that lags or reconnects replays from the database by event id, so a
//! dropped message is never a lost update. (Across processes, the PostgreSQL path
//! feeds this same hub from LISTEN/NOTIFY.)

use std::sync::Arc;

use tokio::sync::broadcast;

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
        Self { sender }
    }

    /// Tells every open stream; nobody listening is fine.
    pub fn publish(&self, event: LiveEvent) {
        let _listeners = self.sender.send(Arc::new(event));
    }

    #[must_use]
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<LiveEvent>> {
        self.sender.subscribe()
    }
}
