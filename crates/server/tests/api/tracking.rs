//! `GET /api/track/{no}?key=`: read-only tracking from any browser, by key only.

use refund_api::{CaseCreated, CaseDetail, EvidenceView, TrackingKey};
use reqwest::StatusCode;

use crate::helpers::{
    XIAOMING, assert_error, idempotency_key, json_with, minor_refund, png, spawn_app, submit_minor_refund,
    upload_required_evidence,
};

#[tokio::test]
async fn the_tracking_key_opens_the_case_without_any_cookie() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let created = submit_minor_refund(&app, &xiaoming, &["DEMO-0002"]).await;

    let tracked: CaseDetail = json_with(
        app.get_track(&created.case_no, &created.tracking_key).await,
        StatusCode::OK,
    )
    .await;

    let mut owned: CaseDetail = json_with(app.get_case(&xiaoming, &created.case_no).await, StatusCode::OK).await;
    assert_eq!(owned.evidence.len(), 3);
    owned.evidence.retain(|e| !e.category.is_identity());
    assert_eq!(
        tracked, owned,
        "the tracker sees what the owner sees, but the identity documents"
    );
}

#[tokio::test]
async fn a_wrong_key_gets_the_same_404_as_an_unknown_case() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let created = submit_minor_refund(&app, &xiaoming, &["DEMO-0002"]).await;

    let wrong = app.get_track(&created.case_no, "not-the-key").await;
    let empty = app.get_track(&created.case_no, "").await;
    let unknown = app.get_track("MR-2026-999999", &created.tracking_key).await;

    let statuses = [wrong.status(), empty.status(), unknown.status()];
    assert_eq!(statuses, [StatusCode::NOT_FOUND; 3]);
    let wrong = wrong.text().await.expect("body");
    assert_eq!(wrong, empty.text().await.expect("body"));
    assert_eq!(
        wrong,
        unknown.text().await.expect("body"),
        "nothing tells a wrong key from an unknown case"
    );
    assert!(wrong.contains("\"code\":\"not_found\""), "{wrong}");
    assert!(!wrong.contains(&created.case_no), "{wrong}");
}

#[tokio::test]
async fn a_new_tracking_key_works_and_the_old_one_stops_working() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let created = submit_minor_refund(&app, &xiaoming, &["DEMO-0002"]).await;

    let fresh: TrackingKey = json_with(app.post_tracking_key(&xiaoming, &created.case_no).await, StatusCode::OK).await;

    assert_eq!(fresh.case_no, created.case_no);
    assert_ne!(fresh.tracking_key, created.tracking_key);
    assert_eq!(
        app.get_track(&created.case_no, &fresh.tracking_key).await.status(),
        StatusCode::OK
    );
    assert_error(
        app.get_track(&created.case_no, &created.tracking_key).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn a_retried_submission_after_a_key_change_answers_with_the_current_key() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let evidence = upload_required_evidence(&app, &xiaoming).await;
    let case = minor_refund(&["DEMO-0002"], evidence);
    let key = idempotency_key();
    let first: CaseCreated = json_with(app.post_case(&xiaoming, Some(&key), &case).await, StatusCode::CREATED).await;
    let fresh: TrackingKey = json_with(app.post_tracking_key(&xiaoming, &first.case_no).await, StatusCode::OK).await;

    let retried: CaseCreated = json_with(app.post_case(&xiaoming, Some(&key), &case).await, StatusCode::OK).await;

    assert_eq!(retried.case_no, first.case_no);
    assert_eq!(
        retried.tracking_key, fresh.tracking_key,
        "a replay must not hand out a revoked key"
    );
    assert_eq!(
        app.get_track(&retried.case_no, &retried.tracking_key).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn evidence_is_readable_with_the_tracking_key_and_404_with_a_wrong_one() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let mut evidence = upload_required_evidence(&app, &xiaoming).await;
    let chat = png("chat.png", 99);
    let view: EvidenceView = json_with(
        app.upload_evidence(&xiaoming, "developer_chats", &chat).await,
        StatusCode::CREATED,
    )
    .await;
    evidence.push(view.id.clone());
    let created: CaseCreated = json_with(
        app.post_case(
            &xiaoming,
            Some(&idempotency_key()),
            &minor_refund(&["DEMO-0002"], evidence),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;

    let file = app
        .get_track_evidence(&created.case_no, &view.id, &created.tracking_key)
        .await;

    assert_eq!(file.status(), StatusCode::OK);
    let content_type = file
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert_eq!(content_type, "image/png");
    assert_eq!(file.bytes().await.expect("body").as_ref(), chat.bytes.as_slice());
    assert_error(
        app.get_track_evidence(&created.case_no, &view.id, "not-the-key").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // Identity documents are for the developer and the platform, not for whoever holds a
    // forwarded link: neither listed nor served to it, while the player still sees them.
    let tracked: CaseDetail = json_with(
        app.get_track(&created.case_no, &created.tracking_key).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        tracked.evidence.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
        [view.id.as_str()]
    );
    let own: CaseDetail = json_with(app.get_case(&xiaoming, &created.case_no).await, StatusCode::OK).await;
    assert_eq!(own.evidence.len(), 4);
    for identity in own.evidence.iter().filter(|e| e.category.is_identity()) {
        assert_error(
            app.get_track_evidence(&created.case_no, &identity.id, &created.tracking_key)
                .await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
}

#[tokio::test]
async fn the_tracking_key_of_one_case_does_not_open_files_of_another() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let first = submit_minor_refund(&app, &xiaoming, &["DEMO-0001"]).await;
    let evidence = upload_required_evidence(&app, &xiaoming).await;
    let other_file = evidence[0].clone();
    let second: CaseCreated = json_with(
        app.post_case(
            &xiaoming,
            Some(&idempotency_key()),
            &minor_refund(&["DEMO-0002"], evidence),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_ne!(first.case_no, second.case_no);

    let response = app
        .get_track_evidence(&first.case_no, &other_file, &first.tracking_key)
        .await;

    assert_error(response, StatusCode::NOT_FOUND, "not_found").await;
}
