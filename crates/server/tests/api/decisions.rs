//! Decisions: refunds applied exactly once and never over an order's amount, whatever
//! the interleaving; the player sees the result and may accept it.

use refund_api::{CaseDetail, CaseState, DecisionRequest, DecisionView, OrderView, Outcome, RefundLine, RejectReason};
use reqwest::StatusCode;

use crate::helpers::{XIAOMING, assert_error, json_with, spawn_app, submit_minor_refund};

fn partial(lines: &[(&str, i64)]) -> DecisionRequest {
    DecisionRequest {
        outcome: Outcome::Partial,
        refunds: lines
            .iter()
            .map(|(no, fen)| RefundLine {
                order_no: (*no).to_owned(),
                amount_fen: *fen,
            })
            .collect(),
        reason: None,
        note: "核实后按实际情况部分退款。".to_owned(),
    }
}

fn full() -> DecisionRequest {
    DecisionRequest {
        outcome: Outcome::Full,
        refunds: Vec::new(),
        reason: None,
        note: "已核实，全额退款。".to_owned(),
    }
}

async fn refunded(app: &crate::helpers::TestApp, player: &crate::helpers::Player, order_no: &str) -> i64 {
    let orders: Vec<OrderView> = json_with(app.get_orders(&player.client).await, StatusCode::OK).await;
    orders
        .iter()
        .find(|o| o.order_no == order_no)
        .expect("the order")
        .refunded_fen
}

#[tokio::test]
async fn a_full_decision_refunds_every_claimed_order_and_reaches_the_players_case_page() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let case = submit_minor_refund(&app, &xiaoming, &["DEMO-0001", "DEMO-0002"]).await;
    let developer = app.developer().await;

    let view: DecisionView = json_with(
        app.post_decision(&developer, &case.case_no, &full()).await,
        StatusCode::CREATED,
    )
    .await;

    assert_eq!(view.refunded_fen, 600 + 3_000);
    assert_eq!(view.refunds.len(), 2);
    assert!(view.refunds.iter().all(|r| r.refund_id.starts_with("RF-")));
    assert_eq!(refunded(&app, &xiaoming, "DEMO-0001").await, 600);
    assert_eq!(refunded(&app, &xiaoming, "DEMO-0002").await, 3_000);
    let detail: CaseDetail = json_with(app.get_case(&xiaoming, &case.case_no).await, StatusCode::OK).await;
    assert_eq!(detail.summary.state, CaseState::Decided);
    assert_eq!(detail.decisions, vec![view]);
    assert_eq!(detail.timeline.last().map(|e| e.kind.as_str()), Some("decided"));
}

#[tokio::test]
async fn the_same_decision_sent_twice_is_applied_once_and_answered_twice() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let case = submit_minor_refund(&app, &xiaoming, &["DEMO-0003"]).await;
    let developer = app.developer().await;
    let request = partial(&[("DEMO-0003", 5_000)]);

    let first: DecisionView = json_with(
        app.post_decision(&developer, &case.case_no, &request).await,
        StatusCode::CREATED,
    )
    .await;
    let again: DecisionView = json_with(
        app.post_decision(&developer, &case.case_no, &request).await,
        StatusCode::OK,
    )
    .await;

    assert_eq!(first, again, "the retry gets the first result, refund ids included");
    assert_eq!(refunded(&app, &xiaoming, "DEMO-0003").await, 5_000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_different_decisions_at_once_leave_one_applied_and_answer_the_other_409() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let case = submit_minor_refund(&app, &xiaoming, &["DEMO-0004"]).await;
    let (one, two) = (app.developer().await, app.developer().await);

    let (all, some) = (full(), partial(&[("DEMO-0004", 100)]));
    let (a, b) = tokio::join!(
        app.post_decision(&one, &case.case_no, &all),
        app.post_decision(&two, &case.case_no, &some)
    );

    let mut statuses = [a.status(), b.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::CREATED, StatusCode::CONFLICT]);
    let refunded = refunded(&app, &xiaoming, "DEMO-0004").await;
    assert!(
        refunded == 64_800 || refunded == 100,
        "exactly one decision's money: {refunded}"
    );
    let detail: CaseDetail = json_with(app.get_case(&xiaoming, &case.case_no).await, StatusCode::OK).await;
    assert_eq!(detail.decisions.len(), 1);
    assert_eq!(detail.decisions[0].refunds.len(), 1, "one refund on the order");
}

