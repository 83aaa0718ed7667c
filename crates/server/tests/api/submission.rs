//! `POST /api/cases`: the rules, idempotency, one open case per order, and reading cases back.

use refund_api::{CaseCreated, CaseDetail, CaseKind, CaseState, CaseSummary, EvidenceView};
use refund_server::domain::calendar::WorkingCalendar;
use reqwest::StatusCode;

use crate::helpers::{
    LELE, XIAOMING, assert_error, complaint, idempotency_key, json_with, minor_refund, png, spawn_app,
    submit_minor_refund, upload_required_evidence,
};

#[tokio::test]
async fn a_minor_refund_without_guardianship_proof_returns_422_missing_evidence() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let mut ids = Vec::new();
    for (tag, category) in [(1, "minor_proof"), (2, "guardian_identity"), (3, "payment_records")] {
        let view: EvidenceView = json_with(
            app.upload_evidence(&xiaoming, category, &png("p.png", tag)).await,
            StatusCode::CREATED,
        )
        .await;
        ids.push(view.id);
    }

    let response = app
        .post_case(&xiaoming, Some(&idempotency_key()), &minor_refund(&["DEMO-0001"], ids))
        .await;

    let error = assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "missing_evidence").await;
    assert_eq!(error.field.as_deref(), Some("evidence.guardianship_proof"));
    let cases: Vec<CaseSummary> = json_with(app.get_cases(&xiaoming).await, StatusCode::OK).await;
    assert!(cases.is_empty());
}

#[tokio::test]
async fn claiming_another_players_order_returns_404_order_not_found() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let evidence = upload_required_evidence(&app, &xiaoming).await;

    let response = app
        .post_case(
            &xiaoming,
            Some(&idempotency_key()),
            &minor_refund(&["DEMO-1002"], evidence),
        )
        .await;

    let error = assert_error(response, StatusCode::NOT_FOUND, "order_not_found").await;
    assert!(error.message.contains("DEMO-1002"), "{}", error.message);
}

#[tokio::test]
async fn an_invalid_guardian_phone_returns_422_naming_the_field() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let evidence = upload_required_evidence(&app, &xiaoming).await;
    let mut case = minor_refund(&["DEMO-0001"], evidence);
    if let Some(guardian) = case.guardian.as_mut() {
        guardian.phone = "010-12345678".to_owned();
    }

    let response = app.post_case(&xiaoming, Some(&idempotency_key()), &case).await;

    let error = assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "invalid_phone").await;
    assert_eq!(error.field.as_deref(), Some("guardian.phone"));
}

#[tokio::test]
async fn a_submission_without_an_idempotency_key_returns_400() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let evidence = upload_required_evidence(&app, &xiaoming).await;
    let case = minor_refund(&["DEMO-0001"], evidence);

    assert_error(
        app.post_case(&xiaoming, None, &case).await,
        StatusCode::BAD_REQUEST,
        "missing_idempotency_key",
    )
    .await;
    assert_error(
        app.post_case(&xiaoming, Some("short"), &case).await,
        StatusCode::BAD_REQUEST,
        "missing_idempotency_key",
    )
    .await;
    let cases: Vec<CaseSummary> = json_with(app.get_cases(&xiaoming).await, StatusCode::OK).await;
    assert!(cases.is_empty());
}

#[tokio::test]
async fn the_same_idempotency_key_twice_creates_one_case() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let evidence = upload_required_evidence(&app, &xiaoming).await;
    let case = minor_refund(&["DEMO-0002", "DEMO-0003"], evidence);
    let key = idempotency_key();

    let first: CaseCreated = json_with(app.post_case(&xiaoming, Some(&key), &case).await, StatusCode::CREATED).await;
    let second: CaseCreated = json_with(app.post_case(&xiaoming, Some(&key), &case).await, StatusCode::OK).await;

    assert_eq!(second, first, "the retry gets the first answer, tracking key included");
    let cases: Vec<CaseSummary> = json_with(app.get_cases(&xiaoming).await, StatusCode::OK).await;
    assert_eq!(cases.len(), 1);
    assert_eq!(cases[0].case_no, first.case_no);
    assert_eq!(cases[0].claimed_fen, 3_000 + 12_800);
}

