//! What was acknowledged is kept: a submission that got its 201 survives `kill -9` of the
//! server, exactly once; uploads left behind by a crash or never used are swept away.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Duration as Span;
use refund_api::{CaseCreated, CaseSummary, EvidenceView};
use reqwest::StatusCode;

use crate::helpers::process::{ServerProcess, process_database};
use crate::helpers::{XIAOMING, complaint, idempotency_key, json_with, png, spawn_app, spawn_app_with, text};

/// Sends one complaint with `key`; the case number when the server acknowledged it.
async fn submit(server: &str, client: &reqwest::Client, key: &str) -> Option<(StatusCode, String)> {
    let response = client
        .post(format!("{server}/api/cases"))
        .header("Idempotency-Key", key)
        .json(&complaint())
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .ok()?;
    let status = response.status();
    let created: CaseCreated = response.json().await.ok()?;
    Some((status, created.case_no))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_submission_acknowledged_before_a_kill_9_is_there_exactly_once_after_a_restart() {
    kill_9_while_submitting(6, 40).await;
}

/// Many writers at once: on SQLite their submissions share commits (group commit), and a
/// kill during a burst must still lose none that was answered 201.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_kill_9_during_a_burst_of_batched_commits_loses_no_acknowledged_submission() {
    kill_9_while_submitting(32, 150).await;
}

/// `clients` submit complaints without pause; once `acknowledged` of them have
/// their 201, the server is killed with SIGKILL and started again on the same data.
async fn kill_9_while_submitting(clients: usize, acknowledged_before_kill: usize) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).expect("a data dir");
    let (url, _database) = process_database(dir.path()).await;
    let mut server = ServerProcess::start(&url, &data, &[], &[]).await;
    let client = server.player(XIAOMING).await;
    let address = server.address.clone();

    let sent: Arc<Mutex<Vec<String>>> = Arc::default();
    let acknowledged: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let mut writers = Vec::new();
    for _ in 0..clients {
        let (client, address, sent, acknowledged) = (
            client.clone(),
            address.clone(),
            Arc::clone(&sent),
            Arc::clone(&acknowledged),
        );
        writers.push(tokio::spawn(async move {
            loop {
                let key = idempotency_key();
                sent.lock().expect("lock").push(key.clone());
                match submit(&address, &client, &key).await {
                    Some((StatusCode::CREATED, case_no)) => acknowledged.lock().expect("lock").push((key, case_no)),
                    Some((status, _)) => panic!("a fresh key answered {status}"),
                    None => return,
                }
            }
        }));
    }
    while acknowledged.lock().expect("lock").len() < acknowledged_before_kill {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill9();
    for writer in writers {
        writer.await.expect("a writer ends when the server is gone");
    }
    let acknowledged = acknowledged.lock().expect("lock").clone();
    let sent = sent.lock().expect("lock").clone();

    let server = ServerProcess::start(&url, &data, &[], &[]).await;

    let cases: Vec<CaseSummary> = json_with(
        client.get(server.url("/api/cases")).send().await.expect("sent"),
        StatusCode::OK,
    )
    .await;
    let stored: BTreeSet<String> = cases.iter().map(|c| c.case_no.clone()).collect();
    assert_eq!(stored.len(), cases.len(), "no case number twice");
    for (key, case_no) in &acknowledged {
        assert!(stored.contains(case_no), "acknowledged {case_no} was lost");
        let (status, replayed) = submit(&server.address, &client, key).await.expect("an answer");
        assert_eq!(
            (status, replayed.as_str()),
            (StatusCode::OK, case_no.as_str()),
            "key {key}"
        );
    }
    // Every key sent, acknowledged or cut off, now stands for exactly one case.
    let mut per_key = BTreeSet::new();
    for key in &sent {
        let (_, case_no) = submit(&server.address, &client, key).await.expect("an answer");
        assert!(per_key.insert(case_no.clone()), "{case_no} answers two keys");
    }
    let cases: Vec<CaseSummary> = json_with(
        client.get(server.url("/api/cases")).send().await.expect("sent"),
        StatusCode::OK,
    )
    .await;
    assert_eq!(cases.len(), sent.len(), "one case per key, no more");
}

