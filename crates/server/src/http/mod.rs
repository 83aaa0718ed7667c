//! HTTP handlers: thin adapters from requests to the domain and the store.
//!
//! Policy: each feature module owns its routes (`pub fn router() -> Router<AppState>`);
//! this module only merges them and adds the cross-cutting layers. Every `/api` failure,
//! unknown paths included, answers in the shared error shape.

mod appeals;
mod auth;
mod case_views;
mod cases;
mod console;
mod console_auth;
mod credit;
mod deciding;
mod evidence;
mod force_majeure;
mod health;
mod live;
mod messages;
mod notifications;
mod orders;
mod platform;
mod session;
mod spa;
mod track;

use axum::Router;
use axum::http::StatusCode;
use axum::response::Response;
use refund_api::ErrorCode;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

pub use auth::{CONSOLE_COOKIE, SESSION_COOKIE};

use crate::app::AppState;
use crate::error::error_response;

/// The whole HTTP surface.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
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
        .fallback(api_not_found);
    Router::new()
        .nest("/api", api)
        .merge(health::router())
        .merge(spa::router(state.config.static_dir.as_deref()))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn api_not_found() -> Response {
    error_response(
        StatusCode::NOT_FOUND,
        ErrorCode::NoSuchEndpoint,
        "There is no such API endpoint.",
    )
}
