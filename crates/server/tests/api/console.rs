//! Console sign-in and the queue: accounts of people at desks, throttled guessing, and a
//! developer seeing their organisation's cases sorted by deadline, and the evidence they
//! check (videos seek, so byte ranges are honoured).

use refund_api::{QueueRow, StaffRole, StaffView};
use reqwest::StatusCode;

use crate::helpers::{
    TestApp, XIAOMING, assert_error, complaint, idempotency_key, json_with, spawn_app, submit_minor_refund,
};

#[tokio::test]
async fn a_developer_signs_in_sees_who_they_are_and_signs_out() {
    let app = spawn_app().await;
    let client = TestApp::browser();
    let (login, password) = app.demo.developer.clone();

    let view: StaffView = json_with(app.post_login(&client, &login, &password).await, StatusCode::OK).await;

    assert_eq!((view.role, view.org_id.is_some()), (StaffRole::Developer, true));
    let me: StaffView = json_with(app.get(&client, "/api/console/session").await, StatusCode::OK).await;
    assert_eq!(me.login, login);
    let out = client.post(app.url("/api/console/logout")).send().await.expect("sent");
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert_error(
        app.get(&client, "/api/console/session").await,
        StatusCode::UNAUTHORIZED,
        "no_console_session",
    )
    .await;
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_login_get_the_same_401() {
    let app = spawn_app().await;
    let (login, _) = app.demo.developer.clone();
    let client = TestApp::browser();

    let wrong = assert_error(
        app.post_login(&client, &login, "not the password").await,
        StatusCode::UNAUTHORIZED,
        "wrong_login",
    )
    .await;
    let unknown = assert_error(
        app.post_login(&client, "nobody", "not the password").await,
        StatusCode::UNAUTHORIZED,
        "wrong_login",
    )
    .await;

    assert_eq!(
        wrong.message, unknown.message,
        "the answer does not tell which logins exist"
    );
}

#[tokio::test]
async fn repeated_wrong_passwords_are_slowed_down_with_429_and_retry_after() {
    let app = spawn_app().await;
    let (login, password) = app.demo.developer.clone();
    let client = TestApp::browser();
    for _ in 0..3 {
        assert_eq!(
            app.post_login(&client, &login, "guess guess guess").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }

    let slowed = app.post_login(&client, &login, &password).await;

    assert_eq!(slowed.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = slowed
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("a Retry-After in seconds");
    assert!(wait >= 1);
    let body: serde_json::Value = slowed.json().await.expect("an error body");
    assert_eq!(body["error"]["code"], "too_many_attempts");
    assert_eq!(
        body["error"]["params"]["seconds"],
        wait.to_string(),
        "the app can say how long to wait"
    );
    app.clock.shift(chrono::Duration::seconds(2));
    assert_eq!(
        app.post_login(&client, &login, &password).await.status(),
        StatusCode::OK,
        "after the wait it works"
    );
}

#[tokio::test]
async fn the_queue_holds_the_organisations_cases_sorted_by_deadline() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let refund = submit_minor_refund(&app, &xiaoming, &["DEMO-0001"]).await;
    let complaint = json_with::<refund_api::CaseCreated>(
        app.post_case(&xiaoming, Some(&idempotency_key()), &complaint()).await,
        StatusCode::CREATED,
    )
    .await;
    let developer = app.developer().await;

    let rows: Vec<QueueRow> = json_with(app.get(&developer, "/api/console/cases").await, StatusCode::OK).await;

    let numbers: Vec<&str> = rows.iter().map(|r| r.case_no.as_str()).collect();
    assert_eq!(
        numbers,
        [refund.case_no.as_str(), complaint.case_no.as_str()],
        "the minor refund is due first"
    );
    assert!(
        rows.iter()
            .all(|r| !r.time_left.overdue && r.time_left.working_days >= 1)
    );
    // Once the refund is decided, the complaint still waiting for an answer comes first,
    // though the decided case's deadline was earlier.
    let full = refund_api::DecisionRequest {
        outcome: refund_api::Outcome::Full,
        refunds: Vec::new(),
        reason: None,
        note: "已全额退款。".to_owned(),
    };
    let decided = app.post_decision(&developer, &refund.case_no, &full).await;
    assert_eq!(decided.status(), StatusCode::CREATED);
    let rows: Vec<QueueRow> = json_with(app.get(&developer, "/api/console/cases").await, StatusCode::OK).await;
    let numbers: Vec<&str> = rows.iter().map(|r| r.case_no.as_str()).collect();
    assert_eq!(
        numbers,
        [complaint.case_no.as_str(), refund.case_no.as_str()],
        "waiting cases first"
    );
    let only: Vec<QueueRow> = json_with(
        app.get(&developer, "/api/console/cases?kind=complaint").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(only.len(), 1);
    let other = app.other_developer().await;
    let none: Vec<QueueRow> = json_with(app.get(&other, "/api/console/cases").await, StatusCode::OK).await;
    assert!(none.is_empty(), "another organisation sees none of them");
}

#[tokio::test]
async fn the_console_reads_a_cases_evidence_with_byte_ranges() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let case = submit_minor_refund(&app, &xiaoming, &["DEMO-0001"]).await;
    let detail: refund_api::CaseDetail = json_with(app.get_case(&xiaoming, &case.case_no).await, StatusCode::OK).await;
    let file = &detail.evidence[0];
    let developer = app.developer().await;
    let url = app.url(&format!("/api/console/cases/{}/evidence/{}", case.case_no, file.id));

    let whole = developer.get(&url).send().await.expect("sent");
    assert_eq!(whole.status(), StatusCode::OK);
    let bytes = whole.bytes().await.expect("body");
    assert_eq!(bytes.len() as u64, file.size);
    let part = developer
        .get(&url)
        .header("Range", "bytes=1-3")
        .send()
        .await
        .expect("sent");
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(part.bytes().await.expect("body"), bytes.slice(1..4));
    let other_case = app.url(&format!("/api/console/cases/CP-2026-999999/evidence/{}", file.id));
    assert_eq!(
        developer.get(&other_case).send().await.expect("sent").status(),
        StatusCode::NOT_FOUND,
        "a file is read only through its own case"
    );
}

#[tokio::test]
async fn platform_staff_see_the_calendars_years_and_next_years_gap_from_december() {
    let app = spawn_app().await;
    // A fixed day in November, whatever today is (signed in afresh after each move).
    let november = chrono::DateTime::parse_from_rfc3339("2026-11-20T12:00:00+08:00").expect("a time");
    app.clock.shift(november.with_timezone(&chrono::Utc) - app.clock.now());
    let platform = app.platform().await;
    let before: refund_api::CalendarCoverage =
        json_with(app.get(&platform, "/api/platform/calendar").await, StatusCode::OK).await;
    assert!(before.covered_years.contains(&2026), "{:?}", before.covered_years);
    assert!(before.missing_years.is_empty(), "{:?}", before.missing_years);

    app.clock.shift(chrono::Duration::days(11));
    let platform = app.platform().await;
    let december: refund_api::CalendarCoverage =
        json_with(app.get(&platform, "/api/platform/calendar").await, StatusCode::OK).await;
    assert_eq!(december.missing_years, vec![2027], "next year's notice is due");
}
