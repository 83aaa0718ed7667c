//! Notifications (one per recipient of an event, read or not) and the webhook outbox
//! that carries players' notifications to their game's server.

use chrono::{DateTime, Duration, Utc};
use refund_api::{DeliveryStatus, EventKind};

use super::Store;
use super::db::{At, Key, StoreResult, Tx, sql};
use super::jobs::{self, NewJob};

/// The job kind that delivers one webhook.
pub const DELIVER_WEBHOOK: &str = "deliver_webhook";

/// A notification as its recipient sees it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct NotificationRecord {
    pub id: i64,
    pub case_no: String,
    pub event_id: i64,
    #[sqlx(try_from = "Key")]
    pub kind: EventKind,
    #[sqlx(try_from = "At")]
    pub created_at: DateTime<Utc>,
    pub read: i64,
}

/// A webhook delivery with what is needed to send it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DeliveryRecord {
    pub id: i64,
    pub appid: String,
    pub status: String,
    pub attempts: i64,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    #[sqlx(try_from = "At")]
    pub created_at: DateTime<Utc>,
    pub case_no: String,
    #[sqlx(try_from = "Key")]
    pub kind: EventKind,
    pub recipient: String,
    pub url: Option<String>,
    pub secret: Option<String>,
}

/// Queues the webhook delivery of notification `notification_id` in the caller's
/// transaction.
pub(super) async fn enqueue_delivery(
    tx: &mut Tx,
    appid: &str,
    notification_id: i64,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let (id,): (i64,) = tx
        .fetch_one(
            sql(
                "INSERT INTO webhook_deliveries (appid, notification_id, status, attempts, created_at)
                 VALUES ($1, $2, 'pending', 0, $3) RETURNING id",
            )
            .bind(appid)
            .bind(notification_id)
            .bind(at),
        )
        .await?;
    jobs::enqueue_in(
        tx,
        NewJob {
            kind: DELIVER_WEBHOOK,
            payload: serde_json::json!({ "delivery_id": id }).to_string(),
            run_at: at,
            unique_key: None,
        },
        at,
    )
    .await
}

const DELIVERY_COLUMNS: &str = "d.id, d.appid, d.status, d.attempts, d.last_status, d.last_error, d.created_at,
    n.case_no, n.kind, n.recipient, g.webhook_url AS url, g.webhook_secret AS secret
    FROM webhook_deliveries d JOIN notifications n ON n.id = d.notification_id JOIN games g ON g.appid = d.appid";

impl Store {
    /// The latest notifications of `recipient`, newest first, and how many are unread.
    pub async fn notifications(&self, recipient: &str, limit: i64) -> StoreResult<(Vec<NotificationRecord>, i64)> {
        let list = self
            .read()
            .fetch_all(
                sql("SELECT id, case_no, event_id, kind, created_at,
                            CAST(CASE WHEN read_at IS NULL THEN 0 ELSE 1 END AS BIGINT) AS read
                     FROM notifications WHERE recipient = $1 ORDER BY id DESC LIMIT $2")
                .bind(recipient)
                .bind(limit),
            )
            .await?;
        let (unread,): (i64,) = self
            .read()
            .fetch_one(
                sql("SELECT COUNT(*) FROM notifications WHERE recipient = $1 AND read_at IS NULL").bind(recipient),
            )
            .await?;
        Ok((list, unread))
    }

    /// Marks `recipient`'s notifications read: those with ids up to `up_to`, or all.
    pub async fn mark_notifications_read(
        &self,
        recipient: &str,
        up_to: Option<i64>,
        now: DateTime<Utc>,
    ) -> StoreResult<u64> {
        self.write()
            .execute(
                sql("UPDATE notifications SET read_at = $1
                     WHERE recipient = $2 AND read_at IS NULL AND ($3 IS NULL OR id <= $3)")
                .bind(now)
                .bind(recipient)
                .bind(up_to),
            )
            .await
    }

    /// Sets (or clears) a game's webhook; returns whether the game exists.
    pub async fn set_webhook(&self, appid: &str, url: Option<&str>, secret: Option<&str>) -> StoreResult<bool> {
        let changed = self
            .write()
            .execute(
                sql("UPDATE games SET webhook_url = $1, webhook_secret = $2 WHERE appid = $3")
                    .bind(url)
                    .bind(secret)
                    .bind(appid),
            )
            .await?;
        Ok(changed == 1)
    }

    /// One delivery, with the game's webhook settings.
    pub async fn delivery(&self, id: i64) -> StoreResult<Option<DeliveryRecord>> {
        self.read()
            .fetch_optional(sql(format!("SELECT {DELIVERY_COLUMNS} WHERE d.id = $1")).bind(id))
            .await
    }

    /// Records one attempt: delivered, or failed with the answer's status or the error,
    /// given up when `give_up`.
    pub async fn record_delivery(
        &self,
        id: i64,
        delivered: bool,
        status: Option<i64>,
        error: Option<&str>,
        give_up: bool,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let next = match (delivered, give_up) {
            (true, _) => DeliveryStatus::Delivered,
            (false, true) => DeliveryStatus::Failed,
            (false, false) => DeliveryStatus::Pending,
        }
        .key();
        self.write()
            .execute(
                sql(
                    "UPDATE webhook_deliveries SET status = $1, attempts = attempts + 1, last_status = $2,
                            last_error = $3, delivered_at = CASE WHEN $1 = 'delivered' THEN $4 ELSE delivered_at END
                     WHERE id = $5",
                )
                .bind(next)
                .bind(status)
                .bind(error)
                .bind(now)
                .bind(id),
            )
            .await?;
        Ok(())
    }

    /// The delivery log of an organisation's games (every game's when `None`), newest first.
    pub async fn deliveries(&self, org_id: Option<&str>, limit: i64) -> StoreResult<Vec<DeliveryRecord>> {
        self.read()
            .fetch_all(
                sql(format!(
                    "SELECT {DELIVERY_COLUMNS} WHERE ($1 IS NULL OR g.org_id = $1) ORDER BY d.id DESC LIMIT $2"
                ))
                .bind(org_id)
                .bind(limit),
            )
            .await
    }
}

/// How long a delivery is retried before it is given up.
pub const DELIVERY_WINDOW: Duration = Duration::hours(24);
