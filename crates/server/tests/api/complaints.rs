//! Complaints run through the same decide, appeal and platform steps. The developer sees
//! the complaint's demand; a complaint without orders is upheld with a written answer
//! instead of money (or rejected, and then appealed and taken to the platform like any
//! case, whose favourable answer costs the developer credit).

use refund_api::{CaseDetail, CaseState, ConsoleCase, DecisionRequest, Demand, NextStepKind, Outcome, RejectReason};
use reqwest::StatusCode;

use crate::helpers::{XIAOMING, assert_error, json_with, spawn_app, submit_complaint};

fn decision(outcome: Outcome, note: &str) -> DecisionRequest {
    DecisionRequest {
        outcome,
        refunds: Vec::new(),
        reason: (outcome == Outcome::Reject).then_some(RejectReason::Other),
        note: note.to_owned(),
    }
}

#[tokio::test]
async fn a_complaint_without_orders_is_upheld_in_words_and_its_demand_reaches_the_developer() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let created = submit_complaint(&app, &xiaoming).await;
    let developer = app.developer().await;
    let seen: ConsoleCase = json_with(
        app.get(&developer, &format!("/api/console/cases/{}", created.case_no))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(seen.complaint.map(|c| c.demands), Some(vec![Demand::Fix]));

    let silent = app
        .post_decision(&developer, &created.case_no, &decision(Outcome::Full, "  "))
        .await;
    assert_error(silent, StatusCode::UNPROCESSABLE_ENTITY, "missing_note").await;
    let money = DecisionRequest {
        outcome: Outcome::Partial,
        refunds: vec![refund_api::RefundLine {
            order_no: "DEMO-0001".to_owned(),
            amount_fen: 100,
        }],
        ..decision(Outcome::Partial, "先补偿一点。")
    };
    let refused = app.post_decision(&developer, &created.case_no, &money).await;
    assert_error(refused, StatusCode::UNPROCESSABLE_ENTITY, "refunds_not_allowed").await;

    let answer = "已定位签到奖励丢失的问题，下个版本修复，并补发三天的奖励。";
    let upheld = app
        .post_decision(&developer, &created.case_no, &decision(Outcome::Full, answer))
        .await;
    assert_eq!(upheld.status(), StatusCode::CREATED);
    let detail: CaseDetail = json_with(app.get_case(&xiaoming, &created.case_no).await, StatusCode::OK).await;
    assert_eq!(detail.summary.state, CaseState::Decided);
    let decided = &detail.decisions[0];
    assert_eq!((decided.outcome, decided.refunded_fen), (Outcome::Full, 0));
    assert!(decided.refunds.is_empty());
    assert_eq!(decided.note, answer);
    assert_eq!(detail.next_step, None, "an upheld complaint leaves nothing to appeal");
}

#[tokio::test]
async fn a_rejected_complaint_without_orders_goes_through_appeal_to_the_platform() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let created = submit_complaint(&app, &xiaoming).await;
    let no = created.case_no;
    let developer = app.developer().await;
    let rejected = app
        .post_decision(&developer, &no, &decision(Outcome::Reject, "没有查到异常。"))
        .await;
    assert_eq!(rejected.status(), StatusCode::CREATED);
    let detail: CaseDetail = json_with(app.get_case(&xiaoming, &no).await, StatusCode::OK).await;
    assert_eq!(detail.next_step.map(|s| s.kind), Some(NextStepKind::Appeal));

    let appeal = xiaoming
        .client
        .post(app.url(&format!("/api/cases/{no}/appeal")))
        .header("Idempotency-Key", "complaint-appeal-1")
        .json(&serde_json::json!({"reason": "wrong_reason", "statement": "签到记录截图里能看到奖励领取成功但没到账。"}))
        .send()
        .await
        .expect("sent");
    assert_eq!(appeal.status(), StatusCode::CREATED);
    let again = app
        .post_decision(&developer, &no, &decision(Outcome::Reject, "仍然没有查到异常。"))
        .await;
    assert_eq!(again.status(), StatusCode::CREATED);
    let escalated = xiaoming
        .client
        .post(app.url(&format!("/api/cases/{no}/escalate")))
        .json(&serde_json::json!({}))
        .send()
        .await
        .expect("sent");
    assert_eq!(escalated.status(), StatusCode::OK);

    // While the platform reviews it, the player's messages reach the platform too.
    let said = xiaoming
        .client
        .post(app.url(&format!("/api/cases/{no}/messages")))
        .json(&serde_json::json!({"text": "补充：奖励到现在也没到账。"}))
        .send()
        .await
        .expect("sent");
    assert_eq!(said.status(), StatusCode::CREATED);
    let platform = app.platform().await;
    let told: refund_api::NotificationList =
        json_with(app.get(&platform, "/api/notifications").await, StatusCode::OK).await;
    assert!(
        told.items
            .iter()
            .any(|n| n.case_no == no && n.kind == refund_api::EventKind::Message),
        "{told:?}"
    );
    let final_answer = platform
        .post(app.url(&format!("/api/platform/cases/{no}/decision")))
        .json(&decision(Outcome::Full, "记录显示奖励未到账，请开发者补发并修复。"))
        .send()
        .await
        .expect("sent");
    assert_eq!(final_answer.status(), StatusCode::CREATED);
    let closed: CaseDetail = json_with(app.get_case(&xiaoming, &no).await, StatusCode::OK).await;
    assert_eq!(closed.summary.state, CaseState::Closed);
    // The first decision was in time (+1 finds the score at 100: nothing), the platform
    // upheld what the developer rejected: -5.
    assert_eq!(
        app.store.credit_entries("demo-studio").await.expect("read"),
        vec![("overruled_by_platform".to_owned(), -5, Some(no.clone()))]
    );
}
