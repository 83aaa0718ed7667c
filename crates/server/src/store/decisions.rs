//! Decisions and the refunds they apply, exactly once.
//!
//! A decision is one transaction: the case row is locked (PostgreSQL: `FOR UPDATE`;
//! SQLite: the single writer), an earlier decision of the same round answers a retry
//! (same request) or refuses a different one, the claimed orders' balances are read
//! under the same lock and the rule decides, each refund raises its order's
//! `refunded_fen` only while that stays within the order's amount (the table's CHECK
//! stands behind it), the refunds, the decision, the new state and the event are
//! written, and a job to settle each refund with the payment gateway is queued (an
//! outbox: the gateway is called after the commit, with the refund id as its
//! idempotency key).

use chrono::{DateTime, Utc};
use refund_api::{Actor, CaseState, DecisionRound, EventKind, Outcome, RejectReason};

use super::Store;
use super::db::{At, Key, StoreError, StoreResult, Tx, keyed, sql};
use super::events::{self, AppendedEvent, NewEvent};
use super::jobs::{self, NewJob};
use crate::domain::credit::{self, CreditCause};
use crate::domain::decision::{OrderBalance, ValidDecision};
use crate::domain::money::Fen;
use crate::secrets::random_token;

/// A stored decision.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DecisionRecord {
    pub case_no: String,
    #[sqlx(try_from = "Key")]
    pub round: DecisionRound,
    #[sqlx(try_from = "Key")]
    pub outcome: Outcome,
    pub reason: Option<String>,
    pub note: String,
    pub decided_by: String,
    #[sqlx(try_from = "At")]
    pub decided_at: DateTime<Utc>,
    pub request_hash: String,
}

impl DecisionRecord {
    #[must_use]
    pub fn reject_reason(&self) -> Option<RejectReason> {
        self.reason.as_deref().and_then(RejectReason::from_key)
    }
}

keyed!(DecisionRound, Outcome);

/// A refund as the ledger holds it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RefundRecord {
    pub refund_id: String,
    pub case_no: String,
    #[sqlx(try_from = "Key")]
    pub round: DecisionRound,
    pub order_no: String,
    pub amount_fen: i64,
    pub gateway_ref: Option<String>,
}

/// Who decides, on which case and round.
#[derive(Debug, Clone)]
pub struct NewDecision<'a> {
    pub case_no: &'a str,
    pub round: DecisionRound,
    /// A developer may only decide cases of their organisation's games.
    pub org_scope: Option<&'a str>,
    pub actor: Actor,
    pub decided_by: &'a str,
    pub request_hash: String,
    pub at: DateTime<Utc>,
}

/// What deciding came to.
#[derive(Debug, Clone)]
pub enum Decided {
    Applied {
        decision: DecisionRecord,
        refunds: Vec<RefundRecord>,
        event: AppendedEvent,
    },
    /// The same request was applied before: its result.
    Replayed {
        decision: DecisionRecord,
        refunds: Vec<RefundRecord>,
    },
}

