//! Staff passwords: argon2id hashes, and how repeated wrong guesses are slowed down.
//!
//! Policy: only the PHC-format hash is stored; verification is constant-time (argon2's
//! own). Guessing is slowed per account and per address: the first few failures are
//! free (people mistype), then each failure doubles the wait, up to a quarter of an hour.

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Duration, Utc};

/// Failures allowed before waits begin.
const FREE_FAILURES: i64 = 3;
/// The longest wait after repeated failures.
const MAX_WAIT: Duration = Duration::minutes(15);
/// Shortest password accepted for a new account.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Why a password cannot be set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("a password needs at least {MIN_PASSWORD_CHARS} characters")]
    TooShort,
    #[error("the password could not be hashed: {0}")]
    Hashing(String),
}

/// The argon2id hash of a new password, in PHC string format.
pub fn hash(password: &str) -> Result<String, PasswordError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(PasswordError::TooShort);
    }
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| PasswordError::Hashing(e.to_string()))
}

/// Whether `password` matches the stored hash (a malformed hash matches nothing).
#[must_use]
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A hash that no password matches, verified when the login does not exist, so that an
/// unknown login takes as long as a wrong password.
pub fn decoy_hash() -> &'static str {
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3QGeBfc8M8mHqTjz3hEpDQ5m6sr3c8TC9HJ1R0tC0nI"
}

/// When the next attempt is allowed after `failures` failures, the last at `last`;
/// `None` when it is allowed now.
#[must_use]
pub fn retry_after(failures: i64, last: DateTime<Utc>, now: DateTime<Utc>) -> Option<Duration> {
    if failures < FREE_FAILURES {
        return None;
    }
    let doublings = u32::try_from((failures - FREE_FAILURES).min(20)).unwrap_or(20);
    let wait = (Duration::seconds(1) * 2_i32.saturating_pow(doublings)).min(MAX_WAIT);
    let allowed_at = last + wait;
    (allowed_at > now).then(|| allowed_at - now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let stored = hash("correct horse battery").expect("hashed");
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &stored));
        assert!(!verify("correct horse battery!", &stored));
        assert!(!verify("anything", "not a hash"));
        assert!(!verify("anything", decoy_hash()));
        assert_eq!(hash("short"), Err(PasswordError::TooShort));
    }

    #[test]
    fn waits_begin_after_three_failures_and_double_up_to_fifteen_minutes() {
        let now = Utc::now();
        assert_eq!(retry_after(2, now, now), None);
        assert_eq!(retry_after(3, now, now), Some(Duration::seconds(1)));
        assert_eq!(retry_after(5, now, now), Some(Duration::seconds(4)));
        assert_eq!(retry_after(40, now, now), Some(Duration::minutes(15)));
        assert_eq!(retry_after(5, now - Duration::seconds(10), now), None);
    }
}
