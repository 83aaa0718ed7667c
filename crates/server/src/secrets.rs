//! Random tokens and their stored hashes (session tokens, tracking keys, ids).
//!
//! Policy: secrets given to clients are 256-bit random, and only their SHA-256 is stored,
//! so a leaked database cannot be replayed as sessions or tracking links.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// `bytes` random bytes, URL-safe base64.
#[must_use]
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

/// The hex SHA-256 of a secret, as stored.
#[must_use]
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}
