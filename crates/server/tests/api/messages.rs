//! Messages both ways, the phone revealed on record, notifications with unread counts,
//! and the console's live stream.

use refund_api::{CaseDetail, ConsoleCase, EventKind, MessageRequest, NotificationList, RevealedPhone, TimelineEntry};
use reqwest::StatusCode;

use crate::helpers::{EventStream, XIAOMING, assert_error, json_with, spawn_app, submit_minor_refund};

fn message(text: &str) -> MessageRequest {
    MessageRequest {
        text: text.to_owned(),
        evidence_ids: Vec::new(),
    }
}

#[tokio::test]
async fn the_player_and_the_developer_exchange_messages_on_the_timeline_and_are_notified() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let case = submit_minor_refund(&app, &xiaoming, &["DEMO-0001"]).await;
    let developer = app.developer().await;
    let developer_inbox: NotificationList =
        json_with(app.get(&developer, "/api/notifications").await, StatusCode::OK).await;
    assert_eq!(developer_inbox.unread, 1, "told of the new case");
    assert_eq!(developer_inbox.items[0].kind, EventKind::Submitted);

    let asked: TimelineEntry = json_with(
        developer
            .post(app.url(&format!("/api/console/cases/{}/messages", case.case_no)))
            .json(&message("请补充孩子的出生证明照片。"))
            .send()
            .await
            .expect("sent"),
        StatusCode::CREATED,
    )
    .await;
    let answered: TimelineEntry = json_with(
        xiaoming
            .client
            .post(app.url(&format!("/api/cases/{}/messages", case.case_no)))
            .json(&message("好的，今晚上传。"))
            .send()
            .await
            .expect("sent"),
        StatusCode::CREATED,
    )
    .await;

    let detail: CaseDetail = json_with(app.get_case(&xiaoming, &case.case_no).await, StatusCode::OK).await;
    let messages: Vec<&TimelineEntry> = detail.timeline.iter().filter(|e| e.kind == "message").collect();
    assert_eq!(messages, vec![&asked, &answered]);
    let player_inbox: NotificationList =
        json_with(app.get(&xiaoming.client, "/api/notifications").await, StatusCode::OK).await;
    assert_eq!(
        (player_inbox.unread, player_inbox.items[0].kind),
        (1, EventKind::Message)
    );
    let read: NotificationList = json_with(
        xiaoming
            .client
            .post(app.url("/api/notifications/read"))
            .json(&serde_json::json!({}))
            .send()
            .await
            .expect("sent"),
        StatusCode::OK,
    )
    .await;
    assert_eq!(read.unread, 0);
    let developer_inbox: NotificationList =
        json_with(app.get(&developer, "/api/notifications").await, StatusCode::OK).await;
    assert_eq!(developer_inbox.unread, 2, "the new case and the answer");
}

#[tokio::test]
async fn an_empty_or_overlong_message_is_refused_and_nothing_is_added() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let case = submit_minor_refund(&app, &xiaoming, &["DEMO-0001"]).await;
    let url = app.url(&format!("/api/cases/{}/messages", case.case_no));
    for text in ["   ".to_owned(), "长".repeat(2_001)] {
        let response = xiaoming
            .client
            .post(&url)
            .json(&message(&text))
            .send()
            .await
            .expect("sent");
        assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "message_length").await;
    }
    let detail: CaseDetail = json_with(app.get_case(&xiaoming, &case.case_no).await, StatusCode::OK).await;
    assert_eq!(detail.timeline.len(), 1, "only the submission");
}

#[tokio::test]
async fn the_phone_is_masked_until_revealed_and_revealing_it_is_on_the_record() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let case = submit_minor_refund(&app, &xiaoming, &["DEMO-0001"]).await;
    let developer = app.developer().await;
    let seen: ConsoleCase = json_with(
        app.get(&developer, &format!("/api/console/cases/{}", case.case_no))
            .await,
        StatusCode::OK,
    )
    .await;
    let masked = seen.guardian.expect("a guardian").phone_masked;
    assert!(masked.contains("****") && !masked.contains("0013"), "{masked}");

    let revealed: RevealedPhone = json_with(
        developer
            .post(app.url(&format!("/api/console/cases/{}/reveal-phone", case.case_no)))
            .send()
            .await
            .expect("sent"),
        StatusCode::OK,
    )
    .await;

    assert_eq!(revealed.phone, "13800138000");
    let detail: CaseDetail = json_with(app.get_case(&xiaoming, &case.case_no).await, StatusCode::OK).await;
    let entry = detail.timeline.last().expect("an entry");
    assert_eq!(
        (entry.kind.as_str(), entry.actor),
        ("phone_revealed", refund_api::Actor::Developer)
    );
}

#[tokio::test]
async fn the_console_stream_carries_the_organisations_new_cases_and_only_those() {
    let app = spawn_app().await;
    let developer = app.developer().await;
    let other = app.other_developer().await;
    let mut ours = EventStream::new(app.get(&developer, "/api/events?audience=console").await);
    let mut theirs = EventStream::new(app.get(&other, "/api/events?audience=console").await);
    assert_eq!(ours.next_message().await.event.as_deref(), Some("ready"));
    assert_eq!(theirs.next_message().await.event.as_deref(), Some("ready"));
    let xiaoming = app.player(XIAOMING).await;

    let case = submit_minor_refund(&app, &xiaoming, &["DEMO-0001"]).await;

    let (_, changed) = ours.next_case_event().await;
    assert_eq!(changed.case_no, case.case_no);
    assert!(
        theirs.nothing_within(std::time::Duration::from_millis(300)).await,
        "another organisation hears nothing"
    );
}
