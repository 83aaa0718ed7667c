//! Appeals and the platform: a player appeals a decision that did not give everything
//! (with new evidence, idempotently, within the window), the developer decides again, the
//! player asks the platform (or a late appeal decision sends the case there by itself),
//! and the platform's final decision refunds through the same exactly-once path.

use chrono::Duration;
use refund_api::{
    CaseDetail, CaseState, DecisionRequest, DecisionView, EvidenceView, NotificationList, Outcome, PlatformReferral,
    PlatformRow, RefundLine, RejectReason,
};
use reqwest::StatusCode;

use crate::helpers::{
    Player, TestApp, XIAOMING, assert_error, full_refund, json_with, png, spawn_app, spawn_app_with,
    submit_minor_refund,
};

fn partial(order_no: &str, fen: i64) -> DecisionRequest {
    DecisionRequest {
        outcome: Outcome::Partial,
        refunds: vec![RefundLine {
            order_no: order_no.to_owned(),
            amount_fen: fen,
        }],
        reason: None,
        note: "先退一部分，其余需要更多材料。".to_owned(),
    }
}

async fn post_appeal(
    app: &TestApp,
    player: &Player,
    case_no: &str,
    key: &str,
    body: &serde_json::Value,
) -> reqwest::Response {
    player
        .client
        .post(app.url(&format!("/api/cases/{case_no}/appeal")))
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .expect("sent")
}

fn appeal_body(evidence_ids: &[String]) -> serde_json::Value {
    serde_json::json!({
        "reason": "new_evidence",
        "statement": "我补充了孩子的学生证和支付记录，请重新核实全部订单。",
        "evidence_ids": evidence_ids,
    })
}

/// A case of two orders (600 and 3,000 fen) decided as a partial refund of 100 fen.
async fn partly_refunded(app: &TestApp, player: &Player) -> String {
    let case = submit_minor_refund(app, player, &["DEMO-0001", "DEMO-0002"]).await;
    let developer = app.developer().await;
    let decided = app
        .post_decision(&developer, &case.case_no, &partial("DEMO-0001", 100))
        .await;
    assert_eq!(decided.status(), StatusCode::CREATED);
    case.case_no
}

