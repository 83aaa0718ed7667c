//! The log keeps no secrets: the real server binary, logging at its most verbose level
//! (`RUST_LOG=trace`, every dependency included), goes through a whole journey, and its
//! whole log is then searched for every credential and personal value the journey used.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use refund_api::{
    CaseCreated, CaseDetail, EvidenceView, MessageRequest, RevealedPhone, StaffRole, StreamToken, TRACKING_KEY_HEADER,
};
use refund_server::demo::{DEMO_APPID, DEMO_ORG, DEMO_SECRET};
use refund_server::domain::ticket::{fresh_claims, sign};
use refund_server::secrets::random_token;
use refund_server::store::{SqliteSync, Store};
use reqwest::cookie::{CookieStore, Jar};
use reqwest::{Client, StatusCode, Url};

use crate::helpers::process::{ServerProcess, process_database};
use crate::helpers::{EventStream, XIAOMING, full_refund, idempotency_key, json_with, minor_refund, png, text};

/// The guardian of this journey: values no fixture or demo data uses, so any sighting
/// in the log is this journey's leak.
const GUARDIAN_NAME: &str = "欧阳雪梅";
const GUARDIAN_PHONE: &str = "139 2468 1357";

/// A value that must not appear in the log, and what to call it when it does.
struct Secret {
    what: String,
    value: String,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_journey_logged_at_trace_level_leaves_no_secret_in_the_log() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).expect("a data dir");
    let (url, _database) = process_database(dir.path()).await;
    let env = [
        ("RUST_LOG", "trace".to_owned()),
        ("REFUND_JOB_POLL_SECONDS", "1".to_owned()),
    ];
    let server = ServerProcess::start(&url, &data, &[], &env).await;
    let (password, deliveries) = prepare(&url, &server).await;
    let mut secrets = vec![
        secret("console password", &password),
        secret("guardian's name", GUARDIAN_NAME),
        secret("guardian's phone", &GUARDIAN_PHONE.replace(' ', "")),
    ];

    // The player: the launch page with its ticket in the URL, then the app's calls.
    let player_jar = Arc::new(Jar::default());
    let player = Client::builder()
        .cookie_provider(Arc::clone(&player_jar))
        .build()
        .expect("a client");
    let ticket = sign(
        &fresh_claims(DEMO_APPID, XIAOMING, Utc::now(), chrono::Duration::minutes(10)),
        DEMO_SECRET,
    );
    secrets.push(secret("launch ticket", &ticket));
    // Without the built web app the page itself is a 404; what matters is the URL it logs.
    player
        .get(server.url("/launch"))
        .query(&[("ticket", &ticket)])
        .send()
        .await
        .expect("sent");
    let launch = player
        .post(server.url("/api/session/launch"))
        .json(&refund_api::LaunchRequest { ticket: ticket.clone() })
        .send()
        .await
        .expect("sent");
    assert_eq!(launch.status(), StatusCode::OK, "launch: {}", text(launch).await);
    let consent = player
        .post(server.url("/api/privacy-consent"))
        .json(&refund_api::PrivacyConsent {
            notice_version: refund_api::PRIVACY_NOTICE_VERSION,
        })
        .send()
        .await
        .expect("sent");
    assert_eq!(consent.status(), StatusCode::NO_CONTENT, "consent");
    let mut evidence = Vec::new();
    for (tag, category) in [(1, "minor_proof"), (2, "guardianship_proof"), (3, "guardian_identity")] {
        let response = server
            .upload(&player, category, &png(&format!("{category}.png"), tag))
            .await;
        let view: EvidenceView = json_with(response, StatusCode::CREATED).await;
        evidence.push(view.id);
    }
    let mut case = minor_refund(&["DEMO-0001"], evidence);
    let guardian = case.guardian.as_mut().expect("a minor refund names its guardian");
    guardian.name = GUARDIAN_NAME.to_owned();
    guardian.phone = GUARDIAN_PHONE.to_owned();
    let created: CaseCreated = json_with(
        player
            .post(server.url("/api/cases"))
            .header("Idempotency-Key", idempotency_key())
            .json(&case)
            .send()
            .await
            .expect("sent"),
        StatusCode::CREATED,
    )
    .await;
    let case_no = created.case_no;
    secrets.push(secret("tracking key", &created.tracking_key));
    secrets.extend(cookie_values("player's cookie", &player_jar, &server));

    // A relative follows the tracking link: the key travels in a header, the live stream
    // is opened with a short-lived token.
    let tracker = Client::new();
    let tracked: CaseDetail = json_with(
        tracker
            .get(server.url(&format!("/api/track/{case_no}")))
            .header(TRACKING_KEY_HEADER, &created.tracking_key)
            .send()
            .await
            .expect("sent"),
        StatusCode::OK,
    )
    .await;
    assert_eq!(tracked.summary.case_no, case_no);
    let token: StreamToken = json_with(
        tracker
            .post(server.url(&format!("/api/track/{case_no}/stream-token")))
            .header(TRACKING_KEY_HEADER, &created.tracking_key)
            .send()
            .await
            .expect("sent"),
        StatusCode::OK,
    )
    .await;
    secrets.push(secret("stream token", &token.token));
    let stream = tracker
        .get(server.url("/api/events"))
        .query(&[("case", case_no.as_str()), ("token", token.token.as_str())])
        .send()
        .await
        .expect("sent");
    let mut stream = EventStream::new(stream);
    assert_eq!(stream.next_message().await.event.as_deref(), Some("ready"));

    // The developer signs in, reveals the phone, decides and writes to the player.
    let staff_jar = Arc::new(Jar::default());
    let staff = Client::builder()
        .cookie_provider(Arc::clone(&staff_jar))
        .build()
        .expect("a client");
    let login = staff
        .post(server.url("/api/console/login"))
        .json(&refund_api::LoginRequest {
            login: LOGIN.to_owned(),
            password: password.clone(),
        })
        .send()
        .await
        .expect("sent");
    assert_eq!(login.status(), StatusCode::OK, "login: {}", text(login).await);
    secrets.extend(cookie_values("console cookie", &staff_jar, &server));
    let revealed: RevealedPhone = json_with(
        staff
            .post(server.url(&format!("/api/console/cases/{case_no}/reveal-phone")))
            .send()
            .await
            .expect("sent"),
        StatusCode::OK,
    )
    .await;
    assert_eq!(revealed.phone.replace(' ', ""), GUARDIAN_PHONE.replace(' ', ""));
    let decided = staff
        .post(server.url(&format!("/api/console/cases/{case_no}/decision")))
        .json(&full_refund())
        .send()
        .await
        .expect("sent");
    assert_eq!(
        decided.status(),
        StatusCode::CREATED,
        "decision: {}",
        text(decided).await
    );
    let message = staff
        .post(server.url(&format!("/api/console/cases/{case_no}/messages")))
        .json(&MessageRequest {
            text: "款项已原路退回，请留意银行短信。".to_owned(),
            evidence_ids: Vec::new(),
        })
        .send()
        .await
        .expect("sent");
    assert_eq!(
        message.status(),
        StatusCode::CREATED,
        "message: {}",
        text(message).await
    );
    // The decision's notification goes out through the webhook (and the job runner's
    // HTTP client logs at trace level too).
    wait_for(&deliveries, "a webhook delivery").await;
    drop(stream);
    let log_file = server.log.clone();
    drop(server);

    let log = std::fs::read_to_string(&log_file).expect("the server's log");
    assert_the_log_is_written(&log);
    let leaks: Vec<String> = secrets
        .iter()
        .filter_map(|Secret { what, value }| {
            let (number, line) = log.lines().enumerate().find(|(_, line)| reveals(line, value))?;
            Some(format!("the {what} leaked into the log at line {}: {line}", number + 1))
        })
        .collect();
    assert!(leaks.is_empty(), "{}", leaks.join("\n"));
}