/// Why a decision was not applied.
#[derive(Debug, thiserror::Error)]
pub enum DecideError<E> {
    #[error("no such case")]
    NotFound,
    #[error("this round was decided already, differently")]
    AlreadyDecided,
    #[error(transparent)]
    Refused(E),
    #[error(transparent)]
    Storage(#[from] StoreError),
}

/// The job kind that carries a refund out with the payment gateway.
pub const SETTLE_REFUND: &str = "settle_refund";

impl Store {
    /// Applies a decision exactly once; `rule` gets the case's state and its orders'
    /// balances (read under the lock) and answers the next state and the refunds.
    pub async fn decide<E>(
        &self,
        new: NewDecision<'_>,
        rule: impl FnOnce(CaseState, &[OrderBalance]) -> Result<(CaseState, ValidDecision), E>,
    ) -> Result<Decided, DecideError<E>> {
        let mut tx = self.begin().await?;
        let lock = format!(
            "SELECT c.state, c.appid, c.openid, g.org_id, c.due_at FROM cases c JOIN games g ON g.appid = c.appid
             WHERE c.case_no = $1{}",
            tx.dialect().for_update()
        );
        let found: Option<(String, String, String, String, At)> =
            tx.fetch_optional(sql(lock).bind(new.case_no)).await?;
        let Some((state, appid, openid, org_id, At(due_at))) = found else {
            return Err(DecideError::NotFound);
        };
        if new.org_scope.is_some_and(|org| org != org_id) {
            return Err(DecideError::NotFound);
        }
        if let Some(earlier) = decision_of(&mut tx, new.case_no, new.round).await? {
            if earlier.request_hash != new.request_hash {
                return Err(DecideError::AlreadyDecided);
            }
            let refunds = refunds_of(&mut tx, new.case_no, new.round).await?;
            return Ok(Decided::Replayed {
                decision: earlier,
                refunds,
            });
        }
        let state = CaseState::from_key(&state).ok_or_else(|| StoreError::Corrupt(format!("case state {state:?}")))?;
        let balances = balances(&mut tx, new.case_no).await?;
        let (next, valid) = rule(state, &balances).map_err(DecideError::Refused)?;
        let mut refunds = Vec::new();
        for (order_no, Fen(amount)) in &valid.refunds {
            refunds.push(refund(&mut tx, &new, order_no, *amount).await?);
        }
        let event = events::append(
            &mut tx,
            NewEvent {
                case_no: new.case_no,
                appid: &appid,
                openid: &openid,
                at: new.at,
                actor: new.actor,
                kind: match new.round {
                    DecisionRound::First => EventKind::Decided,
                    DecisionRound::Appeal => EventKind::AppealDecided,
                    DecisionRound::Platform => EventKind::PlatformDecided,
                },
                state: next,
                note: Some(valid.note.as_str()).filter(|n| !n.is_empty()),
            },
        )
        .await?;
        let decision = DecisionRecord {
            case_no: new.case_no.to_owned(),
            round: new.round,
            outcome: valid.outcome,
            reason: valid.reason.map(|r| r.key().to_owned()),
            note: valid.note.clone(),
            decided_by: new.decided_by.to_owned(),
            decided_at: new.at,
            request_hash: new.request_hash.clone(),
        };
        tx.execute(
            sql(
                "INSERT INTO decisions (case_no, round, outcome, reason, note, decided_by, request_hash, decided_at,
                                        event_id)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(new.case_no)
            .bind(new.round.key())
            .bind(valid.outcome.key())
            .bind(decision.reason.clone())
            .bind(&decision.note)
            .bind(new.decided_by)
            .bind(&new.request_hash)
            .bind(new.at)
            .bind(event.event.id),
        )
        .await?;
        super::changes::set_state(&mut tx, new.case_no, next).await?;
        let cause = match new.round {
            DecisionRound::Platform => credit::after_platform_decision(valid.outcome),
            DecisionRound::First | DecisionRound::Appeal => (new.at <= due_at).then_some(CreditCause::DecidedOnTime),
        };
        if let Some(cause) = cause {
            let entry = super::changes::CreditRecord {
                org_id: &org_id,
                cause,
                case_no: new.case_no,
                deadline: due_at,
                at: new.at,
            };
            super::changes::record_credit(&mut tx, &entry).await?;
        }
        tx.commit().await?;
        Ok(Decided::Applied {
            decision,
            refunds,
            event,
        })
    }

    /// A case's decisions, oldest first, and all its refunds.
    pub async fn case_decisions(&self, case_no: &str) -> StoreResult<(Vec<DecisionRecord>, Vec<RefundRecord>)> {
        let decisions = self
            .read()
            .fetch_all(
                sql(
                    "SELECT case_no, round, outcome, reason, note, decided_by, decided_at, request_hash
                     FROM decisions WHERE case_no = $1 ORDER BY decided_at, round",
                )
                .bind(case_no),
            )
            .await?;
        let refunds = self
            .read()
            .fetch_all(
                sql(
                    "SELECT refund_id, case_no, round, order_no, amount_fen, gateway_ref FROM refunds
                     WHERE case_no = $1 ORDER BY created_at, order_no",
                )
                .bind(case_no),
            )
            .await?;
        Ok((decisions, refunds))
    }

