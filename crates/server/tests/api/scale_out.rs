//! Several server processes on one PostgreSQL database, as production runs them behind a
//! load balancer. These tests always use PostgreSQL (it is what scaling out is for), so
//! the SQLite pass of the suite leaves them to the PostgreSQL pass.

use std::time::{Duration, Instant};

use chrono::Utc;
use refund_api::{CaseCreated, CaseDetail, EvidenceView, SessionView};
use refund_server::config::DataArgs;
use refund_server::store::{JobStatus, NewJob, Store};
use reqwest::StatusCode;

use crate::helpers::process::ServerProcess;
use crate::helpers::{EventStream, PgDatabase, XIAOMING, json_with, png};

/// Two processes started at the same moment on one empty database, sharing evidence files.
async fn two_processes(database: &PgDatabase, dir: &std::path::Path) -> (ServerProcess, ServerProcess) {
    let evidence = format!("file://{}", dir.join("evidence").display());
    let extra = ["--evidence-url", evidence.as_str(), "--job-poll-seconds", "1"];
    let (data_a, data_b) = (dir.join("a"), dir.join("b"));
    for data in [&data_a, &data_b] {
        std::fs::create_dir_all(data).expect("a data dir");
    }
    let a = ServerProcess::spawn(&database.url, &data_a, &extra, &[]);
    let b = ServerProcess::spawn(&database.url, &data_b, &extra, &[]);
    a.wait_until_ready().await;
    b.wait_until_ready().await;
    (a, b)
}

/// Enqueues `count` one-off jobs of `kind`, due now; returns their ids.
async fn enqueue(store: &Store, kind: &str, count: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    for _ in 0..count {
        let job = NewJob {
            kind,
            payload: "{}".to_owned(),
            run_at: Utc::now(),
            unique_key: None,
        };
        ids.push(
            store
                .enqueue_job(job, Utc::now())
                .await
                .expect("enqueued")
                .expect("an id"),
        );
    }
    ids
}

/// Waits (bounded) until every job is finished; returns their states.
async fn wait_for_jobs(store: &Store, ids: &[i64]) -> Vec<JobStatus> {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut statuses = Vec::new();
    while Instant::now() < deadline {
        statuses.clear();
        for id in ids {
            statuses.push(store.job_status(*id).await.expect("read").expect("the job exists"));
        }
        if statuses.iter().all(|s| s.done != 0) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    statuses
}

#[tokio::test]
async fn two_processes_on_one_empty_database_start_together_and_serve_the_same_players() {
    let database = PgDatabase::create().await;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (a, b) = two_processes(&database, dir.path()).await;

    let player = a.player(XIAOMING).await;
    let session: SessionView = json_with(
        player.get(b.url("/api/session")).send().await.expect("sent"),
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        session.nickname, "星辰小明",
        "a session made through one process works on the other"
    );

    let file = png("proof.png", 9);
    let uploaded: EvidenceView = json_with(a.upload(&player, "minor_proof", &file).await, StatusCode::CREATED).await;
    let read = player
        .get(b.url(&format!("/api/evidence/{}", uploaded.id)))
        .send()
        .await
        .expect("sent");
    assert_eq!(read.status(), StatusCode::OK);
    assert_eq!(read.bytes().await.expect("body").as_ref(), file.bytes.as_slice());
}

#[tokio::test]
async fn a_case_submitted_through_one_process_reaches_a_live_stream_held_by_the_other() {
    let database = PgDatabase::create().await;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (a, b) = two_processes(&database, dir.path()).await;
    let player = a.player(XIAOMING).await;
    let mut stream = EventStream::new(player.get(b.url("/api/events")).send().await.expect("sent"));
    assert_eq!(stream.next_message().await.event.as_deref(), Some("ready"));

    let created: CaseCreated = a.submit_complaint(&player).await;

    let (_, changed) = stream.next_case_event().await;
    assert_eq!(changed.case_no, created.case_no);
    assert_eq!(changed.kind, "submitted");
}

#[tokio::test]
async fn a_case_read_on_one_process_shows_what_the_other_just_changed() {
    let database = PgDatabase::create().await;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (a, b) = two_processes(&database, dir.path()).await;
    let player = a.player(XIAOMING).await;
    let created: CaseCreated = a.submit_complaint(&player).await;
    let read = || async {
        let response = player
            .get(a.url(&format!("/api/cases/{}", created.case_no)))
            .send()
            .await
            .expect("sent");
        json_with::<CaseDetail>(response, StatusCode::OK).await
    };
    let before = read().await;
    assert_eq!(
        read().await.timeline,
        before.timeline,
        "read twice on A: kept, unchanged"
    );

    let sent = player
        .post(b.url(&format!("/api/cases/{}/messages", created.case_no)))
        .json(&refund_api::MessageRequest {
            text: "补充一下：闪退发生在第三关结算时。".to_owned(),
            evidence_ids: Vec::new(),
        })
        .send()
        .await
        .expect("sent");
    assert_eq!(sent.status(), StatusCode::CREATED);

    let after = read().await;
    assert_eq!(after.timeline.len(), before.timeline.len() + 1);
    assert_eq!(
        after.timeline.last().and_then(|e| e.note.as_deref()),
        Some("补充一下：闪退发生在第三关结算时。")
    );
}

#[tokio::test]
async fn jobs_enqueued_while_two_processes_run_are_each_executed_exactly_once() {
    let database = PgDatabase::create().await;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (_a, _b) = two_processes(&database, dir.path()).await;
    let mut data = DataArgs::for_data_dir(dir.path().join("c"));
    data.database_url = Some(database.url.clone());
    let store = data.open_store().await.expect("the store opens");

    let ids = enqueue(&store, "clear_staging", 30).await;

    let statuses = wait_for_jobs(&store, &ids).await;
    for status in &statuses {
        assert_eq!(
            (status.done, status.attempts),
            (1, 1),
            "job {} ran once and succeeded",
            status.id
        );
    }
    store.close().await;
}

#[tokio::test]
async fn deadline_scans_run_by_two_processes_mark_a_late_case_overdue_once() {
    let database = PgDatabase::create().await;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (a, b) = two_processes(&database, dir.path()).await;
    let player = a.player(XIAOMING).await;
    let created: CaseCreated = a.submit_complaint(&player).await;
    let mut data = DataArgs::for_data_dir(dir.path().join("c"));
    data.database_url = Some(database.url.clone());
    let store = data.open_store().await.expect("the store opens");
    // The deadline passes: the case was filed long ago, as far as the database knows.
    let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&database.url)
        .await
        .expect("connect");
    sqlx::query("UPDATE cases SET due_at = now() - interval '1 day' WHERE case_no = $1")
        .bind(&created.case_no)
        .execute(&mut conn)
        .await
        .expect("backdate");
    let ids = enqueue(&store, "scan_deadlines", 6).await;
    wait_for_jobs(&store, &ids).await;

    let detail: CaseDetail = json_with(
        player
            .get(b.url(&format!("/api/cases/{}", created.case_no)))
            .send()
            .await
            .expect("sent"),
        StatusCode::OK,
    )
    .await;
    assert_eq!(detail.timeline.iter().filter(|e| e.kind == "overdue").count(), 1);
    let credit = store.credit_entries("demo-studio").await.expect("read");
    assert_eq!(credit.len(), 1, "one deduction: {credit:?}");
    store.close().await;
}
