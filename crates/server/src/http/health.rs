//! Liveness and readiness for operators and load balancers.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::app::AppState;
use crate::error::error_response;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
}

/// Ready when the database answers.
async fn ready(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => "ready".into_response(),
        Err(e) => {
            tracing::error!(error = %e, "database unreachable");
            error_response(
                StatusCode::SERVICE_UNAVAILABLE,
                "database_unreachable",
                "The database does not answer.",
            )
        }
    }
}
