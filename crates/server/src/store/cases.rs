//! Cases, their claimed orders, evidence links and append-only events.

use chrono::{DateTime, Utc};
use sqlx::{Sqlite, Transaction};

use super::{EvidenceRecord, Store, is_unique_violation};

/// A case row joined with its game's name.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CaseRecord {
    pub case_no: String,
    pub kind: String,
    pub appid: String,
    pub openid: String,
    pub game_name: String,
    pub state: String,
    pub details: String,
    pub claimed_fen: i64,
    pub submitted_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub tracking_generation: i64,
}

/// An order as claimed by a case.
#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct ClaimedOrderRecord {
    pub order_no: String,
    pub item: String,
    pub amount_fen: i64,
    pub paid_at: DateTime<Utc>,
}

/// One entry of a case's append-only log.
#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct StoredEvent {
    pub id: i64,
    pub case_no: String,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub kind: String,
    pub state: String,
    pub note: Option<String>,
}

/// What a case is made of besides its own row.
#[derive(Debug, Clone)]
pub struct CaseParts {
    pub orders: Vec<ClaimedOrderRecord>,
    pub evidence: Vec<EvidenceRecord>,
    /// Oldest first.
    pub events: Vec<StoredEvent>,
}

/// An evidence row as `case_parts` reads it, with the upload time that orders it.
#[derive(Debug, serde::Deserialize)]
struct EvidenceJson {
    #[serde(flatten)]
    record: EvidenceRecord,
    created_at: DateTime<Utc>,
}

/// Everything needed to store a new, already validated case.
#[derive(Debug, Clone)]
pub struct NewCaseRecord<'a> {
    /// `MR` or `CP`; the case number is the prefix, the year and a sequence.
    pub prefix: &'a str,
    pub kind: &'a str,
    pub appid: &'a str,
    pub openid: &'a str,
    pub details: String,
    pub claims: Vec<(String, i64)>,
    pub claimed_fen: i64,
    pub evidence_ids: Vec<String>,
    pub submitted_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub idempotency_key: &'a str,
    /// A hash of the request body: the same key with another body is a client bug.
    pub request_hash: String,
}

/// What storing a case came to.
#[derive(Debug, Clone)]
pub enum CreateOutcome {
    Created {
        case_no: String,
        event: StoredEvent,
    },
    /// The same Idempotency-Key and body were seen before: that case is the answer.
    Replayed {
        case_no: String,
    },
}

