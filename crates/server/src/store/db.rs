//! The database seam: one SQL text runs on SQLite or on PostgreSQL, with typed values.
//!
//! Policy: statements are written once, in SQL both backends accept (`$1` parameters,
//! `ON CONFLICT`, `RETURNING`); where the two differ (row locks, sequences, listening),
//! callers ask [`Dialect`] for the variant. Values go in as [`Arg`] and come out through
//! row structs deriving `sqlx::FromRow`, whose field types decode on both backends.
//! Instants are [`At`]: integer microseconds since the epoch on SQLite and `timestamptz`
//! on PostgreSQL, so SQL compares instants, never text. Stored enum keys come back
//! through [`Key`] and are parsed into the domain's enums by the row structs.
//!
//! `sqlx::Any` is not used because it has no timestamp type; this layer keeps the types.
//! No sqlx type leaves the store: failures become [`StoreError`].

use chrono::{DateTime, Utc};
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{FromRow, PgPool, Postgres, Sqlite, SqlitePool};

use std::sync::Arc;

use super::readers::Readers;
pub use super::values::{At, Key, UnknownKey};

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database refused or could not be reached.
    #[error("database error: {0}")]
    Database(#[source] DatabaseFailure),
    /// A stored value cannot be read back (an unknown key, an impossible instant).
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    /// A configuration the store cannot use (an unknown URL scheme, say).
    #[error("{0}")]
    Config(String),
    /// The transaction a write was batched into did not commit, so the write was not kept
    /// (see `group_commit`); the database's own error is logged once for the batch.
    #[error("the write was not committed: {0}")]
    Commit(String),
}

/// The database's own error, kept opaque so callers depend on the store alone.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct DatabaseFailure(sqlx::Error);

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        Self::Database(DatabaseFailure(error))
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(error: sqlx::migrate::MigrateError) -> Self {
        Self::Database(DatabaseFailure(sqlx::Error::from(error)))
    }
}

impl StoreError {
    /// Whether a uniqueness or primary-key constraint refused the write (a lost race, a replay).
    pub(crate) fn is_unique_violation(&self) -> bool {
        matches!(self, Self::Database(DatabaseFailure(sqlx::Error::Database(db))) if db.is_unique_violation())
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Which SQL dialect a statement is for, where the two differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// The backend's name, as `/readyz` reports it.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }

    /// ` FOR UPDATE` on PostgreSQL; nothing on SQLite, whose write transactions already
    /// hold the whole database (`BEGIN IMMEDIATE`).
    pub(crate) fn for_update(self) -> &'static str {
        match self {
            Self::Sqlite => "",
            Self::Postgres => " FOR UPDATE",
        }
    }
}

/// A value bound to a statement's parameter.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Int(i64),
    OptInt(Option<i64>),
    Text(String),
    OptText(Option<String>),
    At(At),
    OptAt(Option<At>),
}

impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Self::Int(v)
    }
}
impl From<u32> for Arg {
    fn from(v: u32) -> Self {
        Self::Int(i64::from(v))
    }
}
impl From<Option<i64>> for Arg {
    fn from(v: Option<i64>) -> Self {
        Self::OptInt(v)
    }
}
impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Self::Text(v.to_owned())
    }
}
impl From<&String> for Arg {
    fn from(v: &String) -> Self {
        Self::Text(v.clone())
    }
}
impl From<String> for Arg {
    fn from(v: String) -> Self {
        Self::Text(v)
    }
}
impl From<Option<&str>> for Arg {
    fn from(v: Option<&str>) -> Self {
        Self::OptText(v.map(str::to_owned))
    }
}
impl From<Option<String>> for Arg {
    fn from(v: Option<String>) -> Self {
        Self::OptText(v)
    }
}
impl From<DateTime<Utc>> for Arg {
    fn from(v: DateTime<Utc>) -> Self {
        Self::At(At(v))
    }
}
impl From<Option<DateTime<Utc>>> for Arg {
    fn from(v: Option<DateTime<Utc>>) -> Self {
        Self::OptAt(v.map(At))
    }
}

/// A statement and its arguments, in parameter order (`$1`, `$2`, ...).
#[derive(Debug, Clone)]
pub(crate) struct Sql {
    text: String,
    args: Vec<Arg>,
}

/// Starts a statement.
pub(crate) fn sql(text: impl Into<String>) -> Sql {
    Sql {
        text: text.into(),
        args: Vec::new(),
    }
}

/// Binds every argument to a query of either backend (the same code, two types).
macro_rules! bind_all {
    ($query:expr, $args:expr) => {
        $args.iter().fold($query, |q, arg| match arg {
            Arg::Int(v) => q.bind(*v),
            Arg::OptInt(v) => q.bind(*v),
            Arg::Text(v) => q.bind(v.as_str()),
            Arg::OptText(v) => q.bind(v.as_deref()),
            Arg::At(v) => q.bind(*v),
            Arg::OptAt(v) => q.bind(*v),
        })
    };
}

impl Sql {
    /// Binds the next parameter.
    #[must_use]
    pub(crate) fn bind(mut self, value: impl Into<Arg>) -> Self {
        self.args.push(value.into());
        self
    }

    fn sqlite(&self) -> sqlx::query::Query<'_, Sqlite, sqlx::sqlite::SqliteArguments<'_>> {
        bind_all!(sqlx::query(&self.text), self.args)
    }

    fn sqlite_as<T: Record>(&self) -> sqlx::query::QueryAs<'_, Sqlite, T, sqlx::sqlite::SqliteArguments<'_>> {
        bind_all!(sqlx::query_as(&self.text), self.args)
    }

