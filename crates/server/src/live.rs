//! Live updates inside one server process: news of case events fans out to open SSE streams.
//!
//! Policy: the database is the source of truth; this hub only says "look again".
//! A stream that lags or reconnects replays from the database by event id, so a
//! dropped message is never a lost update. On SQLite the process that commits an event
//! publishes it here; on PostgreSQL every process's listener feeds its hub from
//! `LISTEN/NOTIFY` (see [`forward_notifications`]), so a case changed through one process
//! reaches streams held by another. On shutdown the hub is closed, which ends every open
//! stream: a graceful shutdown waits for open responses, and an event stream would
//! otherwise never end.

use std::future::Future;
use std::sync::Arc;

use tokio::sync::{broadcast, watch};

use crate::store::{EventListener, EventSignal, Heard};

/// What the hub carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveEvent {
    /// A case event was committed.
    Case(EventSignal),
    /// News may have been missed (a listener reconnected): every stream looks again.
    Resync,
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

/// Feeds the hub from the database's notifications until the hub closes. A lost
/// connection is re-made by the listener, and streams are told to look again.
pub async fn forward_notifications(mut listener: EventListener, hub: LiveHub) {
    let closed = hub.closed();
    let forward = async {
        loop {
            match listener.next().await {
                Ok(Heard::Event(signal)) => hub.publish(LiveEvent::Case(signal)),
                Ok(Heard::Resync) => hub.publish(LiveEvent::Resync),
                Err(e) => {
                    tracing::warn!(error = %e, "event notifications interrupted; retrying");
                    hub.publish(LiveEvent::Resync);
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                }
            }
        }
    };
    tokio::select! {
        () = closed => {},
        () = forward => {},
    }
}
