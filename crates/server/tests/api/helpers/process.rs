//! The server as a process of its own (the built binary), for what only a process shows:
//! `kill -9` mid-way, and several processes on one database.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Utc;
use refund_server::demo::{DEMO_APPID, DEMO_SECRET};
use refund_server::domain::ticket::{fresh_claims, sign};

/// A running `refund-server serve --demo`; killed when dropped.
pub struct ServerProcess {
    child: Child,
    pub address: String,
    /// Where the process's log (its standard error) goes.
    pub log: PathBuf,
}

impl ServerProcess {
    /// Starts the binary on a free port with its data in `data_dir` and the database at
    /// `database_url`, and waits until `/readyz` answers.
    pub async fn start(database_url: &str, data_dir: &Path, extra: &[&str], env: &[(&str, String)]) -> Self {
        let server = Self::spawn(database_url, data_dir, extra, env);
        server.wait_until_ready().await;
        server
    }

    /// Starts the binary without waiting for it. It logs at `warn` unless `env` sets `RUST_LOG`,
    /// and limits no rates unless `env` sets them.
    pub fn spawn(database_url: &str, data_dir: &Path, extra: &[&str], env: &[(&str, String)]) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let log_path = data_dir.with_extension(format!("{port}.log"));
        let log = std::fs::File::create(&log_path).expect("a log file");
        let child = Command::new(env!("CARGO_BIN_EXE_refund-server"))
            .args(["serve", "--demo", "--addr", &format!("127.0.0.1:{port}"), "--data-dir"])
            .arg(data_dir)
            .args(["--database-url", database_url])
            .args(extra)
            .env("RUST_LOG", "warn")
            // Every test comes from one address and hurries its players: no rate limits
            // unless the test sets them.
            .envs(
                [
                    "REFUND_LAUNCHES_PER_MINUTE",
                    "REFUND_LOGINS_PER_MINUTE",
                    "REFUND_TRACKING_PER_MINUTE",
                    "REFUND_UPLOADS_PER_MINUTE",
                    "REFUND_SUBMISSIONS_PER_MINUTE",
                ]
                .map(|name| (name, "0")),
            )
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("the server binary starts");
        Self {
            child,
            address: format!("http://127.0.0.1:{port}"),
            log: log_path,
        }
    }

    /// Polls `/readyz` (bounded: a server that never becomes ready fails the test).
    pub async fn wait_until_ready(&self) {
        let started = Instant::now();
        let client = reqwest::Client::new();
        while started.elapsed() < Duration::from_secs(60) {
            if let Ok(response) = client.get(self.url("/readyz")).send().await
                && response.status().is_success()
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the server at {} did not become ready", self.address);
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// `kill -9`: no shutdown, no flushing, as a power cut or an OOM kill would.
    pub fn kill9(&mut self) {
        self.child.kill().expect("the server is killed");
        let _status = self.child.wait();
    }

    /// Signs a demo player in, agreeing to the privacy notice; returns their cookie-keeping client.
    pub async fn player(&self, openid: &str) -> reqwest::Client {
        let client = reqwest::Client::builder().cookie_store(true).build().expect("a client");
        let ticket = sign(
            &fresh_claims(DEMO_APPID, openid, Utc::now(), chrono::Duration::minutes(10)),
            DEMO_SECRET,
        );
        let response = client
            .post(self.url("/api/session/launch"))
            .json(&refund_api::LaunchRequest { ticket })
            .send()
            .await
            .expect("launch sent");
        assert_eq!(response.status(), reqwest::StatusCode::OK, "launch as {openid}");
        let consent = client
            .post(self.url("/api/privacy-consent"))
            .json(&refund_api::PrivacyConsent {
                notice_version: refund_api::PRIVACY_NOTICE_VERSION,
            })
            .send()
            .await
            .expect("consent sent");
        assert_eq!(consent.status(), reqwest::StatusCode::NO_CONTENT, "consent as {openid}");
        client
    }

    /// Uploads a file as the web app does, through this process.
    pub async fn upload(
        &self,
        client: &reqwest::Client,
        category: &str,
        file: &super::SampleFile,
    ) -> reqwest::Response {
        let part = reqwest::multipart::Part::bytes(file.bytes.clone())
            .file_name(file.name.clone())
            .mime_str(&file.declared_type)
            .expect("a valid content type");
        let form = reqwest::multipart::Form::new()
            .text("category", category.to_owned())
            .part("file", part);
        client
            .post(self.url("/api/evidence"))
            .multipart(form)
            .send()
            .await
            .expect("request sent")
    }

    /// Submits a complaint with a fresh Idempotency-Key through this process.
    pub async fn submit_complaint(&self, client: &reqwest::Client) -> refund_api::CaseCreated {
        let response = client
            .post(self.url("/api/cases"))
            .header("Idempotency-Key", super::idempotency_key())
            .json(&super::complaint())
            .send()
            .await
            .expect("request sent");
        super::json_with(response, reqwest::StatusCode::CREATED).await
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _killed = self.child.kill();
        let _reaped = self.child.wait();
    }
}

/// A database for server processes: a SQLite file in `dir`, or a fresh PostgreSQL
/// database when the suite runs on PostgreSQL (kept alive by the returned guard).
pub async fn process_database(dir: &Path) -> (String, Option<super::PgDatabase>) {
    if super::on_postgres() {
        let database = super::PgDatabase::create().await;
        (database.url.clone(), Some(database))
    } else {
        (format!("sqlite://{}", dir.join("refund-desk.sqlite3").display()), None)
    }
}