    fn postgres(&self) -> sqlx::query::Query<'_, Postgres, sqlx::postgres::PgArguments> {
        bind_all!(sqlx::query(&self.text), self.args)
    }

    fn postgres_as<T: Record>(&self) -> sqlx::query::QueryAs<'_, Postgres, T, sqlx::postgres::PgArguments> {
        bind_all!(sqlx::query_as(&self.text), self.args)
    }
}

/// A row type both backends can decode.
pub(crate) trait Record: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}
impl<T> Record for T where T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}

/// The connections of one backend.
#[derive(Debug, Clone)]
pub(crate) enum Pools {
    /// Reads share a few read-only connections (`readers`); writes go through one
    /// connection, so writers queue in the process instead of spinning on SQLite's lock
    /// (WAL lets reads go on meanwhile).
    Sqlite {
        read: Arc<Readers>,
        write: SqlitePool,
    },
    Postgres(PgPool),
}

/// Where a statement runs: a pool, or an open transaction.
pub(crate) enum Conn<'a> {
    SqliteReaders(&'a Readers),
    SqlitePool(&'a SqlitePool),
    PgPool(&'a PgPool),
    SqliteTx(&'a mut sqlx::Transaction<'static, Sqlite>),
    PgTx(&'a mut sqlx::Transaction<'static, Postgres>),
}

/// Runs `$sql`, built for the matching backend by `$sqlite` or `$pg`, through `$method`.
macro_rules! on_conn {
    ($conn:expr, $sql:expr, $sqlite:ident, $pg:ident, $method:ident) => {
        match $conn {
            Conn::SqliteReaders(readers) => $sql.$sqlite().$method(&mut *readers.acquire().await?).await?,
            Conn::SqlitePool(pool) => $sql.$sqlite().$method(pool).await?,
            Conn::PgPool(pool) => $sql.$pg().$method(pool).await?,
            Conn::SqliteTx(tx) => $sql.$sqlite().$method(&mut **tx).await?,
            Conn::PgTx(tx) => $sql.$pg().$method(&mut **tx).await?,
        }
    };
}

impl Conn<'_> {
    /// Runs a statement; returns the number of rows it changed.
    pub(crate) async fn execute(self, sql: Sql) -> StoreResult<u64> {
        Ok(match self {
            Conn::SqliteReaders(readers) => sql
                .sqlite()
                .execute(&mut *readers.acquire().await?)
                .await?
                .rows_affected(),
            Conn::SqlitePool(pool) => sql.sqlite().execute(pool).await?.rows_affected(),
            Conn::PgPool(pool) => sql.postgres().execute(pool).await?.rows_affected(),
            Conn::SqliteTx(tx) => sql.sqlite().execute(&mut **tx).await?.rows_affected(),
            Conn::PgTx(tx) => sql.postgres().execute(&mut **tx).await?.rows_affected(),
        })
    }

    pub(crate) async fn fetch_all<T: Record>(self, sql: Sql) -> StoreResult<Vec<T>> {
        Ok(on_conn!(self, sql, sqlite_as, postgres_as, fetch_all))
    }

    pub(crate) async fn fetch_optional<T: Record>(self, sql: Sql) -> StoreResult<Option<T>> {
        Ok(on_conn!(self, sql, sqlite_as, postgres_as, fetch_optional))
    }

    pub(crate) async fn fetch_one<T: Record>(self, sql: Sql) -> StoreResult<T> {
        Ok(on_conn!(self, sql, sqlite_as, postgres_as, fetch_one))
    }
}

/// An open write transaction; dropped without [`Tx::commit`], it rolls back.
pub(crate) enum Tx {
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

impl Tx {
    /// Statements run inside this transaction.
    pub(crate) fn conn(&mut self) -> Conn<'_> {
        match self {
            Self::Sqlite(tx) => Conn::SqliteTx(tx),
            Self::Postgres(tx) => Conn::PgTx(tx),
        }
    }

    pub(crate) fn dialect(&self) -> Dialect {
        match self {
            Self::Sqlite(_) => Dialect::Sqlite,
            Self::Postgres(_) => Dialect::Postgres,
        }
    }

    pub(crate) async fn execute(&mut self, sql: Sql) -> StoreResult<u64> {
        self.conn().execute(sql).await
    }

    pub(crate) async fn fetch_all<T: Record>(&mut self, sql: Sql) -> StoreResult<Vec<T>> {
        self.conn().fetch_all(sql).await
    }

    pub(crate) async fn fetch_optional<T: Record>(&mut self, sql: Sql) -> StoreResult<Option<T>> {
        self.conn().fetch_optional(sql).await
    }

    pub(crate) async fn fetch_one<T: Record>(&mut self, sql: Sql) -> StoreResult<T> {
        self.conn().fetch_one(sql).await
    }

    pub(crate) async fn commit(self) -> StoreResult<()> {
        match self {
            Self::Sqlite(tx) => tx.commit().await?,
            Self::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }
}

/// Implements `TryFrom<Key>` for enums that have a `from_key` constructor.
macro_rules! keyed {
    ($($ty:ty),* $(,)?) => {$(
        impl TryFrom<$crate::store::db::Key> for $ty {
            type Error = $crate::store::db::UnknownKey;
            fn try_from(key: $crate::store::db::Key) -> Result<Self, Self::Error> {
                <$ty>::from_key(&key.0).ok_or($crate::store::db::UnknownKey(key.0))
            }
        }
    )*};
}
pub(crate) use keyed;
