//! Append-only case events: the source of every timeline, of notifications and of live
//! updates.
//!
//! Appending an event is also where the people it concerns are told: in the same
//! transaction it writes a notification for each recipient (`domain::notify` says who),
//! and, for the player's, a webhook delivery when the game has a webhook (an outbox:
//! a job delivers it after the commit).
//!
//! On PostgreSQL several processes append at once, and an event id is taken before its
//! transaction commits, so ids could become visible out of order and a stream reading
//! "everything after id N" would skip one for good. Appending therefore takes a
//! transaction-scoped advisory lock, which makes commit order equal id order; the same
//! transaction sends a `NOTIFY` that every process's [`EventListener`] hears once the
//! event is committed. SQLite's single writer gives the order for free, and the
//! in-process hub carries the news.

use chrono::{DateTime, Utc};
use refund_api::{Actor, CaseState, EventKind};
use serde::{Deserialize, Serialize};
use sqlx::postgres::PgListener;

use super::Store;
use super::db::{At, Dialect, Key, Pools, StoreError, StoreResult, Tx, keyed, sql};
use crate::domain::notify::Recipient;

/// The channel events are announced on.
const CHANNEL: &str = "refund_case_events";
/// Any constant will do; it only has to be the same in every process.
const APPEND_LOCK: i64 = 0x5246_4e44_4556_5453;
/// Replays read this many events per query, and loop until they are drained.
const PAGE: i64 = 500;

/// One entry of a case's append-only log.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredEvent {
    pub id: i64,
    pub case_no: String,
    #[sqlx(try_from = "At")]
    pub at: DateTime<Utc>,
    #[sqlx(try_from = "Key")]
    pub actor: Actor,
    #[sqlx(try_from = "Key")]
    pub kind: EventKind,
    #[sqlx(try_from = "Key")]
    pub state: CaseState,
    pub note: Option<String>,
}

keyed!(Actor, EventKind, CaseState);

/// News of a committed event: whose case it is (the player, the game's organisation)
/// and the event's id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventSignal {
    pub appid: String,
    pub openid: String,
    pub org_id: String,
    pub case_no: String,
    pub event_id: i64,
}

/// What a listener heard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Heard {
    Event(EventSignal),
    /// The connection was lost and re-made; news may have been missed meanwhile.
    Resync,
}

const EVENT_COLUMNS: &str = "e.id, e.case_no, e.at, e.actor, e.kind, e.state, e.note";

/// An event to append, with whose case it is.
#[derive(Debug, Clone)]
pub(super) struct NewEvent<'a> {
    pub case_no: &'a str,
    pub appid: &'a str,
    pub openid: &'a str,
    pub at: DateTime<Utc>,
    pub actor: Actor,
    pub kind: EventKind,
    pub state: CaseState,
    pub note: Option<&'a str>,
}

/// Appends one event inside the caller's transaction, with its notifications (announcing
/// it on PostgreSQL).
pub(super) async fn append(tx: &mut Tx, event: NewEvent<'_>) -> StoreResult<AppendedEvent> {
    if tx.dialect() == Dialect::Postgres {
        tx.execute(sql("SELECT pg_advisory_xact_lock($1)").bind(APPEND_LOCK))
            .await?;
    }
    // The game's owner and webhook come back with the event: one statement, not two.
    let Inserted {
        event: stored,
        org_id,
        webhook_url,
    } = tx
        .fetch_one(
            sql(
                "INSERT INTO case_events (case_no, at, actor, kind, state, note) VALUES ($1, $2, $3, $4, $5, $6)
                 RETURNING id, case_no, at, actor, kind, state, note,
                           (SELECT org_id FROM games WHERE appid = $7) AS org_id,
                           (SELECT webhook_url FROM games WHERE appid = $7) AS webhook_url",
            )
            .bind(event.case_no)
            .bind(event.at)
            .bind(event.actor.key())
            .bind(event.kind.key())
            .bind(event.state.key())
            .bind(event.note)
            .bind(event.appid),
        )
        .await?;
    notify(tx, &event, &stored, &org_id, webhook_url.is_some()).await?;
    if tx.dialect() == Dialect::Postgres {
        let signal = EventSignal {
            appid: event.appid.to_owned(),
            openid: event.openid.to_owned(),
            org_id: org_id.clone(),
            case_no: stored.case_no.clone(),
            event_id: stored.id,
        };
        let payload = serde_json::to_string(&signal).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        tx.execute(sql("SELECT pg_notify($1, $2)").bind(CHANNEL).bind(payload))
            .await?;
    }
    Ok(AppendedEvent {
        event: stored,
        appid: event.appid.to_owned(),
        openid: event.openid.to_owned(),
        org_id,
    })
}

/// An appended event with its game's owner and webhook.
#[derive(sqlx::FromRow)]
struct Inserted {
    #[sqlx(flatten)]
    event: StoredEvent,
    org_id: String,
    webhook_url: Option<String>,
}

