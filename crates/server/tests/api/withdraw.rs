//! `POST /api/cases/{no}/withdraw`: the player's way out of an open case.

use refund_api::{CaseDetail, CaseState, OrderView};
use reqwest::StatusCode;

use crate::helpers::{EventStream, LELE, XIAOMING, assert_error, json_with, spawn_app, submit_minor_refund};

#[tokio::test]
async fn withdrawing_closes_the_case_logs_the_reason_and_frees_its_orders() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let created = submit_minor_refund(&app, &xiaoming, &["DEMO-0002"]).await;

    let detail: CaseDetail = json_with(
        app.post_withdraw(&xiaoming, &created.case_no, Some("已和开发者协商解决"))
            .await,
        StatusCode::OK,
    )
    .await;

    assert_eq!(detail.summary.state, CaseState::Withdrawn);
    let last = detail.timeline.last().expect("an event");
    assert_eq!(last.kind, "withdrawn");
    assert_eq!(last.note.as_deref(), Some("已和开发者协商解决"));
    let orders: Vec<OrderView> = json_with(app.get_orders(&xiaoming.client).await, StatusCode::OK).await;
    let order = orders.iter().find(|o| o.order_no == "DEMO-0002").expect("the order");
    assert_eq!(order.open_case, None);
    let again = submit_minor_refund(&app, &xiaoming, &["DEMO-0002"]).await;
    assert_ne!(again.case_no, created.case_no);
}

#[tokio::test]
async fn a_withdrawn_case_cannot_be_withdrawn_again() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let created = submit_minor_refund(&app, &xiaoming, &["DEMO-0002"]).await;
    assert_eq!(
        app.post_withdraw(&xiaoming, &created.case_no, None).await.status(),
        StatusCode::OK
    );

    assert_error(
        app.post_withdraw(&xiaoming, &created.case_no, None).await,
        StatusCode::CONFLICT,
        "not_allowed_now",
    )
    .await;
}

#[tokio::test]
async fn another_player_cannot_withdraw_a_case() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let lele = app.player(LELE).await;
    let created = submit_minor_refund(&app, &xiaoming, &["DEMO-0002"]).await;

    assert_error(
        app.post_withdraw(&lele, &created.case_no, None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let detail: CaseDetail = json_with(app.get_case(&xiaoming, &created.case_no).await, StatusCode::OK).await;
    assert_eq!(detail.summary.state, CaseState::Submitted);
}

#[tokio::test]
async fn a_tracker_stream_hears_the_withdrawal() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let created = submit_minor_refund(&app, &xiaoming, &["DEMO-0002"]).await;
    let token = app.stream_token(&created.case_no, &created.tracking_key).await;
    let query = [("case", created.case_no.as_str()), ("token", token.as_str())];
    let mut stream = EventStream::new(app.get_events(&app.anonymous, &query, None).await);
    let ready = stream.next_message().await;
    assert_eq!(ready.event.as_deref(), Some("ready"));

    app.post_withdraw(&xiaoming, &created.case_no, None).await;

    let (_, changed) = stream.next_case_event().await;
    assert_eq!(changed.case_no, created.case_no);
    assert_eq!(changed.state, CaseState::Withdrawn);
    assert_eq!(changed.kind, "withdrawn");
}

#[tokio::test]
async fn a_stream_opened_with_a_replaced_tracking_key_ends_instead_of_carrying_news() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let created = submit_minor_refund(&app, &xiaoming, &["DEMO-0002"]).await;
    let old_token = app.stream_token(&created.case_no, &created.tracking_key).await;
    let old_query = [("case", created.case_no.as_str()), ("token", old_token.as_str())];
    let mut old_stream = EventStream::new(app.get_events(&app.anonymous, &old_query, None).await);
    assert_eq!(old_stream.next_message().await.event.as_deref(), Some("ready"));

    let fresh: refund_api::TrackingKey =
        json_with(app.post_tracking_key(&xiaoming, &created.case_no).await, StatusCode::OK).await;
    let new_token = app.stream_token(&created.case_no, &fresh.tracking_key).await;
    let new_query = [("case", created.case_no.as_str()), ("token", new_token.as_str())];
    let mut new_stream = EventStream::new(app.get_events(&app.anonymous, &new_query, None).await);
    assert_eq!(new_stream.next_message().await.event.as_deref(), Some("ready"));

    app.post_withdraw(&xiaoming, &created.case_no, None).await;

    let (_, changed) = new_stream.next_case_event().await;
    assert_eq!(changed.state, CaseState::Withdrawn);
    assert!(old_stream.ends().await, "the old key's stream carried the withdrawal");
    let reopened = app.get_events(&app.anonymous, &old_query, None).await;
    assert_error(reopened, StatusCode::NOT_FOUND, "not_found").await;
}
