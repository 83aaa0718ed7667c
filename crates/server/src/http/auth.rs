//! Who is calling: the player behind the session cookie, or a person at a desk behind
//! the console's cookie. One extractor per role: [`CurrentPlayer`], [`CurrentStaff`]
//! (developer or platform) and [`CurrentDeveloper`].

use axum::extract::FromRequestParts;
use axum::http::header::COOKIE;
use axum::http::request::Parts;
use refund_api::ErrorCode;

use crate::app::AppState;
use crate::config::Config;
use crate::error::AppError;
use crate::store::{Player, StaffRecord};

/// Name of the session cookie (HttpOnly, SameSite=Strict; the token is stored only hashed).
pub const SESSION_COOKIE: &str = "rd_session";
/// Name of the console's session cookie (HttpOnly, SameSite=Strict; stored only hashed).
pub const CONSOLE_COOKIE: &str = "rd_console";
/// Prefix of both names when the public URL is https: browsers then accept the cookie only
/// with `Secure`, `Path=/` and no `Domain`, so no subdomain or plain-HTTP page can plant
/// or overwrite it.
pub const SECURE_PREFIX: &str = "__Host-";

/// The two session cookies, named and set in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionCookie {
    Player,
    Console,
}

impl SessionCookie {
    /// The cookie's name: prefixed with [`SECURE_PREFIX`] when served over https.
    #[must_use]
    pub fn name(self, config: &Config) -> String {
        let base = match self {
            Self::Player => SESSION_COOKIE,
            Self::Console => CONSOLE_COOKIE,
        };
        if config.https() {
            format!("{SECURE_PREFIX}{base}")
        } else {
            base.to_owned()
        }
    }

    /// A `Set-Cookie` value carrying `token` for `max_age_secs` (0 clears it).
    #[must_use]
    pub fn set(self, config: &Config, token: &str, max_age_secs: u64) -> String {
        let secure = if config.https() { "; Secure" } else { "" };
        format!(
            "{}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}{secure}",
            self.name(config)
        )
    }

    /// The cookie's value in the request, if any.
    #[must_use]
    pub fn read(self, config: &Config, headers: &axum::http::HeaderMap) -> Option<String> {
        cookie_value(headers, &self.name(config))
    }
}

/// The signed-in player; rejects with 401 `no_session` when there is none.
#[derive(Debug, Clone)]
pub struct CurrentPlayer(pub Player);

impl FromRequestParts<AppState> for CurrentPlayer {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = SessionCookie::Player
            .read(&state.config, &parts.headers)
            .ok_or_else(no_session)?;
        let player = state
            .store
            .session_player(&token, state.clock.now())
            .await?
            .ok_or_else(no_session)?;
        Ok(Self(player))
    }
}

/// The player's session cookie, not yet looked up: for a handler that checks it in the
/// same statement as what it reads (`Store::session_case`). Rejects with 401 `no_session`
/// only when there is no cookie at all.
#[derive(Debug, Clone)]
pub struct SessionToken(pub String);

impl FromRequestParts<AppState> for SessionToken {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        SessionCookie::Player
            .read(&state.config, &parts.headers)
            .map(Self)
            .ok_or_else(no_session)
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

pub(super) fn no_session() -> AppError {
    AppError::Unauthorized(
        ErrorCode::NoSession,
        "You are not signed in. Open the refund page again from the game's menu.".to_owned(),
    )
}

/// The value of the cookie `name`, if the request carries it.
pub fn cookie_value(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(cookie, _)| *cookie == name)
        .map(|(_, token)| token.to_owned())
}

/// A person signed in to the console: a developer or platform staff.
#[derive(Debug, Clone)]
pub struct CurrentStaff(pub StaffRecord);

impl FromRequestParts<AppState> for CurrentStaff {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = SessionCookie::Console
            .read(&state.config, &parts.headers)
            .ok_or_else(no_console_session)?;
        let staff = state
            .store
            .session_staff(&token, state.clock.now())
            .await?
            .ok_or_else(no_console_session)?;
        Ok(Self(staff))
    }
}

/// The console's account, if a valid console cookie came with the request.
#[derive(Debug, Clone)]
pub struct MaybeStaff(pub Option<StaffRecord>);

impl FromRequestParts<AppState> for MaybeStaff {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match CurrentStaff::from_request_parts(parts, state).await {
            Ok(CurrentStaff(staff)) => Ok(Self(Some(staff))),
            Err(AppError::Unauthorized(..)) => Ok(Self(None)),
            Err(other) => Err(other),
        }
    }
}

/// A developer, with the organisation whose cases they answer.
#[derive(Debug, Clone)]
pub struct Developer {
    pub login: String,
    pub org_id: String,
}

/// A developer signed in to the console; platform staff get 403 (they decide elsewhere).
#[derive(Debug, Clone)]
pub struct CurrentDeveloper(pub Developer);

impl FromRequestParts<AppState> for CurrentDeveloper {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let CurrentStaff(staff) = CurrentStaff::from_request_parts(parts, state).await?;
        match (staff.role, staff.org_id) {
            (refund_api::StaffRole::Developer, Some(org_id)) => Ok(Self(Developer {
                login: staff.login,
                org_id,
            })),
            _ => Err(AppError::Forbidden(
                ErrorCode::DevelopersOnly,
                "Only the game's developer can do this.".to_owned(),
            )),
        }
    }
}

pub(super) fn no_console_session() -> AppError {
    AppError::Unauthorized(
        ErrorCode::NoConsoleSession,
        "You are not signed in to the console. Sign in again.".to_owned(),
    )
}

/// Platform staff signed in to the console (login); developers get 403.
#[derive(Debug, Clone)]
pub struct CurrentPlatform(pub String);

impl FromRequestParts<AppState> for CurrentPlatform {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let CurrentStaff(staff) = CurrentStaff::from_request_parts(parts, state).await?;
        if staff.role == refund_api::StaffRole::Platform {
            Ok(Self(staff.login))
        } else {
            Err(AppError::Forbidden(
                ErrorCode::PlatformOnly,
                "Only platform staff can do this.".to_owned(),
            ))
        }
    }
}
