//! Launch tickets used once, and player sessions (only token hashes are stored).

use chrono::{DateTime, Utc};

use super::cases::CASE_COLUMNS;
use super::db::{StoreResult, sql};
use super::{CaseRecord, Store};
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
    /// Nonces are kept until their ticket would have expired anyway (instants compared as
    /// instants), so the caller must refuse tickets that expire implausibly far ahead.
    pub async fn use_ticket(
        &self,
        appid: &str,
        nonce: &str,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<TicketUse> {
        self.write()
            .execute(sql("DELETE FROM used_tickets WHERE expires_at < $1").bind(now))
            .await?;
        let inserted = self
            .write()
            .execute(
                sql("INSERT INTO used_tickets (appid, nonce, expires_at) VALUES ($1, $2, $3)")
                    .bind(appid)
                    .bind(nonce)
                    .bind(expires_at),
            )
            .await;
        match inserted {
            Ok(_) => Ok(TicketUse::First),
            Err(e) if e.is_unique_violation() => Ok(TicketUse::Reused),
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
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        // Expired sessions are useless; each new one sweeps them away.
        tx.execute(sql("DELETE FROM sessions WHERE expires_at < $1").bind(now))
            .await?;
        tx.execute(
            sql("INSERT INTO players (appid, openid, nickname) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(appid)
                .bind(openid)
                .bind(openid),
        )
        .await?;
        tx.execute(
            sql("INSERT INTO sessions (token_hash, appid, openid, expires_at, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(hash_secret(token))
                .bind(appid)
                .bind(openid)
                .bind(expires_at)
                .bind(now),
        )
        .await?;
        tx.commit().await
    }

    /// The player behind a session token, if the session exists and has not expired.
    pub async fn session_player(&self, token: &str, now: DateTime<Utc>) -> StoreResult<Option<Player>> {
        self.read()
            .fetch_optional(
                sql("SELECT p.appid, p.openid, p.nickname, g.name AS game_name
                     FROM sessions s
                     JOIN players p ON p.appid = s.appid AND p.openid = s.openid
                     JOIN games g ON g.appid = s.appid
                     WHERE s.token_hash = $1 AND s.expires_at > $2")
                .bind(hash_secret(token))
                .bind(now),
            )
            .await
    }

    /// The case `case_no`, if the session is live and the case is its player's: who asks
    /// and what they may see, in one statement (a case read's hot path). `None` says
    /// neither why: [`Store::session_player`] tells a dead session from another's case.
    pub async fn session_case(
        &self,
        token: &str,
        now: DateTime<Utc>,
        case_no: &str,
    ) -> StoreResult<Option<CaseRecord>> {
        self.read()
            .fetch_optional(
                sql(format!(
                    "SELECT {CASE_COLUMNS}
                     FROM sessions s
                     JOIN players p ON p.appid = s.appid AND p.openid = s.openid
                     JOIN cases c ON c.appid = s.appid AND c.openid = s.openid
                     JOIN games g ON g.appid = c.appid
                     WHERE s.token_hash = $1 AND s.expires_at > $2 AND c.case_no = $3"
                ))
                .bind(hash_secret(token))
                .bind(now)
                .bind(case_no),
            )
            .await
    }

    /// How many sessions are stored (expired ones included, until the next sweep).
    pub async fn session_count(&self) -> StoreResult<i64> {
        let (count,): (i64,) = self.read().fetch_one(sql("SELECT COUNT(*) FROM sessions")).await?;
        Ok(count)
    }
}
