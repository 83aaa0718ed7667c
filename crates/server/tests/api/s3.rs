//! Evidence kept on an S3-compatible server: s3s-fs, a real S3 implementation over a
//! directory, started on loopback by the test (`cargo xtask test` installs it; a
//! missing binary fails the test).

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use refund_api::EvidenceView;
use reqwest::StatusCode;

use crate::helpers::process::{ServerProcess, process_database};
use crate::helpers::{XIAOMING, files_below, json_with, png};

const BUCKET: &str = "refund-evidence";
const ACCESS_KEY: &str = "test-access-key";
const SECRET_KEY: &str = "test-secret-key-of-some-length";

fn s3s_fs() -> PathBuf {
    let candidates = [
        std::env::var_os("REFUND_TEST_S3S_FS").map(PathBuf::from),
        std::env::var_os("CARGO_HOME").map(|home| PathBuf::from(home).join("bin/s3s-fs")),
        std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo/bin/s3s-fs")),
    ];
    candidates.into_iter().flatten().find(|path| path.exists()).expect(
        "s3s-fs is needed: cargo install s3s-fs --version 0.14.1 --features binary --locked (cargo xtask test does)",
    )
}

/// An s3s-fs process serving `root`; killed when dropped.
struct S3Server {
    child: Child,
    endpoint: String,
    root: PathBuf,
}

impl S3Server {
    fn start(root: PathBuf) -> Self {
        std::fs::create_dir_all(root.join(BUCKET)).expect("the bucket's directory");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(s3s_fs())
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY])
            .arg(&root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("s3s-fs starts");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "s3s-fs did not start listening"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Self {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
            root,
        }
    }

    /// The settings a server gets, the way an operator sets them: `AWS_*` variables.
    fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_ACCESS_KEY_ID", ACCESS_KEY.to_owned()),
            ("AWS_SECRET_ACCESS_KEY", SECRET_KEY.to_owned()),
            ("AWS_ENDPOINT", self.endpoint.clone()),
            ("AWS_REGION", "us-east-1".to_owned()),
            ("AWS_ALLOW_HTTP", "true".to_owned()),
        ]
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _killed = self.child.kill();
        let _reaped = self.child.wait();
    }
}

#[tokio::test]
async fn evidence_is_stored_on_an_s3_server_read_back_byte_for_byte_and_deleted_there() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let s3 = S3Server::start(dir.path().join("s3"));
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).expect("a data dir");
    let (url, _database) = process_database(dir.path()).await;
    let evidence_url = format!("s3://{BUCKET}/cases");
    let server = ServerProcess::start(&url, &data, &["--evidence-url", &evidence_url], &s3.env()).await;
    let player = server.player(XIAOMING).await;
    let file = png("proof.png", 31);

    let view: EvidenceView = json_with(server.upload(&player, "minor_proof", &file).await, StatusCode::CREATED).await;

    let object = s3
        .root
        .join(BUCKET)
        .join("cases/sha256")
        .join(&view.sha256[..2])
        .join(&view.sha256);
    assert_eq!(
        std::fs::read(&object).expect("the object is on the S3 server"),
        file.bytes
    );
    assert!(
        files_below(&data.join("evidence")).is_empty(),
        "nothing is kept locally"
    );
    let read = player
        .get(server.url(&format!("/api/evidence/{}", view.id)))
        .send()
        .await
        .expect("sent");
    assert_eq!(read.status(), StatusCode::OK);
    assert_eq!(read.bytes().await.expect("body").as_ref(), file.bytes.as_slice());
    let range = player
        .get(server.url(&format!("/api/evidence/{}", view.id)))
        .header("Range", "bytes=1-3")
        .send()
        .await
        .expect("sent");
    assert_eq!(range.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(range.bytes().await.expect("body").as_ref(), &file.bytes[1..4]);

    let deleted = player
        .delete(server.url(&format!("/api/evidence/{}", view.id)))
        .send()
        .await
        .expect("sent");
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert!(!object.exists(), "the object is deleted from the S3 server");
}
