//! The store on its own, on SQLite or PostgreSQL (`REFUND_TEST_DATABASE=postgres`), each
//! test on a fresh database: what its callers rely on under concurrency and at the edges.

#[path = "api/helpers/database.rs"]
mod database;

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use refund_api::{CaseKind, EvidenceCategory, MediaType};
use refund_server::config::DataArgs;
use refund_server::store::{CreateOutcome, NewCaseRecord, NewEvidence, NewJob, Store, TicketUse};
use tempfile::TempDir;

use database::{PgDatabase, on_postgres};

/// A migrated store on a fresh database, with one game and player.
struct Fixture {
    store: Store,
    _dir: TempDir,
    _database: Option<PgDatabase>,
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut data = DataArgs::for_data_dir(dir.path().to_path_buf());
    let database = if on_postgres() {
        let database = PgDatabase::create().await;
        data.database_url = Some(database.url.clone());
        Some(database)
    } else {
        None
    };
    let store = data.open_store().await.expect("the store opens");
    store
        .upsert_game("wxg", "游戏", "secret", Utc::now())
        .await
        .expect("a game");
    store
        .create_session("token", "wxg", "p1", Utc::now() + Duration::hours(1), Utc::now())
        .await
        .expect("a player");
    Fixture {
        store,
        _dir: dir,
        _database: database,
    }
}

async fn complaint(store: &Store, n: usize, at: DateTime<Utc>) -> String {
    let outcome = store
        .create_case(
            NewCaseRecord {
                prefix: "CP",
                kind: CaseKind::Complaint,
                appid: "wxg".to_owned(),
                openid: "p1".to_owned(),
                details: "{}".to_owned(),
                claims: Vec::new(),
                claimed_fen: 0,
                evidence_ids: Vec::new(),
                submitted_at: at,
                due_at: at + Duration::days(3),
                tracking_key_hash: format!("hash-{n}"),
                idempotency_scope: "player:wxg:p1".to_owned(),
                idempotency_key: format!("key-{n}"),
                request_hash: "body".to_owned(),
            },
            |case_no| case_no.to_owned(),
        )
        .await
        .expect("stored");
    match outcome {
        CreateOutcome::Created { case_no, .. } => case_no,
        CreateOutcome::Replayed(_) => panic!("a fresh key was replayed"),
    }
}

#[tokio::test]
async fn a_reconnecting_stream_gets_the_whole_backlog_not_one_page() {
    let f = fixture().await;
    let now = Utc::now();
    for n in 0..1_203 {
        complaint(&f.store, n, now).await;
    }

    let events = f.store.player_events_after("wxg", "p1", 0).await.expect("read");

    assert_eq!(events.len(), 1_203);
    assert!(events.windows(2).all(|w| w[0].id < w[1].id), "oldest first, no repeats");
    let tail = f
        .store
        .player_events_after("wxg", "p1", events[700].id)
        .await
        .expect("read");
    assert_eq!(tail.len(), 502);
}

#[tokio::test]
async fn a_used_nonce_is_remembered_until_its_instant_however_far_ahead_it_is() {
    let f = fixture().await;
    let now = Utc::now();
    let far = now + Duration::days(365 * 40_000);
    assert_eq!(
        f.store.use_ticket("wxg", "far", far, now).await.expect("use"),
        TicketUse::First
    );
    assert_eq!(
        f.store
            .use_ticket("wxg", "past", now - Duration::minutes(1), now)
            .await
            .expect("use"),
        TicketUse::First
    );

    // Each use sweeps the expired nonces: "past" goes, "far" must stay.
    assert_eq!(
        f.store.use_ticket("wxg", "far", far, now).await.expect("use"),
        TicketUse::Reused
    );
    assert_eq!(
        f.store
            .use_ticket("wxg", "past", now + Duration::minutes(5), now)
            .await
            .expect("use"),
        TicketUse::First
    );
}

