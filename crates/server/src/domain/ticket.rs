//! Launch tickets: the game's server signs `{appid, openid, exp, nonce}` with the game's
//! secret (HMAC-SHA256) and puts the ticket in its menu link.
//!
//! Format: `base64url(claims JSON) "." base64url(mac)`. Parsing reads the claims without
//! trusting them (the appid says whose secret to check with); [`UnverifiedTicket::verify`]
//! checks the signature in constant time, then the expiry. That a ticket works only once
//! is enforced by storage (its nonce is remembered).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// What a ticket asserts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketClaims {
    pub appid: String,
    pub openid: String,
    /// Expiry, seconds since the Unix epoch.
    pub exp: i64,
    pub nonce: String,
}

/// Why a ticket was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TicketError {
    #[error("the ticket is not in the expected format")]
    Malformed,
    #[error("the ticket's signature does not match the game's secret")]
    Forged,
    #[error("the ticket has expired")]
    Expired,
    /// Its expiry is further ahead than any ticket should live (an `exp` in milliseconds,
    /// say): accepting it would let it be replayed once its nonce is forgotten.
    #[error("the ticket expires implausibly far ahead")]
    ExpiryTooFar,
}

/// A ticket whose claims have been read but not yet checked.
#[derive(Debug, Clone)]
pub struct UnverifiedTicket {
    claims: TicketClaims,
    signed: String,
    mac: Vec<u8>,
}

impl UnverifiedTicket {
    pub fn parse(ticket: &str) -> Result<Self, TicketError> {
        let (signed, mac) = ticket.trim().split_once('.').ok_or(TicketError::Malformed)?;
        let payload = URL_SAFE_NO_PAD.decode(signed).map_err(|_| TicketError::Malformed)?;
        let mac = URL_SAFE_NO_PAD.decode(mac).map_err(|_| TicketError::Malformed)?;
        let claims: TicketClaims = serde_json::from_slice(&payload).map_err(|_| TicketError::Malformed)?;
        if claims.appid.is_empty() || claims.openid.is_empty() || claims.nonce.is_empty() {
            return Err(TicketError::Malformed);
        }
        Ok(Self {
            claims,
            signed: signed.to_owned(),
            mac,
        })
    }

    /// The game the ticket claims to come from: whose secret to verify with.
    #[must_use]
    pub fn appid(&self) -> &str {
        &self.claims.appid
    }

    /// Checks the signature, then that the ticket has not expired and does not expire
    /// more than `max_lifetime` after `now`.
    pub fn verify(
        self,
        secret: &str,
        now: DateTime<Utc>,
        max_lifetime: chrono::Duration,
    ) -> Result<TicketClaims, TicketError> {
        mac_for(secret, &self.signed)
            .verify_slice(&self.mac)
            .map_err(|_| TicketError::Forged)?;
        if self.claims.exp <= now.timestamp() {
            return Err(TicketError::Expired);
        }
        if self.claims.exp > (now + max_lifetime).timestamp() {
            return Err(TicketError::ExpiryTooFar);
        }
        Ok(self.claims)
    }

    /// When the ticket expires (valid once [`UnverifiedTicket::verify`] has passed).
    #[must_use]
    pub fn expires_at(claims: &TicketClaims) -> Option<DateTime<Utc>> {
        DateTime::from_timestamp(claims.exp, 0)
    }
}

/// Signs claims the way a game's server does; used by the operator command, demo and tests.
#[must_use]
pub fn sign(claims: &TicketClaims, secret: &str) -> String {
    let payload = serde_json::to_vec(claims).unwrap_or_default();
    let signed = URL_SAFE_NO_PAD.encode(payload);
    let mac = mac_for(secret, &signed).finalize().into_bytes();
    format!("{signed}.{}", URL_SAFE_NO_PAD.encode(mac))
}

/// Claims for `appid`/`openid` valid for `ttl` from `now`, with a fresh random nonce.
#[must_use]
pub fn fresh_claims(appid: &str, openid: &str, now: DateTime<Utc>, ttl: chrono::Duration) -> TicketClaims {
    TicketClaims {
        appid: appid.to_owned(),
        openid: openid.to_owned(),
        exp: (now + ttl).timestamp(),
        nonce: crate::secrets::random_token(16),
    }
}

fn mac_for(secret: &str, signed: &str) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(signed.as_bytes());
    mac
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAX: chrono::Duration = chrono::Duration::minutes(15);

    fn claims(exp: i64) -> TicketClaims {
        TicketClaims {
            appid: "wxgame".into(),
            openid: "player-1".into(),
            exp,
            nonce: "n1".into(),
        }
    }

    #[test]
    fn a_signed_ticket_verifies_with_its_secret_until_it_expires() {
        let now = Utc::now();
        let ticket = sign(&claims(now.timestamp() + 60), "s3cret");
        let parsed = UnverifiedTicket::parse(&ticket).expect("parses");
        assert_eq!(parsed.appid(), "wxgame");
        assert_eq!(
            parsed.clone().verify("s3cret", now, MAX).expect("valid").openid,
            "player-1"
        );
        assert_eq!(parsed.clone().verify("other", now, MAX), Err(TicketError::Forged));
        let later = now + chrono::Duration::seconds(61);
        assert_eq!(parsed.verify("s3cret", later, MAX), Err(TicketError::Expired));
    }

    #[test]
    fn a_ticket_expiring_further_ahead_than_allowed_is_refused() {
        let now = Utc::now();
        let in_milliseconds = sign(&claims(now.timestamp_millis()), "s3cret");
        let parsed = UnverifiedTicket::parse(&in_milliseconds).expect("parses");
        assert_eq!(parsed.verify("s3cret", now, MAX), Err(TicketError::ExpiryTooFar));
        let just_over = sign(&claims((now + MAX).timestamp() + 1), "s3cret");
        let parsed = UnverifiedTicket::parse(&just_over).expect("parses");
        assert_eq!(parsed.verify("s3cret", now, MAX), Err(TicketError::ExpiryTooFar));
        let at_limit = sign(&claims((now + MAX).timestamp()), "s3cret");
        let parsed = UnverifiedTicket::parse(&at_limit).expect("parses");
        assert!(parsed.verify("s3cret", now, MAX).is_ok());
    }

    #[test]
    fn a_ticket_with_edited_claims_is_forged() {
        let now = Utc::now();
        let ticket = sign(&claims(now.timestamp() + 60), "s3cret");
        let (_, mac) = ticket.split_once('.').expect("two parts");
        let mut edited = claims(now.timestamp() + 60);
        edited.openid = "player-2".into();
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&edited).expect("json"));
        let forged = format!("{payload}.{mac}");
        let parsed = UnverifiedTicket::parse(&forged).expect("parses");
        assert_eq!(parsed.verify("s3cret", now, MAX), Err(TicketError::Forged));
    }

    #[test]
    fn garbage_is_malformed() {
        for bad in ["", "abc", "a.b", "!!.??", &URL_SAFE_NO_PAD.encode("{}")] {
            assert_eq!(
                UnverifiedTicket::parse(bad).err(),
                Some(TicketError::Malformed),
                "{bad}"
            );
        }
    }
}
