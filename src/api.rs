//! The typed HTTP client: every request the app makes goes through here.
//!
//! Policy: same-origin relative URLs (`/api/...`), so the session cookie travels by
//! itself. Any non-2xx answer is decoded from the shared `ErrorBody` into an [`ApiError`]
//! that keeps the HTTP status, the stable `code`, the message and the offending `field`;
//! transport failures become code `network`. JSON goes through gloo-net; uploads use
//! `XMLHttpRequest` because only it reports upload progress.

mod upload;

use std::fmt;

use gloo_net::http::{Request, RequestBuilder, Response};
use refund_api::{
    CaseChanged, CaseCreated, CaseDetail, CaseSummary, ErrorBody, LaunchRequest, NewCase,
    OrderView, SessionView, TrackingKey,
};
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

pub use upload::upload_evidence;

/// A failed request, in the server's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status; 0 when no answer arrived.
    pub status: u16,
    pub code: String,
    pub message: String,
    /// The input the server blames, e.g. `guardian.phone`.
    pub field: Option<String>,
}

impl ApiError {
    /// No answer at all: offline, DNS, connection reset.
    #[must_use]
    pub fn network() -> Self {
        Self::local(0, "network")
    }

    /// A client-side refusal before sending, with a contract error code.
    #[must_use]
    pub fn local(status: u16, code: &str) -> Self {
        Self {
            status,
            code: code.to_owned(),
            message: String::new(),
            field: None,
        }
    }

    /// Decodes a non-2xx answer body; a body that is not an `ErrorBody` still keeps the status.
    #[must_use]
    pub fn from_body(status: u16, body: &str) -> Self {
        match serde_json::from_str::<ErrorBody>(body) {
            Ok(ErrorBody { error }) => Self {
                status,
                code: error.code,
                message: error.message,
                field: error.field,
            },
            Err(_) => Self {
                status,
                code: if status >= 500 { "internal" } else { "bad_response" }.to_owned(),
                message: body.chars().take(200).collect(),
                field: None,
            },
        }
    }

    /// The server answered that the request itself was wrong, so it changed nothing;
    /// resending the same body would fail the same way.
    #[must_use]
    pub fn is_rejection(&self) -> bool {
        (400..500).contains(&self.status)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.code, self.status, self.message)
    }
}

impl std::error::Error for ApiError {}

pub type ApiResult<T> = Result<T, ApiError>;

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

async fn send(request: Result<Request, gloo_net::Error>) -> ApiResult<Response> {
    let request = request.map_err(|_| ApiError::local(0, "bad_response"))?;
    let response = request.send().await.map_err(|_| ApiError::network())?;
    if response.ok() {
        Ok(response)
    } else {
        let body = response.text().await.unwrap_or_default();
        Err(ApiError::from_body(response.status(), &body))
    }
}

async fn json<T: DeserializeOwned>(request: Result<Request, gloo_net::Error>) -> ApiResult<T> {
    let response = send(request).await?;
    let status = response.status();
    response
        .json::<T>()
        .await
        .map_err(|_| ApiError::local(status, "bad_response"))
}

fn get(url: &str) -> Result<Request, gloo_net::Error> {
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

/// The session player's orders in this game.
pub async fn orders() -> ApiResult<Vec<OrderView>> {
    json(get("/api/orders")).await
}

/// Removes an uploaded file that no case uses yet.
pub async fn delete_evidence(id: &str) -> ApiResult<()> {
    send(Request::delete(&format!("/api/evidence/{}", encode(id))).build()).await?;
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
            Self::Track { case_no, key } => {
                format!("/api/track/{}?key={}", encode(case_no), encode(key))
            }
        }
    }

    /// Where the bytes of one evidence file can be opened.
    #[must_use]
    pub fn evidence_url(&self, id: &str) -> String {
        match self {
            Self::Session { .. } => format!("/api/evidence/{}", encode(id)),
            Self::Track { case_no, key } => format!(
                "/api/track/{}/evidence/{}?key={}",
                encode(case_no),
                encode(id),
                encode(key)
            ),
        }
    }

    fn events_url(&self) -> String {
        match self {
            Self::Session { .. } => "/api/events".to_owned(),
            Self::Track { case_no, key } => {
                format!("/api/events?case={}&key={}", encode(case_no), encode(key))
            }
        }
    }
}

/// One case with its timeline, orders and evidence.
pub async fn case_detail(source: &CaseSource) -> ApiResult<CaseDetail> {
    json(get(&source.detail_url())).await
}

/// An open server-sent-events stream; dropping it closes the connection.
pub struct CaseEvents {
    source: web_sys::EventSource,
    _listener: Closure<dyn FnMut(web_sys::MessageEvent)>,
}

impl Drop for CaseEvents {
    fn drop(&mut self) {
        self.source.close();
    }
}

/// Listens for `case` events; the browser reconnects by itself and sends `Last-Event-ID`,
/// and the server replays what was missed.
#[must_use]
pub fn subscribe(source: &CaseSource, on_change: impl Fn(CaseChanged) + 'static) -> Option<CaseEvents> {
    let events = web_sys::EventSource::new(&source.events_url()).ok()?;
    let listener = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
        if let Some(change) = ev
            .data()
            .as_string()
            .and_then(|data| serde_json::from_str::<CaseChanged>(&data).ok())
        {
            on_change(change);
        }
    });
    events
        .add_event_listener_with_callback("case", listener.as_ref().unchecked_ref())
        .ok()?;
    Some(CaseEvents {
        source: events,
        _listener: listener,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_body_keeps_code_message_field_and_status() {
        let body = r#"{"error":{"code":"invalid","message":"bad phone","field":"guardian.phone"}}"#;
        let e = ApiError::from_body(422, body);
        assert_eq!(e.status, 422);
        assert_eq!(e.code, "invalid");
        assert_eq!(e.field.as_deref(), Some("guardian.phone"));
        assert!(e.is_rejection());
    }

    #[test]
    fn a_body_that_is_not_an_error_body_still_keeps_the_status() {
        let e = ApiError::from_body(502, "<html>Bad gateway</html>");
        assert_eq!((e.status, e.code.as_str()), (502, "internal"));
        assert!(!e.is_rejection());
        assert_eq!(ApiError::from_body(404, "").code, "bad_response");
        assert!(!ApiError::network().is_rejection());
    }

    #[test]
    fn urls_encode_their_parts() {
        assert_eq!(encode("RD-2025_01.x~"), "RD-2025_01.x~");
        assert_eq!(encode("a/b?c&d=e f"), "a%2Fb%3Fc%26d%3De%20f");
        let track = CaseSource::Track {
            case_no: "RD-1".into(),
            key: "k+/=".into(),
        };
        assert_eq!(track.detail_url(), "/api/track/RD-1?key=k%2B%2F%3D");
        assert_eq!(track.evidence_url("ev1"), "/api/track/RD-1/evidence/ev1?key=k%2B%2F%3D");
        assert_eq!(track.events_url(), "/api/events?case=RD-1&key=k%2B%2F%3D");
        let mine = CaseSource::Session { case_no: "RD-1".into() };
        assert_eq!(mine.detail_url(), "/api/cases/RD-1");
        assert_eq!(mine.events_url(), "/api/events");
    }
}
