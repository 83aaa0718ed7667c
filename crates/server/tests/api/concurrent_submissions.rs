//! Submissions arriving together: each is kept, with its own number, whatever the others
//! come to. On SQLite they are committed in batches (one transaction and one flush for
//! all that wait, each in its own savepoint); every answer still comes after the commit
//! that holds it. The same rules hold on PostgreSQL, where each is its own transaction
//! and draws its number beforehand, so a unit that keeps nothing leaves a gap there.

use std::collections::BTreeSet;

use futures::future::join_all;
use refund_api::{CaseCreated, CaseDetail, CaseSummary, EvidenceView, NewCase, OrderView};
use reqwest::StatusCode;

use crate::helpers::{
    Player, TestApp, XIAOMING, complaint, idempotency_key, json_with, minor_refund, png, spawn_app, spawn_app_with,
    upload_required_evidence,
};

/// A complaint with `files` screenshots of its own, uploaded now.
async fn complaint_with_files(app: &TestApp, player: &Player, tag: u8, files: u8) -> NewCase {
    let mut ids = Vec::new();
    for n in 0..files {
        let view: EvidenceView = json_with(
            app.upload_evidence(
                player,
                "screenshots",
                &png("shot.png", tag.wrapping_mul(8).wrapping_add(n)),
            )
            .await,
            StatusCode::CREATED,
        )
        .await;
        ids.push(view.id);
    }
    NewCase {
        evidence_ids: ids,
        ..complaint()
    }
}

/// Submits `body` under a fresh Idempotency-Key.
async fn submit(app: &TestApp, player: &Player, body: &NewCase) -> reqwest::Response {
    app.post_case(player, Some(&idempotency_key()), body).await
}

/// Checks that `numbers` (ascending) are `count` distinct case numbers: on SQLite exactly
/// 1 to `count`, since a unit that keeps nothing gives its number back; on PostgreSQL,
/// where numbers are drawn before the unit, gaps are allowed but repeats are not.
fn assert_numbered(numbers: &[u32], count: u32) {
    if crate::helpers::on_postgres() {
        assert_eq!(numbers.len(), count as usize, "{numbers:?}");
        assert!(numbers.windows(2).all(|w| w[0] < w[1]), "a number repeats: {numbers:?}");
        assert!(numbers.first().is_some_and(|&n| n >= 1), "{numbers:?}");
    } else {
        assert_eq!(numbers, (1..=count).collect::<Vec<_>>());
    }
}

/// The sequence numbers of the player's cases of one kind (`MR` or `CP`), ascending.
async fn numbers(app: &TestApp, player: &Player, prefix: &str) -> Vec<u32> {
    let cases: Vec<CaseSummary> = json_with(app.get_cases(player).await, StatusCode::OK).await;
    let mut numbers: Vec<u32> = cases
        .iter()
        .filter(|c| c.case_no.starts_with(prefix))
        .map(|c| {
            c.case_no
                .rsplit('-')
                .next()
                .and_then(|n| n.parse().ok())
                .expect("a number")
        })
        .collect();
    numbers.sort_unstable();
    numbers
}

#[tokio::test]
async fn concurrent_submissions_are_each_kept_with_a_number_of_their_own() {
    // Every file is uploaded before the burst, so the player holds them all at once.
    let app = spawn_app_with(|config| config.max_files_per_case = 100).await;
    let xiaoming = app.player(XIAOMING).await;
    let mut bodies = Vec::new();
    for tag in 0..24 {
        bodies.push(complaint_with_files(&app, &xiaoming, tag, 3).await);
    }

    let answers = join_all(bodies.iter().map(|body| submit(&app, &xiaoming, body))).await;
    let mut created = Vec::new();
    for answer in answers {
        created.push(json_with::<CaseCreated>(answer, StatusCode::CREATED).await);
    }

    let distinct: BTreeSet<&str> = created.iter().map(|c| c.case_no.as_str()).collect();
    assert_eq!(distinct.len(), 24, "{distinct:?}");
    let app = app.crash().await;
    assert_eq!(numbers(&app, &xiaoming, "CP").await, (1..=24).collect::<Vec<_>>());
    for case in &created {
        let detail: CaseDetail = json_with(app.get_case(&xiaoming, &case.case_no).await, StatusCode::OK).await;
        assert_eq!(detail.evidence.len(), 3, "{}", case.case_no);
        assert_eq!(detail.timeline.len(), 1, "{}", case.case_no);
    }
}

