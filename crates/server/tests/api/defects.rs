//! Defects found in review of the storage code, each pinned by a test that failed before
//! its fix: ids cut before duplicates were removed, content deleted under a new upload of
//! the same bytes, and tracking keys derived from the case number.

use refund_api::{CaseCreated, CaseDetail, EvidenceView};
use reqwest::StatusCode;

use crate::helpers::{
    LELE, XIAOMING, idempotency_key, json_with, minor_refund, png, spawn_app, text, upload_required_evidence,
};

#[tokio::test]
async fn a_file_id_repeated_past_the_limit_does_not_hide_the_next_one() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let required = upload_required_evidence(&app, &xiaoming).await;
    let mut ids = vec![required[0].clone(); 21];
    ids.extend(required.iter().skip(1).cloned());

    let response = app
        .post_case(&xiaoming, Some(&idempotency_key()), &minor_refund(&["DEMO-0001"], ids))
        .await;

    let created: CaseCreated = json_with(response, StatusCode::CREATED).await;
    let case: CaseDetail = json_with(app.get_case(&xiaoming, &created.case_no).await, StatusCode::OK).await;
    assert_eq!(case.evidence.len(), 3, "each file once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn deleting_a_file_while_the_same_bytes_are_uploaded_again_never_loses_the_new_file() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let file = png("same.png", 77);
    let mut current: EvidenceView = json_with(
        app.upload_evidence(&xiaoming, "minor_proof", &file).await,
        StatusCode::CREATED,
    )
    .await;

    for round in 0..25 {
        let (deleted, uploaded) = tokio::join!(
            app.delete_evidence(&xiaoming, &current.id),
            app.upload_evidence(&xiaoming, "minor_proof", &file)
        );
        assert_eq!(deleted.status(), StatusCode::NO_CONTENT, "round {round}");
        current = json_with(uploaded, StatusCode::CREATED).await;

        let read = app.get_evidence(&xiaoming, &current.id).await;
        assert_eq!(read.status(), StatusCode::OK, "round {round}");
        assert_eq!(
            read.bytes().await.expect("body").as_ref(),
            file.bytes.as_slice(),
            "round {round}"
        );
    }
}

#[tokio::test]
async fn a_case_number_reused_after_a_restore_does_not_open_with_the_old_familys_link() {
    let (app, before) = spawn_app().await.snapshot().await;
    let xiaoming = app.player(XIAOMING).await;
    let evidence = upload_required_evidence(&app, &xiaoming).await;
    let first: CaseCreated = json_with(
        app.post_case(
            &xiaoming,
            Some(&idempotency_key()),
            &minor_refund(&["DEMO-0001"], evidence),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;

    // The database is restored from the backup taken before that case: its number is free again.
    let app = app.restore(before).await;
    let lele = app.player(LELE).await;
    let evidence = upload_required_evidence(&app, &lele).await;
    let second: CaseCreated = json_with(
        app.post_case(&lele, Some(&idempotency_key()), &minor_refund(&["DEMO-1002"], evidence))
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(second.case_no, first.case_no, "the restore made the number free again");

    let old_link = app.get_track(&second.case_no, &first.tracking_key).await;
    assert_eq!(old_link.status(), StatusCode::NOT_FOUND, "{}", text(old_link).await);
    let own_link = app.get_track(&second.case_no, &second.tracking_key).await;
    assert_eq!(own_link.status(), StatusCode::OK);
}
