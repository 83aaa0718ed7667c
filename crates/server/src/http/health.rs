//! Liveness and readiness for operators and load balancers.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use refund_api::ErrorCode;
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::openapi::Unavailable;
use crate::app::AppState;
use crate::error::error_response;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(alive)).routes(routes!(ready))
}

/// Alive: the process answers (it checks nothing else).
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "operations",
    operation_id = "healthz",
    responses((status = 200, description = "The process is up.", body = String, content_type = "text/plain", example = "ok"))
)]
async fn alive() -> &'static str {
    "ok"
}

/// What `/readyz` says when the database answers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
struct Readiness {
    /// Always `ready`.
    status: &'static str,
    /// The backend that answered: `sqlite` or `postgres`.
    database: &'static str,
    /// Whether the database acknowledges only commits that are on disk.
    durable_commits: bool,
}

/// Ready when the database answers; says which backend answered and whether it
/// acknowledges only durable commits.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "operations",
    operation_id = "readyz",
    responses((status = 200, description = "Ready to serve.", body = Readiness), Unavailable)
)]
async fn ready(State(state): State<AppState>) -> Response {
    match state.store.durable_commits().await {
        Ok(durable) => axum::Json(Readiness {
            status: "ready",
            database: state.store.dialect().name(),
            durable_commits: durable,
        })
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
