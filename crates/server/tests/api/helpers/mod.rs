//! `spawn_app()` and the `TestApp` every test talks to.
//!
//! Each app is the real server (`Application::build`) on 127.0.0.1 port 0 and its own
//! temporary data directory, seeded with the demo game. Players are reqwest clients with
//! their own cookie jar, signed in through a launch ticket exactly as the web app is.

mod fixtures;
mod sse;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{Duration, Utc};
use refund_api::{ErrorBody, ErrorDetail, NewCase};
use refund_server::app::Application;
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
    pub store: Store,
    /// Keeps the temporary directory alive across restarts; removed with the last app.
    dir: Arc<TempDir>,
    config: Config,
    shutdown: oneshot::Sender<()>,
    server: JoinHandle<std::io::Result<()>>,
    /// A client without a session: trackers, strangers, probes.
    pub anonymous: reqwest::Client,
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
    let dir = Arc::new(tempfile::tempdir().expect("a temporary data directory"));
    let mut config = Config::for_data_dir(dir.path().join("data"));
    adjust(&mut config);
    let app = start(dir, config).await;
    refund_server::demo::seed(&app.store, Utc::now())
        .await
        .expect("demo seed");
    app
}

async fn start(dir: Arc<TempDir>, config: Config) -> TestApp {
    let application = Application::build(config.clone()).await.expect("the server starts");
    let address = format!("http://{}", application.local_addr().expect("a bound address"));
    let store = application.state().store.clone();
    let (shutdown, stop) = oneshot::channel::<()>();
    let server = tokio::spawn(application.run_until(async move {
        let _ = stop.await;
    }));
    TestApp {
        address,
        data_dir: config.data_dir.clone(),
        store,
        dir,
        config,
        shutdown,
        server,
        anonymous: reqwest::Client::new(),
    }
}

impl TestApp {
    /// Stops the server gracefully and starts a new one on the same data directory.
    pub async fn restart(self) -> TestApp {
        let (dir, config) = (Arc::clone(&self.dir), self.config.clone());
        self.stop().await;
        start(dir, config).await
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

    /// A launch ticket for a demo player, valid for ten minutes.
    #[must_use]
    pub fn ticket(&self, openid: &str) -> String {
        sign(
            &fresh_claims(DEMO_APPID, openid, Utc::now(), Duration::minutes(10)),
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

    /// Signs a demo player in with a fresh ticket.
    pub async fn player(&self, openid: &str) -> Player {
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
    pub async fn get_track(&self, case_no: &str, key: &str) -> reqwest::Response {
        self.anonymous
            .get(self.url(&format!("/api/track/{case_no}")))
            .query(&[("key", key)])
            .send()
            .await
            .expect("request sent")
    }

    pub async fn get_track_evidence(&self, case_no: &str, id: &str, key: &str) -> reqwest::Response {
        self.anonymous
            .get(self.url(&format!("/api/track/{case_no}/evidence/{id}")))
            .query(&[("key", key)])
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

fn files_below(dir: &Path) -> Vec<PathBuf> {
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
