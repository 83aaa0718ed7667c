//! The server's metrics, exposed at `GET /metrics` in the Prometheus (OpenMetrics) text
//! format.
//!
//! Policy: labels carry only bounded, impersonal values: a route's template (never the
//! path, which holds case numbers), a method, a status, a job kind. Nothing about a
//! player, a case or a staff member is ever a label. What this process sees happen is
//! counted here as it happens (requests, open streams, job failures); what the database
//! holds (the job queue, the webhook outbox) is read at scrape time, so every process on
//! a shared database reports the same queue and none keeps a stale copy of it.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::{encode_eof, encode_registry};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::{Registry, Unit};

use crate::jobs::JobKind;
use crate::store::{Store, StoreError};

/// The content type of the exposition.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// The route label of a request no route template matched (the web app's files and
/// pages, unknown paths), so raw paths never become labels.
pub const UNMATCHED_ROUTE: &str = "unmatched";

/// Every series name starts with this.
const PREFIX: &str = "refund";

/// Latency buckets, in seconds: from a cached read to a slow upload.
const LATENCY_BUCKETS: [f64; 12] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: String,
    status: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindLabel {
    kind: &'static str,
}

/// What the process counts itself; cheap to clone (every clone counts into the same series).
#[derive(Debug, Clone)]
pub struct Metrics {
    inner: Arc<Counted>,
}

#[derive(Debug)]
struct Counted {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RequestLabels, Histogram, fn() -> Histogram>,
    open_streams: Gauge,
    job_failures: Family<KindLabel, Counter>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    #[must_use]
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix(PREFIX);
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by method, route template and status",
            requests.clone(),
        );
        let latency: Family<RequestLabels, Histogram, fn() -> Histogram> =
            Family::new_with_constructor(|| Histogram::new(LATENCY_BUCKETS));
        registry.register_with_unit(
            "http_request_duration",
            "Time until the response headers, by method, route template and status",
            Unit::Seconds,
            latency.clone(),
        );
        let open_streams = Gauge::default();
        registry.register(
            "live_streams_open",
            "Server-sent event streams open in this process",
            open_streams.clone(),
        );
        let job_failures = Family::<KindLabel, Counter>::default();
        // Listed at 0 from the start, so a rate over the first failure is not lost.
        for kind in JobKind::ALL {
            let _zero = job_failures.get_or_create(&KindLabel { kind: kind.key() });
        }
        registry.register(
            "job_failures",
            "Job runs in this process that failed (to be retried or given up), by kind",
            job_failures.clone(),
        );
        Self {
            inner: Arc::new(Counted {
                registry,
                requests,
                latency,
                open_streams,
                job_failures,
            }),
        }
    }

    /// Counts one answered request. `route` is a route template or [`UNMATCHED_ROUTE`].
    pub fn record_request(&self, method: &str, route: &str, status: u16, latency: Duration) {
        let labels = RequestLabels {
            method: known_method(method),
            route: route.to_owned(),
            status,
        };
        self.inner.requests.get_or_create(&labels).inc();
        self.inner.latency.get_or_create(&labels).observe(latency.as_secs_f64());
    }

    /// Counts a stream as open until the returned guard is dropped.
    #[must_use]
    pub fn stream_opened(&self) -> OpenStream {
        self.inner.open_streams.inc();
        OpenStream {
            gauge: self.inner.open_streams.clone(),
        }
    }

    /// Counts a failed run of a job of the stored kind `kind`.
    pub fn job_failed(&self, kind: &str) {
        let kind = JobKind::from_key(kind).map_or("unknown", JobKind::key);
        self.inner.job_failures.get_or_create(&KindLabel { kind }).inc();
    }

    /// The whole exposition: this process's series, then the queue and the outbox as the
    /// database holds them at `now`.
    pub async fn render(&self, store: &Store, now: DateTime<Utc>) -> Result<String, RenderError> {
        let backlog = backlog_registry(store, now).await?;
        let mut text = String::new();
        encode_registry(&mut text, &self.inner.registry)?;
        encode_registry(&mut text, &backlog)?;
        encode_eof(&mut text)?;
        Ok(text)
    }
}

/// Why the exposition could not be made.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Writing into a string does not fail; this would be a series the encoder refuses.
    #[error("cannot encode the metrics")]
    Encode(#[from] std::fmt::Error),
}

/// Keeps a stream counted as open; dropping it (the stream ended or its client left)
/// uncounts it.
#[derive(Debug)]
pub struct OpenStream {
    gauge: Gauge,
}

impl Drop for OpenStream {
    fn drop(&mut self) {
        self.gauge.dec();
    }
}

/// Methods the server answers keep their names; anything else is `other`, so a client
/// inventing methods cannot add series.
fn known_method(method: &str) -> &'static str {
    ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
        .into_iter()
        .find(|m| *m == method)
        .unwrap_or("other")
}

/// A registry made for one scrape, holding what the database says now. Every job kind
/// is listed, zero included, so an emptied queue reads 0 rather than vanishing.
async fn backlog_registry(store: &Store, now: DateTime<Utc>) -> Result<Registry, StoreError> {
    let mut registry = Registry::with_prefix(PREFIX);
    let pending = Family::<KindLabel, Gauge>::default();
    let due = Family::<KindLabel, Gauge>::default();
    for kind in JobKind::ALL {
        let label = KindLabel { kind: kind.key() };
        pending.get_or_create(&label).set(0);
        due.get_or_create(&label).set(0);
    }
    for row in store.job_backlog(now).await? {
        let kind = JobKind::from_key(&row.kind).map_or("unknown", JobKind::key);
        let label = KindLabel { kind };
        pending.get_or_create(&label).inc_by(row.pending);
        due.get_or_create(&label).inc_by(row.due);
    }
    registry.register(
        "jobs_pending",
        "Jobs not yet finished, due or scheduled for later, by kind",
        pending,
    );
    registry.register(
        "jobs_due",
        "Jobs whose time has come and that no runner has finished yet, by kind",
        due,
    );
    let outbox = store.outbox_lag().await?;
    let undelivered: Gauge = Gauge::default();
    undelivered.set(outbox.undelivered);
    registry.register(
        "webhook_outbox_undelivered",
        "Webhook deliveries still to be made (retries included)",
        undelivered,
    );
    let age = Gauge::<f64, std::sync::atomic::AtomicU64>::default();
    let oldest_age = outbox
        .oldest
        .map_or(0.0, |oldest| (now - oldest).num_milliseconds().max(0) as f64 / 1000.0);
    age.set(oldest_age);
    registry.register_with_unit(
        "webhook_outbox_oldest_age",
        "Age of the oldest undelivered webhook delivery (0 when none waits)",
        Unit::Seconds,
        age,
    );
    Ok(registry)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invented_methods_share_one_label() {
        assert_eq!(known_method("GET"), "GET");
        assert_eq!(known_method("BREW"), "other");
    }

    #[test]
    fn an_open_stream_is_counted_until_its_guard_drops() {
        let metrics = Metrics::new();
        let first = metrics.stream_opened();
        let second = metrics.stream_opened();
        assert_eq!(metrics.inner.open_streams.get(), 2);
        drop(first);
        assert_eq!(metrics.inner.open_streams.get(), 1);
        drop(second);
        assert_eq!(metrics.inner.open_streams.get(), 0);
    }
}
