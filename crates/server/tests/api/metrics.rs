//! `GET /metrics`: requests by route template and status, open live streams, the job
//! queue and its failures, and the webhook outbox, with labels that name no case or person.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use chrono::Duration as Span;
use reqwest::StatusCode;

use crate::helpers::{EventStream, TestApp, XIAOMING, full_refund, spawn_app_with, submit_minor_refund};

/// A series: its name and its labels, sorted.
type SeriesKey = (String, Vec<(String, String)>);

/// One scrape: each series with its value.
struct Exposition {
    text: String,
    series: BTreeMap<SeriesKey, f64>,
}

impl Exposition {
    /// The value of `name` with exactly `labels`, if the series is there.
    fn get(&self, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
        let mut labels: Vec<(String, String)> =
            labels.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        labels.sort();
        self.series.get(&(name.to_owned(), labels)).copied()
    }

    /// As [`Exposition::get`], with an absent series read as 0 (not counted yet).
    fn value(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        self.get(name, labels).unwrap_or(0.0)
    }
}

async fn scrape(app: &TestApp) -> Exposition {
    let response = app.anonymous.get(app.url("/metrics")).send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        content_type.starts_with("application/openmetrics-text"),
        "content type {content_type:?}"
    );
    let text = response.text().await.expect("a body");
    assert!(text.ends_with("# EOF\n"), "an exposition ends with # EOF:\n{text}");
    let series = text
        .lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .map(|line| parse_sample(line).unwrap_or_else(|| panic!("not a sample line: {line}")))
        .collect();
    Exposition { text, series }
}

/// `name{k="v",...} value` (labels optional) as its parts, labels sorted.
fn parse_sample(line: &str) -> Option<(SeriesKey, f64)> {
    let (head, value) = line.rsplit_once(' ')?;
    let value: f64 = value.parse().ok()?;
    let (name, labels) = match head.split_once('{') {
        Some((name, rest)) => (name, rest.strip_suffix('}')?),
        None => (head, ""),
    };
    let mut parsed = Vec::new();
    let mut rest = labels;
    while !rest.is_empty() {
        let (key, after) = rest.split_once("=\"")?;
        let end = after.find('"')?;
        parsed.push((key.to_owned(), after[..end].to_owned()));
        rest = after[end + 1..].trim_start_matches(',');
    }
    parsed.sort();
    Some(((name.to_owned(), parsed), value))
}

