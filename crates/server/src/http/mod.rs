//! HTTP handlers: thin adapters from requests to the domain and the store.
//!
//! Policy: each feature module owns its routes (`pub fn router() -> Router<AppState>`);
//! this module only merges them and adds the cross-cutting layers. Every `/api` failure,
//! unknown paths included, answers in the shared error shape.

mod appeals;
mod auth;
mod case_actions;
mod case_answers;
mod case_views;
mod cases;
mod console;
mod console_auth;
mod credit;
mod deciding;
mod edge;
mod evidence;
mod force_majeure;
mod health;
mod limits;
mod live;
mod messages;
mod notifications;
mod observe;
mod openapi;
mod orders;
mod platform;
mod session;
mod spa;
mod track;
pub mod upload_form;

use axum::http::StatusCode;
use axum::response::Response;
use axum::{Extension, Router};
use refund_api::ErrorCode;
use std::time::Duration;

use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use utoipa_axum::router::OpenApiRouter;

pub use auth::{CONSOLE_COOKIE, SECURE_PREFIX, SESSION_COOKIE};
pub use case_answers::CaseAnswers;
pub use limits::{Limit, RateLimits};

use crate::app::AppState;
use crate::error::error_response;

/// The whole HTTP surface. The API's routes and its OpenAPI document come from the
/// same `OpenApiRouter`s, so the document served at `/api/openapi.json` lists them all.
pub fn router(state: AppState) -> Router {
    let policy = edge::EdgePolicy::new(&state.config);
    let api = OpenApiRouter::new()
        .merge(session::router())
        .merge(orders::router())
        .merge(evidence::router(&state.config))
        .merge(cases::router())
        .merge(appeals::router())
        .merge(platform::router())
        .merge(force_majeure::router(&state.config))
        .merge(credit::router())
        .merge(console_auth::router())
        .merge(console::router())
        .merge(messages::router())
        .merge(notifications::router())
        .merge(track::router())
        .merge(live::router())
        .merge(openapi::router())
        .fallback(api_not_found)
        .layer(axum::middleware::from_fn_with_state(policy.clone(), edge::check_origin));
    let (routes, spec) = OpenApiRouter::with_openapi(openapi::base())
        .nest("/api", api)
        .merge(health::router())
        .merge(observe::router())
        .split_for_parts();
    let spec = openapi::finish(
        spec,
        &auth::SessionCookie::Player.name(&state.config),
        &auth::SessionCookie::Console.name(&state.config),
    );
    routes
        .merge(spa::router(state.config.static_dir.as_deref()))
        .layer(Extension(spec))
        .layer(axum::middleware::from_fn_with_state(
            Duration::from_secs(state.config.edge.body_timeout_seconds.max(1)),
            edge::body_deadline,
        ))
        .layer(axum::middleware::from_fn_with_state(policy, edge::add_headers))
        .layer(CompressionLayer::new().compress_when(worth_compressing()))
        .layer(observe::request_trace())
        .layer(axum::middleware::from_fn_with_state(
            state.metrics.clone(),
            observe::count_request,
        ))
        .with_state(state)
}

/// Which responses are compressed on the fly (the app's files are stored compressed): not
/// the small ones. A compressor's set-up costs more than a small answer (a submission's,
/// a few hundred bytes) costs to send; it was a third of a submission's work.
fn worth_compressing() -> impl Predicate {
    SizeAbove::new(1024)
        .and(NotForContentType::GRPC)
        .and(NotForContentType::IMAGES)
        .and(NotForContentType::SSE)
}

async fn api_not_found() -> Response {
    error_response(
        StatusCode::NOT_FOUND,
        ErrorCode::NoSuchEndpoint,
        "There is no such API endpoint.",
    )
}
