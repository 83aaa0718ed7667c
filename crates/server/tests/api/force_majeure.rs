//! Force majeure: a developer reports an event with evidence; platform staff accept it
//! (the organisation's open deadlines inside the period move later by the working days it
//! covers, with an event and a notification for each player, and the lateness inside it
//! is excused in the credit ledger) or reject it. The clock is the test's.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use refund_api::{CaseDetail, CreditView, ForceMajeureState, ForceMajeureView, NotificationList};
use refund_server::domain::calendar::{WorkingCalendar, shanghai};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

use crate::helpers::{
    LELE, SampleFile, TestApp, XIAOMING, assert_error, elf_named_as_png, full_refund, json_with, png, spawn_app_with,
    submit_minor_refund,
};

fn china_date(at: DateTime<FixedOffset>) -> NaiveDate {
    at.with_timezone(&shanghai()).date_naive()
}

async fn post_report(
    app: &TestApp,
    client: &reqwest::Client,
    dates: (NaiveDate, NaiveDate),
    files: &[SampleFile],
) -> reqwest::Response {
    let mut form = Form::new()
        .text("description", "机房所在园区整体停电，服务器和客服系统全部停机。")
        .text("starts_on", dates.0.to_string())
        .text("ends_on", dates.1.to_string());
    for file in files {
        let part = Part::bytes(file.bytes.clone())
            .file_name(file.name.clone())
            .mime_str(&file.declared_type)
            .expect("a content type");
        form = form.part("file", part);
    }
    client
        .post(app.url("/api/console/force-majeure"))
        .multipart(form)
        .send()
        .await
        .expect("sent")
}

async fn post_report_decision(app: &TestApp, client: &reqwest::Client, id: &str, accept: bool) -> reqwest::Response {
    client
        .post(app.url(&format!("/api/platform/force-majeure/{id}/decision")))
        .json(&serde_json::json!({"accept": accept, "note": "停电公告属实。"}))
        .send()
        .await
        .expect("sent")
}

async fn due_at(app: &TestApp, player: &crate::helpers::Player, case_no: &str) -> DateTime<FixedOffset> {
    let detail: CaseDetail = json_with(app.get_case(player, case_no).await, StatusCode::OK).await;
    detail.summary.due_at
}