#[tokio::test]
async fn an_upload_never_attached_to_a_case_is_removed_after_the_configured_time() {
    let app = spawn_app_with(|config| config.session_hours = 72).await;
    let xiaoming = app.player(XIAOMING).await;
    let kept: EvidenceView = json_with(
        app.upload_evidence(&xiaoming, "minor_proof", &png("kept.png", 1)).await,
        StatusCode::CREATED,
    )
    .await;
    app.clock.shift(Span::hours(20));
    let fresh: EvidenceView = json_with(
        app.upload_evidence(&xiaoming, "minor_proof", &png("fresh.png", 2))
            .await,
        StatusCode::CREATED,
    )
    .await;

    app.clock.shift(Span::hours(5));
    assert!(app.jobs().run_due().await.expect("jobs run") > 0);

    assert_eq!(
        app.get_evidence(&xiaoming, &kept.id).await.status(),
        StatusCode::NOT_FOUND
    );
    let read = app.get_evidence(&xiaoming, &fresh.id).await;
    assert_eq!(read.status(), StatusCode::OK, "{}", text(read).await);
    let files = app.evidence_files();
    assert!(
        files.iter().all(|f| !f.ends_with(&kept.sha256)),
        "the expired upload's file is gone: {files:?}"
    );
    assert!(files.iter().any(|f| f.ends_with(&fresh.sha256)));
}

#[tokio::test]
async fn an_upload_cut_off_by_a_crash_leaves_nothing_once_the_sweep_has_run() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let (sender, receiver) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    let body = reqwest::Body::wrap_stream(tokio_stream::wrappers::ReceiverStream::new(receiver));
    let boundary = "cut-off-boundary";
    let upload = xiaoming
        .client
        .post(app.url("/api/evidence"))
        .header("Content-Type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .send();
    let upload = tokio::spawn(upload);
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"category\"\r\n\r\nminor_proof\r\n--{boundary}\r\n\
         Content-Disposition: form-data; name=\"file\"; filename=\"big.png\"\r\nContent-Type: image/png\r\n\r\n"
    );
    sender.send(Ok(head.into_bytes())).await.expect("head sent");
    sender
        .send(Ok(png("big.png", 3).bytes))
        .await
        .expect("start of the file sent");
    for _ in 0..8 {
        sender
            .send(Ok(vec![0x42; 64 * 1024]))
            .await
            .expect("part of the file sent");
    }
    let staging = app.evidence_dir().join("staging");
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while crate::helpers::files_below(&staging).is_empty() && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        !crate::helpers::files_below(&staging).is_empty(),
        "the upload is being staged"
    );

    // The process dies with the upload half-written: no abort, no cleanup.
    let app = app.crash().await;
    upload.abort();
    drop(sender);
    assert!(
        !crate::helpers::files_below(&staging).is_empty(),
        "a crash leaves the staged part behind"
    );

    app.clock.shift(Span::hours(2));
    app.jobs().run_due().await.expect("jobs run");

    assert_eq!(crate::helpers::files_below(&staging), Vec::<std::path::PathBuf>::new());
}

/// SQLite by nature (PostgreSQL is backed up with its own tools).
#[tokio::test]
async fn sqlite_only_a_backup_of_a_live_database_holds_every_case_acknowledged_before_it() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let mut created = Vec::new();
    for _ in 0..3 {
        let case: CaseCreated = json_with(
            app.post_case(&xiaoming, Some(&idempotency_key()), &complaint()).await,
            StatusCode::CREATED,
        )
        .await;
        created.push(case.case_no);
    }
    let copy = app.data_dir.with_file_name("backup.sqlite3");

    let output = std::process::Command::new(env!("CARGO_BIN_EXE_refund-server"))
        .args(["backup", "--to"])
        .arg(&copy)
        .arg("--data-dir")
        .arg(&app.data_dir)
        .output()
        .expect("the backup command runs");

    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let still_serving = app.get_cases(&xiaoming).await;
    assert_eq!(still_serving.status(), StatusCode::OK, "the server kept running");
    let restored = refund_server::store::Store::open(&format!("sqlite://{}", copy.display()), Default::default())
        .await
        .expect("the copy opens");
    let cases = restored
        .player_cases(refund_server::demo::DEMO_APPID, XIAOMING)
        .await
        .expect("read the copy");
    let numbers: BTreeSet<String> = cases.into_iter().map(|c| c.case_no).collect();
    assert_eq!(numbers, created.into_iter().collect());
    let again = std::process::Command::new(env!("CARGO_BIN_EXE_refund-server"))
        .args(["backup", "--to"])
        .arg(&copy)
        .arg("--data-dir")
        .arg(&app.data_dir)
        .output()
        .expect("the backup command runs");
    assert!(!again.status.success(), "an existing file is never overwritten");
}
