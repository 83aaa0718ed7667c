//! Random tokens and their stored hashes (session tokens, tracking keys, ids).
//!
//! Policy: secrets given to clients are 256-bit random, and only their SHA-256 is stored,
//! so a leaked database cannot be replayed as sessions or tracking links.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
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

/// A token that opens the live stream of `case_no` until `expires` (Unix seconds), signed
/// with the case's stored tracking-key hash: replacing the key revokes every token, and
/// nothing but the database is needed to check one, on any process.
#[must_use]
pub fn stream_token(key_hash: &str, case_no: &str, expires: i64) -> String {
    format!(
        "{expires}.{}",
        hex::encode(stream_mac(key_hash, case_no, expires).finalize().into_bytes())
    )
}

/// When a [`stream_token`] expires, if it was made for this case and key.
#[must_use]
pub fn stream_token_expiry(token: &str, key_hash: &str, case_no: &str) -> Option<i64> {
    let (expires, signature) = token.split_once('.')?;
    let expires = expires.parse::<i64>().ok()?;
    let signature = hex::decode(signature).ok()?;
    stream_mac(key_hash, case_no, expires).verify_slice(&signature).ok()?;
    Some(expires)
}

fn stream_mac(key_hash: &str, case_no: &str, expires: i64) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key_hash.as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(format!("stream:{case_no}:{expires}").as_bytes());
    mac
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_token_opens_only_its_case_with_its_key() {
        let token = stream_token("hash-a", "MR-1", 1_900_000_000);
        assert_eq!(stream_token_expiry(&token, "hash-a", "MR-1"), Some(1_900_000_000));
        assert_eq!(stream_token_expiry(&token, "hash-b", "MR-1"), None);
        assert_eq!(stream_token_expiry(&token, "hash-a", "MR-2"), None);
        let later = token.replacen("1900000000", "1900000001", 1);
        assert_eq!(stream_token_expiry(&later, "hash-a", "MR-1"), None);
        assert_eq!(stream_token_expiry("garbage", "hash-a", "MR-1"), None);
    }
}