/// Writes the event's notifications (to `org_id` for the developer), and the webhook
/// delivery of the player's when the game has a webhook.
async fn notify(
    tx: &mut Tx,
    event: &NewEvent<'_>,
    stored: &StoredEvent,
    org_id: &str,
    webhook: bool,
) -> StoreResult<()> {
    for recipient in crate::domain::notify::recipients(event.kind, event.actor, event.state) {
        let (address, player) = match recipient {
            Recipient::Player => (player_recipient(event.appid, event.openid), true),
            Recipient::Developer => (org_recipient(org_id), false),
            Recipient::Platform => (PLATFORM_RECIPIENT.to_owned(), false),
        };
        let (id,): (i64,) = tx
            .fetch_one(
                sql(
                    "INSERT INTO notifications (recipient, case_no, event_id, kind, created_at)
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(address)
                .bind(event.case_no)
                .bind(stored.id)
                .bind(event.kind.key())
                .bind(event.at),
            )
            .await?;
        if player && webhook {
            super::notifications::enqueue_delivery(tx, event.appid, id, event.at).await?;
        }
    }
    Ok(())
}

/// The recipient address of a player's notifications.
#[must_use]
pub fn player_recipient(appid: &str, openid: &str) -> String {
    format!("player:{appid}:{openid}")
}

/// The recipient address of platform staff's notifications.
pub const PLATFORM_RECIPIENT: &str = "platform";

/// The recipient address of an organisation's notifications.
#[must_use]
pub fn org_recipient(org_id: &str) -> String {
    format!("org:{org_id}")
}

/// An event just appended, with whose case it is: the player and the organisation that
/// owns the game.
#[derive(Debug, Clone)]
pub struct AppendedEvent {
    pub event: StoredEvent,
    pub appid: String,
    pub openid: String,
    pub org_id: String,
}

impl AppendedEvent {
    /// The news of it, for live streams.
    #[must_use]
    pub fn signal(&self) -> EventSignal {
        EventSignal {
            appid: self.appid.clone(),
            openid: self.openid.clone(),
            org_id: self.org_id.clone(),
            case_no: self.event.case_no.clone(),
            event_id: self.event.id,
        }
    }
}

impl Store {
    /// Every event after `after_id` on the player's cases, oldest first: what a
    /// reconnecting stream missed, however much that is.
    pub async fn player_events_after(&self, appid: &str, openid: &str, after_id: i64) -> StoreResult<Vec<StoredEvent>> {
        self.drain(after_id, |after| {
            sql(format!(
                "SELECT {EVENT_COLUMNS} FROM case_events e JOIN cases c ON c.case_no = e.case_no
                 WHERE c.appid = $1 AND c.openid = $2 AND e.id > $3 ORDER BY e.id LIMIT $4"
            ))
            .bind(appid)
            .bind(openid)
            .bind(after)
            .bind(PAGE)
        })
        .await
    }

    /// Every event after `after_id` on the cases of `org_id`'s games (all games when
    /// `None`), oldest first: a console stream's backlog.
    pub async fn org_events_after(&self, org_id: Option<&str>, after_id: i64) -> StoreResult<Vec<StoredEvent>> {
        self.drain(after_id, |after| {
            sql(format!(
                "SELECT {EVENT_COLUMNS} FROM case_events e JOIN cases c ON c.case_no = e.case_no
                 JOIN games g ON g.appid = c.appid
                 WHERE ($1 IS NULL OR g.org_id = $1) AND e.id > $2 ORDER BY e.id LIMIT $3"
            ))
            .bind(org_id)
            .bind(after)
            .bind(PAGE)
        })
        .await
    }

    /// Every event after `after_id` on one case, oldest first.
    pub async fn case_events_after(&self, case_no: &str, after_id: i64) -> StoreResult<Vec<StoredEvent>> {
        self.drain(after_id, |after| {
            sql(format!(
                "SELECT {EVENT_COLUMNS} FROM case_events e WHERE e.case_no = $1 AND e.id > $2 ORDER BY e.id LIMIT $3"
            ))
            .bind(case_no)
            .bind(after)
            .bind(PAGE)
        })
        .await
    }

    /// The newest event's id (0 when there is none): where a stream that starts without a
    /// `Last-Event-ID` begins, so a later catch-up never replays history it was not asked for.
    pub async fn latest_event_id(&self) -> StoreResult<i64> {
        let (latest,): (i64,) = self
            .read()
            .fetch_one(sql("SELECT COALESCE(MAX(id), 0) FROM case_events"))
            .await?;
        Ok(latest)
    }

    /// Reads page after page until a short page says the backlog is drained.
    async fn drain(&self, mut after: i64, page: impl Fn(i64) -> super::db::Sql) -> StoreResult<Vec<StoredEvent>> {
        let mut all = Vec::new();
        loop {
            let events: Vec<StoredEvent> = self.read().fetch_all(page(after)).await?;
            let full = events.len() as i64 == PAGE;
            if let Some(last) = events.last() {
                after = last.id;
            }
            all.extend(events);
            if !full {
                return Ok(all);
            }
        }
    }

    /// A listener for events committed by any process, on PostgreSQL; `None` on SQLite,
    /// where only this process writes and its hub already hears everything.
    pub async fn event_listener(&self) -> StoreResult<Option<EventListener>> {
        let Pools::Postgres(pool) = &self.pools else {
            return Ok(None);
        };
        let mut listener = PgListener::connect_with(pool).await?;
        listener.listen(CHANNEL).await?;
        Ok(Some(EventListener { listener }))
    }
}

/// Hears `NOTIFY`s of committed events from every process.
#[derive(Debug)]
pub struct EventListener {
    listener: PgListener,
}

impl EventListener {
    /// The next news; [`Heard::Resync`] after a lost connection (it reconnects by itself).
    pub async fn next(&mut self) -> StoreResult<Heard> {
        loop {
            match self.listener.try_recv().await? {
                None => return Ok(Heard::Resync),
                Some(notification) => match serde_json::from_str(notification.payload()) {
                    Ok(signal) => return Ok(Heard::Event(signal)),
                    Err(e) => tracing::warn!(error = %e, "ignoring an unreadable event notification"),
                },
            }
        }
    }
}
