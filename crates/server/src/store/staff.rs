//! Developer organisations, staff accounts (developers and platform staff), their
//! sessions (only token hashes are stored) and failed logins.

use chrono::{DateTime, Utc};
use refund_api::StaffRole;

use super::Store;
use super::db::{At, Key, StoreResult, sql};
use crate::secrets::hash_secret;

/// A staff account.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StaffRecord {
    pub login: String,
    #[sqlx(try_from = "Key")]
    pub role: StaffRole,
    pub org_id: Option<String>,
    pub org_name: Option<String>,
    pub password_hash: String,
}

impl TryFrom<Key> for StaffRole {
    type Error = super::db::UnknownKey;
    fn try_from(key: Key) -> Result<Self, Self::Error> {
        StaffRole::from_key(&key.0).ok_or(super::db::UnknownKey(key.0))
    }
}

/// Failed logins of one subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct LoginFailures {
    pub failures: i64,
    #[sqlx(try_from = "At")]
    pub last_failure_at: DateTime<Utc>,
}

const STAFF_COLUMNS: &str = "s.login, s.role, s.org_id, o.name AS org_name, s.password_hash FROM staff s LEFT JOIN organizations o ON o.org_id = s.org_id";

impl Store {
    /// Adds an organisation, or renames it.
    pub async fn upsert_organization(&self, org_id: &str, name: &str, now: DateTime<Utc>) -> StoreResult<()> {
        self.write()
            .execute(
                sql(
                    "INSERT INTO organizations (org_id, name, created_at) VALUES ($1, $2, $3)
                     ON CONFLICT (org_id) DO UPDATE SET name = excluded.name",
                )
                .bind(org_id)
                .bind(name)
                .bind(now),
            )
            .await?;
        Ok(())
    }

    /// Whether the organisation exists.
    pub async fn organization_exists(&self, org_id: &str) -> StoreResult<bool> {
        let found: Option<(String,)> = self
            .read()
            .fetch_optional(sql("SELECT org_id FROM organizations WHERE org_id = $1").bind(org_id))
            .await?;
        Ok(found.is_some())
    }

    /// Moves a game to an organisation; returns whether the game exists.
    pub async fn assign_game(&self, appid: &str, org_id: &str) -> StoreResult<bool> {
        let changed = self
            .write()
            .execute(
                sql("UPDATE games SET org_id = $1 WHERE appid = $2")
                    .bind(org_id)
                    .bind(appid),
            )
            .await?;
        Ok(changed == 1)
    }

    /// Adds a staff account, or replaces its role, organisation and password.
    pub async fn upsert_staff(
        &self,
        login: &str,
        role: StaffRole,
        org_id: Option<&str>,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.write()
            .execute(
                sql(
                    "INSERT INTO staff (login, role, org_id, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (login) DO UPDATE
                     SET role = excluded.role, org_id = excluded.org_id, password_hash = excluded.password_hash",
                )
                .bind(login)
                .bind(role.key())
                .bind(org_id)
                .bind(password_hash)
                .bind(now),
            )
            .await?;
        Ok(())
    }

    /// A staff account by its login.
    pub async fn staff(&self, login: &str) -> StoreResult<Option<StaffRecord>> {
        self.read()
            .fetch_optional(sql(format!("SELECT {STAFF_COLUMNS} WHERE s.login = $1")).bind(login))
            .await
    }

    /// Starts a console session; expired ones are swept away.
    pub async fn create_staff_session(
        &self,
        token: &str,
        login: &str,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        tx.execute(sql("DELETE FROM staff_sessions WHERE expires_at < $1").bind(now))
            .await?;
        tx.execute(
            sql("INSERT INTO staff_sessions (token_hash, login, expires_at, created_at) VALUES ($1, $2, $3, $4)")
                .bind(hash_secret(token))
                .bind(login)
                .bind(expires_at)
                .bind(now),
        )
        .await?;
        tx.commit().await
    }

    /// The account behind a console session token, if it is valid.
    pub async fn session_staff(&self, token: &str, now: DateTime<Utc>) -> StoreResult<Option<StaffRecord>> {
        self.read()
            .fetch_optional(
                sql(format!(
                    "SELECT {STAFF_COLUMNS} JOIN staff_sessions t ON t.login = s.login
                     WHERE t.token_hash = $1 AND t.expires_at > $2"
                ))
                .bind(hash_secret(token))
                .bind(now),
            )
            .await
    }

    /// Ends a console session.
    pub async fn delete_staff_session(&self, token: &str) -> StoreResult<()> {
        self.write()
            .execute(sql("DELETE FROM staff_sessions WHERE token_hash = $1").bind(hash_secret(token)))
            .await?;
        Ok(())
    }

    /// The failed logins recorded for `subject` (`login:NAME` or `addr:IP`).
    pub async fn login_failures(&self, subject: &str) -> StoreResult<Option<LoginFailures>> {
        self.read()
            .fetch_optional(
                sql("SELECT failures, last_failure_at FROM login_failures WHERE subject = $1").bind(subject),
            )
            .await
    }

    /// Counts a failed login against each subject.
    pub async fn record_login_failure(&self, subjects: &[String], now: DateTime<Utc>) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        for subject in subjects {
            tx.execute(
                sql(
                    "INSERT INTO login_failures (subject, failures, last_failure_at) VALUES ($1, 1, $2)
                     ON CONFLICT (subject) DO UPDATE
                     SET failures = login_failures.failures + 1, last_failure_at = $2",
                )
                .bind(subject)
                .bind(now),
            )
            .await?;
        }
        tx.commit().await
    }

    /// Forgets the failures of a subject (after a successful login).
    pub async fn clear_login_failures(&self, subject: &str) -> StoreResult<()> {
        self.write()
            .execute(sql("DELETE FROM login_failures WHERE subject = $1").bind(subject))
            .await?;
        Ok(())
    }
}
