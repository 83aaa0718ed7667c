//! Privacy: identity documents only after consent to the notice, and the files of ended
//! cases deleted by the job runner after the retention period, which the case page says.

use chrono::Duration;
use refund_api::{CaseDetail, ConsoleCase, EvidenceView, FileRetention, PRIVACY_NOTICE_VERSION, SessionView};
use reqwest::StatusCode;

use crate::helpers::{
    LELE, XIAOMING, assert_error, json_with, png, spawn_app, spawn_app_with, submit_complaint, submit_minor_refund,
};

/// `retention_days`, and a server whose own job runner looks only once at start, so the
/// test's `run_due` is what runs the jobs due after it moves the clock (no race with it).
fn quiet_runner(retention_days: u32) -> impl FnOnce(&mut refund_server::config::Config) {
    move |c| {
        c.retention_days = retention_days;
        c.job_poll_seconds = 3_600;
    }
}

#[tokio::test]
async fn identity_documents_are_refused_until_the_privacy_notice_is_agreed_to() {
    let app = spawn_app().await;
    let parent = app.player_without_consent(XIAOMING).await;
    let session: SessionView = json_with(app.get_session(&parent).await, StatusCode::OK).await;
    assert!(!session.privacy_consent);
    assert_eq!(session.retention_days, refund_api::DEFAULT_RETENTION_DAYS);

    for category in ["minor_proof", "guardianship_proof", "guardian_identity"] {
        let refused = app.upload_evidence(&parent, category, &png("id.png", 1)).await;
        assert_error(refused, StatusCode::CONFLICT, "privacy_consent_required").await;
    }
    assert!(app.evidence_files().is_empty(), "nothing of a refused document is kept");
    // Evidence that is not about anyone's identity needs no consent.
    let receipt = app
        .upload_evidence(&parent, "payment_records", &png("pay.png", 2))
        .await;
    assert_eq!(receipt.status(), StatusCode::CREATED);

    let stale = app.post_consent(&parent, PRIVACY_NOTICE_VERSION + 1).await;
    assert_error(stale, StatusCode::CONFLICT, "stale_notice").await;
    let agreed = app.post_consent(&parent, PRIVACY_NOTICE_VERSION).await;
    assert_eq!(agreed.status(), StatusCode::NO_CONTENT);
    let again = app.post_consent(&parent, PRIVACY_NOTICE_VERSION).await;
    assert_eq!(again.status(), StatusCode::NO_CONTENT, "agreeing twice is harmless");
    let session: SessionView = json_with(app.get_session(&parent).await, StatusCode::OK).await;
    assert!(session.privacy_consent);
    let accepted = app.upload_evidence(&parent, "minor_proof", &png("id.png", 1)).await;
    let _view: EvidenceView = json_with(accepted, StatusCode::CREATED).await;

    // Consent is the player's own: another player of the game has not given it.
    let other = app.player_without_consent(LELE).await;
    let refused = app
        .upload_evidence(&other, "guardian_identity", &png("id.png", 3))
        .await;
    assert_error(refused, StatusCode::CONFLICT, "privacy_consent_required").await;
}