/// A webhook receiver on loopback that always answers 500, so deliveries wait in the outbox.
async fn failing_receiver() -> String {
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(|| async { axum::http::StatusCode::INTERNAL_SERVER_ERROR }),
    );
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("a port");
    let url = format!("http://{}/hook", listener.local_addr().expect("an address"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

const REQUESTS: &str = "refund_http_requests_total";
const LATENCY_COUNT: &str = "refund_http_request_duration_seconds_count";
const STREAMS: &str = "refund_live_streams_open";

#[tokio::test]
async fn requests_are_counted_by_route_template_and_status_and_unknown_paths_share_one_label() {
    let app = spawn_app_with(|_| {}).await;
    let before = scrape(&app).await;
    let xiaoming = app.player(XIAOMING).await;
    for _ in 0..3 {
        assert_eq!(app.get_cases(&xiaoming).await.status(), StatusCode::OK);
    }
    let missing_case = app.get_case(&xiaoming, "MR-2026-424242").await;
    assert_eq!(missing_case.status(), StatusCode::NOT_FOUND);
    let unknown = app.get(&xiaoming.client, "/api/no-such-thing-7731").await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);

    let after = scrape(&app).await;
    let cases_ok = [("method", "GET"), ("route", "/api/cases"), ("status", "200")];
    assert_eq!(
        after.value(REQUESTS, &cases_ok) - before.value(REQUESTS, &cases_ok),
        3.0
    );
    assert_eq!(after.value(LATENCY_COUNT, &cases_ok), after.value(REQUESTS, &cases_ok));
    let launched = [("method", "POST"), ("route", "/api/session/launch"), ("status", "200")];
    assert_eq!(
        after.value(REQUESTS, &launched) - before.value(REQUESTS, &launched),
        1.0
    );
    let case_404 = [("method", "GET"), ("route", "/api/cases/{no}"), ("status", "404")];
    assert_eq!(after.value(REQUESTS, &case_404), 1.0, "{}", after.text);
    let unmatched_404 = [("method", "GET"), ("route", "unmatched"), ("status", "404")];
    assert_eq!(after.value(REQUESTS, &unmatched_404), 1.0, "{}", after.text);
    let bucket_inf = [
        ("method", "GET"),
        ("route", "/api/cases"),
        ("status", "200"),
        ("le", "+Inf"),
    ];
    assert_eq!(
        after.value("refund_http_request_duration_seconds_bucket", &bucket_inf),
        after.value(REQUESTS, &cases_ok)
    );
    // Paths, case numbers and players never become labels.
    for raw in ["MR-2026-424242", "no-such-thing", XIAOMING] {
        assert!(!after.text.contains(raw), "{raw} is in the exposition:\n{}", after.text);
    }
}

#[tokio::test]
async fn an_open_live_stream_is_counted_until_its_client_leaves() {
    let app = spawn_app_with(|_| {}).await;
    assert_eq!(scrape(&app).await.get(STREAMS, &[]), Some(0.0));
    let xiaoming = app.player(XIAOMING).await;
    let mut stream = EventStream::new(app.get_events(&xiaoming.client, &[], None).await);
    assert_eq!(stream.next_message().await.event.as_deref(), Some("ready"));
    assert_eq!(scrape(&app).await.get(STREAMS, &[]), Some(1.0));

    drop(stream);
    // The server notices a departed client when it next writes to it: a case event
    // for the player is the next write.
    let _case = submit_minor_refund(&app, &xiaoming, &["DEMO-0001"]).await;
    let started = Instant::now();
    while scrape(&app).await.get(STREAMS, &[]) != Some(0.0) {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the stream is still counted long after its client left"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn a_failing_webhook_shows_as_a_job_failure_a_waiting_delivery_and_a_growing_outbox_lag() {
    // The background runner looks once at start, then leaves the queue to the test.
    let app = spawn_app_with(|config| config.job_poll_seconds = 3600).await;
    let hook = failing_receiver().await;
    let secret = "a-webhook-secret-of-some-length";
    assert!(
        app.store
            .set_webhook(refund_server::demo::DEMO_APPID, Some(&hook), Some(secret))
            .await
            .expect("set")
    );
    let before = scrape(&app).await;
    assert_eq!(before.get("refund_webhook_outbox_undelivered", &[]), Some(0.0));
    assert_eq!(before.get("refund_webhook_outbox_oldest_age_seconds", &[]), Some(0.0));
    // Every kind is listed, even with nothing queued or failed.
    let webhook = [("kind", "deliver_webhook")];
    assert_eq!(before.get("refund_jobs_pending", &webhook), Some(0.0));
    assert_eq!(before.get("refund_job_failures_total", &webhook), Some(0.0));

    let xiaoming = app.player(XIAOMING).await;
    let case = submit_minor_refund(&app, &xiaoming, &["DEMO-0001"]).await;
    let developer = app.developer().await;
    let decided = app.post_decision(&developer, &case.case_no, &full_refund()).await;
    assert_eq!(decided.status(), StatusCode::CREATED);
    app.jobs().run_due().await.expect("jobs ran");

    let failed = scrape(&app).await;
    assert!(
        failed.value("refund_job_failures_total", &webhook) >= 1.0,
        "{}",
        failed.text
    );
    assert!(failed.value("refund_jobs_pending", &webhook) >= 1.0, "{}", failed.text);
    let undelivered = failed.value("refund_webhook_outbox_undelivered", &[]);
    assert!(undelivered >= 1.0, "{}", failed.text);

    app.clock.shift(Span::hours(1));
    let later = scrape(&app).await;
    assert!(
        later.value("refund_webhook_outbox_oldest_age_seconds", &[]) >= 3600.0,
        "{}",
        later.text
    );
    // The retry's backoff has passed: the delivery is due again.
    assert!(later.value("refund_jobs_due", &webhook) >= 1.0, "{}", later.text);
    assert_eq!(later.value("refund_webhook_outbox_undelivered", &[]), undelivered);
    assert!(!later.text.contains(&case.case_no), "no case number in labels");
}