/// Why a case could not be stored.
#[derive(Debug, thiserror::Error)]
pub enum CreateCaseError {
    #[error("order {order_no} is already in open case {case_no}")]
    OrderInOpenCase { order_no: String, case_no: String },
    #[error("the Idempotency-Key was used for a different request")]
    KeyReused,
    #[error("an evidence file is no longer available")]
    EvidenceTaken,
    #[error(transparent)]
    Storage(#[from] sqlx::Error),
}

const CASE_COLUMNS: &str = "c.case_no, c.kind, c.appid, c.openid, g.name AS game_name, c.state, c.details,
    c.claimed_fen, c.submitted_at, c.due_at, c.tracking_generation";

impl Store {
    /// Stores a case with its claims, evidence links and `submitted` event, exactly once
    /// per Idempotency-Key. `tracking_hash` maps the new case number to its key's hash.
    pub async fn create_case(
        &self,
        new: NewCaseRecord<'_>,
        tracking_hash: impl FnOnce(&str, i64) -> String,
    ) -> Result<CreateOutcome, CreateCaseError> {
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        let earlier: Option<(String, String)> = sqlx::query_as(
            "SELECT case_no, request_hash FROM cases WHERE appid = ? AND openid = ? AND idempotency_key = ?",
        )
        .bind(new.appid)
        .bind(new.openid)
        .bind(new.idempotency_key)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((case_no, request_hash)) = earlier {
            return if request_hash == new.request_hash {
                Ok(CreateOutcome::Replayed { case_no })
            } else {
                Err(CreateCaseError::KeyReused)
            };
        }
        let case_no = next_case_no(&mut tx, new.prefix, new.submitted_at).await?;
        sqlx::query(
            "INSERT INTO cases (case_no, kind, appid, openid, state, details, claimed_fen, submitted_at, due_at,
                                tracking_key_hash, idempotency_key, request_hash)
             VALUES (?, ?, ?, ?, 'submitted', ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&case_no)
        .bind(new.kind)
        .bind(new.appid)
        .bind(new.openid)
        .bind(&new.details)
        .bind(new.claimed_fen)
        .bind(new.submitted_at)
        .bind(new.due_at)
        .bind(tracking_hash(&case_no, 0))
        .bind(new.idempotency_key)
        .bind(&new.request_hash)
        .execute(&mut *tx)
        .await?;
        for (order_no, amount) in &new.claims {
            claim_order(&mut tx, &case_no, order_no, *amount).await?;
        }
        for id in &new.evidence_ids {
            let attached = sqlx::query(
                "UPDATE evidence SET case_no = ? WHERE id = ? AND appid = ? AND openid = ? AND case_no IS NULL",
            )
            .bind(&case_no)
            .bind(id)
            .bind(new.appid)
            .bind(new.openid)
            .execute(&mut *tx)
            .await?;
            if attached.rows_affected() != 1 {
                return Err(CreateCaseError::EvidenceTaken);
            }
        }
        let event = append_event(
            &mut tx,
            &case_no,
            new.submitted_at,
            "player",
            "submitted",
            "submitted",
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(CreateOutcome::Created { case_no, event })
    }

    /// The player's cases, newest first.
    pub async fn player_cases(&self, appid: &str, openid: &str) -> Result<Vec<CaseRecord>, sqlx::Error> {
        sqlx::query_as(&format!(
            "SELECT {CASE_COLUMNS} FROM cases c JOIN games g ON g.appid = c.appid
             WHERE c.appid = ? AND c.openid = ? ORDER BY c.submitted_at DESC, c.case_no DESC"
        ))
        .bind(appid)
        .bind(openid)
        .fetch_all(&self.pool)
        .await
    }

    /// One case, if it is the player's.
    pub async fn player_case(
        &self,
        case_no: &str,
        appid: &str,
        openid: &str,
    ) -> Result<Option<CaseRecord>, sqlx::Error> {
        sqlx::query_as(&format!(
            "SELECT {CASE_COLUMNS} FROM cases c JOIN games g ON g.appid = c.appid
             WHERE c.case_no = ? AND c.appid = ? AND c.openid = ?"
        ))
        .bind(case_no)
        .bind(appid)
        .bind(openid)
        .fetch_optional(&self.pool)
        .await
    }

    /// One case, if the tracking key's hash matches.
    pub async fn tracked_case(&self, case_no: &str, key_hash: &str) -> Result<Option<CaseRecord>, sqlx::Error> {
        sqlx::query_as(&format!(
            "SELECT {CASE_COLUMNS} FROM cases c JOIN games g ON g.appid = c.appid
             WHERE c.case_no = ? AND c.tracking_key_hash = ?"
        ))
        .bind(case_no)
        .bind(key_hash)
        .fetch_optional(&self.pool)
        .await
    }

    /// Replaces a case's tracking key (the next generation), returning the new generation.
    pub async fn rotate_tracking_key(
        &self,
        case_no: &str,
        appid: &str,
        openid: &str,
        tracking_hash: impl FnOnce(&str, i64) -> String,
    ) -> Result<Option<i64>, sqlx::Error> {
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        let current: Option<(i64,)> =
            sqlx::query_as("SELECT tracking_generation FROM cases WHERE case_no = ? AND appid = ? AND openid = ?")
                .bind(case_no)
                .bind(appid)
                .bind(openid)
                .fetch_optional(&mut *tx)
                .await?;
        let Some((generation,)) = current else {
            return Ok(None);
        };
        let next = generation + 1;
        sqlx::query("UPDATE cases SET tracking_generation = ?, tracking_key_hash = ? WHERE case_no = ?")
            .bind(next)
            .bind(tracking_hash(case_no, next))
            .bind(case_no)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(next))
    }

