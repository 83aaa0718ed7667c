//! `GET /api/orders`: a player sees their own orders in their game, nobody else's.

use chrono::{Duration, Utc};
use refund_api::OrderView;
use refund_server::domain::ticket::{fresh_claims, sign};
use refund_server::store::ImportedOrder;
use reqwest::StatusCode;

use crate::helpers::{LELE, TestApp, XIAOMING, assert_error, json_with, spawn_app, submit_minor_refund};

fn order_nos(orders: &[OrderView]) -> Vec<&str> {
    let mut nos: Vec<&str> = orders.iter().map(|o| o.order_no.as_str()).collect();
    nos.sort_unstable();
    nos
}

#[tokio::test]
async fn a_player_sees_only_their_own_orders() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let lele = app.player(LELE).await;

    let xiaomings: Vec<OrderView> = json_with(app.get_orders(&xiaoming.client).await, StatusCode::OK).await;
    let leles: Vec<OrderView> = json_with(app.get_orders(&lele.client).await, StatusCode::OK).await;

    assert_eq!(
        order_nos(&xiaomings),
        [
            "DEMO-0001",
            "DEMO-0002",
            "DEMO-0003",
            "DEMO-0004",
            "DEMO-0005",
            "DEMO-0006"
        ]
    );
    assert_eq!(order_nos(&leles), ["DEMO-1001", "DEMO-1002", "DEMO-1003"]);
    let diamonds = xiaomings
        .iter()
        .find(|o| o.order_no == "DEMO-0004")
        .expect("648 diamonds");
    assert_eq!(
        (diamonds.amount_fen, diamonds.refunded_fen, diamonds.refundable_fen),
        (64_800, 0, 64_800)
    );
    assert_eq!(diamonds.open_case, None);
}

#[tokio::test]
async fn orders_without_a_session_return_401_no_session() {
    let app = spawn_app().await;

    let response = app.get_orders(&app.anonymous).await;

    assert_error(response, StatusCode::UNAUTHORIZED, "no_session").await;
}

#[tokio::test]
async fn a_made_up_session_cookie_returns_401_no_session() {
    let app = spawn_app().await;

    let response = app
        .anonymous
        .get(app.url("/api/orders"))
        .header("Cookie", "rd_session=made-up-token")
        .send()
        .await
        .expect("request sent");

    assert_error(response, StatusCode::UNAUTHORIZED, "no_session").await;
}

#[tokio::test]
async fn the_same_openid_in_another_game_does_not_see_the_demo_games_orders() {
    let app = spawn_app().await;
    app.store
        .upsert_game("wxother0002", "别的游戏", "other-secret", app.clock.now())
        .await
        .expect("second game");
    let order = ImportedOrder {
        line: 2,
        appid: "wxother0002".to_owned(),
        openid: XIAOMING.to_owned(),
        nickname: "同名玩家".to_owned(),
        order_no: "OTHER-0001".to_owned(),
        item: "金币".to_owned(),
        amount_fen: 1_200,
        paid_at: Utc::now() - Duration::days(2),
    };
    app.store.import_orders(&[order], false).await.expect("import");
    let client = TestApp::browser();
    let ticket = sign(
        &fresh_claims("wxother0002", XIAOMING, Utc::now(), Duration::minutes(5)),
        "other-secret",
    );
    assert_eq!(app.post_launch(&client, &ticket).await.status(), StatusCode::OK);

    let orders: Vec<OrderView> = json_with(app.get_orders(&client).await, StatusCode::OK).await;

    assert_eq!(order_nos(&orders), ["OTHER-0001"]);
}

#[tokio::test]
async fn an_order_in_an_open_case_names_that_case() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let created = submit_minor_refund(&app, &xiaoming, &["DEMO-0003"]).await;

    let orders: Vec<OrderView> = json_with(app.get_orders(&xiaoming.client).await, StatusCode::OK).await;

    for order in &orders {
        let expected = (order.order_no == "DEMO-0003").then_some(created.case_no.as_str());
        assert_eq!(order.open_case.as_deref(), expected, "{}", order.order_no);
    }
}
