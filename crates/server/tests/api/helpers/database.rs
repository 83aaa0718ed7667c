//! Which database a test server runs on: SQLite in its data dir (the default), or a fresh
//! PostgreSQL database when `REFUND_TEST_DATABASE=postgres`, created for the test and
//! dropped after it. PostgreSQL is reached at `REFUND_TEST_POSTGRES_URL` (default: the
//! local server, trust auth); a test asked to run on it fails when it is not there.

use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::Connection;

const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// Whether the suite runs on PostgreSQL.
#[must_use]
pub fn on_postgres() -> bool {
    std::env::var("REFUND_TEST_DATABASE").is_ok_and(|v| v == "postgres")
}

/// Where PostgreSQL is reached to create and drop test databases.
pub fn admin_url() -> String {
    std::env::var("REFUND_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_ADMIN_URL.to_owned())
}

/// A PostgreSQL database of one test; dropped (connections and all) when this is.
#[derive(Debug)]
pub struct PgDatabase {
    pub name: String,
    pub url: String,
}

impl PgDatabase {
    /// Creates an empty database with a name no other test uses.
    pub async fn create() -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "refund_test_{}_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst),
            refund_server::secrets::random_token(4)
                .to_lowercase()
                .replace(['-', '_'], "x")
        );
        let admin = admin_url();
        let mut conn = sqlx::PgConnection::connect(&admin)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL is required for this run but is not reachable at {admin}: {e}"));
        sqlx::query(&format!("CREATE DATABASE \"{name}\""))
            .execute(&mut conn)
            .await
            .expect("create a test database");
        let _closed = conn.close().await;
        let base = admin.rsplit_once('/').map_or(admin.as_str(), |(base, _)| base);
        Self {
            url: format!("{base}/{name}"),
            name,
        }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let name = self.name.clone();
        // Drop runs outside async code and the test's runtime may be shutting down, so the
        // database is dropped from a thread with a runtime of its own.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            runtime.block_on(async {
                let mut conn = sqlx::PgConnection::connect(&admin_url())
                    .await
                    .map_err(std::io::Error::other)?;
                sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .execute(&mut conn)
                    .await
                    .map_err(std::io::Error::other)?;
                Ok::<_, std::io::Error>(())
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("could not drop test database {}: {dropped:?}", self.name);
        }
    }
}