    /// A case's claimed orders, evidence and events in one round trip (the case read is the
    /// hottest path: one query instead of three).
    pub async fn case_parts(&self, case_no: &str) -> Result<CaseParts, sqlx::Error> {
        let (orders, evidence, events): (String, String, String) = sqlx::query_as(
            "SELECT
               (SELECT json_group_array(json_object('order_no', co.order_no, 'item', o.item,
                        'amount_fen', co.amount_fen, 'paid_at', o.paid_at))
                  FROM case_orders co JOIN orders o ON o.order_no = co.order_no WHERE co.case_no = ?1),
               (SELECT json_group_array(json_object('id', id, 'sha256', sha256, 'size', size,
                        'media_type', media_type, 'category', category, 'file_name', file_name,
                        'case_no', case_no, 'created_at', created_at))
                  FROM evidence WHERE case_no = ?1),
               (SELECT json_group_array(json_object('id', id, 'case_no', case_no, 'at', at, 'actor', actor,
                        'kind', kind, 'state', state, 'note', note))
                  FROM case_events WHERE case_no = ?1)",
        )
        .bind(case_no)
        .fetch_one(&self.pool)
        .await?;
        let decode = |e: serde_json::Error| sqlx::Error::Decode(Box::new(e));
        let mut orders: Vec<ClaimedOrderRecord> = serde_json::from_str(&orders).map_err(decode)?;
        let mut evidence: Vec<(EvidenceRecord, DateTime<Utc>)> = serde_json::from_str::<Vec<EvidenceJson>>(&evidence)
            .map_err(decode)?
            .into_iter()
            .map(|e| (e.record, e.created_at))
            .collect();
        let mut events: Vec<StoredEvent> = serde_json::from_str(&events).map_err(decode)?;
        orders.sort_by(|a, b| (a.paid_at, &a.order_no).cmp(&(b.paid_at, &b.order_no)));
        evidence.sort_by(|(a, at), (b, bt)| (at, &a.id).cmp(&(bt, &b.id)));
        events.sort_by_key(|e| e.id);
        Ok(CaseParts {
            orders,
            evidence: evidence.into_iter().map(|(e, _)| e).collect(),
            events,
        })
    }

    /// Events after `after_id` on the player's cases: what a reconnecting stream missed.
    pub async fn player_events_after(
        &self,
        appid: &str,
        openid: &str,
        after_id: i64,
    ) -> Result<Vec<StoredEvent>, sqlx::Error> {
        sqlx::query_as(
            "SELECT e.id, e.case_no, e.at, e.actor, e.kind, e.state, e.note
             FROM case_events e JOIN cases c ON c.case_no = e.case_no
             WHERE c.appid = ? AND c.openid = ? AND e.id > ? ORDER BY e.id LIMIT 500",
        )
        .bind(appid)
        .bind(openid)
        .bind(after_id)
        .fetch_all(&self.pool)
        .await
    }

