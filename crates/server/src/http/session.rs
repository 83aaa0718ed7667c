//! `POST /api/session/launch` (ticket → session cookie), `GET /api/session`, and
//! `POST /api/privacy-consent` (the player agrees to the privacy notice before uploading
//! identity documents).

use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::response::{AppendHeaders, IntoResponse};
use chrono::Duration;
use refund_api::ErrorCode;
use refund_api::{LaunchRequest, PRIVACY_NOTICE_VERSION, PrivacyConsent, SessionView};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{CurrentPlayer, SessionCookie};
use super::limits::{ClientAddress, Limit};
use super::openapi::{Conflict, InternalError, JsonBodyErrors, TooManyRequests, Unauthorized};
use crate::app::AppState;
use crate::domain::ticket::{TicketError, UnverifiedTicket};
use crate::error::{AppError, AppJson, AppResult};
use crate::secrets::random_token;
use crate::store::{Player, TicketUse};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(launch))
        .routes(routes!(current))
        .routes(routes!(consent))
}

/// Exchanges the game's one-time launch ticket for the player's session cookie.
#[utoipa::path(
    post,
    path = "/session/launch",
    tag = "session",
    operation_id = "launch",
    request_body = LaunchRequest,
    responses(
        (
            status = 200,
            description = "Signed in: the session cookie is set.",
            body = SessionView,
            headers(("Set-Cookie" = String, description = "The player's session cookie."))
        ),
        JsonBodyErrors,
        Unauthorized,
        Conflict,
        TooManyRequests,
        InternalError,
    )
)]
async fn launch(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    AppJson(request): AppJson<LaunchRequest>,
) -> AppResult<impl IntoResponse> {
    state.limits.check_address(Limit::Launch, address)?;
    let now = state.clock.now();
    let ticket = UnverifiedTicket::parse(&request.ticket).map_err(ticket_error)?;
    let game = state.store.game(ticket.appid()).await?.ok_or_else(|| {
        AppError::Unauthorized(
            ErrorCode::UnknownGame,
            "This game is not registered with Refund Desk. Open the refund page from the game's menu.".to_owned(),
        )
    })?;
    let claims = ticket
        .verify(&game.secret, now, state.config.max_ticket_lifetime())
        .map_err(ticket_error)?;
    let expires = UnverifiedTicket::expires_at(&claims).ok_or_else(|| ticket_error(TicketError::ExpiryTooFar))?;
    if state
        .store
        .use_ticket(&claims.appid, &claims.nonce, expires, now)
        .await?
        == TicketUse::Reused
    {
        return Err(AppError::conflict(
            ErrorCode::TicketReused,
            "This link was already used. Open the refund page again from the game's menu for a new one.",
        ));
    }
    let token = random_token(32);
    let hours = state.config.session_hours;
    state
        .store
        .create_session(
            &token,
            &claims.appid,
            &claims.openid,
            now + Duration::hours(i64::from(hours)),
            now,
        )
        .await?;
    let player = state
        .store
        .session_player(&token, now)
        .await?
        .ok_or_else(|| AppError::Internal("a new session was not found".to_owned()))?;
    let cookie = SessionCookie::Player.set(&state.config, &token, u64::from(hours) * 3600);
    Ok((
        AppendHeaders([(SET_COOKIE, cookie)]),
        AppJson(session_view(&state, player).await?),
    ))
}

/// The signed-in player, their game and the limits that apply.
#[utoipa::path(
    get,
    path = "/session",
    tag = "session",
    operation_id = "current_session",
    responses(
        (status = 200, description = "The player's session.", body = SessionView),
        Unauthorized,
        InternalError,
    ),
    security(("player_session" = []))
)]
async fn current(
    State(state): State<AppState>,
    CurrentPlayer(player): CurrentPlayer,
) -> AppResult<AppJson<SessionView>> {
    Ok(AppJson(session_view(&state, player).await?))
}

/// Records the player's consent to the notice they were shown; a notice the app no longer
/// shows (an old page still open) is refused so that it is read again.
#[utoipa::path(
    post,
    path = "/privacy-consent",
    tag = "session",
    operation_id = "privacy_consent",
    request_body = PrivacyConsent,
    responses(
        (status = 204, description = "Consent recorded."),
        JsonBodyErrors,
        Unauthorized,
        Conflict,
        InternalError,
    ),
    security(("player_session" = []))
)]
async fn consent(
    State(state): State<AppState>,
    CurrentPlayer(player): CurrentPlayer,
    AppJson(request): AppJson<PrivacyConsent>,
) -> AppResult<StatusCode> {
    if request.notice_version != PRIVACY_NOTICE_VERSION {
        return Err(AppError::conflict(
            ErrorCode::StaleNotice,
            "The privacy notice has changed since this page was opened. Reload the page and read it again.",
        ));
    }
    state
        .store
        .record_privacy_consent(&player.appid, &player.openid, PRIVACY_NOTICE_VERSION, state.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn session_view(state: &AppState, player: Player) -> AppResult<SessionView> {
    let privacy_consent = state
        .store
        .has_privacy_consent(&player.appid, &player.openid, PRIVACY_NOTICE_VERSION)
        .await?;
    Ok(SessionView {
        appid: player.appid,
        game_name: player.game_name,
        nickname: player.nickname,
        limits: state.config.limits(),
        minor_refund_due_days: state.config.minor_refund_due_days,
        complaint_due_days: state.config.complaint_due_days,
        retention_days: state.config.retention_days,
        privacy_consent,
    })
}

fn ticket_error(error: TicketError) -> AppError {
    let reopen = "Open the refund page again from the game's menu.";
    match error {
        TicketError::Malformed => AppError::bad_request(
            ErrorCode::TicketMalformed,
            format!("This link is incomplete or damaged. {reopen}"),
        ),
        TicketError::Forged => AppError::Unauthorized(
            ErrorCode::TicketForged,
            format!("This link was not issued by the game. {reopen}"),
        ),
        TicketError::Expired => {
            AppError::Unauthorized(ErrorCode::TicketExpired, format!("This link has expired. {reopen}"))
        }
        TicketError::ExpiryTooFar => AppError::Unauthorized(
            ErrorCode::TicketExpiryTooFar,
            format!("This link's validity period is set wrongly. {reopen}"),
        ),
    }
}
