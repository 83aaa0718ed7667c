//! The server's clock, injected so that deadlines, expiry and jobs can be tested without
//! sleeping: everything that asks "what time is it" asks [`AppState::clock`](crate::app::AppState).
//! It tells time in whole microseconds, the precision instants are stored with, so an
//! instant read back equals the one written.

use std::fmt::Debug;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, DurationRound, Utc};

/// Tells the time.
pub trait Clock: Send + Sync + Debug {
    fn now(&self) -> DateTime<Utc>;
}

/// The system's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        to_micros(Utc::now())
    }
}

/// `at` without its nanoseconds.
fn to_micros(at: DateTime<Utc>) -> DateTime<Utc> {
    at.duration_trunc(Duration::microseconds(1)).unwrap_or(at)
}

/// The system's clock moved by an offset that tests can change while the server runs.
#[derive(Debug, Default)]
pub struct ShiftedClock {
    offset_micros: AtomicI64,
}

impl ShiftedClock {
    /// The time this clock tells (as [`Clock::now`], without the trait in scope).
    #[must_use]
    pub fn now(&self) -> DateTime<Utc> {
        to_micros(Utc::now()) + Duration::microseconds(self.offset_micros.load(Ordering::SeqCst))
    }

    /// Moves the clock by `by` (forward or back) from where it is.
    pub fn shift(&self, by: Duration) {
        let micros = by.num_microseconds().unwrap_or(i64::MAX);
        self.offset_micros.fetch_add(micros, Ordering::SeqCst);
    }
}

impl Clock for ShiftedClock {
    fn now(&self) -> DateTime<Utc> {
        Self::now(self)
    }
}
