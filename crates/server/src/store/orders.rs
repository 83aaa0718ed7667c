//! Payment orders: the operator's import and the player's list.

use chrono::{DateTime, Utc};

use super::Store;
use super::db::{At, StoreError, StoreResult, sql};

/// An order as stored, with the open case (if any) that claims it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrderRecord {
    pub order_no: String,
    pub item: String,
    pub amount_fen: i64,
    pub refunded_fen: i64,
    #[sqlx(try_from = "At")]
    pub paid_at: DateTime<Utc>,
    pub open_case: Option<String>,
}

/// One order to import; `line` is its line in the source file, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedOrder {
    pub line: u64,
    pub appid: String,
    pub openid: String,
    pub nickname: String,
    pub order_no: String,
    pub item: String,
    pub amount_fen: i64,
    pub paid_at: DateTime<Utc>,
}

/// Why an import was refused as a whole.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("line {line}: game {appid} is not registered")]
    UnknownGame { line: u64, appid: String },
    #[error("line {line}: order {order_no} already exists")]
    DuplicateOrder { line: u64, order_no: String },
    #[error(transparent)]
    Storage(#[from] StoreError),
}

impl Store {
    /// The player's orders in one game, newest first.
    pub async fn player_orders(&self, appid: &str, openid: &str) -> StoreResult<Vec<OrderRecord>> {
        self.read()
            .fetch_all(
                sql(
                    "SELECT o.order_no, o.item, o.amount_fen, o.refunded_fen, o.paid_at, c.case_no AS open_case
                     FROM orders o LEFT JOIN open_claims c ON c.order_no = o.order_no
                     WHERE o.appid = $1 AND o.openid = $2
                     ORDER BY o.paid_at DESC, o.order_no",
                )
                .bind(appid)
                .bind(openid),
            )
            .await
    }

    /// Imports orders all-or-nothing: the first bad row rolls everything back.
    ///
    /// With `skip_existing`, orders already present are left as they are (demo seeding,
    /// which several processes may run at once); otherwise they are an error naming the line.
    pub async fn import_orders(&self, orders: &[ImportedOrder], skip_existing: bool) -> Result<u64, ImportError> {
        let mut tx = self.begin().await?;
        let mut inserted = 0;
        for order in orders {
            let game: Option<(String,)> = tx
                .fetch_optional(sql("SELECT appid FROM games WHERE appid = $1").bind(&order.appid))
                .await?;
            if game.is_none() {
                return Err(ImportError::UnknownGame {
                    line: order.line,
                    appid: order.appid.clone(),
                });
            }
            tx.execute(
                sql("INSERT INTO players (appid, openid, nickname) VALUES ($1, $2, $3)
                     ON CONFLICT (appid, openid) DO UPDATE SET nickname = excluded.nickname")
                .bind(&order.appid)
                .bind(&order.openid)
                .bind(&order.nickname),
            )
            .await?;
            let done = tx
                .execute(
                    sql("INSERT INTO orders (order_no, appid, openid, item, amount_fen, paid_at)
                         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (order_no) DO NOTHING")
                    .bind(&order.order_no)
                    .bind(&order.appid)
                    .bind(&order.openid)
                    .bind(&order.item)
                    .bind(order.amount_fen)
                    .bind(order.paid_at),
                )
                .await?;
            match (done, skip_existing) {
                (0, false) => {
                    return Err(ImportError::DuplicateOrder {
                        line: order.line,
                        order_no: order.order_no.clone(),
                    });
                }
                (n, _) => inserted += n,
            }
        }
        tx.commit().await?;
        Ok(inserted)
    }
}
