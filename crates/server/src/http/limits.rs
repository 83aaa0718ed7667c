//! Rate limits: how often one address may exchange tickets, sign in and look up tracking
//! links, and how often one player may upload and submit.
//!
//! Policy: a request over its limit gets 429 `rate_limited` in the usual error shape,
//! with `Retry-After` and the seconds as a parameter the app words. Each limit is a
//! token bucket (GCRA) per key that refills at the configured rate per minute, allowing a
//! burst of one minute's worth; `0` turns a limit off. Keys are forgotten once their
//! bucket is full again, so idle addresses cost no memory. Addresses come from the
//! connection, or from `--client-ip-header` behind a proxy that sets it.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use refund_api::ErrorCode;

use crate::app::AppState;
use crate::config::EdgeArgs;
use crate::error::AppError;
use crate::store::Player;

/// What is being limited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// Ticket exchanges, per address.
    Launch,
    /// Console sign-ins, per address.
    Login,
    /// Tracking look-ups, per address.
    Track,
    /// Evidence uploads, per player.
    Upload,
    /// Submissions and appeals, per player.
    Submit,
}

/// Every limiter of one process.
#[derive(Debug, Clone)]
pub struct RateLimits {
    by_address: Arc<[Option<DefaultKeyedRateLimiter<IpAddr>>; 3]>,
    by_player: Arc<[Option<DefaultKeyedRateLimiter<String>>; 2]>,
    checks: Arc<AtomicU64>,
}

fn limiter<K: std::hash::Hash + Eq + Clone>(per_minute: u32) -> Option<DefaultKeyedRateLimiter<K>> {
    NonZeroU32::new(per_minute).map(|n| RateLimiter::keyed(Quota::per_minute(n)))
}

impl RateLimits {
    #[must_use]
    pub fn new(edge: &EdgeArgs) -> Self {
        Self {
            by_address: Arc::new([
                limiter(edge.launches_per_minute),
                limiter(edge.logins_per_minute),
                limiter(edge.tracking_per_minute),
            ]),
            by_player: Arc::new([limiter(edge.uploads_per_minute), limiter(edge.submissions_per_minute)]),
            checks: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Counts one request from `address` against `limit`.
    pub fn check_address(&self, limit: Limit, address: IpAddr) -> Result<(), AppError> {
        let index = match limit {
            Limit::Launch => 0,
            Limit::Login => 1,
            Limit::Track => 2,
            Limit::Upload | Limit::Submit => return Err(AppError::Internal(format!("{limit:?} is per player"))),
        };
        self.tidy();
        match &self.by_address[index] {
            Some(limiter) => limiter
                .check_key(&address)
                .map_err(|not_until| too_many(not_until.wait_time_from(DefaultClock::default().now()))),
            None => Ok(()),
        }
    }

    /// Counts one request by `player` against `limit`.
    pub fn check_player(&self, limit: Limit, player: &Player) -> Result<(), AppError> {
        let index = match limit {
            Limit::Upload => 0,
            Limit::Submit => 1,
            Limit::Launch | Limit::Login | Limit::Track => {
                return Err(AppError::Internal(format!("{limit:?} is per address")));
            }
        };
        self.tidy();
        let key = format!("{}/{}", player.appid, player.openid);
        match &self.by_player[index] {
            Some(limiter) => limiter
                .check_key(&key)
                .map_err(|not_until| too_many(not_until.wait_time_from(DefaultClock::default().now()))),
            None => Ok(()),
        }
    }

    /// Now and then, forgets keys whose buckets are full again.
    fn tidy(&self) {
        if self.checks.fetch_add(1, Ordering::Relaxed) % 4096 == 4095 {
            for limiter in self.by_address.iter().flatten() {
                limiter.retain_recent();
                limiter.shrink_to_fit();
            }
            for limiter in self.by_player.iter().flatten() {
                limiter.retain_recent();
                limiter.shrink_to_fit();
            }
        }
    }
}

fn too_many(wait: std::time::Duration) -> AppError {
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let seconds = seconds.max(1);
    AppError::TooManyRequests {
        code: ErrorCode::RateLimited,
        message: format!("Too many requests. Try again in {seconds} seconds."),
        retry_after_secs: seconds,
    }
    .with("seconds", seconds.to_string())
}

/// The caller's address: the connection's, or the configured proxy header's.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress(pub IpAddr);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(header) = &state.config.edge.client_ip_header
            && let Some(address) = parts
                .headers
                .get(header.as_str())
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .and_then(|v| v.trim().parse::<IpAddr>().ok())
        {
            return Ok(Self(address));
        }
        parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(peer)| Self(peer.ip()))
            .ok_or_else(|| AppError::Internal("the connection's address is unknown".to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_of_one_minute_passes_and_the_next_request_waits() {
        let edge = EdgeArgs {
            logins_per_minute: 3,
            ..EdgeArgs::default()
        };
        let limits = RateLimits::new(&edge);
        let here = IpAddr::from([10, 0, 0, 1]);
        for _ in 0..3 {
            assert!(limits.check_address(Limit::Login, here).is_ok());
        }
        match limits.check_address(Limit::Login, here) {
            Err(AppError::WithParams { error, params }) => {
                assert!(matches!(
                    *error,
                    AppError::TooManyRequests {
                        retry_after_secs: 1..=20,
                        ..
                    }
                ));
                assert!(params.contains_key("seconds"));
            }
            other => panic!("expected a 429, got {other:?}"),
        }
        assert!(
            limits.check_address(Limit::Login, IpAddr::from([10, 0, 0, 2])).is_ok(),
            "another address has its own bucket"
        );
        assert!(
            limits.check_address(Limit::Launch, here).is_ok(),
            "and another limit too"
        );
    }

    #[test]
    fn zero_turns_a_limit_off() {
        let limits = RateLimits::new(&EdgeArgs::default().without_rate_limits());
        for _ in 0..1000 {
            assert!(limits.check_address(Limit::Track, IpAddr::from([10, 0, 0, 1])).is_ok());
        }
    }
}