#[tokio::test]
async fn the_same_idempotency_key_with_a_different_body_returns_409() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let evidence = upload_required_evidence(&app, &xiaoming).await;
    let key = idempotency_key();
    let first = app
        .post_case(&xiaoming, Some(&key), &minor_refund(&["DEMO-0002"], evidence.clone()))
        .await;
    assert_eq!(first.status(), StatusCode::CREATED);

    let response = app
        .post_case(&xiaoming, Some(&key), &minor_refund(&["DEMO-0003"], evidence))
        .await;

    assert_error(response, StatusCode::CONFLICT, "idempotency_key_reused").await;
    let cases: Vec<CaseSummary> = json_with(app.get_cases(&xiaoming).await, StatusCode::OK).await;
    assert_eq!(cases.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_identical_submissions_in_parallel_create_exactly_one_case() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let evidence = upload_required_evidence(&app, &xiaoming).await;
    let case = minor_refund(&["DEMO-0004"], evidence);
    let key = idempotency_key();

    let (a, b) = tokio::join!(
        app.post_case(&xiaoming, Some(&key), &case),
        app.post_case(&xiaoming, Some(&key), &case)
    );

    let mut statuses = [a.status(), b.status()];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::CREATED],
        "one creates, the other replays"
    );
    let a: CaseCreated = serde_json::from_str(&a.text().await.expect("body")).expect("CaseCreated");
    let b: CaseCreated = serde_json::from_str(&b.text().await.expect("body")).expect("CaseCreated");
    assert_eq!(a, b);
    let cases: Vec<CaseSummary> = json_with(app.get_cases(&xiaoming).await, StatusCode::OK).await;
    assert_eq!(cases.len(), 1);
    assert_eq!(cases[0].case_no, a.case_no);
}

#[tokio::test]
async fn an_order_already_in_an_open_case_returns_409_naming_the_order_and_the_case() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let first = submit_minor_refund(&app, &xiaoming, &["DEMO-0005"]).await;
    let evidence = upload_required_evidence(&app, &xiaoming).await;

    let response = app
        .post_case(
            &xiaoming,
            Some(&idempotency_key()),
            &minor_refund(&["DEMO-0001", "DEMO-0005"], evidence),
        )
        .await;

    let error = assert_error(response, StatusCode::CONFLICT, "order_in_open_case").await;
    assert!(error.message.contains("DEMO-0005"), "{}", error.message);
    assert!(error.message.contains(&first.case_no), "{}", error.message);
    assert_eq!(
        error.params.get("order_no").map(String::as_str),
        Some("DEMO-0005"),
        "the app words it"
    );
    assert_eq!(error.params.get("case_no"), Some(&first.case_no));
    let cases: Vec<CaseSummary> = json_with(app.get_cases(&xiaoming).await, StatusCode::OK).await;
    assert_eq!(cases.len(), 1);
}

#[tokio::test]
async fn another_player_reading_a_case_gets_404() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let lele = app.player(LELE).await;
    let created = submit_minor_refund(&app, &xiaoming, &["DEMO-0001"]).await;

    assert_error(
        app.get_case(&lele, &created.case_no).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        app.post_tracking_key(&lele, &created.case_no).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let leles: Vec<CaseSummary> = json_with(app.get_cases(&lele).await, StatusCode::OK).await;
    assert!(leles.is_empty());
}

