//! `GET /api/events`: live case updates over SSE, replayed after a reconnect.

use refund_api::{CaseCreated, CaseState};
use reqwest::StatusCode;

use crate::helpers::{
    EventStream, LELE, XIAOMING, assert_error, complaint, idempotency_key, json_with, spawn_app, submit_minor_refund,
};

#[tokio::test]
async fn a_player_stream_carries_the_submission_of_a_new_case() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let mut stream = EventStream::new(app.get_events(&xiaoming.client, &[], None).await);
    let hello = stream.next_message().await;
    assert_eq!(hello.event.as_deref(), Some("ready"));

    let created = submit_minor_refund(&app, &xiaoming, &["DEMO-0001"]).await;

    let (message, changed) = stream.next_case_event().await;
    assert_eq!(changed.case_no, created.case_no);
    assert_eq!(changed.kind, "submitted");
    assert_eq!(changed.state, CaseState::Submitted);
    assert_eq!(
        message.id,
        Some(changed.event_id.to_string()),
        "the SSE id is the event id"
    );
}

#[tokio::test]
async fn reconnecting_with_last_event_id_replays_what_was_missed() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let created = submit_minor_refund(&app, &xiaoming, &["DEMO-0001"]).await;

    let mut stream = EventStream::new(app.get_events(&xiaoming.client, &[], Some(0)).await);

    let (message, changed) = stream.next_case_event().await;
    assert_eq!(changed.case_no, created.case_no);
    assert_eq!(changed.kind, "submitted");
    let id: i64 = message.id.as_deref().expect("an id").parse().expect("a numeric id");

    let mut resumed = EventStream::new(app.get_events(&xiaoming.client, &[], Some(id)).await);
    let second = submit_minor_refund(&app, &xiaoming, &["DEMO-0002"]).await;
    let (_, next) = resumed.next_case_event().await;
    assert_eq!(
        next.case_no, second.case_no,
        "events up to the given id are not sent again"
    );
}

#[tokio::test]
async fn a_player_stream_does_not_carry_other_players_cases() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let lele = app.player(LELE).await;
    submit_minor_refund(&app, &xiaoming, &["DEMO-0001"]).await;
    let mut leles_stream = EventStream::new(app.get_events(&lele.client, &[], Some(0)).await);

    let leles_case: CaseCreated = json_with(
        app.post_case(&lele, Some(&idempotency_key()), &complaint()).await,
        StatusCode::CREATED,
    )
    .await;

    let (_, first) = leles_stream.next_case_event().await;
    assert_eq!(
        first.case_no, leles_case.case_no,
        "xiaoming's case is not in lele's stream"
    );
}

#[tokio::test]
async fn a_tracking_key_stream_replays_the_case_without_a_session() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let created = submit_minor_refund(&app, &xiaoming, &["DEMO-0001"]).await;
    let token = app.stream_token(&created.case_no, &created.tracking_key).await;
    let query = [("case", created.case_no.as_str()), ("token", token.as_str())];

    let mut stream = EventStream::new(app.get_events(&app.anonymous, &query, Some(0)).await);

    let (_, changed) = stream.next_case_event().await;
    assert_eq!(changed.case_no, created.case_no);
    assert_eq!(changed.kind, "submitted");
}

#[tokio::test]
async fn a_tracking_stream_needs_a_token_made_with_the_key_and_refuses_the_key_itself() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let created = submit_minor_refund(&app, &xiaoming, &["DEMO-0001"]).await;
    let other = submit_minor_refund(&app, &xiaoming, &["DEMO-0002"]).await;
    let others_token = app.stream_token(&other.case_no, &other.tracking_key).await;

    assert_error(
        app.post_stream_token(&created.case_no, "not-the-key").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    for token in ["not-a-token", "4102444800.00", others_token.as_str()] {
        let query = [("case", created.case_no.as_str()), ("token", token)];
        let response = app.get_events(&app.anonymous, &query, None).await;
        assert_error(response, StatusCode::NOT_FOUND, "not_found").await;
    }
    // The key itself in the URL, where proxies and logs keep it, is refused outright.
    let query = [
        ("case", created.case_no.as_str()),
        ("key", created.tracking_key.as_str()),
    ];
    let response = app.get_events(&app.anonymous, &query, None).await;
    assert_error(response, StatusCode::BAD_REQUEST, "tracking_key_in_url").await;
}

#[tokio::test]
async fn a_stream_without_a_session_or_key_returns_401() {
    let app = spawn_app().await;

    let response = app.get_events(&app.anonymous, &[], None).await;

    assert_error(response, StatusCode::UNAUTHORIZED, "no_session").await;
}

#[tokio::test]
async fn a_resync_does_not_replay_history_to_a_stream_that_started_at_the_present() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let created = submit_minor_refund(&app, &xiaoming, &["DEMO-0002"]).await;
    let mut stream = EventStream::new(app.get_events(&xiaoming.client, &[], None).await);
    assert_eq!(stream.next_message().await.event.as_deref(), Some("ready"));

    // What a PostgreSQL listener's reconnect tells every stream.
    app.state.hub.publish(refund_server::live::LiveEvent::Resync);
    app.post_withdraw(&xiaoming, &created.case_no, None).await;

    let (_, changed) = stream.next_case_event().await;
    assert_eq!(
        changed.kind, "withdrawn",
        "the first news after the resync is the new event, not the submission read before"
    );
}
