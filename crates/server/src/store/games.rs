//! Games and players.

use chrono::Utc;

use super::Store;

/// A game as the operator registered it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GameRecord {
    pub appid: String,
    pub name: String,
    pub secret: String,
}

impl Store {
    /// Registers a game, or updates its name and secret.
    pub async fn upsert_game(&self, appid: &str, name: &str, secret: &str) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO games (appid, name, secret, created_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (appid) DO UPDATE SET name = excluded.name, secret = excluded.secret",
        )
        .bind(appid)
        .bind(name)
        .bind(secret)
        .bind(Utc::now())
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    pub async fn game(&self, appid: &str) -> Result<Option<GameRecord>, sqlx::Error> {
        sqlx::query_as("SELECT appid, name, secret FROM games WHERE appid = ?")
            .bind(appid)
            .fetch_optional(&self.pool)
            .await
    }
}
