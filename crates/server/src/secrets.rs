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

use hmac::{Hmac, Mac};

/// Name of the file in the data directory holding the server's own secret.
pub const SERVER_SECRET_FILE: &str = "server-secret";

/// The server's secret: read from the data directory, or created there on first start.
pub fn load_or_create_server_secret(data_dir: &std::path::Path) -> std::io::Result<Vec<u8>> {
    let path = data_dir.join(SERVER_SECRET_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => hex::decode(text.trim()).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut secret = vec![0u8; 32];
            rand::rng().fill_bytes(&mut secret);
            std::fs::write(&path, hex::encode(&secret))?;
            restrict_to_owner(&path)?;
            Ok(secret)
        }
        Err(e) => Err(e),
    }
}

#[cfg(unix)]
fn restrict_to_owner(path: &std::path::Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn restrict_to_owner(_path: &std::path::Path) -> std::io::Result<()> {
    Ok(())
}

/// A case's tracking key of a given generation: unguessable without the server's secret,
/// and derivable again, so a retried submission can be answered with the same key while
/// the database keeps only its hash.
#[must_use]
pub fn tracking_key(server_secret: &[u8], case_no: &str, generation: i64) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(server_secret).expect("HMAC accepts keys of any length");
    mac.update(format!("track:{case_no}:{generation}").as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}
