//! Console sign-in: `POST /api/console/login` (`{"login","password"}`), `POST
//! /api/console/logout`, `GET /api/console/session`.
//!
//! Passwords are checked with argon2id on a blocking thread (it is meant to be slow); an
//! unknown login is checked against a decoy hash so it takes as long as a wrong password.
//! Repeated failures are slowed down per account and per address: while a wait is due
//! the answer is 429 with `Retry-After`, whatever the password.

use refund_api::ErrorCode;

use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::response::{AppendHeaders, IntoResponse};
use chrono::Duration;
use refund_api::{LoginRequest, StaffView};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{CurrentStaff, SessionCookie};
use super::limits::{ClientAddress, Limit};
use super::openapi::{InternalError, JsonBodyErrors, TooManyRequests, Unauthorized};
use crate::app::AppState;
use crate::domain::password;
use crate::error::{AppError, AppJson, AppResult};
use crate::secrets::random_token;
use crate::store::StaffRecord;

/// How long a console session lasts: a working day.
pub const CONSOLE_SESSION: Duration = Duration::hours(10);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(current))
}

/// Signs in to the console with a login and password.
#[utoipa::path(
    post,
    path = "/console/login",
    tag = "console",
    operation_id = "console_login",
    request_body = LoginRequest,
    responses(
        (
            status = 200,
            description = "Signed in: the console cookie is set.",
            body = StaffView,
            headers(("Set-Cookie" = String, description = "The console's session cookie."))
        ),
        JsonBodyErrors,
        Unauthorized,
        TooManyRequests,
        InternalError,
    )
)]
async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    AppJson(request): AppJson<LoginRequest>,
) -> AppResult<impl IntoResponse> {
    state.limits.check_address(Limit::Login, address)?;
    let now = state.clock.now();
    let subjects = [format!("login:{}", request.login.trim()), format!("addr:{address}")];
    for subject in &subjects {
        if let Some(failures) = state.store.login_failures(subject).await?
            && let Some(wait) = password::retry_after(failures.failures, failures.last_failure_at, now)
        {
            let seconds = u64::try_from(wait.num_seconds().max(1)).unwrap_or(1);
            return Err(AppError::TooManyRequests {
                code: ErrorCode::TooManyAttempts,
                message: "Too many wrong passwords. Wait a moment before trying again.".to_owned(),
                retry_after_secs: seconds,
            }
            .with("seconds", seconds.to_string()));
        }
    }
    let staff = state.store.staff(request.login.trim()).await?;
    let stored = staff
        .as_ref()
        .map_or_else(|| password::decoy_hash().to_owned(), |s| s.password_hash.clone());
    let given = request.password;
    let matches = tokio::task::spawn_blocking(move || password::verify(&given, &stored))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let Some(staff) = staff.filter(|_| matches) else {
        state.store.record_login_failure(&subjects, now).await?;
        return Err(AppError::Unauthorized(
            ErrorCode::WrongLogin,
            "The login or the password is wrong.".to_owned(),
        ));
    };
    for subject in &subjects {
        state.store.clear_login_failures(subject).await?;
    }
    let token = random_token(32);
    state
        .store
        .create_staff_session(&token, &staff.login, now + CONSOLE_SESSION, now)
        .await?;
    tracing::info!(role = staff.role.key(), "console sign-in");
    let max_age = u64::try_from(CONSOLE_SESSION.num_seconds()).unwrap_or(0);
    let cookie = SessionCookie::Console.set(&state.config, &token, max_age);
    Ok((AppendHeaders([(SET_COOKIE, cookie)]), AppJson(staff_view(staff))))
}

/// Ends the console session (if any) and clears its cookie.
#[utoipa::path(
    post,
    path = "/console/logout",
    tag = "console",
    operation_id = "console_logout",
    responses(
        (
            status = 204,
            description = "Signed out.",
            headers(("Set-Cookie" = String, description = "The console cookie, expired."))
        ),
        InternalError,
    ),
    security((), ("console_session" = []))
)]
async fn logout(State(state): State<AppState>, headers: axum::http::HeaderMap) -> AppResult<impl IntoResponse> {
    if let Some(token) = SessionCookie::Console.read(&state.config, &headers) {
        state.store.delete_staff_session(&token).await?;
    }
    let expired = SessionCookie::Console.set(&state.config, "", 0);
    Ok((StatusCode::NO_CONTENT, AppendHeaders([(SET_COOKIE, expired)])))
}

/// The account signed in to the console.
#[utoipa::path(
    get,
    path = "/console/session",
    tag = "console",
    operation_id = "console_session",
    responses(
        (status = 200, description = "The account.", body = StaffView),
        Unauthorized,
        InternalError,
    ),
    security(("console_session" = []))
)]
async fn current(CurrentStaff(staff): CurrentStaff) -> AppJson<StaffView> {
    AppJson(staff_view(staff))
}

/// The account as the console shows it.
pub fn staff_view(staff: StaffRecord) -> StaffView {
    StaffView {
        login: staff.login,
        role: staff.role,
        org_id: staff.org_id,
        org_name: staff.org_name,
    }
}
