//! What the consoles read: cases within an organisation's scope (every case for platform
//! staff), the money of a case's orders, and the player's name.

use std::collections::HashMap;

use refund_api::{CaseState, QueueFilter};

use super::cases::CASE_COLUMNS;
use super::db::{StoreResult, sql};
use super::{CaseRecord, Store};

impl Store {
    /// The cases of `org_id`'s games (of all games when `None`), filtered by state, game
    /// and kind: first those waiting for a desk's answer, by deadline, then the rest (whose
    /// deadline has been met) by the same order. The time-based filters are the caller's
    /// (they need the calendar).
    pub async fn staff_cases(&self, org_id: Option<&str>, filter: &QueueFilter) -> StoreResult<Vec<CaseRecord>> {
        self.read()
            .fetch_all(
                sql(format!(
                    "SELECT {CASE_COLUMNS} FROM cases c JOIN games g ON g.appid = c.appid
                     WHERE ($1 IS NULL OR g.org_id = $1) AND ($2 IS NULL OR c.state = $2)
                       AND ($3 IS NULL OR c.appid = $3) AND ($4 IS NULL OR c.kind = $4)
                     ORDER BY CASE WHEN c.state IN ($5, $6, $7) THEN 0 ELSE 1 END, c.due_at, c.case_no"
                ))
                .bind(org_id)
                .bind(filter.state.map(|s| s.key()))
                .bind(filter.appid.as_deref())
                .bind(filter.kind.map(|k| k.key()))
                .bind(CaseState::Submitted.key())
                .bind(CaseState::Appealed.key())
                .bind(CaseState::PlatformReview.key()),
            )
            .await
    }

    /// One case, if it is within `org_id`'s games (any case when `None`).
    pub async fn staff_case(&self, case_no: &str, org_id: Option<&str>) -> StoreResult<Option<CaseRecord>> {
        self.read()
            .fetch_optional(
                sql(format!(
                    "SELECT {CASE_COLUMNS} FROM cases c JOIN games g ON g.appid = c.appid
                     WHERE c.case_no = $1 AND ($2 IS NULL OR g.org_id = $2)"
                ))
                .bind(case_no)
                .bind(org_id),
            )
            .await
    }

    /// Each claimed order's amount and refunded amount, by order number.
    pub async fn case_order_balances(&self, case_no: &str) -> StoreResult<HashMap<String, (i64, i64)>> {
        let rows: Vec<(String, i64, i64)> = self
            .read()
            .fetch_all(
                sql("SELECT o.order_no, o.amount_fen, o.refunded_fen
                     FROM case_orders co JOIN orders o ON o.order_no = co.order_no WHERE co.case_no = $1")
                .bind(case_no),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(no, amount, refunded)| (no, (amount, refunded)))
            .collect())
    }

    /// The player's name in the game (their id when the game never gave one).
    pub async fn player_nickname(&self, appid: &str, openid: &str) -> StoreResult<String> {
        let found: Option<(String,)> = self
            .read()
            .fetch_optional(
                sql("SELECT nickname FROM players WHERE appid = $1 AND openid = $2")
                    .bind(appid)
                    .bind(openid),
            )
            .await?;
        Ok(found.map_or_else(|| openid.to_owned(), |(nickname,)| nickname))
    }
}
