//! The typed HTTP client: every request the app makes goes through here.
//!
//! Policy: same-origin relative URLs (`/api/...`), so the session cookie travels by
//! itself. Any non-2xx answer is decoded from the shared `ErrorBody` into an [`ApiError`]
//! that keeps the HTTP status, the stable `code`, the message and the offending `field`;
//! transport failures become code `network`. JSON goes through gloo-net; uploads use
//! `XMLHttpRequest` because only it reports upload progress.

mod error;
mod events;
mod upload;

use std::future::Future;
use std::pin::Pin;

use gloo_net::http::{Request, RequestBuilder};
use refund_api::{
    AppealRequest, CaseCreated, CaseDetail, CaseSummary, LaunchRequest, MarkRead, MessageRequest, NewCase,
    NotificationList, OrderView, SessionView, StreamToken, TRACKING_KEY_HEADER, TimelineEntry, TrackingKey,
    WithdrawRequest,
};
use serde::de::DeserializeOwned;

pub use error::{ApiError, ApiResult, ClientCode};
pub use events::{CaseEvents, Subscription, listen, subscribe, subscribe_mine};
pub use upload::{accepted_types, post_form, refused_for_size, too_large, upload_evidence};

/// Percent-encodes one URL path segment or query value.
#[must_use]
pub fn encode(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for b in raw.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// What came back: the status and the body text. Boxed and not generic, so the one copy of
/// the transport code is shared by every endpoint instead of inlined into each.
type Answer = Pin<Box<dyn Future<Output = ApiResult<(u16, String)>>>>;

pub(crate) fn exchange(request: Result<Request, gloo_net::Error>) -> Answer {
    Box::pin(async move {
        let request = request.map_err(|_| ApiError::client(0, ClientCode::BadResponse))?;
        let response = request.send().await.map_err(|_| ApiError::network())?;
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        if response.ok() {
            Ok((status, body))
        } else {
            Err(ApiError::from_body(status, &body))
        }
    })
}

pub(crate) async fn json<T: DeserializeOwned>(request: Result<Request, gloo_net::Error>) -> ApiResult<T> {
    let (status, body) = exchange(request).await?;
    serde_json::from_str(&body).map_err(|_| ApiError::client(status, ClientCode::BadResponse))
}

pub(crate) fn get(url: &str) -> Result<Request, gloo_net::Error> {
    RequestBuilder::new(url).build()
}

/// `POST /api/session/launch`: trades the game menu's ticket for a session cookie.
pub async fn launch(ticket: &str) -> ApiResult<SessionView> {
    let body = LaunchRequest {
        ticket: ticket.to_owned(),
    };
    json(Request::post("/api/session/launch").json(&body)).await
}

pub async fn session() -> ApiResult<SessionView> {
    json(get("/api/session")).await
}

/// The evidence limits of the session (`GET /api/session`, read for its `limits` alone:
/// a page that needs nothing else of the session does not carry the code to read it).
pub async fn evidence_limits() -> ApiResult<refund_api::EvidenceLimits> {
    #[derive(serde::Deserialize)]
    struct LimitsOnly {
        limits: refund_api::EvidenceLimits,
    }
    json::<LimitsOnly>(get("/api/session")).await.map(|s| s.limits)
}

/// The session player's orders in this game.
pub async fn orders() -> ApiResult<Vec<OrderView>> {
    json(get("/api/orders")).await
}

/// `POST /api/privacy-consent`: the player agrees to the privacy notice shown.
pub async fn privacy_consent() -> ApiResult<()> {
    let consent = refund_api::PrivacyConsent {
        notice_version: refund_api::PRIVACY_NOTICE_VERSION,
    };
    exchange(Request::post("/api/privacy-consent").json(&consent)).await?;
    Ok(())
}

/// Removes an uploaded file that no case uses yet.
pub async fn delete_evidence(id: &str) -> ApiResult<()> {
    exchange(Request::delete(&format!("/api/evidence/{}", encode(id))).build()).await?;
    Ok(())
}

/// Submits a case; the same `idempotency_key` always yields the same case.
pub async fn create_case(idempotency_key: &str, case: &NewCase) -> ApiResult<CaseCreated> {
    let request = Request::post("/api/cases")
        .header("Idempotency-Key", idempotency_key)
        .json(case);
    json(request).await
}

/// My cases, newest first.
pub async fn my_cases() -> ApiResult<Vec<CaseSummary>> {
    json(get("/api/cases")).await
}

/// Replaces the case's tracking key; links with the old key stop working.
pub async fn new_tracking_key(case_no: &str) -> ApiResult<TrackingKey> {
    let url = format!("/api/cases/{}/tracking-key", encode(case_no));
    json(Request::post(&url).build()).await
}

/// The player withdraws an open case (its orders become claimable again).
pub async fn withdraw(case_no: &str, reason: Option<String>) -> ApiResult<CaseDetail> {
    let url = format!("/api/cases/{}/withdraw", encode(case_no));
    json(Request::post(&url).json(&WithdrawRequest { reason })).await
}

/// `POST /api/cases/{no}/appeal`: the same `idempotency_key` always counts once.
pub async fn appeal(case_no: &str, idempotency_key: &str, appeal: &AppealRequest) -> ApiResult<CaseDetail> {
    let url = format!("/api/cases/{}/appeal", encode(case_no));
    json(
        Request::post(&url)
            .header("Idempotency-Key", idempotency_key)
            .json(appeal),
    )
    .await
}

/// `POST /api/cases/{no}/escalate`: the platform decides, finally.
pub async fn escalate(case_no: &str) -> ApiResult<CaseDetail> {
    let url = format!("/api/cases/{}/escalate", encode(case_no));
    json(Request::post(&url).build()).await
}

/// `POST /api/cases/{no}/accept`: the player accepts the decision; the case closes.
pub async fn accept(case_no: &str) -> ApiResult<CaseDetail> {
    let url = format!("/api/cases/{}/accept", encode(case_no));
    json(Request::post(&url).build()).await
}

/// Which side of a case's message thread writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The player, from the case page.
    Player,
    /// The developer, from the console.
    Developer,
}

