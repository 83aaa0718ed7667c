//! `GET /api/cases/{no}`, the page players keep open: the session and the case in one
//! statement, the case's parts kept between reads by version. What another connection or
//! process wrote is shown on the very next read; who may read stays as it was.

use chrono::Duration;
use refund_api::{CaseDetail, CaseKind};
use reqwest::StatusCode;
use sqlx::Connection;

use crate::helpers::{
    LELE, TestApp, XIAOMING, assert_error, full_refund, json_with, spawn_app, spawn_app_with, submit_minor_refund,
};

/// Runs one statement straight on the test server's database, as another process would.
async fn write_directly(app: &TestApp, statement: &str) {
    let url = &app.database_url;
    let changed = if url.starts_with("postgres") {
        let mut conn = sqlx::PgConnection::connect(url).await.expect("connect");
        sqlx::query(statement)
            .execute(&mut conn)
            .await
            .expect("written")
            .rows_affected()
    } else {
        let mut conn = sqlx::SqliteConnection::connect(url).await.expect("connect");
        sqlx::query(statement)
            .execute(&mut conn)
            .await
            .expect("written")
            .rows_affected()
    };
    assert_eq!(changed, 1, "{statement}");
}

#[tokio::test]
async fn a_read_shows_at_once_what_another_connection_wrote_to_any_part_of_the_case() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let case = submit_minor_refund(&app, &xiaoming, &["DEMO-0001"]).await;
    let read = || async { json_with::<CaseDetail>(app.get_case(&xiaoming, &case.case_no).await, StatusCode::OK).await };
    let first = read().await;
    assert_eq!(read().await.timeline, first.timeline, "read twice, unchanged");

    let now = if app.database_url.starts_with("postgres") {
        "now()".to_owned()
    } else {
        chrono::Utc::now().timestamp_micros().to_string()
    };
    write_directly(
        &app,
        &format!(
            "INSERT INTO case_events (case_no, at, actor, kind, state, note)
             VALUES ('{}', {now}, 'developer', 'message', 'submitted', '已收到，正在核实。')",
            case.case_no
        ),
    )
    .await;
    let messaged = read().await;
    assert_eq!(messaged.timeline.len(), first.timeline.len() + 1);
    assert_eq!(
        messaged.timeline.last().and_then(|e| e.note.as_deref()),
        Some("已收到，正在核实。")
    );

    write_directly(
        &app,
        "UPDATE orders SET item = '钻石礼包（更名）' WHERE order_no = 'DEMO-0001'",
    )
    .await;
    assert_eq!(read().await.orders[0].item, "钻石礼包（更名）");

    let file = &first.evidence[0];
    write_directly(
        &app,
        &format!("UPDATE evidence SET file_name = 'renamed.png' WHERE id = '{}'", file.id),
    )
    .await;
    let renamed = read().await;
    let shown = renamed.evidence.iter().find(|e| e.id == file.id).expect("still there");
    assert_eq!(shown.file_name, "renamed.png");

    write_directly(
        &app,
        &format!(
            "UPDATE cases SET state = 'withdrawn' WHERE case_no = '{}'",
            case.case_no
        ),
    )
    .await;
    assert_eq!(
        read().await.summary.state,
        refund_api::CaseState::Withdrawn,
        "the row itself is never kept"
    );
}

#[tokio::test]
async fn a_case_is_read_only_by_its_own_player_with_a_live_session() {
    let app = spawn_app_with(|config| config.session_hours = 1).await;
    let xiaoming = app.player(XIAOMING).await;
    let lele = app.player(LELE).await;
    let case = submit_minor_refund(&app, &xiaoming, &["DEMO-0001"]).await;
    let detail: CaseDetail = json_with(app.get_case(&xiaoming, &case.case_no).await, StatusCode::OK).await;
    assert_eq!(detail.summary.kind, CaseKind::MinorRefund);

    assert_error(
        app.get_case(&lele, &case.case_no).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        app.get_case(&xiaoming, "MR-2026-999999").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        app.get(&app.anonymous, &format!("/api/cases/{}", case.case_no)).await,
        StatusCode::UNAUTHORIZED,
        "no_session",
    )
    .await;

    app.clock.shift(Duration::hours(2));
    assert_error(
        app.get_case(&xiaoming, &case.case_no).await,
        StatusCode::UNAUTHORIZED,
        "no_session",
    )
    .await;
}

#[tokio::test]
async fn a_decision_and_its_refunds_show_on_the_next_read_of_a_case_read_before() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let case = submit_minor_refund(&app, &xiaoming, &["DEMO-0001", "DEMO-0002"]).await;
    let before: CaseDetail = json_with(app.get_case(&xiaoming, &case.case_no).await, StatusCode::OK).await;
    assert!(before.decisions.is_empty());

    let developer = app.developer().await;
    let decided = app.post_decision(&developer, &case.case_no, &full_refund()).await;
    assert_eq!(decided.status(), StatusCode::CREATED);

    let after: CaseDetail = json_with(app.get_case(&xiaoming, &case.case_no).await, StatusCode::OK).await;
    assert_eq!(after.decisions.len(), 1);
    assert_eq!(after.decisions[0].refunds.len(), 2);
    assert_eq!(after.timeline.len(), before.timeline.len() + 1);
}

#[tokio::test]
async fn a_case_read_again_a_day_later_counts_the_working_days_left_anew() {
    let app = spawn_app_with(|config| config.session_hours = 24 * 30).await;
    let xiaoming = app.player(XIAOMING).await;
    let case = submit_minor_refund(&app, &xiaoming, &["DEMO-0001"]).await;
    let first: CaseDetail = json_with(app.get_case(&xiaoming, &case.case_no).await, StatusCode::OK).await;
    assert!(first.summary.working_days_left > 0);

    // Nothing stored changes; only the time of reading does.
    app.clock.shift(Duration::days(10));
    let later: CaseDetail = json_with(app.get_case(&xiaoming, &case.case_no).await, StatusCode::OK).await;

    assert!(
        later.summary.working_days_left < 0,
        "overdue: {}",
        later.summary.working_days_left
    );
    assert_eq!(later.timeline, first.timeline);
}
