//! Games, as the operator registers them.

use chrono::{DateTime, Utc};

use super::Store;
use super::db::{StoreResult, sql};

/// A game as the operator registered it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GameRecord {
    pub appid: String,
    pub name: String,
    pub secret: String,
}

impl Store {
    /// Registers a game, or updates its name and secret.
    pub async fn upsert_game(&self, appid: &str, name: &str, secret: &str, now: DateTime<Utc>) -> StoreResult<()> {
        self.write()
            .execute(
                sql(
                    "INSERT INTO games (appid, name, secret, created_at) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (appid) DO UPDATE SET name = excluded.name, secret = excluded.secret",
                )
                .bind(appid)
                .bind(name)
                .bind(secret)
                .bind(now),
            )
            .await?;
        Ok(())
    }

    pub async fn game(&self, appid: &str) -> StoreResult<Option<GameRecord>> {
        self.read()
            .fetch_optional(sql("SELECT appid, name, secret FROM games WHERE appid = $1").bind(appid))
            .await
    }
}