#[tokio::test]
async fn an_accepted_period_moves_the_deadlines_it_covers_and_no_others_and_excuses_the_lateness_in_it() {
    let app = spawn_app_with(|config| config.session_hours = 24 * 60).await;
    let (xiaoming, lele) = (app.player(XIAOMING).await, app.player(LELE).await);
    // Two cases whose first deadline passes: one stays open, one is then decided late.
    let open_late = submit_minor_refund(&app, &xiaoming, &["DEMO-0001"]).await.case_no;
    let decided_late = submit_minor_refund(&app, &lele, &["DEMO-1001"]).await.case_no;
    let first_due = due_at(&app, &xiaoming, &open_late).await;
    app.clock.shift(Duration::days(10));
    app.jobs().run_due().await.expect("jobs run");
    let developer = app.developer().await;
    let full = full_refund();
    assert_eq!(
        app.post_decision(&developer, &decided_late, &full).await.status(),
        StatusCode::CREATED
    );
    // A case submitted now: its deadline lies after the period.
    let later = submit_minor_refund(&app, &xiaoming, &["DEMO-0002"]).await.case_no;
    let later_due = due_at(&app, &xiaoming, &later).await;

    let today = china_date(app.clock.now().with_timezone(&shanghai()));
    let period = (china_date(first_due), today);
    let sent = post_report(&app, &developer, period, &[png("notice.png", 1), png("photo.png", 2)]).await;
    let report: ForceMajeureView = json_with(sent, StatusCode::CREATED).await;
    assert_eq!(report.state, ForceMajeureState::Pending);
    assert_eq!(report.files.len(), 2);
    let calendar = WorkingCalendar::bundled();
    let covered = period.0.iter_days().take_while(|d| *d <= period.1);
    let working_days = u32::try_from(covered.filter(|d| calendar.is_working_day(*d)).count()).expect("small");
    assert!(working_days > 0);
    assert_eq!(report.working_days, working_days);

    let platform = app.platform().await;
    let accepted: ForceMajeureView = json_with(
        post_report_decision(&app, &platform, &report.id, true).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(accepted.state, ForceMajeureState::Accepted);
    assert_eq!(accepted.moved_cases, Some(1));
    assert_error(
        post_report_decision(&app, &platform, &report.id, false).await,
        StatusCode::CONFLICT,
        "already_decided",
    )
    .await;

    // The open case moved by the covered working days, told its player, lost its mark.
    let moved = due_at(&app, &xiaoming, &open_late).await;
    assert_eq!(moved, calendar.add_working_days(&first_due, working_days).due_at);
    assert!(china_date(moved) > today, "the moved deadline is ahead again");
    let detail: CaseDetail = json_with(app.get_case(&xiaoming, &open_late).await, StatusCode::OK).await;
    let extended: Vec<_> = detail
        .timeline
        .iter()
        .filter(|e| e.kind == "deadline_extended")
        .collect();
    assert_eq!(extended.len(), 1);
    assert_eq!(
        extended[0].note.as_deref(),
        Some(format!("{} ~ {}", period.0, period.1).as_str())
    );
    let notices: NotificationList = json_with(
        xiaoming
            .client
            .get(app.url("/api/notifications"))
            .send()
            .await
            .expect("sent"),
        StatusCode::OK,
    )
    .await;
    assert!(
        notices
            .items
            .iter()
            .any(|n| n.case_no == open_late && n.kind.key() == "deadline_extended")
    );
    let overdue: Vec<refund_api::QueueRow> = json_with(
        app.get(&developer, "/api/console/cases?overdue=true").await,
        StatusCode::OK,
    )
    .await;
    assert!(overdue.is_empty(), "no case is overdue any more: {overdue:?}");
    // The case outside the period kept its deadline.
    assert_eq!(due_at(&app, &xiaoming, &later).await, later_due);

    // Both deductions are answered; the late decision earned nothing back.
    let mut entries = app.store.credit_entries("demo-studio").await.expect("read");
    assert_eq!(entries.len(), 4, "{entries:?}");
    // Both deductions were recorded by one scan, and then both excused, in either order.
    entries[..2].sort_by(|a, b| a.2.cmp(&b.2));
    entries[2..].sort_by(|a, b| a.2.cmp(&b.2));
    let mut cases = [open_late.clone(), decided_late.clone()];
    cases.sort();
    let expected: Vec<(String, i64, Option<String>)> =
        [("late_first_decision", -2), ("excused_late_first_decision", 2)]
            .into_iter()
            .flat_map(|(cause, points)| cases.iter().map(move |c| (cause.to_owned(), points, Some(c.clone()))))
            .collect();
    assert_eq!(entries, expected);
    let credit: CreditView = json_with(app.get(&developer, "/api/console/credit").await, StatusCode::OK).await;
    assert_eq!(
        credit.entries.iter().map(|e| e.score_after).collect::<Vec<_>>(),
        [98, 96, 98, 100]
    );
}

#[tokio::test]
async fn a_rejected_report_moves_nothing_and_its_files_are_read_back_by_the_right_people_only() {
    let app = spawn_app_with(|config| config.session_hours = 24 * 60).await;
    let xiaoming = app.player(XIAOMING).await;
    let case_no = submit_minor_refund(&app, &xiaoming, &["DEMO-0001"]).await.case_no;
    let due = due_at(&app, &xiaoming, &case_no).await;
    let developer = app.developer().await;
    let today = china_date(app.clock.now().with_timezone(&shanghai()));
    let evidence = png("outage-notice.png", 7);
    let report: ForceMajeureView = json_with(
        post_report(
            &app,
            &developer,
            (today, china_date(due)),
            std::slice::from_ref(&evidence),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let path = format!("/api/console/force-majeure/{}/files/{}", report.id, report.files[0].id);

    let platform = app.platform().await;
    let read = app.get(&platform, &path).await;
    assert_eq!(read.status(), StatusCode::OK);
    assert_eq!(read.bytes().await.expect("body").as_ref(), evidence.bytes.as_slice());
    assert_eq!(app.get(&developer, &path).await.status(), StatusCode::OK);
    let stranger = app.other_developer().await;
    assert_eq!(app.get(&stranger, &path).await.status(), StatusCode::NOT_FOUND);
    let theirs: Vec<ForceMajeureView> =
        json_with(app.get(&stranger, "/api/console/force-majeure").await, StatusCode::OK).await;
    assert!(theirs.is_empty(), "another organisation sees none of it");
    assert_error(
        post_report_decision(&app, &developer, &report.id, true).await,
        StatusCode::FORBIDDEN,
        "platform_only",
    )
    .await;

    let rejected: ForceMajeureView = json_with(
        post_report_decision(&app, &platform, &report.id, false).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(rejected.state, ForceMajeureState::Rejected);
    assert_eq!(rejected.decision_note.as_deref(), Some("停电公告属实。"));
    assert_eq!(due_at(&app, &xiaoming, &case_no).await, due);
    let listed: Vec<ForceMajeureView> =
        json_with(app.get(&platform, "/api/platform/force-majeure").await, StatusCode::OK).await;
    assert_eq!(listed, [rejected]);
    // The file outlives the sweep of unused contents: the report holds it.
    app.clock.shift(Duration::days(3));
    app.jobs().run_due().await.expect("jobs run");
    let platform = app.platform().await;
    assert_eq!(app.get(&platform, &path).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_report_without_evidence_with_a_wrong_file_or_backwards_dates_is_refused_and_keeps_nothing() {
    let app = spawn_app_with(|_| {}).await;
    let developer = app.developer().await;
    let today = china_date(app.clock.now().with_timezone(&shanghai()));
    let before = app.evidence_files();
    let yesterday = today.pred_opt().expect("a day before");

    let none = post_report(&app, &developer, (yesterday, today), &[]).await;
    assert_error(none, StatusCode::UNPROCESSABLE_ENTITY, "missing_file").await;
    let backwards = post_report(&app, &developer, (today, yesterday), &[png("a.png", 3)]).await;
    assert_eq!(
        assert_error(backwards, StatusCode::UNPROCESSABLE_ENTITY, "invalid_period")
            .await
            .field
            .as_deref(),
        Some("ends_on")
    );
    let program = post_report(
        &app,
        &developer,
        (yesterday, today),
        &[png("b.png", 4), elf_named_as_png()],
    )
    .await;
    assert_error(program, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_type").await;
    let platform = app.platform().await;
    assert_error(
        post_report(&app, &platform, (yesterday, today), &[png("c.png", 5)]).await,
        StatusCode::FORBIDDEN,
        "developers_only",
    )
    .await;

    let listed: Vec<ForceMajeureView> =
        json_with(app.get(&developer, "/api/console/force-majeure").await, StatusCode::OK).await;
    assert!(listed.is_empty());
    app.clock.shift(Duration::days(2));
    app.jobs().run_due().await.expect("jobs run");
    assert_eq!(app.evidence_files(), before, "no file of a refused report is kept");
}

#[tokio::test]
async fn deciding_in_time_gives_a_point_back_up_to_the_start() {
    let app = spawn_app_with(|config| config.session_hours = 24 * 60).await;
    let (xiaoming, lele) = (app.player(XIAOMING).await, app.player(LELE).await);
    let late = submit_minor_refund(&app, &xiaoming, &["DEMO-0001"]).await.case_no;
    app.clock.shift(Duration::days(10));
    app.jobs().run_due().await.expect("jobs run");
    let developer = app.developer().await;
    let full = full_refund();
    let mut on_time = Vec::new();
    for (player, order) in [(&xiaoming, "DEMO-0002"), (&lele, "DEMO-1001"), (&lele, "DEMO-1002")] {
        let case_no = submit_minor_refund(&app, player, &[order]).await.case_no;
        assert_eq!(
            app.post_decision(&developer, &case_no, &full).await.status(),
            StatusCode::CREATED
        );
        on_time.push(case_no);
    }
    assert_eq!(
        app.store.credit_entries("demo-studio").await.expect("read"),
        vec![
            ("late_first_decision".to_owned(), -2, Some(late)),
            ("decided_on_time".to_owned(), 1, Some(on_time[0].clone())),
            ("decided_on_time".to_owned(), 1, Some(on_time[1].clone())),
        ],
        "the third decision in time finds the score back at 100"
    );
}

/// Working days in `from..=to` that none of `skip` covers (both ends included).
fn working_days(calendar: &WorkingCalendar, from: NaiveDate, to: NaiveDate, skip: &[(NaiveDate, NaiveDate)]) -> u32 {
    let count = from
        .iter_days()
        .take_while(|d| *d <= to)
        .filter(|d| calendar.is_working_day(*d) && !skip.iter().any(|(a, b)| a <= d && d <= b))
        .count();
    u32::try_from(count).expect("small")
}

#[tokio::test]
async fn overlapping_reports_move_a_deadline_once_per_day_and_new_cases_do_not_count_accepted_days() {
    let app = spawn_app_with(|_| {}).await;
    let (xiaoming, lele) = (app.player(XIAOMING).await, app.player(LELE).await);
    let (developer, platform) = (app.developer().await, app.platform().await);
    let calendar = WorkingCalendar::bundled();
    let today = china_date(app.clock.now().with_timezone(&shanghai()));
    let case_no = submit_minor_refund(&app, &xiaoming, &["DEMO-0001"]).await.case_no;
    let due = due_at(&app, &xiaoming, &case_no).await;

    let first = (today, china_date(due));
    let sent = post_report(&app, &developer, first, &[png("a.png", 1)]).await;
    let report: ForceMajeureView = json_with(sent, StatusCode::CREATED).await;
    let first_days = working_days(&calendar, first.0, first.1, &[]);
    assert_eq!(report.working_days, first_days);
    json_with::<ForceMajeureView>(
        post_report_decision(&app, &platform, &report.id, true).await,
        StatusCode::OK,
    )
    .await;
    let moved = due_at(&app, &xiaoming, &case_no).await;
    assert_eq!(moved, calendar.add_working_days(&due, first_days).due_at);

    // A wider report over the same days and the moved deadline moves it only by the new days.
    let wider = (today, china_date(moved));
    let sent = post_report(&app, &developer, wider, &[png("b.png", 2)]).await;
    let report: ForceMajeureView = json_with(sent, StatusCode::CREATED).await;
    let new_days = working_days(&calendar, wider.0, wider.1, &[first]);
    assert_eq!(report.working_days, new_days, "what accepting would move");
    let accepted: ForceMajeureView = json_with(
        post_report_decision(&app, &platform, &report.id, true).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!((accepted.working_days, accepted.moved_cases), (new_days, Some(1)));
    let again = due_at(&app, &xiaoming, &case_no).await;
    assert_eq!(again, calendar.add_working_days(&moved, new_days).due_at);
    assert_eq!(
        working_days(&calendar, china_date(due) + Duration::days(1), china_date(again), &[]),
        working_days(&calendar, wider.0, wider.1, &[]),
        "moved once for every working day the two reports cover"
    );

    // A case filed now is due two working days after the accepted days.
    let fresh = submit_minor_refund(&app, &lele, &["DEMO-1001"]).await.case_no;
    let fresh_due = china_date(due_at(&app, &lele, &fresh).await);
    assert_eq!(
        working_days(&calendar, today + Duration::days(1), fresh_due, &[first, wider]),
        2
    );
    assert!(fresh_due > wider.1);
}
