//! Copies of a test server's database, and direct reads of it: what a backup and a
//! restore do, and checks of what is stored that the API does not show.

use sqlx::{Connection, Row};

use super::database::{PgDatabase, admin_url};

/// Runs a read-only query straight on the database (bypassing the server) and returns
/// every column of every row as text: for checks of what is stored, such as hashes.
pub async fn query_text(database_url: &str, statement: &str) -> Vec<Vec<String>> {
    if database_url.starts_with("postgres") {
        let mut conn = sqlx::PgConnection::connect(database_url).await.expect("connect");
        let rows = sqlx::query(statement).fetch_all(&mut conn).await.expect("query");
        rows.iter()
            .map(|row| (0..row.len()).map(|i| row.get::<String, _>(i)).collect())
            .collect()
    } else {
        let mut conn = sqlx::SqliteConnection::connect(database_url).await.expect("connect");
        let rows = sqlx::query(statement).fetch_all(&mut conn).await.expect("query");
        rows.iter()
            .map(|row| (0..row.len()).map(|i| row.get::<String, _>(i)).collect())
            .collect()
    }
}

/// A copy of a stopped server's database, to restore later as from a backup.
#[derive(Debug)]
pub enum Snapshot {
    /// A copy of the SQLite file.
    Sqlite(std::path::PathBuf),
    /// A database made from the original as a template.
    Postgres(PgDatabase),
}

impl Snapshot {
    /// Copies the database at `url` (no server may be connected to it).
    pub async fn take(url: &str, scratch: &std::path::Path) -> Self {
        if url.starts_with("sqlite://") {
            let copy = scratch.join(format!("snapshot-{}.sqlite3", refund_server::secrets::random_token(4)));
            // Through SQLite, as the backup command does: the stopped server's pool may not
            // have checkpointed its write-ahead log yet, so the file alone can lack the
            // latest commits.
            let mut conn = sqlx::SqliteConnection::connect(url).await.expect("connect");
            sqlx::query(&format!("VACUUM INTO '{}'", copy.display()))
                .execute(&mut conn)
                .await
                .expect("copy the database");
            let _closed = conn.close().await;
            return Self::Sqlite(copy);
        }
        let copy = copy_of(url.rsplit('/').next().expect("a database name")).await;
        Self::Postgres(copy)
    }

    /// Replaces the database at `url` with this copy.
    /// Puts the copy back; returns the URL of the restored database. A SQLite copy is
    /// restored to a new file beside the old one (as an operator would), so nothing of the
    /// stopped server's connections can touch it.
    pub async fn restore(self, url: &str) -> String {
        match self {
            Self::Sqlite(copy) => {
                let file = std::path::Path::new(url.strip_prefix("sqlite://").expect("a SQLite URL"));
                let restored = file.with_file_name(format!(
                    "restored-{}.sqlite3",
                    refund_server::secrets::random_token(4).replace(['-', '_'], "x")
                ));
                std::fs::copy(copy, &restored).expect("restore the database file");
                format!("sqlite://{}", restored.display())
            }
            Self::Postgres(copy) => {
                let name = url.rsplit('/').next().expect("a database name");
                let mut conn = sqlx::PgConnection::connect(&admin_url()).await.expect("connect");
                sqlx::query(&format!("DROP DATABASE \"{name}\" WITH (FORCE)"))
                    .execute(&mut conn)
                    .await
                    .expect("drop the damaged database");
                sqlx::query(&format!("CREATE DATABASE \"{name}\" TEMPLATE \"{}\"", copy.name))
                    .execute(&mut conn)
                    .await
                    .expect("restore from the copy");
                url.to_owned()
            }
        }
    }
}

/// A new PostgreSQL database holding a copy of `template` (which nobody may be connected to).
async fn copy_of(template: &str) -> PgDatabase {
    let database = PgDatabase::create().await;
    let mut conn = sqlx::PgConnection::connect(&admin_url()).await.expect("connect");
    sqlx::query(&format!("DROP DATABASE \"{}\"", database.name))
        .execute(&mut conn)
        .await
        .expect("drop the empty copy");
    sqlx::query(&format!(
        "CREATE DATABASE \"{}\" TEMPLATE \"{template}\"",
        database.name
    ))
    .execute(&mut conn)
    .await
    .expect("copy the database");
    database
}
