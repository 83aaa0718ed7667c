//! Launch tickets (`domain::ticket`): any text parses or is refused without panicking; a
//! ticket signed with the game's secret verifies to its claims exactly when it has not
//! expired and does not expire too far ahead; a wrong secret, and any edit of a signed
//! ticket (beyond whitespace around it), fails verification.
//!
//! Input: 18 bytes of little-endian numbers (see [`Input`]), then text. The whole text is
//! tried as a ticket; its lines are the appid, openid, nonce, secret and another secret
//! of a ticket signed here.

#![no_main]

use chrono::{DateTime, Duration};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use refund_server::domain::ticket::{TicketClaims, TicketError, UnverifiedTicket, sign};

/// The last instant a clock is expected to read (2100-01-01), so `now + lifetime` fits.
const LAST_NOW: u32 = 4_102_444_800;

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    /// Seconds since the epoch (modulo [`LAST_NOW`]).
    now: u32,
    max_minutes: u16,
    /// The signed ticket's expiry, relative to `now`.
    expires_in: i32,
    /// Edits of the signed ticket: (1 flip bits, 2 insert, 3 remove, 4 truncate, else
    /// none; where; bits or byte).
    edits: [(u8, u16, u8); 2],
    text: &'a str,
}

fuzz_target!(|input: Input| {
    let now = DateTime::from_timestamp(i64::from(input.now % LAST_NOW), 0).unwrap_or_default();
    let max = Duration::minutes(i64::from(input.max_minutes));
    let mut lines = input.text.split('\n');
    let mut line = || lines.next().unwrap_or_default().to_owned();
    let (appid, openid, nonce, secret, other_secret) = (line(), line(), line(), line(), line());

    // Anything: refused, or verified only with its claims in order.
    if let Ok(parsed) = UnverifiedTicket::parse(input.text)
        && let Ok(claims) = parsed.verify(&secret, now, max)
    {
        assert!(!claims.appid.is_empty() && !claims.openid.is_empty() && !claims.nonce.is_empty());
        assert!(claims.exp > now.timestamp() && claims.exp <= (now + max).timestamp());
    }

    let claims = TicketClaims {
        appid,
        openid,
        exp: now.timestamp() + i64::from(input.expires_in),
        nonce,
    };
    let ticket = sign(&claims, &secret);
    let parsed = UnverifiedTicket::parse(&ticket);
    if claims.appid.is_empty() || claims.openid.is_empty() || claims.nonce.is_empty() {
        assert_eq!(parsed.err(), Some(TicketError::Malformed), "a claim is empty: {ticket}");
        return;
    }
    let parsed = parsed.expect("a signed ticket parses");
    assert_eq!(parsed.appid(), claims.appid);

    let expected = if claims.exp <= now.timestamp() {
        Err(TicketError::Expired)
    } else if claims.exp > (now + max).timestamp() {
        Err(TicketError::ExpiryTooFar)
    } else {
        Ok(claims.clone())
    };
    assert_eq!(parsed.clone().verify(&secret, now, max), expected);
    if let Ok(verified) = expected {
        let expires = UnverifiedTicket::expires_at(&verified).expect("a valid expiry is an instant");
        assert_eq!(expires.timestamp(), claims.exp);
    }
    if !same_hmac_key(&secret, &other_secret) {
        assert_eq!(parsed.verify(&other_secret, now, max), Err(TicketError::Forged));
    }

    let mut edited = ticket.clone().into_bytes();
    for edit in input.edits {
        apply(&mut edited, edit);
    }
    let Ok(edited) = String::from_utf8(edited) else { return };
    if edited.trim() != ticket {
        let verified = UnverifiedTicket::parse(&edited).and_then(|t| t.verify(&secret, now, max));
        assert!(
            verified.is_err(),
            "an edited ticket verified: {edited:?} from {ticket:?}"
        );
    }
});

/// HMAC pads a key of at most one block (64 bytes) with zeros, so two such secrets that
/// differ only in trailing NULs sign alike; secrets are random tokens, never like that.
fn same_hmac_key(a: &str, b: &str) -> bool {
    let short = a.len() <= 64 && b.len() <= 64;
    a == b || (short && a.trim_end_matches('\0') == b.trim_end_matches('\0'))
}

fn apply(bytes: &mut Vec<u8>, (what, at, value): (u8, u16, u8)) {
    let len = bytes.len();
    let at = |room: usize| usize::from(at) % room.max(1);
    match what {
        1 if len > 0 => bytes[at(len)] ^= value.max(1),
        2 => bytes.insert(at(len + 1), value),
        3 if len > 0 => {
            bytes.remove(at(len));
        }
        4 => bytes.truncate(at(len)),
        _ => {}
    }
}