#[tokio::test]
async fn an_unknown_case_returns_404() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;

    assert_error(
        app.get_case(&xiaoming, "MR-2026-999999").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn the_owner_reads_the_case_with_its_timeline_orders_and_evidence() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let evidence = upload_required_evidence(&app, &xiaoming).await;
    let created: CaseCreated = json_with(
        app.post_case(
            &xiaoming,
            Some(&idempotency_key()),
            &minor_refund(&["DEMO-0003", "DEMO-0001"], evidence.clone()),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;

    let detail: CaseDetail = json_with(app.get_case(&xiaoming, &created.case_no).await, StatusCode::OK).await;

    assert_eq!(detail.summary.case_no, created.case_no);
    assert!(created.case_no.starts_with("MR-"), "{}", created.case_no);
    assert_eq!(detail.summary.kind, CaseKind::MinorRefund);
    assert_eq!(detail.summary.state, CaseState::Submitted);
    assert_eq!(detail.summary.claimed_fen, 600 + 12_800);
    assert_eq!(detail.timeline.first().map(|e| e.kind.as_str()), Some("submitted"));
    let mut orders: Vec<&str> = detail.orders.iter().map(|o| o.order_no.as_str()).collect();
    orders.sort_unstable();
    assert_eq!(orders, ["DEMO-0001", "DEMO-0003"]);
    let mut attached: Vec<&str> = detail.evidence.iter().map(|e| e.id.as_str()).collect();
    attached.sort_unstable();
    let mut uploaded: Vec<&str> = evidence.iter().map(String::as_str).collect();
    uploaded.sort_unstable();
    assert_eq!(attached, uploaded);
    let guardian = detail.guardian.expect("the guardian is shown");
    assert_eq!(guardian.phone_masked, "138****8000", "the phone number is masked");
    let listed: Vec<CaseSummary> = json_with(app.get_cases(&xiaoming).await, StatusCode::OK).await;
    assert_eq!(listed, vec![detail.summary]);
}

#[tokio::test]
async fn attached_evidence_can_no_longer_be_deleted_or_reused() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let evidence = upload_required_evidence(&app, &xiaoming).await;
    let first = app
        .post_case(
            &xiaoming,
            Some(&idempotency_key()),
            &minor_refund(&["DEMO-0001"], evidence.clone()),
        )
        .await;
    assert_eq!(first.status(), StatusCode::CREATED);

    assert_error(
        app.delete_evidence(&xiaoming, &evidence[0]).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let reuse = app
        .post_case(
            &xiaoming,
            Some(&idempotency_key()),
            &minor_refund(&["DEMO-0002"], evidence),
        )
        .await;
    assert_error(reuse, StatusCode::UNPROCESSABLE_ENTITY, "evidence_not_found").await;
}

#[tokio::test]
async fn a_minor_refund_is_due_two_working_days_after_submission() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let created = submit_minor_refund(&app, &xiaoming, &["DEMO-0006"]).await;

    let detail: CaseDetail = json_with(app.get_case(&xiaoming, &created.case_no).await, StatusCode::OK).await;

    let expected = WorkingCalendar::bundled()
        .add_working_days(&detail.summary.submitted_at, 2)
        .due_at;
    assert_eq!(detail.summary.due_at, expected);
    assert_eq!(created.due_at, expected);
    assert_eq!(
        detail.summary.due_at.offset().local_minus_utc(),
        8 * 3600,
        "shown in Beijing time"
    );
}

#[tokio::test]
async fn a_complaint_without_orders_or_evidence_is_accepted_and_due_in_three_working_days() {
    let app = spawn_app().await;
    let lele = app.player(LELE).await;

    let created: CaseCreated = json_with(
        app.post_case(&lele, Some(&idempotency_key()), &complaint()).await,
        StatusCode::CREATED,
    )
    .await;

    assert!(created.case_no.starts_with("CP-"), "{}", created.case_no);
    let detail: CaseDetail = json_with(app.get_case(&lele, &created.case_no).await, StatusCode::OK).await;
    assert_eq!(detail.summary.kind, CaseKind::Complaint);
    assert!(detail.orders.is_empty());
    assert!(detail.evidence.is_empty());
    let sent = complaint().complaint.expect("a complaint");
    assert_eq!(
        detail.complaint,
        Some(refund_api::ComplaintInfo {
            contact: "139****1111".to_owned(),
            ..sent
        }),
        "stored as sent, the contact shown masked"
    );
    let expected = WorkingCalendar::bundled()
        .add_working_days(&detail.summary.submitted_at, 3)
        .due_at;
    assert_eq!(detail.summary.due_at, expected);
    assert_eq!(created.due_at, expected);
}

#[tokio::test]
async fn case_numbers_count_up_per_kind() {
    let app = spawn_app().await;
    let lele = app.player(LELE).await;

    let first: CaseCreated = json_with(
        app.post_case(&lele, Some(&idempotency_key()), &complaint()).await,
        StatusCode::CREATED,
    )
    .await;
    let second: CaseCreated = json_with(
        app.post_case(&lele, Some(&idempotency_key()), &complaint()).await,
        StatusCode::CREATED,
    )
    .await;
    let refund = submit_minor_refund(&app, &lele, &["DEMO-1003"]).await;

    assert!(first.case_no.ends_with("-000001"), "{}", first.case_no);
    assert!(second.case_no.ends_with("-000002"), "{}", second.case_no);
    assert!(
        refund.case_no.starts_with("MR-") && refund.case_no.ends_with("-000001"),
        "{}",
        refund.case_no
    );
}
