//! `spawn_app()` and the `TestApp` every test talks to.
//!
//! Each app is the real server (`Application::build_with_clock`) on 127.0.0.1 port 0 and
//! its own temporary data directory and database (SQLite there, or a fresh PostgreSQL
//! database: see `database`), seeded with the demo game. Its clock can be moved by the
//! test. Players are reqwest clients with their own cookie jar, signed in through a
//! launch ticket exactly as the web app is.

mod copies;
pub mod database;
mod fixtures;
pub mod process;
mod sse;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::Duration;
use refund_api::{ErrorBody, ErrorDetail, NewCase};
use refund_server::app::Application;
use refund_server::clock::ShiftedClock;
use refund_server::config::Config;
use refund_server::demo::{DEMO_APPID, DEMO_SECRET};
use refund_server::domain::ticket::{fresh_claims, sign};
use refund_server::store::Store;
use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use reqwest::multipart::{Form, Part};
use tempfile::TempDir;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use copies::{Snapshot, query_text};
pub use database::{PgDatabase, on_postgres};
pub use fixtures::*;
pub use sse::EventStream;

/// The first demo player (orders `DEMO-0001`..`DEMO-0006`).
pub const XIAOMING: &str = "demo-player-xiaoming";
/// The second demo player (orders `DEMO-1001`..`DEMO-1003`).
pub const LELE: &str = "demo-player-lele";

/// A running server and what the tests need to reach it.
pub struct TestApp {
    pub address: String,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub store: Store,
    /// What the server's handlers reach (for running its jobs from a test).
    pub state: refund_server::app::AppState,
    /// The server's clock: tests move it instead of sleeping.
    pub clock: Arc<ShiftedClock>,
    /// Keeps the temporary directory (and PostgreSQL database) alive across restarts;
    /// removed with the last app.
    dir: Arc<(TempDir, Option<PgDatabase>)>,
    config: Config,
    shutdown: oneshot::Sender<()>,
    server: JoinHandle<std::io::Result<()>>,
    /// A client without a session: trackers, strangers, probes.
    pub anonymous: reqwest::Client,
    /// The demo's console accounts, as `(login, password)`.
    pub demo: refund_server::demo::DemoAccounts,
}

/// A player signed in through a launch ticket: their own client and cookie jar.
pub struct Player {
    pub client: reqwest::Client,
}

/// Starts the server on a fresh data directory seeded with the demo game.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Like [`spawn_app`], with the configuration adjusted first (limits, static files).
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    show_server_errors();
    let temp = tempfile::tempdir().expect("a temporary data directory");
    let mut config = Config::for_data_dir(temp.path().join("data"));
    // Every test comes from one address; the rate limit tests set their own limits.
    config.edge = config.edge.without_rate_limits();
    let database = if on_postgres() {
        let database = PgDatabase::create().await;
        config.data.database_url = Some(database.url.clone());
        Some(database)
    } else {
        None
    };
    adjust(&mut config);
    let mut app = start(Arc::new((temp, database)), config, Arc::new(ShiftedClock::default())).await;
    app.demo = refund_server::demo::seed(&app.store, app.clock.now())
        .await
        .expect("demo seed");
    app
}

/// Server errors (a 500's cause) go to the failing test's output.
fn show_server_errors() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _already = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new("error"))
            .with_test_writer()
            .try_init();
    });
}

async fn start(dir: Arc<(TempDir, Option<PgDatabase>)>, config: Config, clock: Arc<ShiftedClock>) -> TestApp {
    let application = Application::build_with_clock(config.clone(), clock.clone())
        .await
        .expect("the server starts");
    let address = format!("http://{}", application.local_addr().expect("a bound address"));
    let store = application.state().store.clone();
    let state = application.state().clone();
    let (shutdown, stop) = oneshot::channel::<()>();
    let server = tokio::spawn(application.run_until(async move {
        let _ = stop.await;
    }));
    TestApp {
        address,
        data_dir: config.data_dir().to_path_buf(),
        database_url: config.data.database_url(),
        store,
        state,
        clock,
        dir,
        config,
        shutdown,
        server,
        anonymous: reqwest::Client::new(),
        demo: refund_server::demo::DemoAccounts {
            developer: (String::new(), String::new()),
            platform: (String::new(), String::new()),
        },
    }
}

