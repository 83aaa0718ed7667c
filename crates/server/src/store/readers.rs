//! SQLite's read connections, handed out by a small pool of our own instead of sqlx's.
//!
//! Why: sqlx's pool pings every connection on its way back (and, by default, before
//! handing it out), and on SQLite every statement or ping is a round trip to the
//! connection's own thread. For a case read, one statement, the pings doubled or tripled
//! the thread switches, which were most of its cost. A connection to a local file cannot
//! go stale, and a read-only one carries no transaction from one statement to the next, so
//! these go back as they are. (A statement cut off by a dropped request is finished or
//! abandoned by the connection's thread before it takes the next one: its commands run
//! in order.)

use std::ops::{Deref, DerefMut};
use std::sync::{Mutex, PoisonError};

use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{ConnectOptions, Connection};
use tokio::sync::{Semaphore, SemaphorePermit};

use super::db::{StoreError, StoreResult};

/// Read-only connections to one SQLite file.
#[derive(Debug)]
pub(crate) struct Readers {
    idle: Mutex<Vec<SqliteConnection>>,
    /// One permit per connection: a reader waits here while all are in use.
    permits: Semaphore,
}

/// A connection lent out; it goes back when dropped.
pub(crate) struct Reader<'a> {
    conn: Option<SqliteConnection>,
    readers: &'a Readers,
    _permit: SemaphorePermit<'a>,
}

impl Readers {
    /// Opens `count` read-only connections with `options`.
    pub(crate) async fn open(options: &SqliteConnectOptions, count: usize) -> StoreResult<Self> {
        let mut idle = Vec::with_capacity(count);
        for _ in 0..count {
            idle.push(options.clone().read_only(true).connect().await?);
        }
        Ok(Self {
            idle: Mutex::new(idle),
            permits: Semaphore::new(count),
        })
    }

    /// A connection, waiting while all are in use.
    pub(crate) async fn acquire(&self) -> StoreResult<Reader<'_>> {
        let permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| StoreError::Config("the database is closed".to_owned()))?;
        let conn = self.idle.lock().unwrap_or_else(PoisonError::into_inner).pop();
        // A permit is held only while a connection is out, so one is always idle here.
        let conn = conn.ok_or_else(|| StoreError::Config("no read connection is free".to_owned()))?;
        Ok(Reader {
            conn: Some(conn),
            readers: self,
            _permit: permit,
        })
    }

    /// Closes every connection; readers waiting or coming later get an error.
    pub(crate) async fn close(&self) {
        self.permits.close();
        let idle = std::mem::take(&mut *self.idle.lock().unwrap_or_else(PoisonError::into_inner));
        for conn in idle {
            if let Err(e) = conn.close().await {
                tracing::warn!(error = %e, "closing a read connection");
            }
        }
    }
}

impl Deref for Reader<'_> {
    type Target = SqliteConnection;

    fn deref(&self) -> &SqliteConnection {
        self.conn
            .as_ref()
            .expect("a lent connection is taken back only on drop")
    }
}

impl DerefMut for Reader<'_> {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        self.conn
            .as_mut()
            .expect("a lent connection is taken back only on drop")
    }
}

impl Drop for Reader<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            self.readers
                .idle
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(conn);
        }
    }
}