/// The console account this test signs in with.
const LOGIN: &str = "log-test-developer";

/// A developer account with a fresh password, and a webhook receiver for the demo game;
/// returns the password and the receiver's count of deliveries.
async fn prepare(url: &str, server: &ServerProcess) -> (String, Arc<AtomicUsize>) {
    let store = Store::open(url, SqliteSync::Full).await.expect("the database");
    let password = format!("Pw-{}", random_token(12));
    let hash = refund_server::domain::password::hash(&password).expect("hashed");
    store
        .upsert_staff(LOGIN, StaffRole::Developer, Some(DEMO_ORG), &hash, Utc::now())
        .await
        .expect("an account");
    let (hook, deliveries) = receiver().await;
    assert!(
        store
            .set_webhook(DEMO_APPID, Some(&hook), Some("a-webhook-secret-of-some-length"))
            .await
            .expect("the webhook is set"),
        "the demo game exists on {}",
        server.address
    );
    store.close().await;
    (password, deliveries)
}

/// A webhook receiver on loopback that answers 200 and counts what it gets.
async fn receiver() -> (String, Arc<AtomicUsize>) {
    let count = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&count);
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move || {
            let counted = Arc::clone(&counted);
            async move {
                counted.fetch_add(1, Ordering::SeqCst);
                axum::http::StatusCode::OK
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("a port");
    let url = format!("http://{}/hook", listener.local_addr().expect("an address"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, count)
}

/// Waits (bounded: the job runner polls every second) until `count` is above zero.
async fn wait_for(count: &AtomicUsize, what: &str) {
    let started = Instant::now();
    while count.load(Ordering::SeqCst) == 0 {
        assert!(started.elapsed() < Duration::from_secs(60), "{what} never came");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn secret(what: &str, value: &str) -> Secret {
    Secret {
        what: what.to_owned(),
        value: value.to_owned(),
    }
}

/// Every cookie the client holds for the server, by value.
fn cookie_values(what: &str, jar: &Jar, server: &ServerProcess) -> Vec<Secret> {
    let url = Url::parse(&server.address).expect("a URL");
    let header = jar.cookies(&url).expect("the server set a cookie");
    let values: Vec<Secret> = header
        .to_str()
        .expect("an ASCII cookie header")
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .map(|(name, value)| secret(&format!("{what} {name}"), value))
        .collect();
    assert!(!values.is_empty(), "the {what} is there to look for");
    values
}

/// Whether `line` shows `value`: as it is, percent-encoded, or (for digits) with spaces
/// or dashes between them, as a phone number may be written.
fn reveals(line: &str, value: &str) -> bool {
    let percent_encoded: String = value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    // As Rust's and JSON's escapes would write letters beyond ASCII.
    let rust_escaped: String = value.chars().flat_map(char::escape_unicode).collect();
    let json_escaped: String = value.chars().map(|c| format!("\\u{:04x}", u32::from(c))).collect();
    if [value, &percent_encoded, &rust_escaped, &json_escaped]
        .iter()
        .any(|form| line.contains(*form))
    {
        return true;
    }
    value.bytes().all(|b| b.is_ascii_digit()) && line.replace([' ', '-'], "").contains(value)
}

/// The log is there and was written at trace level: a silent logger cannot pass.
fn assert_the_log_is_written(log: &str) {
    assert!(!log.trim().is_empty(), "the server logged nothing");
    for expected in [
        "route=/api/session/launch",
        "route=/api/cases",
        "route=/api/track/{no}",
        "route=/api/console/login",
        "route=/launch",
        "answered",
        "TRACE",
    ] {
        assert!(log.contains(expected), "the log has no {expected:?} at all:\n{log}");
    }
}