    /// A refund waiting to be settled with the gateway (`None` once settled or unknown).
    pub async fn unsettled_refund(&self, refund_id: &str) -> StoreResult<Option<RefundRecord>> {
        self.read()
            .fetch_optional(
                sql(
                    "SELECT refund_id, case_no, round, order_no, amount_fen, gateway_ref FROM refunds
                     WHERE refund_id = $1 AND settled_at IS NULL",
                )
                .bind(refund_id),
            )
            .await
    }

    /// Records that the gateway carried a refund out.
    pub async fn settle_refund(&self, refund_id: &str, gateway_ref: &str, at: DateTime<Utc>) -> StoreResult<()> {
        self.write()
            .execute(
                sql("UPDATE refunds SET settled_at = $1, gateway_ref = $2 WHERE refund_id = $3 AND settled_at IS NULL")
                    .bind(at)
                    .bind(gateway_ref)
                    .bind(refund_id),
            )
            .await?;
        Ok(())
    }
}

async fn decision_of(tx: &mut Tx, case_no: &str, round: DecisionRound) -> StoreResult<Option<DecisionRecord>> {
    tx.fetch_optional(
        sql(
            "SELECT case_no, round, outcome, reason, note, decided_by, decided_at, request_hash
             FROM decisions WHERE case_no = $1 AND round = $2",
        )
        .bind(case_no)
        .bind(round.key()),
    )
    .await
}

async fn refunds_of(tx: &mut Tx, case_no: &str, round: DecisionRound) -> StoreResult<Vec<RefundRecord>> {
    tx.fetch_all(
        sql(
            "SELECT refund_id, case_no, round, order_no, amount_fen, gateway_ref FROM refunds
             WHERE case_no = $1 AND round = $2 ORDER BY created_at, order_no",
        )
        .bind(case_no)
        .bind(round.key()),
    )
    .await
}

/// The claimed orders' money, locked for the decision.
async fn balances(tx: &mut Tx, case_no: &str) -> StoreResult<Vec<OrderBalance>> {
    let text = format!(
        "SELECT o.order_no, o.amount_fen, o.refunded_fen FROM case_orders co JOIN orders o ON o.order_no = co.order_no
         WHERE co.case_no = $1 ORDER BY o.order_no{}",
        tx.dialect().for_update()
    );
    let rows: Vec<(String, i64, i64)> = tx.fetch_all(sql(text).bind(case_no)).await?;
    Ok(rows
        .into_iter()
        .map(|(order_no, amount, refunded)| OrderBalance {
            order_no,
            amount: Fen(amount),
            refunded: Fen(refunded),
        })
        .collect())
}

/// Raises the order's refunded amount (never past its amount), records the refund and
/// queues its settlement with the gateway.
async fn refund<E>(
    tx: &mut Tx,
    new: &NewDecision<'_>,
    order_no: &str,
    amount: i64,
) -> Result<RefundRecord, DecideError<E>> {
    let raised = tx
        .execute(
            sql("UPDATE orders SET refunded_fen = refunded_fen + $1
                 WHERE order_no = $2 AND refunded_fen + $1 <= amount_fen")
            .bind(amount)
            .bind(order_no),
        )
        .await?;
    if raised != 1 {
        return Err(StoreError::Corrupt(format!("order {order_no} cannot take a refund of {amount} fen")).into());
    }
    let record = RefundRecord {
        refund_id: format!("RF-{}", random_token(12)),
        case_no: new.case_no.to_owned(),
        round: new.round,
        order_no: order_no.to_owned(),
        amount_fen: amount,
        gateway_ref: None,
    };
    tx.execute(
        sql(
            "INSERT INTO refunds (refund_id, case_no, round, order_no, amount_fen, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&record.refund_id)
        .bind(new.case_no)
        .bind(new.round.key())
        .bind(order_no)
        .bind(amount)
        .bind(new.at),
    )
    .await?;
    jobs::enqueue_in(
        tx,
        NewJob {
            kind: SETTLE_REFUND,
            payload: serde_json::json!({ "refund_id": record.refund_id }).to_string(),
            run_at: new.at,
            unique_key: None,
        },
        new.at,
    )
    .await?;
    Ok(record)
}
