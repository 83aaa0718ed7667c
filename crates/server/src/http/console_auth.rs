//! Console sign-in: `POST /api/console/login` (`{"login","password"}`), `POST
//! /api/console/logout`, `GET /api/console/session`.
//!
//! Passwords are checked with argon2id on a blocking thread (it is meant to be slow); an
//! unknown login is checked against a decoy hash so it takes as long as a wrong password.
//! Repeated failures are slowed down per account and per address: while a wait is due
//! the answer is 429 with `Retry-After`, whatever the password.

use refund_api::ErrorCode;
use std::net::SocketAddr;

use axum::Router;
use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::response::{AppendHeaders, IntoResponse};
use axum::routing::{get, post};
use chrono::Duration;
use refund_api::{LoginRequest, StaffView};

use super::auth::{CONSOLE_COOKIE, CurrentStaff, cookie_value};
use crate::app::AppState;
use crate::domain::password;
use crate::error::{AppError, AppJson, AppResult};
use crate::secrets::random_token;
use crate::store::StaffRecord;

/// How long a console session lasts: a working day.
pub const CONSOLE_SESSION: Duration = Duration::hours(10);

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/console/login", post(login))
        .route("/console/logout", post(logout))
        .route("/console/session", get(current))
}

async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    AppJson(request): AppJson<LoginRequest>,
) -> AppResult<impl IntoResponse> {
    let now = state.clock.now();
    let subjects = [format!("login:{}", request.login.trim()), format!("addr:{}", peer.ip())];
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
    let cookie = format!(
        "{CONSOLE_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}",
        CONSOLE_SESSION.num_seconds()
    );
    Ok((AppendHeaders([(SET_COOKIE, cookie)]), AppJson(staff_view(staff))))
}

async fn logout(State(state): State<AppState>, headers: axum::http::HeaderMap) -> AppResult<impl IntoResponse> {
    if let Some(token) = cookie_value(&headers, CONSOLE_COOKIE) {
        state.store.delete_staff_session(&token).await?;
    }
    let expired = format!("{CONSOLE_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    Ok((StatusCode::NO_CONTENT, AppendHeaders([(SET_COOKIE, expired)])))
}

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