impl TestApp {
    /// Stops the server gracefully and starts a new one on the same data directory.
    pub async fn restart(self) -> TestApp {
        let (dir, config, clock) = (Arc::clone(&self.dir), self.config.clone(), Arc::clone(&self.clock));
        let demo = self.demo.clone();
        self.stop().await;
        TestApp {
            demo,
            ..start(dir, config, clock).await
        }
    }

    /// A job runner on the server's state, to run due jobs now (by the server's clock).
    #[must_use]
    pub fn jobs(&self) -> refund_server::jobs::JobRunner {
        refund_server::jobs::JobRunner::new(self.state.clone())
    }

    /// Ends the server as a crash would: its task is dropped mid-way, with no shutdown
    /// (open requests are cut off, nothing is cleaned up); then starts a new one on the
    /// same data.
    pub async fn crash(self) -> TestApp {
        let (dir, config, clock) = (Arc::clone(&self.dir), self.config.clone(), Arc::clone(&self.clock));
        self.server.abort();
        let _aborted = self.server.await;
        self.store.close().await;
        let demo = self.demo.clone();
        TestApp {
            demo,
            ..start(dir, config, clock).await
        }
    }

    /// Stops the server and copies its database aside (as a backup would); returns the
    /// copy, and a server running again on the original.
    pub async fn snapshot(self) -> (TestApp, Snapshot) {
        let (dir, config, clock) = (Arc::clone(&self.dir), self.config.clone(), Arc::clone(&self.clock));
        let url = self.database_url.clone();
        self.stop().await;
        let snapshot = Snapshot::take(&url, dir.0.path()).await;
        (start(dir, config, clock).await, snapshot)
    }

    /// Stops the server, puts the database back as it was in `snapshot`, and starts again.
    pub async fn restore(self, snapshot: Snapshot) -> TestApp {
        let (dir, mut config, clock) = (Arc::clone(&self.dir), self.config.clone(), Arc::clone(&self.clock));
        let url = self.database_url.clone();
        self.stop().await;
        config.data.database_url = Some(snapshot.restore(&url).await);
        start(dir, config, clock).await
    }

    /// Asks the server to stop, and waits until it has closed the database.
    pub async fn stop(self) {
        self.shutdown.send(()).expect("the server is still running");
        self.server
            .await
            .expect("the server task did not panic")
            .expect("the server stopped cleanly");
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// A launch ticket for a demo player, valid for ten minutes of the server's clock.
    #[must_use]
    pub fn ticket(&self, openid: &str) -> String {
        sign(
            &fresh_claims(DEMO_APPID, openid, self.clock.now(), Duration::minutes(10)),
            DEMO_SECRET,
        )
    }

    /// A fresh client that keeps cookies, like a browser.
    #[must_use]
    pub fn browser() -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .expect("a reqwest client")
    }

