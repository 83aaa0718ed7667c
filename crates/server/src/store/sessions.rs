//! Launch tickets used once, and player sessions (only token hashes are stored).

use chrono::{DateTime, Utc};

use super::{Store, is_unique_violation};
use crate::secrets::hash_secret;

/// The player a session belongs to.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Player {
    pub appid: String,
    pub openid: String,
    pub nickname: String,
    pub game_name: String,
}

/// Whether a ticket's nonce was fresh.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketUse {
    First,
    Reused,
}

impl Store {
    /// Records that a ticket was used; a second use of the same nonce is [`TicketUse::Reused`].
    pub async fn use_ticket(
        &self,
        appid: &str,
        nonce: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<TicketUse, sqlx::Error> {
        sqlx::query("DELETE FROM used_tickets WHERE expires_at < ?")
            .bind(Utc::now())
            .execute(&self.writer)
            .await?;
        let inserted = sqlx::query("INSERT INTO used_tickets (appid, nonce, expires_at) VALUES (?, ?, ?)")
            .bind(appid)
            .bind(nonce)
            .bind(expires_at)
            .execute(&self.writer)
            .await;
        match inserted {
            Ok(_) => Ok(TicketUse::First),
            Err(e) if is_unique_violation(&e) => Ok(TicketUse::Reused),
            Err(e) => Err(e),
        }
    }

    /// Starts a session for a player (registering them if the game's ticket is their first sign).
    pub async fn create_session(
        &self,
        token: &str,
        appid: &str,
        openid: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.writer.begin().await?;
        // Expired sessions are useless; each new one sweeps them away.
        sqlx::query("DELETE FROM sessions WHERE expires_at < ?")
            .bind(Utc::now())
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO players (appid, openid, nickname) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
            .bind(appid)
            .bind(openid)
            .bind(openid)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO sessions (token_hash, appid, openid, expires_at, created_at) VALUES (?, ?, ?, ?, ?)")
            .bind(hash_secret(token))
            .bind(appid)
            .bind(openid)
            .bind(expires_at)
            .bind(Utc::now())
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    }

    /// The player behind a session token, if the session exists and has not expired.
    pub async fn session_player(&self, token: &str, now: DateTime<Utc>) -> Result<Option<Player>, sqlx::Error> {
        sqlx::query_as(
            "SELECT p.appid, p.openid, p.nickname, g.name AS game_name
             FROM sessions s
             JOIN players p ON p.appid = s.appid AND p.openid = s.openid
             JOIN games g ON g.appid = s.appid
             WHERE s.token_hash = ? AND s.expires_at > ?",
        )
        .bind(hash_secret(token))
        .bind(now)
        .fetch_optional(&self.pool)
        .await
    }
}
