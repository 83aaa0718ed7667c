//! The deadline scan: a first decision not made in time marks the case overdue once,
//! with an event for both sides and a credit deduction, across restarts; the developer
//! can still decide. One working day before, the developer is told once.

use chrono::Duration;
use refund_api::{CaseDetail, CaseState, QueueRow};
use reqwest::StatusCode;

use crate::helpers::{XIAOMING, full_refund, json_with, spawn_app_with, submit_minor_refund};

#[tokio::test]
async fn a_missed_first_deadline_marks_the_case_overdue_exactly_once_across_a_restart() {
    let app = spawn_app_with(|config| config.session_hours = 24 * 30).await;
    let xiaoming = app.player(XIAOMING).await;
    let case = submit_minor_refund(&app, &xiaoming, &["DEMO-0001"]).await;
    app.jobs().run_due().await.expect("jobs run");
    assert!(
        app.store.credit_entries("demo-studio").await.expect("read").is_empty(),
        "not due yet"
    );

    app.clock.shift(Duration::days(10));
    app.jobs().run_due().await.expect("jobs run");
    let app = app.restart().await;
    app.clock.shift(Duration::hours(1));
    app.jobs().run_due().await.expect("jobs run again");

    let detail: CaseDetail = json_with(app.get_case(&xiaoming, &case.case_no).await, StatusCode::OK).await;
    let overdue = detail.timeline.iter().filter(|e| e.kind == "overdue").count();
    assert_eq!(overdue, 1, "one overdue event");
    assert_eq!(
        detail.summary.state,
        CaseState::Submitted,
        "the developer can still decide"
    );
    let credit = app.store.credit_entries("demo-studio").await.expect("read");
    assert_eq!(
        credit,
        vec![("late_first_decision".to_owned(), -2, Some(case.case_no.clone()))]
    );
    let developer = app.developer().await;
    let rows: Vec<QueueRow> = json_with(
        app.get(&developer, "/api/console/cases?overdue=true").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        rows.iter().map(|r| r.case_no.as_str()).collect::<Vec<_>>(),
        [case.case_no.as_str()]
    );
    let late = full_refund();
    assert_eq!(
        app.post_decision(&developer, &case.case_no, &late).await.status(),
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn the_developer_is_told_once_when_one_working_day_is_left() {
    let app = spawn_app_with(|config| config.session_hours = 24 * 30).await;
    let xiaoming = app.player(XIAOMING).await;
    let case = submit_minor_refund(&app, &xiaoming, &["DEMO-0001"]).await;
    let due_soon_events = |detail: &CaseDetail| detail.timeline.iter().filter(|e| e.kind == "due_soon").count();

    // Day by day (weekends and holidays included) until the deadline has passed: the notice
    // comes exactly when the queue first counts the case as due within one working day.
    let mut told_on = None;
    for day in 0..20 {
        app.jobs().run_due().await.expect("jobs run");
        // Console sessions last hours, not days: sign in afresh each morning.
        let developer = app.developer().await;
        let soon: Vec<QueueRow> = json_with(
            app.get(&developer, "/api/console/cases?due_soon=true").await,
            StatusCode::OK,
        )
        .await;
        let detail: CaseDetail = json_with(app.get_case(&xiaoming, &case.case_no).await, StatusCode::OK).await;
        let listed = soon.iter().any(|r| r.case_no == case.case_no);
        if told_on.is_none() {
            assert_eq!(
                due_soon_events(&detail),
                usize::from(listed),
                "day {day}: told iff the queue says due soon"
            );
            if listed {
                told_on = Some(day);
            }
        }
        app.clock.shift(Duration::days(1));
    }
    assert!(told_on.is_some(), "the case was due soon on some day");
    let detail: CaseDetail = json_with(app.get_case(&xiaoming, &case.case_no).await, StatusCode::OK).await;
    assert_eq!(due_soon_events(&detail), 1, "told once, whatever followed");
    let developer = app.developer().await;
    let notices: refund_api::NotificationList =
        json_with(app.get(&developer, "/api/notifications").await, StatusCode::OK).await;
    let told = notices
        .items
        .iter()
        .filter(|n| n.kind == refund_api::EventKind::DueSoon && n.case_no == case.case_no)
        .count();
    assert_eq!(told, 1, "the developer has one notice");
    let player: refund_api::NotificationList =
        json_with(app.get(&xiaoming.client, "/api/notifications").await, StatusCode::OK).await;
    assert!(
        player.items.iter().all(|n| n.kind != refund_api::EventKind::DueSoon),
        "the player is not told the developer's reminder"
    );
}