#[tokio::test]
async fn jobs_claimed_by_many_workers_at_once_are_each_claimed_once() {
    let f = fixture().await;
    let store = Arc::new(f.store.clone());
    let now = Utc::now();
    for _ in 0..60 {
        let job = NewJob {
            kind: "clear_staging",
            payload: "{}".to_owned(),
            run_at: now,
            unique_key: None,
        };
        store.enqueue_job(job, now).await.expect("enqueued");
    }
    let mut workers = Vec::new();
    for w in 0..8 {
        let store = Arc::clone(&store);
        workers.push(tokio::spawn(async move {
            let me = format!("worker-{w}");
            let mut mine = Vec::new();
            while let Some(job) = store
                .claim_job(&me, now, now + Duration::minutes(5))
                .await
                .expect("claim")
            {
                assert!(store.finish_job(job.id, &me, None).await.expect("finish"));
                mine.push(job.id);
            }
            mine
        }));
    }
    let mut all = Vec::new();
    for worker in workers {
        all.extend(worker.await.expect("a worker"));
    }

    let distinct: BTreeSet<i64> = all.iter().copied().collect();
    assert_eq!((all.len(), distinct.len()), (60, 60), "every job once, none twice");
}

#[tokio::test]
async fn a_lost_lease_is_taken_over_and_the_first_claimer_cannot_finish_it() {
    let f = fixture().await;
    let now = Utc::now();
    let job = NewJob {
        kind: "clear_staging",
        payload: "{}".to_owned(),
        run_at: now,
        unique_key: None,
    };
    let id = f.store.enqueue_job(job, now).await.expect("enqueued").expect("an id");
    let first = f
        .store
        .claim_job("a", now, now + Duration::minutes(1))
        .await
        .expect("claim");
    assert_eq!(first.map(|j| j.id), Some(id));
    assert!(
        f.store
            .claim_job("b", now, now + Duration::minutes(1))
            .await
            .expect("claim")
            .is_none()
    );

    let later = now + Duration::minutes(2);
    let second = f
        .store
        .claim_job("b", later, later + Duration::minutes(1))
        .await
        .expect("claim");

    assert_eq!(second.as_ref().map(|j| (j.id, j.attempts)), Some((id, 2)));
    assert!(
        !f.store.finish_job(id, "a", None).await.expect("finish"),
        "a's lease is gone"
    );
    assert!(f.store.finish_job(id, "b", None).await.expect("finish"));
}

#[tokio::test]
async fn content_being_deleted_is_waited_for_by_an_upload_of_the_same_bytes() {
    let f = fixture().await;
    let now = Utc::now();
    f.store.pin_content("abc", now).await.expect("pin");
    let evidence = NewEvidence {
        id: "e1",
        sha256: "abc",
        size: 3,
        media_type: MediaType::Png,
        category: EvidenceCategory::MinorProof,
        file_name: "a.png",
        appid: "wxg",
        openid: "p1",
    };
    assert_eq!(
        f.store
            .insert_evidence(&evidence, 20, u64::MAX, now)
            .await
            .expect("insert"),
        refund_server::store::EvidenceInsert::Recorded
    );
    assert_eq!(
        f.store
            .delete_unattached_evidence("e1", "wxg", "p1")
            .await
            .expect("delete")
            .as_deref(),
        Some("abc")
    );

    // A new upload of the same bytes pins the content while the deletion is under way.
    let (started, start) = tokio::sync::oneshot::channel::<()>();
    let (go_on, proceed) = tokio::sync::oneshot::channel::<()>();
    let store = f.store.clone();
    let deletion = tokio::spawn(async move {
        store
            .remove_unused_content("abc", now, || async move {
                let _told = started.send(());
                let _waited = proceed.await;
                Ok::<(), std::io::Error>(())
            })
            .await
            .expect("removed")
    });
    start.await.expect("the deletion holds the content");
    let store = f.store.clone();
    let pin = tokio::spawn(async move { store.pin_content("abc", Utc::now()).await });
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(!pin.is_finished(), "the pin waits for the deletion to commit");
    go_on.send(()).expect("the deletion goes on");
    assert!(
        deletion.await.expect("deletion"),
        "nothing used the content when it was deleted"
    );
    pin.await.expect("pin").expect("pinned");

    // The upload's file now lands after the deletion, and its content is protected.
    let protected = f
        .store
        .remove_unused_content("abc", Utc::now(), || async { Ok::<(), std::io::Error>(()) })
        .await
        .expect("checked");
    assert!(!protected, "a pinned content is not deleted");
}