#[tokio::test]
async fn amounts_of_zero_negative_over_the_refundable_or_on_another_order_are_422_and_refund_nothing() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let case = submit_minor_refund(&app, &xiaoming, &["DEMO-0005"]).await;
    let developer = app.developer().await;

    for (lines, code) in [
        (vec![("DEMO-0005", 0)], "refund_amount_too_small"),
        (vec![("DEMO-0005", -100)], "refund_amount_too_small"),
        (vec![("DEMO-0005", 6_801)], "refund_over_refundable"),
        (vec![("DEMO-0006", 1)], "refund_order_not_in_case"),
    ] {
        let response = app.post_decision(&developer, &case.case_no, &partial(&lines)).await;
        assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, code).await;
    }

    assert_eq!(refunded(&app, &xiaoming, "DEMO-0005").await, 0);
    assert_eq!(refunded(&app, &xiaoming, "DEMO-0006").await, 0);
    let detail: CaseDetail = json_with(app.get_case(&xiaoming, &case.case_no).await, StatusCode::OK).await;
    assert_eq!(
        (detail.summary.state, detail.decisions.len()),
        (CaseState::Submitted, 0)
    );
}

#[tokio::test]
async fn a_rejection_needs_a_reason_and_a_note_and_the_player_may_accept_it_which_closes_the_case() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let case = submit_minor_refund(&app, &xiaoming, &["DEMO-0006"]).await;
    let developer = app.developer().await;
    let mut reject = DecisionRequest {
        outcome: Outcome::Reject,
        refunds: Vec::new(),
        reason: None,
        note: "账号实名信息显示为成年人。".to_owned(),
    };
    assert_error(
        app.post_decision(&developer, &case.case_no, &reject).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "missing_reason",
    )
    .await;
    reject.reason = Some(RejectReason::AccountHolderAdult);
    let view: DecisionView = json_with(
        app.post_decision(&developer, &case.case_no, &reject).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        (view.reason, view.refunded_fen),
        (Some(RejectReason::AccountHolderAdult), 0)
    );

    let accepted: CaseDetail = json_with(app.post_accept(&xiaoming, &case.case_no).await, StatusCode::OK).await;

    assert_eq!(accepted.summary.state, CaseState::Closed);
    let orders: Vec<OrderView> = json_with(app.get_orders(&xiaoming.client).await, StatusCode::OK).await;
    let order = orders.iter().find(|o| o.order_no == "DEMO-0006").expect("the order");
    assert_eq!(order.open_case, None, "a closed case releases its orders");
    assert_error(
        app.post_accept(&xiaoming, &case.case_no).await,
        StatusCode::CONFLICT,
        "not_allowed_now",
    )
    .await;
}

#[tokio::test]
async fn each_refund_is_settled_with_the_payment_gateway_by_a_job() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let case = submit_minor_refund(&app, &xiaoming, &["DEMO-0001"]).await;
    let developer = app.developer().await;
    let view: DecisionView = json_with(
        app.post_decision(&developer, &case.case_no, &full()).await,
        StatusCode::CREATED,
    )
    .await;
    let refund_id = view.refunds[0].refund_id.clone();
    assert!(app.store.unsettled_refund(&refund_id).await.expect("read").is_some());

    app.jobs().run_due().await.expect("jobs run");

    assert!(
        app.store.unsettled_refund(&refund_id).await.expect("read").is_none(),
        "settled"
    );
    let (_, refunds) = app.store.case_decisions(&case.case_no).await.expect("read");
    assert_eq!(
        refunds[0].gateway_ref.as_deref(),
        Some(format!("LEDGER-{refund_id}").as_str())
    );
}