    /// Events after `after_id` on one case.
    pub async fn case_events_after(&self, case_no: &str, after_id: i64) -> Result<Vec<StoredEvent>, sqlx::Error> {
        sqlx::query_as(
            "SELECT id, case_no, at, actor, kind, state, note FROM case_events
             WHERE case_no = ? AND id > ? ORDER BY id LIMIT 500",
        )
        .bind(case_no)
        .bind(after_id)
        .fetch_all(&self.pool)
        .await
    }
}

/// Next number in the readable sequence, e.g. `MR-2026-000042`.
async fn next_case_no(
    tx: &mut Transaction<'_, Sqlite>,
    prefix: &str,
    at: DateTime<Utc>,
) -> Result<String, sqlx::Error> {
    // The year as people in China see it: a case filed at 07:00 on 1 January is this year's.
    let year = at.with_timezone(&crate::domain::calendar::shanghai()).format("%Y");
    let series = format!("{prefix}-{year}");
    let (last,): (i64,) = sqlx::query_as(
        "INSERT INTO case_numbers (prefix, last) VALUES (?, 1)
         ON CONFLICT (prefix) DO UPDATE SET last = last + 1 RETURNING last",
    )
    .bind(&series)
    .fetch_one(&mut **tx)
    .await?;
    Ok(format!("{series}-{last:06}"))
}

async fn claim_order(
    tx: &mut Transaction<'_, Sqlite>,
    case_no: &str,
    order_no: &str,
    amount_fen: i64,
) -> Result<(), CreateCaseError> {
    let claimed = sqlx::query("INSERT INTO open_claims (order_no, case_no) VALUES (?, ?)")
        .bind(order_no)
        .bind(case_no)
        .execute(&mut **tx)
        .await;
    if let Err(error) = claimed {
        if !is_unique_violation(&error) {
            return Err(error.into());
        }
        let (holder,): (String,) = sqlx::query_as("SELECT case_no FROM open_claims WHERE order_no = ?")
            .bind(order_no)
            .fetch_one(&mut **tx)
            .await?;
        return Err(CreateCaseError::OrderInOpenCase {
            order_no: order_no.to_owned(),
            case_no: holder,
        });
    }
    sqlx::query("INSERT INTO case_orders (case_no, order_no, amount_fen) VALUES (?, ?, ?)")
        .bind(case_no)
        .bind(order_no)
        .bind(amount_fen)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Appends one event to a case's log inside the caller's transaction.
pub(crate) async fn append_event(
    tx: &mut Transaction<'_, Sqlite>,
    case_no: &str,
    at: DateTime<Utc>,
    actor: &str,
    kind: &str,
    state: &str,
    note: Option<&str>,
) -> Result<StoredEvent, sqlx::Error> {
    sqlx::query_as(
        "INSERT INTO case_events (case_no, at, actor, kind, state, note) VALUES (?, ?, ?, ?, ?, ?)
         RETURNING id, case_no, at, actor, kind, state, note",
    )
    .bind(case_no)
    .bind(at)
    .bind(actor)
    .bind(kind)
    .bind(state)
    .bind(note)
    .fetch_one(&mut **tx)
    .await
}

impl Store {
    /// The case an earlier request with this Idempotency-Key created, with that request's hash.
    pub async fn idempotent_case(
        &self,
        appid: &str,
        openid: &str,
        idempotency_key: &str,
    ) -> Result<Option<(CaseRecord, String)>, sqlx::Error> {
        let found: Option<(String, String)> = sqlx::query_as(
            "SELECT case_no, request_hash FROM cases WHERE appid = ? AND openid = ? AND idempotency_key = ?",
        )
        .bind(appid)
        .bind(openid)
        .bind(idempotency_key)
        .fetch_optional(&self.pool)
        .await?;
        let Some((case_no, request_hash)) = found else {
            return Ok(None);
        };
        Ok(self
            .player_case(&case_no, appid, openid)
            .await?
            .map(|case| (case, request_hash)))
    }
}

/// Why a state change was not stored.
#[derive(Debug, thiserror::Error)]
pub enum ChangeError<E> {
    #[error("no such case")]
    NotFound,
    #[error(transparent)]
    Refused(E),
    #[error(transparent)]
    Storage(#[from] sqlx::Error),
}

/// A state change to store: who did what, and the rule that decides the next state.
#[derive(Debug)]
pub struct StateChange<'a, F> {
    pub case_no: &'a str,
    /// Only the case's own player may make this change, when set.
    pub owner: Option<(&'a str, &'a str)>,
    pub actor: &'a str,
    pub kind: &'a str,
    pub note: Option<&'a str>,
    pub next_state: F,
}

impl Store {
    /// Moves a case to the state `next_state` allows from its current one, appending the
    /// event, in one transaction. A case that leaves the open states releases its orders.
    pub async fn change_state<F, E>(
        &self,
        change: StateChange<'_, F>,
        at: DateTime<Utc>,
    ) -> Result<(CaseRecord, StoredEvent), ChangeError<E>>
    where
        F: FnOnce(&str) -> Result<(String, bool), E>,
    {
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        let current: Option<(String, String, String)> =
            sqlx::query_as("SELECT state, appid, openid FROM cases WHERE case_no = ?")
                .bind(change.case_no)
                .fetch_optional(&mut *tx)
                .await?;
        let Some((state, appid, openid)) = current else {
            return Err(ChangeError::NotFound);
        };
        if change
            .owner
            .is_some_and(|(a, o)| (a, o) != (appid.as_str(), openid.as_str()))
        {
            return Err(ChangeError::NotFound);
        }
        let (next, still_open) = (change.next_state)(&state).map_err(ChangeError::Refused)?;
        sqlx::query("UPDATE cases SET state = ? WHERE case_no = ?")
            .bind(&next)
            .bind(change.case_no)
            .execute(&mut *tx)
            .await?;
        if !still_open {
            sqlx::query("DELETE FROM open_claims WHERE case_no = ?")
                .bind(change.case_no)
                .execute(&mut *tx)
                .await?;
        }
        let event = append_event(
            &mut tx,
            change.case_no,
            at,
            change.actor,
            change.kind,
            &next,
            change.note,
        )
        .await?;
        let case = sqlx::query_as(&format!(
            "SELECT {CASE_COLUMNS} FROM cases c JOIN games g ON g.appid = c.appid WHERE c.case_no = ?"
        ))
        .bind(change.case_no)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok((case, event))
    }
}