/// SQLite by nature: the PostgreSQL pass leaves it to the SQLite pass.
#[tokio::test]
async fn sqlite_only_a_database_of_the_previous_schema_is_upgraded_with_its_data_intact() {
    use sqlx::Connection;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let old = dir.path().join("old-migrations");
    std::fs::create_dir_all(&old).expect("a directory");
    for name in ["0001_init.sql", "0002_evidence_by_case.sql"] {
        let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations/sqlite")
            .join(name);
        std::fs::copy(from, old.join(name)).expect("copy a migration");
    }
    let file = dir.path().join("refund-desk.sqlite3");
    let url = format!("sqlite://{}?mode=rwc", file.display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.expect("open");
    sqlx::migrate::Migrator::new(old.as_path())
        .await
        .expect("the old migrations")
        .run(&mut conn)
        .await
        .expect("the old schema");
    for statement in [
        "INSERT INTO games VALUES ('wxg', '游戏', 'secret', '2026-11-01T08:00:00+00:00')",
        "INSERT INTO players VALUES ('wxg', 'p1', '小明')",
        "INSERT INTO orders VALUES ('O-1', 'wxg', 'p1', '钻石', 600, 0, '2026-11-20T14:15:16.250+00:00')",
        "INSERT INTO sessions VALUES ('hash', 'wxg', 'p1', '2999-01-01T00:00:00+00:00', '2026-11-21T00:00:00+00:00')",
        "INSERT INTO used_tickets VALUES ('wxg', 'n1', '+56000-01-01T00:00:00+00:00')",
        "INSERT INTO cases VALUES ('MR-2026-000001', 'minor_refund', 'wxg', 'p1', 'submitted', '{}', 600,
            '2026-11-21T02:00:00.5+00:00', '2026-11-24T15:59:59+00:00', 'keyhash', 0, 'idem-1', 'reqhash')",
        "INSERT INTO case_orders VALUES ('MR-2026-000001', 'O-1', 600)",
        "INSERT INTO open_claims VALUES ('O-1', 'MR-2026-000001')",
        "INSERT INTO evidence VALUES ('e1', 'abc', 3, 'image/png', 'minor_proof', 'a.png', 'wxg', 'p1',
            'MR-2026-000001', '2026-11-21T01:59:00+00:00')",
        "INSERT INTO case_events (case_no, at, actor, kind, state) VALUES
            ('MR-2026-000001', '2026-11-21T02:00:00.5+00:00', 'player', 'submitted', 'submitted')",
    ] {
        sqlx::query(statement).execute(&mut conn).await.expect(statement);
    }
    conn.close().await.expect("closed");

    let store = Store::open(&format!("sqlite://{}", file.display()), Default::default())
        .await
        .expect("the store upgrades the old database");

    let at = |text: &str| {
        DateTime::parse_from_rfc3339(text)
            .expect("an instant")
            .with_timezone(&Utc)
    };
    let orders = store.player_orders("wxg", "p1").await.expect("orders");
    assert_eq!(orders[0].paid_at, at("2026-11-20T14:15:16.250Z"));
    assert_eq!(orders[0].open_case.as_deref(), Some("MR-2026-000001"));
    let case = store
        .player_case("MR-2026-000001", "wxg", "p1")
        .await
        .expect("read")
        .expect("the case");
    assert_eq!(case.submitted_at, at("2026-11-21T02:00:00.5Z"));
    assert_eq!(case.due_at, at("2026-11-24T15:59:59Z"));
    assert!(
        store
            .tracked_case("MR-2026-000001", "keyhash")
            .await
            .expect("read")
            .is_some()
    );
    let parts = store.case_parts("MR-2026-000001").await.expect("parts");
    assert_eq!(
        (parts.orders.len(), parts.evidence.len(), parts.events.len()),
        (1, 1, 1)
    );
    let earlier = store
        .idempotent_result("player:wxg:p1", "idem-1")
        .await
        .expect("read")
        .expect("kept");
    assert_eq!((earlier.case_no.as_str(), earlier.response), ("MR-2026-000001", None));
    let now = Utc::now();
    assert_eq!(
        store
            .use_ticket("wxg", "n1", now + Duration::minutes(5), now)
            .await
            .expect("use"),
        TicketUse::Reused
    );
    assert!(
        store
            .unused_contents(now + Duration::hours(2))
            .await
            .expect("read")
            .is_empty(),
        "e1 uses abc"
    );
}
