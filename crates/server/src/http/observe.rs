//! What operators see of requests: the request log's span and lines, the request
//! metrics, and `GET /metrics`.
//!
//! Policy: a request is known in logs and metrics by its method, its route template
//! (`/api/cases/{no}`) or, where no route matched, its path without the query, its status
//! and its latency. Query strings (launch tickets, stream tokens), headers (cookies,
//! `Authorization`, `X-Tracking-Key`) and bodies are never recorded anywhere: they carry
//! credentials and personal data, and logs are kept and read more widely than the
//! database. Metrics go further and never take a path at all: a request no route matched
//! counts under [`UNMATCHED_ROUTE`], so case numbers cannot become series.

use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use refund_api::ErrorCode;
use tower_http::classify::{ServerErrorsAsFailures, SharedClassifier};
use tower_http::trace::TraceLayer;
use tower_http::trace::{DefaultOnBodyChunk, DefaultOnEos, DefaultOnFailure, DefaultOnRequest, MakeSpan, OnResponse};
use tracing::Span;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::openapi::Unavailable;
use crate::app::AppState;
use crate::error::error_response;
use crate::metrics::{self, Metrics, UNMATCHED_ROUTE};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(scrape))
}

/// The request log: one span per request, a line when it is answered.
pub type RequestTrace = TraceLayer<
    SharedClassifier<ServerErrorsAsFailures>,
    RequestSpan,
    DefaultOnRequest,
    AnswerLine,
    DefaultOnBodyChunk,
    DefaultOnEos,
    DefaultOnFailure,
>;

/// The layer that logs requests as the policy says.
#[must_use]
pub fn request_trace() -> RequestTrace {
    TraceLayer::new_for_http()
        .make_span_with(RequestSpan)
        .on_response(AnswerLine)
}

/// The route template that matched `request`, if one did. A nested router's catch-all
/// (an unknown `/api` path) is axum's own pattern, not a route of ours, so it does not count.
fn route_template<B>(request: &axum::http::Request<B>) -> Option<&str> {
    request
        .extensions()
        .get::<MatchedPath>()
        .map(MatchedPath::as_str)
        .filter(|template| !template.contains("__private__"))
}

/// Every event logged while a request is handled carries its method and route (or path).
#[derive(Debug, Clone, Copy)]
pub struct RequestSpan;

impl<B> MakeSpan<B> for RequestSpan {
    fn make_span(&mut self, request: &axum::http::Request<B>) -> Span {
        // `path()` never includes the query string.
        let route = route_template(request).unwrap_or_else(|| request.uri().path());
        tracing::info_span!("request", method = %request.method(), route = %route)
    }
}

/// The line that says a request was answered: its status and how long it took.
#[derive(Debug, Clone, Copy)]
pub struct AnswerLine;

impl<B> OnResponse<B> for AnswerLine {
    fn on_response(self, response: &axum::http::Response<B>, latency: Duration, _span: &Span) {
        tracing::debug!(
            status = response.status().as_u16(),
            latency_ms = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX),
            "answered"
        );
    }
}

/// Counts each request into the request series once its response headers are ready.
pub async fn count_request(State(metrics): State<Metrics>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = route_template(&request).unwrap_or(UNMATCHED_ROUTE).to_owned();
    let response = next.run(request).await;
    metrics.record_request(method.as_str(), &route, response.status().as_u16(), started.elapsed());
    response
}

/// `GET /metrics`: the exposition, with the queue and outbox read from the database now.
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "operations",
    operation_id = "metrics",
    responses(
        (status = 200, description = "The metrics, in the OpenMetrics text format.", body = String, content_type = "application/openmetrics-text"),
        Unavailable,
    )
)]
async fn scrape(State(state): State<AppState>) -> Response {
    match state.metrics.render(&state.store, state.clock.now()).await {
        Ok(text) => ([(CONTENT_TYPE, metrics::CONTENT_TYPE)], text).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "cannot read the metrics");
            error_response(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::DatabaseUnreachable,
                "The metrics cannot be read now.",
            )
        }
    }
}
