//! Who is calling: the player behind the session cookie.

use axum::extract::FromRequestParts;
use axum::http::header::COOKIE;
use axum::http::request::Parts;
use chrono::Utc;

use crate::app::AppState;
use crate::error::AppError;
use crate::store::Player;

/// Name of the session cookie (HttpOnly, SameSite=Strict; the token is stored only hashed).
pub const SESSION_COOKIE: &str = "rd_session";

/// The signed-in player; rejects with 401 `no_session` when there is none.
#[derive(Debug, Clone)]
pub struct CurrentPlayer(pub Player);

impl FromRequestParts<AppState> for CurrentPlayer {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = session_token(parts).ok_or_else(no_session)?;
        let player = state
            .store
            .session_player(&token, Utc::now())
            .await?
            .ok_or_else(no_session)?;
        Ok(Self(player))
    }
}

/// The player, if a valid session cookie came with the request.
#[derive(Debug, Clone)]
pub struct MaybePlayer(pub Option<Player>);

impl FromRequestParts<AppState> for MaybePlayer {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match CurrentPlayer::from_request_parts(parts, state).await {
            Ok(CurrentPlayer(player)) => Ok(Self(Some(player))),
            Err(AppError::Unauthorized(..)) => Ok(Self(None)),
            Err(other) => Err(other),
        }
    }
}

fn no_session() -> AppError {
    AppError::Unauthorized(
        "no_session",
        "You are not signed in. Open the refund page again from the game's menu.".to_owned(),
    )
}

fn session_token(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, token)| token.to_owned())
}