#[tokio::test]
async fn a_withdrawn_cases_files_are_deleted_after_the_retention_period_and_its_page_says_so() {
    let app = spawn_app_with(quiet_runner(30)).await;
    let parent = app.player(XIAOMING).await;
    let created = submit_minor_refund(&app, &parent, &["DEMO-0002"]).await;
    let open: CaseDetail = json_with(app.get_case(&parent, &created.case_no).await, StatusCode::OK).await;
    assert_eq!(
        open.retention,
        FileRetention::Kept { days: 30 },
        "an open case keeps its files"
    );
    let withdrawn: CaseDetail =
        json_with(app.post_withdraw(&parent, &created.case_no, None).await, StatusCode::OK).await;
    let ended = withdrawn.timeline.last().expect("the withdrawal").at;
    let FileRetention::Until { delete_at } = withdrawn.retention else {
        panic!("a withdrawn case says when its files go: {:?}", withdrawn.retention);
    };
    assert_eq!(delete_at, ended + Duration::days(30));
    let file = &withdrawn.evidence[0];
    assert_eq!(app.get_evidence(&parent, &file.id).await.status(), StatusCode::OK);

    // A day early, nothing goes. (Sessions last a day: the parent opens the page again.)
    app.clock.shift(Duration::days(29));
    app.jobs().run_due().await.expect("jobs run");
    let parent = app.player(XIAOMING).await;
    let kept: CaseDetail = json_with(app.get_case(&parent, &created.case_no).await, StatusCode::OK).await;
    assert_eq!(kept.evidence.len(), 3);

    app.clock.shift(Duration::days(1) + Duration::minutes(1));
    app.jobs().run_due().await.expect("jobs run");
    let parent = app.player(XIAOMING).await;
    let gone: CaseDetail = json_with(app.get_case(&parent, &created.case_no).await, StatusCode::OK).await;
    assert!(gone.evidence.is_empty());
    let FileRetention::Deleted { files, .. } = gone.retention else {
        panic!("the page says the files were deleted: {:?}", gone.retention);
    };
    assert_eq!(files, 3);
    let last = gone.timeline.last().expect("an event");
    assert_eq!((last.kind.as_str(), last.note.as_deref()), ("files_deleted", Some("3")));
    assert_eq!(
        app.get_evidence(&parent, &file.id).await.status(),
        StatusCode::NOT_FOUND
    );
    assert!(app.evidence_files().is_empty(), "the stored files themselves are gone");
    let developer = app.developer().await;
    let seen: ConsoleCase = json_with(
        app.get(&developer, &format!("/api/console/cases/{}", created.case_no))
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(seen.evidence.is_empty() && matches!(seen.retention, FileRetention::Deleted { files: 3, .. }));

    // A rerun (a second process, a restart) finds nothing more to do.
    app.jobs().run_due().await.expect("jobs run");
    let again: CaseDetail = json_with(app.get_case(&parent, &created.case_no).await, StatusCode::OK).await;
    assert_eq!(again.timeline.len(), gone.timeline.len());
}

#[tokio::test]
async fn open_and_still_appealable_cases_keep_their_files() {
    let app = spawn_app_with(|c| {
        quiet_runner(1)(c);
        c.appeal_window_days = 15;
    })
    .await;
    let parent = app.player(XIAOMING).await;
    let waiting = submit_minor_refund(&app, &parent, &["DEMO-0002"]).await;
    let decided = submit_minor_refund(&app, &parent, &["DEMO-0003"]).await;
    let developer = app.developer().await;
    let rejection = refund_api::DecisionRequest {
        outcome: refund_api::Outcome::Reject,
        refunds: Vec::new(),
        reason: Some(refund_api::RejectReason::Other),
        note: "订单不是未成年人支付的。".to_owned(),
    };
    let answer = app.post_decision(&developer, &decided.case_no, &rejection).await;
    assert_eq!(answer.status(), StatusCode::CREATED);

    // Past the retention period but within the appeal window: both keep their files.
    app.clock.shift(Duration::days(10));
    app.jobs().run_due().await.expect("jobs run");
    let parent = app.player(XIAOMING).await;
    for case_no in [&waiting.case_no, &decided.case_no] {
        let detail: CaseDetail = json_with(app.get_case(&parent, case_no).await, StatusCode::OK).await;
        assert_eq!(detail.evidence.len(), 3, "{case_no}");
    }
    let detail: CaseDetail = json_with(app.get_case(&parent, &decided.case_no).await, StatusCode::OK).await;
    assert!(matches!(detail.retention, FileRetention::Until { .. }));

    // After the window and a day more, the decided case's files go; the waiting case's stay.
    app.clock.shift(Duration::days(7));
    app.jobs().run_due().await.expect("jobs run");
    let parent = app.player(XIAOMING).await;
    let decided_now: CaseDetail = json_with(app.get_case(&parent, &decided.case_no).await, StatusCode::OK).await;
    assert!(decided_now.evidence.is_empty());
    let waiting_now: CaseDetail = json_with(app.get_case(&parent, &waiting.case_no).await, StatusCode::OK).await;
    assert_eq!(waiting_now.evidence.len(), 3);
    assert_eq!(waiting_now.retention, FileRetention::Kept { days: 1 });
}

#[tokio::test]
async fn a_complaints_contact_is_masked_until_the_developer_reveals_it() {
    let app = spawn_app().await;
    let player = app.player(XIAOMING).await;
    let created = submit_complaint(&app, &player).await;
    let own: CaseDetail = json_with(app.get_case(&player, &created.case_no).await, StatusCode::OK).await;
    assert_eq!(own.complaint.expect("complaint").contact, "139****1111");
    let developer = app.developer().await;
    let url = app.url(&format!("/api/console/cases/{}/reveal-phone", created.case_no));
    let revealed: refund_api::RevealedPhone =
        json_with(developer.post(url).send().await.expect("sent"), StatusCode::OK).await;
    assert_eq!(revealed.phone, "13900001111");
}

#[tokio::test]
async fn a_case_that_moved_on_since_the_job_looked_keeps_its_files() {
    let app = spawn_app_with(quiet_runner(0)).await;
    let parent = app.player(XIAOMING).await;
    let created = submit_minor_refund(&app, &parent, &["DEMO-0002"]).await;
    // The job saw the case decided; meanwhile the player withdrew it (another state).
    let withdrawn = app.post_withdraw(&parent, &created.case_no, None).await;
    assert_eq!(withdrawn.status(), StatusCode::OK);
    let stale = app
        .store
        .delete_case_files(&created.case_no, refund_api::CaseState::Decided, app.clock.now())
        .await
        .expect("the store answers");
    assert!(stale.is_none(), "a deletion decided on an old state does nothing");
    let kept: CaseDetail = json_with(app.get_case(&parent, &created.case_no).await, StatusCode::OK).await;
    assert_eq!(kept.evidence.len(), 3);
}

#[tokio::test]
async fn files_left_by_a_crash_after_the_deletion_committed_are_swept_later() {
    let app = spawn_app_with(quiet_runner(0)).await;
    let parent = app.player(XIAOMING).await;
    let created = submit_minor_refund(&app, &parent, &["DEMO-0002"]).await;
    let withdrawn = app.post_withdraw(&parent, &created.case_no, None).await;
    assert_eq!(withdrawn.status(), StatusCode::OK);
    assert_eq!(app.evidence_files().len(), 3);

    // The job's transaction commits, then the process dies before removing the files.
    let deleted = app
        .store
        .delete_case_files(&created.case_no, refund_api::CaseState::Withdrawn, app.clock.now())
        .await
        .expect("the store answers")
        .expect("the case's files are deleted");
    assert_eq!(deleted.contents.len(), 3);
    let app = app.crash().await;
    assert_eq!(app.evidence_files().len(), 3, "the files outlived the crash");

    // The staging sweep finds contents nothing uses and removes them.
    app.clock.shift(refund_server::store::STALE_PIN + Duration::minutes(1));
    // The restarted server's own runner may be the one that claims the sweep (its first
    // look can come after the clock moved), so wait for whichever runs it to finish.
    for _ in 0..200 {
        app.jobs().run_due().await.expect("jobs run");
        if app.evidence_files().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(app.evidence_files().is_empty(), "left: {:?}", app.evidence_files());
    let parent = app.player(XIAOMING).await;
    let gone: CaseDetail = json_with(app.get_case(&parent, &created.case_no).await, StatusCode::OK).await;
    assert!(matches!(gone.retention, FileRetention::Deleted { files: 3, .. }));
}