#[tokio::test]
async fn appeal_then_platform_refunds_every_order_to_exactly_its_amount() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let case_no = partly_refunded(&app, &xiaoming).await;
    let decided: CaseDetail = json_with(app.get_case(&xiaoming, &case_no).await, StatusCode::OK).await;
    let step = decided.next_step.expect("the player may appeal");
    assert_eq!(step.kind, refund_api::NextStepKind::Appeal);
    assert_eq!(step.until, decided.decisions[0].decided_at + Duration::days(15));
    let extra: EvidenceView = json_with(
        app.upload_evidence(&xiaoming, "payment_records", &png("bill.png", 9))
            .await,
        StatusCode::CREATED,
    )
    .await;

    let appealed: CaseDetail = json_with(
        post_appeal(
            &app,
            &xiaoming,
            &case_no,
            "appeal-key-0001",
            &appeal_body(std::slice::from_ref(&extra.id)),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(appealed.summary.state, CaseState::Appealed);
    assert_eq!(appealed.summary.working_days_left, 7, "the appeal's deadline");
    assert!(
        appealed.evidence.iter().any(|e| e.id == extra.id),
        "the new evidence is in the case"
    );
    // A retry of the same appeal answers again without doing anything twice.
    let again: CaseDetail = json_with(
        post_appeal(
            &app,
            &xiaoming,
            &case_no,
            "appeal-key-0001",
            &appeal_body(std::slice::from_ref(&extra.id)),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(again.timeline.iter().filter(|e| e.kind == "appealed").count(), 1);

    let developer = app.developer().await;
    let desk: refund_api::ConsoleCase = json_with(
        app.get(&developer, &format!("/api/console/cases/{case_no}")).await,
        StatusCode::OK,
    )
    .await;
    let appeal = desk.appeal.expect("the developer reads the appeal");
    assert_eq!(appeal.reason, refund_api::AppealReason::NewEvidence);
    assert_eq!(appeal.evidence_ids, vec![extra.id.clone()], "what the appeal added");
    let reject = DecisionRequest {
        outcome: Outcome::Reject,
        refunds: Vec::new(),
        reason: Some(RejectReason::NoMinorProof),
        note: "学生证照片看不清。".to_owned(),
    };
    let appeal_decision: DecisionView = json_with(
        app.post_decision(&developer, &case_no, &reject).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(appeal_decision.round, refund_api::DecisionRound::Appeal);
    let answered: CaseDetail = json_with(app.get_case(&xiaoming, &case_no).await, StatusCode::OK).await;
    assert_eq!(
        answered.next_step.map(|s| s.kind),
        Some(refund_api::NextStepKind::Escalate)
    );

    let escalate = xiaoming
        .client
        .post(app.url(&format!("/api/cases/{case_no}/escalate")))
        .send()
        .await
        .expect("sent");
    let escalated: CaseDetail = json_with(escalate, StatusCode::OK).await;
    assert_eq!(escalated.next_step, None, "nothing more to ask for");
    assert_eq!(escalated.summary.state, CaseState::PlatformReview);

    let platform = app.platform().await;
    let queue: Vec<PlatformRow> = json_with(app.get(&platform, "/api/platform/cases").await, StatusCode::OK).await;
    let row = queue
        .iter()
        .find(|r| r.case_no == case_no)
        .expect("in the platform's queue");
    assert_eq!(row.reason, PlatformReferral::PlayerAsked);
    let told: NotificationList = json_with(app.get(&platform, "/api/notifications").await, StatusCode::OK).await;
    assert!(
        told.items.iter().any(|n| n.case_no == case_no),
        "platform staff are told"
    );

    // Platform staff write to both sides on the case's one thread.
    let asked = platform
        .post(app.url(&format!("/api/console/cases/{case_no}/messages")))
        .json(&serde_json::json!({"text": "请开发者说明特效是否单独收费。"}))
        .send()
        .await
        .expect("sent");
    let entry: refund_api::TimelineEntry = json_with(asked, StatusCode::CREATED).await;
    assert_eq!(entry.actor, refund_api::Actor::Platform);
    let developer_told: NotificationList =
        json_with(app.get(&developer, "/api/notifications").await, StatusCode::OK).await;
    assert!(
        developer_told.items.iter().any(|n| n.event_id == entry.id),
        "the developer is told"
    );
    let player_told: NotificationList =
        json_with(app.get(&xiaoming.client, "/api/notifications").await, StatusCode::OK).await;
    assert!(
        player_told.items.iter().any(|n| n.event_id == entry.id),
        "the player is told"
    );

    let full = DecisionRequest {
        outcome: Outcome::Full,
        refunds: Vec::new(),
        reason: None,
        note: "材料充分，全额退款。".to_owned(),
    };
    let url = app.url(&format!("/api/platform/cases/{case_no}/decision"));
    let final_decision: DecisionView = json_with(
        platform.post(&url).json(&full).send().await.expect("sent"),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(final_decision.round, refund_api::DecisionRound::Platform);
    let replay = platform.post(&url).json(&full).send().await.expect("sent");
    assert_eq!(
        replay.status(),
        StatusCode::OK,
        "the same final decision again is its answer"
    );

    let closed: CaseDetail = json_with(app.get_case(&xiaoming, &case_no).await, StatusCode::OK).await;
    assert_eq!(closed.summary.state, CaseState::Closed);
    let refunded = |order: &str| -> i64 {
        closed
            .decisions
            .iter()
            .flat_map(|d| &d.refunds)
            .filter(|r| r.order_no == order)
            .map(|r| r.amount_fen)
            .sum()
    };
    assert_eq!((refunded("DEMO-0001"), refunded("DEMO-0002")), (600, 3_000));
    assert_eq!(
        app.store.credit_entries("demo-studio").await.expect("read"),
        vec![("overruled_by_platform".to_owned(), -5, Some(case_no.clone()))]
    );
    let own: refund_api::CreditView = json_with(app.get(&developer, "/api/console/credit").await, StatusCode::OK).await;
    assert_eq!((own.score, own.entries.len()), (95, 1));
    assert_eq!(own.entries[0].score_after, 95);
    let every: Vec<refund_api::CreditView> =
        json_with(app.get(&platform, "/api/platform/credit").await, StatusCode::OK).await;
    let scores: Vec<(&str, i64)> = every.iter().map(|c| (c.org_id.as_str(), c.score)).collect();
    assert!(scores.contains(&("demo-studio", 95)), "{scores:?}");
    assert!(
        scores.contains(&("default", 100)),
        "an organisation without entries keeps 100: {scores:?}"
    );
}

#[tokio::test]
async fn an_appeal_is_refused_when_there_is_nothing_to_appeal_too_little_said_or_too_late() {
    let app = spawn_app_with(|config| config.session_hours = 24 * 60).await;
    let xiaoming = app.player(XIAOMING).await;
    let case_no = partly_refunded(&app, &xiaoming).await;

    let short = serde_json::json!({"reason": "other", "statement": "太少", "evidence_ids": []});
    let refused = post_appeal(&app, &xiaoming, &case_no, "appeal-key-short", &short).await;
    assert_error(refused, StatusCode::UNPROCESSABLE_ENTITY, "statement_length").await;

    app.clock.shift(Duration::days(16));
    let late = post_appeal(&app, &xiaoming, &case_no, "appeal-key-late", &appeal_body(&[])).await;
    let body: serde_json::Value = late.json().await.expect("an error body");
    assert_eq!(body["error"]["code"], "appeal_window_closed");
    assert_eq!(body["error"]["params"]["days"], "15");

    let full_case = submit_minor_refund(&app, &xiaoming, &["DEMO-0003"]).await;
    let developer = app.developer().await;
    let full = full_refund();
    assert_eq!(
        app.post_decision(&developer, &full_case.case_no, &full).await.status(),
        StatusCode::CREATED
    );
    let nothing = post_appeal(
        &app,
        &xiaoming,
        &full_case.case_no,
        "appeal-key-full",
        &appeal_body(&[]),
    )
    .await;
    assert_error(nothing, StatusCode::CONFLICT, "nothing_to_appeal").await;
    let detail: CaseDetail = json_with(app.get_case(&xiaoming, &case_no).await, StatusCode::OK).await;
    assert_eq!(detail.summary.state, CaseState::Decided, "nothing changed");
}

#[tokio::test]
async fn a_reused_key_with_another_appeal_is_refused() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let case_no = partly_refunded(&app, &xiaoming).await;
    let first = post_appeal(&app, &xiaoming, &case_no, "appeal-key-same", &appeal_body(&[])).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let other = serde_json::json!({"reason": "other", "statement": "换一个说法再申诉一次，看看会怎样。"});
    let reused = post_appeal(&app, &xiaoming, &case_no, "appeal-key-same", &other).await;
    assert_error(reused, StatusCode::CONFLICT, "idempotency_key_reused").await;
}

#[tokio::test]
async fn a_missed_appeal_deadline_sends_the_case_to_the_platform_once_across_a_restart() {
    let app = spawn_app_with(|config| config.session_hours = 24 * 60).await;
    let xiaoming = app.player(XIAOMING).await;
    let case_no = partly_refunded(&app, &xiaoming).await;
    assert_eq!(
        post_appeal(&app, &xiaoming, &case_no, "appeal-key-late-dev", &appeal_body(&[]))
            .await
            .status(),
        StatusCode::CREATED
    );
    app.jobs().run_due().await.expect("jobs run");
    let waiting: CaseDetail = json_with(app.get_case(&xiaoming, &case_no).await, StatusCode::OK).await;
    assert_eq!(waiting.summary.state, CaseState::Appealed, "not due yet");

    app.clock.shift(Duration::days(20));
    app.jobs().run_due().await.expect("jobs run");
    let app = app.restart().await;
    app.clock.shift(Duration::hours(1));
    app.jobs().run_due().await.expect("jobs run again");

    let moved: CaseDetail = json_with(app.get_case(&xiaoming, &case_no).await, StatusCode::OK).await;
    assert_eq!(moved.summary.state, CaseState::PlatformReview);
    assert_eq!(moved.timeline.iter().filter(|e| e.kind == "appeal_overdue").count(), 1);
    assert_eq!(
        app.store.credit_entries("demo-studio").await.expect("read"),
        vec![("late_appeal_decision".to_owned(), -3, Some(case_no.clone()))]
    );
    let platform = app.platform().await;
    let queue: Vec<PlatformRow> = json_with(app.get(&platform, "/api/platform/cases").await, StatusCode::OK).await;
    assert_eq!(
        queue.iter().map(|r| (r.case_no.as_str(), r.reason)).collect::<Vec<_>>(),
        [(case_no.as_str(), PlatformReferral::LateAppeal)]
    );
}

#[tokio::test]
async fn an_appeal_cannot_take_the_case_past_its_file_limit() {
    let app = spawn_app_with(|config| config.max_files_per_case = 4).await;
    let xiaoming = app.player(XIAOMING).await;
    // The submission attached three files; two more would make five.
    let case_no = partly_refunded(&app, &xiaoming).await;
    let mut ids = Vec::new();
    for tag in [21, 22] {
        let view: EvidenceView = json_with(
            app.upload_evidence(&xiaoming, "payment_records", &png(&format!("bill-{tag}.png"), tag))
                .await,
            StatusCode::CREATED,
        )
        .await;
        ids.push(view.id);
    }
    let refused = post_appeal(&app, &xiaoming, &case_no, "appeal-key-many", &appeal_body(&ids)).await;
    assert_error(refused, StatusCode::UNPROCESSABLE_ENTITY, "too_many_files").await;
    let one = post_appeal(&app, &xiaoming, &case_no, "appeal-key-one", &appeal_body(&ids[..1])).await;
    assert_eq!(one.status(), StatusCode::CREATED, "one more fits");
}
