//! `POST /api/session/launch` (ticket → session cookie) and `GET /api/session`.

use axum::Router;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::response::{AppendHeaders, IntoResponse};
use axum::routing::{get, post};
use chrono::Duration;
use refund_api::ErrorCode;
use refund_api::{LaunchRequest, SessionView};

use super::auth::{CurrentPlayer, SESSION_COOKIE};
use crate::app::AppState;
use crate::domain::ticket::{TicketError, UnverifiedTicket};
use crate::error::{AppError, AppJson, AppResult};
use crate::secrets::random_token;
use crate::store::{Player, TicketUse};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/session/launch", post(launch))
        .route("/session", get(current))
}

async fn launch(
    State(state): State<AppState>,
    AppJson(request): AppJson<LaunchRequest>,
) -> AppResult<impl IntoResponse> {
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
    let cookie = format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}",
        u64::from(hours) * 3600
    );
    Ok((
        AppendHeaders([(SET_COOKIE, cookie)]),
        AppJson(session_view(&state, player)),
    ))
}

async fn current(State(state): State<AppState>, CurrentPlayer(player): CurrentPlayer) -> AppJson<SessionView> {
    AppJson(session_view(&state, player))
}

fn session_view(state: &AppState, player: Player) -> SessionView {
    SessionView {
        appid: player.appid,
        game_name: player.game_name,
        nickname: player.nickname,
        limits: state.config.limits(),
        minor_refund_due_days: state.config.minor_refund_due_days,
        complaint_due_days: state.config.complaint_due_days,
    }
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