/// `POST /api/cases/{no}/messages` (the player) or `POST /api/console/cases/{no}/messages`
/// (the developer): one message on the case's thread.
pub async fn send_message(side: Side, case_no: &str, text: &str) -> ApiResult<TimelineEntry> {
    let url = match side {
        Side::Player => format!("/api/cases/{}/messages", encode(case_no)),
        Side::Developer => format!("/api/console/cases/{}/messages", encode(case_no)),
    };
    let body = MessageRequest {
        text: text.to_owned(),
        evidence_ids: Vec::new(),
    };
    json(Request::post(&url).json(&body)).await
}

/// `GET /api/notifications`: the latest notifications and how many are unread.
pub async fn notifications() -> ApiResult<NotificationList> {
    json(get("/api/notifications")).await
}

/// `POST /api/notifications/read`: marks every notification read.
pub async fn mark_notifications_read() -> ApiResult<NotificationList> {
    json(Request::post("/api/notifications/read").json(&MarkRead::default())).await
}

/// How a case is being looked at: as its player (session) or by tracking link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseSource {
    Session { case_no: String },
    Track { case_no: String, key: String },
}

impl CaseSource {
    #[must_use]
    pub fn case_no(&self) -> &str {
        match self {
            Self::Session { case_no } | Self::Track { case_no, .. } => case_no,
        }
    }

    fn detail_url(&self) -> String {
        match self {
            Self::Session { case_no } => format!("/api/cases/{}", encode(case_no)),
            Self::Track { case_no, .. } => format!("/api/track/{}", encode(case_no)),
        }
    }

    /// A request to `url` with the tracking key in its header, never in the URL.
    fn request(&self, builder: RequestBuilder) -> Result<Request, gloo_net::Error> {
        match self {
            Self::Session { .. } => builder.build(),
            Self::Track { key, .. } => builder.header(TRACKING_KEY_HEADER, key).build(),
        }
    }
}

/// Where the bytes of one of the session player's evidence files can be opened.
#[must_use]
pub fn evidence_url(id: &str) -> String {
    format!("/api/evidence/{}", encode(id))
}

/// `POST /api/track/{no}/stream-token`: a token to open a tracked case's live stream.
pub async fn stream_token(source: &CaseSource) -> ApiResult<StreamToken> {
    let url = format!("/api/track/{}/stream-token", encode(source.case_no()));
    json(source.request(Request::post(&url))).await
}

/// One case with its timeline, orders and evidence.
pub async fn case_detail(source: &CaseSource) -> ApiResult<CaseDetail> {
    json(source.request(RequestBuilder::new(&source.detail_url()))).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_encode_their_parts() {
        assert_eq!(encode("RD-2025_01.x~"), "RD-2025_01.x~");
        assert_eq!(encode("a/b?c&d=e f"), "a%2Fb%3Fc%26d%3De%20f");
        let track = CaseSource::Track {
            case_no: "RD/1".into(),
            key: "k+/=".into(),
        };
        assert_eq!(track.detail_url(), "/api/track/RD%2F1");
        assert_eq!(evidence_url("ev/1"), "/api/evidence/ev%2F1");
        let mine = CaseSource::Session { case_no: "RD-1".into() };
        assert_eq!(mine.detail_url(), "/api/cases/RD-1");
    }
}
