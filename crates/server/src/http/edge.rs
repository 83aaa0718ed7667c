//! Security headers on every response, the `Origin` check on requests that change state,
//! and the deadline for reading a request's body.
//!
//! Policy: the pages run no inline script but the loader Trunk writes into `index.html`,
//! which is allowed by its SHA-256, read from the built files when the server starts (so
//! a rebuilt app needs no configuration). A response that sets its own policy (evidence
//! files are sandboxed) keeps it. A browser always names the page a state-changing
//! request comes from in `Origin`; one from another site is refused with 403
//! `bad_origin`. Requests without `Origin` are not from a browser page (a game server,
//! a script) and carry no ambient cookies to abuse, so they pass.

use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{
    CONTENT_SECURITY_POLICY, HOST, ORIGIN, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderName, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use futures::Stream;
use refund_api::ErrorCode;
use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::error::AppError;

/// The headers added to every response, computed once.
#[derive(Debug, Clone)]
pub struct EdgePolicy {
    headers: Arc<Vec<(HeaderName, HeaderValue)>>,
    /// `scheme://host[:port]` of `--public-url`; `None` compares with the request's Host.
    public_origin: Option<String>,
}

impl EdgePolicy {
    /// The policy for `config`, hashing the inline scripts and styles of the built pages.
    #[must_use]
    pub fn new(config: &Config) -> Self {
        let mut scripts = Vec::new();
        let mut styles = Vec::new();
        if let Some(dir) = &config.static_dir {
            let follow = dir.join(refund_api::PlayerBundle::FOLLOW_DIR).join("index.html");
            for page in [dir.join("index.html"), follow, dir.join("console").join("index.html")] {
                inline_hashes(&page, "script", &mut scripts);
                inline_hashes(&page, "style", &mut styles);
            }
        }
        let csp = format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{}; style-src 'self'{}; \
             img-src 'self' blob:; media-src 'self' blob:; connect-src 'self' blob:; object-src 'none'; \
             base-uri 'none'; form-action 'self'; frame-ancestors {}",
            sources(&scripts),
            sources(&styles),
            config.edge.frame_ancestors.trim(),
        );
        let mut headers = vec![
            (CONTENT_SECURITY_POLICY, csp),
            (REFERRER_POLICY, "no-referrer".to_owned()),
            (X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (
                HeaderName::from_static("permissions-policy"),
                // The evidence step's camera picker uses the file input, not the camera API.
                "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()".to_owned(),
            ),
            (
                HeaderName::from_static("cross-origin-opener-policy"),
                "same-origin".to_owned(),
            ),
        ];
        if config.https() {
            headers.push((STRICT_TRANSPORT_SECURITY, "max-age=31536000".to_owned()));
        }
        let headers = headers
            .into_iter()
            .filter_map(|(name, value)| HeaderValue::from_str(&value).ok().map(|v| (name, v)))
            .collect();
        Self {
            headers: Arc::new(headers),
            public_origin: config.public_url.as_deref().map(origin_of),
        }
    }

    /// Whether a request from `origin` may change state here.
    fn allows(&self, origin: &str, host: Option<&str>) -> bool {
        match &self.public_origin {
            Some(public) => origin.eq_ignore_ascii_case(public),
            None => host.is_some_and(|host| {
                origin.eq_ignore_ascii_case(&format!("http://{host}"))
                    || origin.eq_ignore_ascii_case(&format!("https://{host}"))
            }),
        }
    }
}

/// `scheme://host[:port]` of a URL (its path dropped).
fn origin_of(url: &str) -> String {
    let url = url.trim().trim_end_matches('/');
    match url.find("://") {
        Some(at) => {
            let rest = &url[at + 3..];
            let host = rest.split('/').next().unwrap_or(rest);
            format!("{}{host}", &url[..at + 3])
        }
        None => url.to_owned(),
    }
}

fn sources(hashes: &[String]) -> String {
    hashes.iter().map(|h| format!(" 'sha256-{h}'")).collect()
}

/// Appends the base64 SHA-256 of each inline `<tag>` body in the page (tags with `src`
/// load a file and need no hash).
fn inline_hashes(page: &Path, tag: &str, out: &mut Vec<String>) {
    let Ok(html) = std::fs::read_to_string(page) else {
        return;
    };
    let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
    let mut rest = html.as_str();
    while let Some(start) = rest.find(&open) {
        let after = &rest[start + open.len()..];
        let Some(head_end) = after.find('>') else { break };
        let attributes = &after[..head_end];
        let body_and_more = &after[head_end + 1..];
        let Some(body_end) = body_and_more.find(&close) else {
            break;
        };
        let body = &body_and_more[..body_end];
        if !attributes.contains("src=") && !body.trim().is_empty() {
            let hash = STANDARD.encode(Sha256::digest(body.as_bytes()));
            if !out.contains(&hash) {
                out.push(hash);
            }
        }
        rest = &body_and_more[body_end + close.len()..];
    }
}

/// Adds the security headers a response does not set itself.
pub async fn add_headers(State(policy): State<EdgePolicy>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in policy.headers.iter() {
        if !headers.contains_key(name) {
            headers.insert(name.clone(), value.clone());
        }
    }
    response
}

/// Refuses a state-changing request that a page of another site sent.
pub async fn check_origin(State(policy): State<EdgePolicy>, request: Request, next: Next) -> Response {
    let changes_state = !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let origin = request.headers().get(ORIGIN).and_then(|v| v.to_str().ok());
    if changes_state && let Some(origin) = origin {
        let host = request.headers().get(HOST).and_then(|v| v.to_str().ok());
        if !policy.allows(origin, host) {
            return AppError::Forbidden(
                ErrorCode::BadOrigin,
                "This request comes from another website's page and was refused.".to_owned(),
            )
            .into_response();
        }
    }
    next.run(request).await
}

/// Gives a request `limit` to deliver its whole body: after that the body reads fail, so
/// a client dribbling bytes cannot hold a handler (and its database work) for long.
pub async fn body_deadline(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let body = Body::from_stream(Deadline {
        inner: body.into_data_stream(),
        deadline: Box::pin(tokio::time::sleep(limit)),
        expired: false,
    });
    next.run(Request::from_parts(parts, body)).await
}

/// A body stream that fails once its deadline has passed.
struct Deadline {
    inner: axum::body::BodyDataStream,
    deadline: Pin<Box<tokio::time::Sleep>>,
    expired: bool,
}

impl Stream for Deadline {
    type Item = Result<axum::body::Bytes, axum::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.expired {
            return Poll::Ready(None);
        }
        if self.deadline.as_mut().poll(cx).is_ready() {
            self.expired = true;
            let late = std::io::Error::new(std::io::ErrorKind::TimedOut, "the request body took too long");
            return Poll::Ready(Some(Err(axum::Error::new(late))));
        }
        Pin::new(&mut self.inner).poll_next(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_origin_is_the_scheme_and_host_of_the_public_url() {
        assert_eq!(origin_of("https://refund.example.com/"), "https://refund.example.com");
        assert_eq!(origin_of("http://127.0.0.1:8080/app/x"), "http://127.0.0.1:8080");
    }

    #[test]
    fn inline_scripts_are_hashed_and_loaded_ones_are_not() {
        let dir = tempfile::tempdir().expect("dir");
        let page = dir.path().join("index.html");
        std::fs::write(
            &page,
            "<script src=\"/a.js\"></script><script type=\"module\">init()</script><style>p{}</style>",
        )
        .expect("write");
        let mut scripts = Vec::new();
        inline_hashes(&page, "script", &mut scripts);
        assert_eq!(scripts, [STANDARD.encode(Sha256::digest(b"init()"))]);
        let mut styles = Vec::new();
        inline_hashes(&page, "style", &mut styles);
        assert_eq!(styles, [STANDARD.encode(Sha256::digest(b"p{}"))]);
    }

    #[test]
    fn only_the_public_origin_or_the_requests_own_host_may_change_state() {
        let mut config = Config::for_data_dir("/tmp/x".into());
        let open = EdgePolicy::new(&config);
        assert!(open.allows("http://localhost:8080", Some("localhost:8080")));
        assert!(!open.allows("https://evil.example", Some("localhost:8080")));
        config.public_url = Some("https://refund.example.com".into());
        let public = EdgePolicy::new(&config);
        assert!(public.allows("https://refund.example.com", Some("anything")));
        assert!(!public.allows("http://refund.example.com", Some("refund.example.com")));
    }
}
