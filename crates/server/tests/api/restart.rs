//! Everything lives in the data directory: a restarted server carries on where it stopped.

use std::time::Duration;

use refund_api::{CaseCreated, CaseDetail, CaseSummary, EvidenceView, OrderView, SessionView};
use reqwest::StatusCode;

use crate::helpers::{
    EventStream, XIAOMING, idempotency_key, json_with, minor_refund, png, spawn_app, upload_required_evidence,
};

#[tokio::test]
async fn sessions_cases_orders_and_files_survive_a_restart_on_the_same_data_dir() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let mut evidence = upload_required_evidence(&app, &xiaoming).await;
    let account = png("account.png", 42);
    let extra: EvidenceView = json_with(
        app.upload_evidence(&xiaoming, "game_account", &account).await,
        StatusCode::CREATED,
    )
    .await;
    evidence.push(extra.id.clone());
    let created: CaseCreated = json_with(
        app.post_case(
            &xiaoming,
            Some(&idempotency_key()),
            &minor_refund(&["DEMO-0004"], evidence),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;

    let app = app.restart().await;

    let session: SessionView = json_with(app.get_session(&xiaoming).await, StatusCode::OK).await;
    assert_eq!(session.nickname, "星辰小明");
    let cases: Vec<CaseSummary> = json_with(app.get_cases(&xiaoming).await, StatusCode::OK).await;
    assert_eq!(cases.len(), 1);
    assert_eq!(cases[0].case_no, created.case_no);
    let detail: CaseDetail = json_with(app.get_case(&xiaoming, &created.case_no).await, StatusCode::OK).await;
    assert_eq!(detail.orders.len(), 1);
    assert_eq!(detail.orders[0].order_no, "DEMO-0004");
    assert_eq!(detail.evidence.len(), 4);
    let orders: Vec<OrderView> = json_with(app.get_orders(&xiaoming.client).await, StatusCode::OK).await;
    assert_eq!(orders.len(), 6, "the imported orders are still there");
    let claimed = orders
        .iter()
        .find(|o| o.order_no == "DEMO-0004")
        .expect("claimed order");
    assert_eq!(claimed.open_case.as_deref(), Some(created.case_no.as_str()));
    let file = app.get_evidence(&xiaoming, &extra.id).await;
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(file.bytes().await.expect("body").as_ref(), account.bytes.as_slice());
    let tracked = app.get_track(&created.case_no, &created.tracking_key).await;
    assert_eq!(tracked.status(), StatusCode::OK, "the tracking key survives too");
}

#[tokio::test]
async fn stopping_the_server_ends_open_event_streams_instead_of_waiting_for_them() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let mut stream = EventStream::new(app.get_events(&xiaoming.client, &[], None).await);
    assert_eq!(stream.next_message().await.event.as_deref(), Some("ready"));

    // A bound against hanging, not a timing requirement: a stuck shutdown never finishes.
    let stopped = tokio::time::timeout(Duration::from_secs(10), app.stop()).await;

    assert!(stopped.is_ok(), "the server kept waiting for an open event stream");
}
