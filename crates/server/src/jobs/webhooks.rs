//! Delivering players' notifications to their game's webhook.
//!
//! Each delivery is a JSON POST signed with
//! `X-Refund-Signature: t=UNIX_SECONDS,v1=HEX(HMAC-SHA256(secret, "UNIX_SECONDS.BODY"))`.
//! A 2xx answer delivers it; anything else is retried by the job runner with
//! exponential backoff until a day after the notification, then given up. Every attempt
//! is recorded in the delivery log the developer reads. The body carries the delivery's
//! id, so a receiver can ignore a delivery it has seen (a retry after a lost answer).

use std::time::Duration;

use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;

use crate::app::AppState;
use crate::domain::notify;
use crate::store::DELIVERY_WINDOW;

/// The signature header's name.
pub const SIGNATURE_HEADER: &str = "X-Refund-Signature";

#[derive(Debug, Deserialize)]
struct Payload {
    delivery_id: i64,
}

/// The header value signing `body` at `unix_seconds` with `secret`.
#[must_use]
pub fn signature(secret: &str, unix_seconds: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(format!("{unix_seconds}.{body}").as_bytes());
    format!("t={unix_seconds},v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// Makes one attempt at a delivery; an error asks the runner to retry.
pub async fn deliver(state: &AppState, payload: &str) -> Result<(), String> {
    let Payload { delivery_id } = serde_json::from_str(payload).map_err(|e| format!("bad payload: {e}"))?;
    let store = &state.store;
    let Some(delivery) = store.delivery(delivery_id).await.map_err(|e| e.to_string())? else {
        return Ok(());
    };
    if delivery.status != refund_api::DeliveryStatus::Pending.key() {
        return Ok(());
    }
    let now = state.clock.now();
    let (Some(url), Some(secret)) = (delivery.url.as_deref(), delivery.secret.as_deref()) else {
        store
            .record_delivery(
                delivery_id,
                false,
                None,
                Some("the game's webhook was removed"),
                true,
                now,
            )
            .await
            .map_err(|e| e.to_string())?;
        return Ok(());
    };
    let (zh, en) = notify::text(delivery.kind);
    let openid = delivery.recipient.splitn(3, ':').nth(2).unwrap_or_default();
    let body = serde_json::json!({
        "delivery_id": delivery.id,
        "appid": delivery.appid,
        "openid": openid,
        "case_no": delivery.case_no,
        "event": delivery.kind.key(),
        "text": { "zh-CN": zh, "en": en },
        "link": format!("{}/cases/{}", state.public_base(), delivery.case_no),
        "at": delivery.created_at.to_rfc3339(),
    })
    .to_string();
    let answer = reqwest::Client::new()
        .post(url)
        .timeout(Duration::from_secs(10))
        .header("Content-Type", "application/json")
        .header(SIGNATURE_HEADER, signature(secret, now.timestamp(), &body))
        .body(body)
        .send()
        .await;
    let (delivered, status, error) = match answer {
        Ok(response) if response.status().is_success() => (true, Some(i64::from(response.status().as_u16())), None),
        Ok(response) => (
            false,
            Some(i64::from(response.status().as_u16())),
            Some(format!("answered {}", response.status())),
        ),
        Err(e) => (false, None, Some(format!("could not reach the webhook: {e}"))),
    };
    let give_up = !delivered && now >= delivery.created_at + DELIVERY_WINDOW;
    store
        .record_delivery(delivery_id, delivered, status, error.as_deref(), give_up, now)
        .await
        .map_err(|e| e.to_string())?;
    match error {
        Some(error) if !give_up => Err(error),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::signature;

    #[test]
    fn the_signature_is_hmac_sha256_of_time_dot_body() {
        // HMAC-SHA256("secret", "1700000000.{}"), computed independently.
        let expected = {
            use hmac::{Hmac, Mac};
            let mut mac = Hmac::<sha2::Sha256>::new_from_slice(b"secret").expect("key");
            mac.update(b"1700000000.{}");
            hex::encode(mac.finalize().into_bytes())
        };
        assert_eq!(
            signature("secret", 1_700_000_000, "{}"),
            format!("t=1700000000,v1={expected}")
        );
    }
}
