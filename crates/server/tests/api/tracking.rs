//! `GET /api/track/{no}` with `X-Tracking-Key`: read-only tracking from any browser, by
//! key only, without anything private.

use chrono::Duration;
use refund_api::{CaseCreated, CaseDetail, EvidenceView, TRACKING_LINK_DAYS_AFTER_END, TrackingKey};
use reqwest::StatusCode;

use crate::helpers::{
    XIAOMING, assert_error, idempotency_key, json_with, minor_refund, png, spawn_app, submit_minor_refund,
    upload_required_evidence,
};

#[tokio::test]
async fn the_tracking_key_opens_the_progress_without_any_cookie_and_nothing_private() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let created = submit_minor_refund(&app, &xiaoming, &["DEMO-0002"]).await;
    let note = "请晚上6点后打给我 13912345678，李强";
    let sent = xiaoming
        .client
        .post(app.url(&format!("/api/cases/{}/messages", created.case_no)))
        .json(&refund_api::MessageRequest {
            text: note.to_owned(),
            evidence_ids: Vec::new(),
        })
        .send()
        .await
        .expect("sent");
    assert_eq!(sent.status(), StatusCode::CREATED);

    let response = app.get_track(&created.case_no, &created.tracking_key).await;
    assert_eq!(response.status(), StatusCode::OK);
    let raw = response.text().await.expect("body");
    let tracked: CaseDetail = serde_json::from_str(&raw).expect("a case");

    let owned: CaseDetail = json_with(app.get_case(&xiaoming, &created.case_no).await, StatusCode::OK).await;
    assert_eq!(owned.evidence.len(), 3, "the player's own view keeps everything");
    assert!(owned.guardian.is_some());
    // What a link shows: the state, the timeline, the amounts and the decisions.
    assert_eq!(tracked.summary, owned.summary);
    // The timeline's entries, without their free text (messages, reasons).
    let mut bare = owned.timeline.clone();
    bare.iter_mut().for_each(|entry| entry.note = None);
    assert!(owned.timeline.iter().any(|e| e.note.as_deref() == Some(note)));
    assert_eq!(tracked.timeline, bare);
    assert_eq!(tracked.orders, owned.orders);
    assert_eq!(tracked.decisions, owned.decisions);
    // What it never shows, checked on the JSON itself: the guardian (name, phone, the
    // child's birth month), the account of what happened and the evidence files.
    let case = minor_refund(&[], Vec::new());
    let guardian = case.guardian.expect("a guardian");
    let phone_digits: String = guardian.phone.chars().filter(char::is_ascii_digit).collect();
    let value: serde_json::Value = serde_json::from_str(&raw).expect("json");
    for field in ["guardian", "narrative", "evidence", "next_step"] {
        assert!(value.get(field).is_none(), "the tracking view has `{field}`: {raw}");
    }
    for private in [
        guardian.name.as_str(),
        &phone_digits,
        &phone_digits[phone_digits.len() - 4..],
        &format!("{}-{:02}", guardian.minor_birth.year, guardian.minor_birth.month),
        "\"minor_birth\"",
        &case.narrative[..12],
        "13912345678",
        "李强",
    ] {
        assert!(!raw.contains(private), "the tracking view shows {private:?}: {raw}");
    }
}

#[tokio::test]
async fn a_complaints_tracking_view_has_no_contact() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let created = crate::helpers::submit_complaint(&app, &xiaoming).await;

    let raw = app
        .get_track(&created.case_no, &created.tracking_key)
        .await
        .text()
        .await
        .expect("body");

    let tracked: CaseDetail = serde_json::from_str(&raw).expect("a case");
    let complaint = tracked.complaint.expect("the complaint's subject is shown");
    assert_eq!(complaint.title, "每日签到奖励领取后消失");
    assert!(!raw.contains("\"contact\""), "{raw}");
    assert!(!raw.contains("1111"), "the contact's digits leak: {raw}");
}

#[tokio::test]
async fn a_key_in_the_query_string_is_refused_even_when_right() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let created = submit_minor_refund(&app, &xiaoming, &["DEMO-0002"]).await;

    let response = app
        .anonymous
        .get(app.url(&format!("/api/track/{}", created.case_no)))
        .query(&[("key", created.tracking_key.as_str())])
        .send()
        .await
        .expect("sent");

    assert_error(response, StatusCode::BAD_REQUEST, "tracking_key_in_url").await;
}

#[tokio::test]
async fn a_key_stops_working_ninety_days_after_the_case_ended() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let created = submit_minor_refund(&app, &xiaoming, &["DEMO-0002"]).await;
    let withdrawn = app.post_withdraw(&xiaoming, &created.case_no, None).await;
    assert_eq!(withdrawn.status(), StatusCode::OK);

    app.clock
        .shift(Duration::days(TRACKING_LINK_DAYS_AFTER_END) - Duration::minutes(1));
    assert_eq!(
        app.get_track(&created.case_no, &created.tracking_key).await.status(),
        StatusCode::OK
    );
    app.clock.shift(Duration::minutes(2));

    assert_error(
        app.get_track(&created.case_no, &created.tracking_key).await,
        StatusCode::GONE,
        "tracking_link_expired",
    )
    .await;
    assert_error(
        app.post_stream_token(&created.case_no, &created.tracking_key).await,
        StatusCode::GONE,
        "tracking_link_expired",
    )
    .await;
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
async fn a_link_serves_no_evidence_file_at_all() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let mut evidence = upload_required_evidence(&app, &xiaoming).await;
    let chat: EvidenceView = json_with(
        app.upload_evidence(&xiaoming, "developer_chats", &png("chat.png", 99))
            .await,
        StatusCode::CREATED,
    )
    .await;
    evidence.push(chat.id.clone());
    let created: CaseCreated = json_with(
        app.post_case(
            &xiaoming,
            Some(&idempotency_key()),
            &minor_refund(&["DEMO-0002"], evidence.clone()),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;

    for id in &evidence {
        let path = format!("/api/track/{}/evidence/{id}", created.case_no);
        let response = app
            .anonymous
            .get(app.url(&path))
            .header(refund_api::TRACKING_KEY_HEADER, &created.tracking_key)
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        let anonymous = app.get(&app.anonymous, &format!("/api/evidence/{id}")).await;
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED, "{id}");
    }
    // The player still reads their own files.
    assert_eq!(app.get_evidence(&xiaoming, &chat.id).await.status(), StatusCode::OK);
}