#[tokio::test]
async fn a_submission_refused_among_concurrent_ones_takes_nothing_of_theirs_and_leaves_nothing() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    // Two applications for the same order: only one may hold it.
    let first = minor_refund(&["DEMO-0001"], upload_required_evidence(&app, &xiaoming).await);
    let second = minor_refund(&["DEMO-0001"], upload_required_evidence(&app, &xiaoming).await);
    let complaints: Vec<NewCase> = (0..12).map(|_| complaint()).collect();

    let (refunds, others) = tokio::join!(
        join_all([&first, &second].into_iter().map(|body| submit(&app, &xiaoming, body))),
        join_all(complaints.iter().map(|body| submit(&app, &xiaoming, body))),
    );

    let mut statuses = Vec::new();
    let mut refused = None;
    for answer in refunds {
        statuses.push(answer.status());
        if answer.status() == StatusCode::CONFLICT {
            refused = Some(answer.text().await.expect("a body"));
        }
    }
    statuses.sort();
    assert_eq!(statuses, [StatusCode::CREATED, StatusCode::CONFLICT]);
    let refused = refused.expect("one refusal");
    assert!(refused.contains("order_in_open_case"), "{refused}");
    for answer in others {
        json_with::<CaseCreated>(answer, StatusCode::CREATED).await;
    }
    let app = app.crash().await;
    // The refused one holds nothing (on SQLite not even a number); the others are all there.
    assert_numbered(&numbers(&app, &xiaoming, "MR").await, 1);
    assert_numbered(&numbers(&app, &xiaoming, "CP").await, 12);
    let orders: Vec<OrderView> = json_with(app.get_orders(&xiaoming.client).await, StatusCode::OK).await;
    let held = orders.iter().find(|o| o.order_no == "DEMO-0001").expect("the order");
    assert_eq!(held.open_case.as_deref().map(|c| c.starts_with("MR-")), Some(true));
}

#[tokio::test]
async fn retries_racing_their_first_submission_all_get_its_answer() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let body = complaint_with_files(&app, &xiaoming, 1, 2).await;
    let key = idempotency_key();
    let others: Vec<NewCase> = (0..6).map(|_| complaint()).collect();

    let (retries, others) = tokio::join!(
        join_all((0..5).map(|_| app.post_case(&xiaoming, Some(&key), &body))),
        join_all(others.iter().map(|other| submit(&app, &xiaoming, other))),
    );

    let mut statuses = Vec::new();
    let mut answers = Vec::new();
    for retry in retries {
        statuses.push(retry.status());
        answers.push(retry.json::<CaseCreated>().await.expect("an answer"));
    }
    statuses.sort();
    assert_eq!(
        statuses,
        [
            StatusCode::OK,
            StatusCode::OK,
            StatusCode::OK,
            StatusCode::OK,
            StatusCode::CREATED
        ]
    );
    assert!(answers.windows(2).all(|w| w[0] == w[1]), "{answers:?}");
    for other in others {
        json_with::<CaseCreated>(other, StatusCode::CREATED).await;
    }
    let app = app.crash().await;
    let again: CaseCreated = json_with(app.post_case(&xiaoming, Some(&key), &body).await, StatusCode::OK).await;
    assert_eq!(again, answers[0]);
    assert_numbered(&numbers(&app, &xiaoming, "CP").await, 7);
}