    /// Signs a demo player in with a fresh ticket, as a guardian who has agreed to the
    /// privacy notice (the app asks before the first identity document).
    pub async fn player(&self, openid: &str) -> Player {
        let player = self.player_without_consent(openid).await;
        let response = self.post_consent(&player, refund_api::PRIVACY_NOTICE_VERSION).await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT, "consent as {openid}");
        player
    }

    /// Signs a demo player in who has not (yet) agreed to the privacy notice.
    pub async fn player_without_consent(&self, openid: &str) -> Player {
        let client = Self::browser();
        let response = self.post_launch(&client, &self.ticket(openid)).await;
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "launch as {openid}: {}",
            text(response).await
        );
        Player { client }
    }

    /// `POST /api/privacy-consent` for notice `version`.
    pub async fn post_consent(&self, player: &Player, version: u32) -> reqwest::Response {
        player
            .client
            .post(self.url("/api/privacy-consent"))
            .json(&refund_api::PrivacyConsent {
                notice_version: version,
            })
            .send()
            .await
            .expect("request sent")
    }

    // --- /api/console ---------------------------------------------------------------

    pub async fn post_login(&self, client: &reqwest::Client, login: &str, password: &str) -> reqwest::Response {
        client
            .post(self.url("/api/console/login"))
            .json(&refund_api::LoginRequest {
                login: login.to_owned(),
                password: password.to_owned(),
            })
            .send()
            .await
            .expect("request sent")
    }

    /// A browser signed in to the console as `login`.
    pub async fn staff(&self, login: &str, password: &str) -> reqwest::Client {
        let client = Self::browser();
        let response = self.post_login(&client, login, password).await;
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "login as {login}: {}",
            text(response).await
        );
        client
    }

    /// The demo game's developer, signed in.
    pub async fn developer(&self) -> reqwest::Client {
        let (login, password) = &self.demo.developer;
        self.staff(login, password).await
    }

    /// Platform staff, signed in.
    pub async fn platform(&self) -> reqwest::Client {
        let (login, password) = &self.demo.platform;
        self.staff(login, password).await
    }

    /// A developer of another organisation (made on first use), signed in.
    pub async fn other_developer(&self) -> reqwest::Client {
        let now = self.clock.now();
        self.store
            .upsert_organization("other-studio", "别家工作室", now)
            .await
            .expect("an organisation");
        let hash = refund_server::domain::password::hash("other-password-1").expect("hashed");
        self.store
            .upsert_staff(
                "other-dev",
                refund_api::StaffRole::Developer,
                Some("other-studio"),
                &hash,
                now,
            )
            .await
            .expect("an account");
        self.staff("other-dev", "other-password-1").await
    }

    pub async fn post_decision(
        &self,
        client: &reqwest::Client,
        case_no: &str,
        decision: &refund_api::DecisionRequest,
    ) -> reqwest::Response {
        client
            .post(self.url(&format!("/api/console/cases/{case_no}/decision")))
            .json(decision)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn post_accept(&self, player: &Player, case_no: &str) -> reqwest::Response {
        player
            .client
            .post(self.url(&format!("/api/cases/{case_no}/accept")))
            .send()
            .await
            .expect("request sent")
    }

    // --- /api/session ---------------------------------------------------------------

    pub async fn post_launch(&self, client: &reqwest::Client, ticket: &str) -> reqwest::Response {
        client
            .post(self.url("/api/session/launch"))
            .json(&refund_api::LaunchRequest {
                ticket: ticket.to_owned(),
            })
            .send()
            .await
            .expect("request sent")
    }

    /// `POST /api/session/launch` with any body and content type (or none).
    pub async fn post_launch_raw(&self, body: &'static str, content_type: Option<&str>) -> reqwest::Response {
        let mut request = self.anonymous.post(self.url("/api/session/launch")).body(body);
        if let Some(content_type) = content_type {
            request = request.header(CONTENT_TYPE, content_type);
        }
        request.send().await.expect("request sent")
    }

    pub async fn get_session(&self, player: &Player) -> reqwest::Response {
        self.get(&player.client, "/api/session").await
    }

    // --- /api/orders ----------------------------------------------------------------

    pub async fn get_orders(&self, client: &reqwest::Client) -> reqwest::Response {
        self.get(client, "/api/orders").await
    }

    // --- /api/evidence --------------------------------------------------------------

    /// Uploads one file as the web app does: the `category` field, then the `file` field.
    pub async fn upload_evidence(&self, player: &Player, category: &str, file: &SampleFile) -> reqwest::Response {
        let part = Part::bytes(file.bytes.clone())
            .file_name(file.name.clone())
            .mime_str(&file.declared_type)
            .expect("a valid content type");
        let form = Form::new().text("category", category.to_owned()).part("file", part);
        player
            .client
            .post(self.url("/api/evidence"))
            .multipart(form)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn get_evidence(&self, player: &Player, id: &str) -> reqwest::Response {
        self.get(&player.client, &format!("/api/evidence/{id}")).await
    }

    pub async fn delete_evidence(&self, player: &Player, id: &str) -> reqwest::Response {
        player
            .client
            .delete(self.url(&format!("/api/evidence/{id}")))
            .send()
            .await
            .expect("request sent")
    }

    // --- /api/cases -----------------------------------------------------------------

    /// `POST /api/cases`, with the Idempotency-Key header when one is given.
    pub async fn post_case(&self, player: &Player, key: Option<&str>, case: &NewCase) -> reqwest::Response {
        let mut request = player.client.post(self.url("/api/cases")).json(case);
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        request.send().await.expect("request sent")
    }

    pub async fn get_cases(&self, player: &Player) -> reqwest::Response {
        self.get(&player.client, "/api/cases").await
    }

    pub async fn get_case(&self, player: &Player, case_no: &str) -> reqwest::Response {
        self.get(&player.client, &format!("/api/cases/{case_no}")).await
    }

    pub async fn post_withdraw(&self, player: &Player, case_no: &str, reason: Option<&str>) -> reqwest::Response {
        player
            .client
            .post(self.url(&format!("/api/cases/{case_no}/withdraw")))
            .json(&refund_api::WithdrawRequest {
                reason: reason.map(str::to_owned),
            })
            .send()
            .await
            .expect("request sent")
    }

    pub async fn post_tracking_key(&self, player: &Player, case_no: &str) -> reqwest::Response {
        player
            .client
            .post(self.url(&format!("/api/cases/{case_no}/tracking-key")))
            .send()
            .await
            .expect("request sent")
    }

    // --- /api/track -----------------------------------------------------------------

    /// Tracking from a browser that has never signed in.
    /// Reads a tracked case as a link's page does: the key in `X-Tracking-Key`.
    pub async fn get_track(&self, case_no: &str, key: &str) -> reqwest::Response {
        self.anonymous
            .get(self.url(&format!("/api/track/{case_no}")))
            .header(refund_api::TRACKING_KEY_HEADER, key)
            .send()
            .await
            .expect("request sent")
    }

    /// A token for a tracked case's stream, as the tracking page gets one.
    pub async fn stream_token(&self, case_no: &str, key: &str) -> String {
        let token: refund_api::StreamToken =
            json_with(self.post_stream_token(case_no, key).await, StatusCode::OK).await;
        token.token
    }

    pub async fn post_stream_token(&self, case_no: &str, key: &str) -> reqwest::Response {
        self.anonymous
            .post(self.url(&format!("/api/track/{case_no}/stream-token")))
            .header(refund_api::TRACKING_KEY_HEADER, key)
            .send()
            .await
            .expect("request sent")
    }

    // --- /api/events ----------------------------------------------------------------

    /// Opens the SSE stream as the client's session (or tracking query), optionally resuming.
    pub async fn get_events(
        &self,
        client: &reqwest::Client,
        query: &[(&str, &str)],
        last_event_id: Option<i64>,
    ) -> reqwest::Response {
        let mut request = client.get(self.url("/api/events")).query(query);
        if let Some(id) = last_event_id {
            request = request.header("Last-Event-ID", id.to_string());
        }
        request.send().await.expect("request sent")
    }

    // --- anything else --------------------------------------------------------------

    pub async fn get(&self, client: &reqwest::Client, path: &str) -> reqwest::Response {
        client.get(self.url(path)).send().await.expect("request sent")
    }

    /// The evidence directory inside the data directory.
    #[must_use]
    pub fn evidence_dir(&self) -> PathBuf {
        self.data_dir.join("evidence")
    }

    /// Every file (not directory) below the evidence directory, staging included.
    #[must_use]
    pub fn evidence_files(&self) -> Vec<PathBuf> {
        files_below(&self.evidence_dir())
    }
}

/// Every file below `dir`, in order.
pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.expect("a readable directory entry").path();
        if path.is_dir() {
            files.extend(files_below(&path));
        } else {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// The body as text, for assertion messages.
pub async fn text(response: reqwest::Response) -> String {
    response.text().await.expect("a readable body")
}

/// Decodes a 2xx body of the expected status as `T`, showing the body when it is not.
pub async fn json_with<T: serde::de::DeserializeOwned>(response: reqwest::Response, status: StatusCode) -> T {
    let actual = response.status();
    let body = text(response).await;
    assert_eq!(actual, status, "unexpected status; body: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("cannot decode the body ({e}): {body}"))
}

/// Checks a refusal: its status, that it is JSON in the shared error shape, and its code.
pub async fn assert_error(response: reqwest::Response, status: StatusCode, code: &str) -> ErrorDetail {
    let actual = response.status();
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = text(response).await;
    assert_eq!(actual, status, "unexpected status; body: {body}");
    assert!(
        content_type.starts_with("application/json"),
        "content type {content_type:?}; body: {body}"
    );
    let parsed: ErrorBody =
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("not the shared error shape ({e}): {body}"));
    assert_eq!(parsed.error.code, code, "body: {body}");
    assert!(
        !parsed.error.message.trim().is_empty(),
        "an error needs a message: {body}"
    );
    parsed.error
}
