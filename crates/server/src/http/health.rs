//! Liveness and readiness for operators and load balancers.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use refund_api::ErrorCode;

use crate::app::AppState;
use crate::error::error_response;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
}

/// Ready when the database answers; says which backend answered and whether it
/// acknowledges only durable commits.
async fn ready(State(state): State<AppState>) -> Response {
    match state.store.durable_commits().await {
        Ok(durable) => axum::Json(serde_json::json!({
            "status": "ready",
            "database": state.store.dialect().name(),
            "durable_commits": durable,
        }))
        .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "database unreachable");
            error_response(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::DatabaseUnreachable,
                "The database does not answer.",
            )
        }
    }
}
