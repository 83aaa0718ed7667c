//! Webhooks: a game's players' notifications POSTed, signed, to a real HTTP receiver the
//! test starts; retried with backoff until delivered; surviving a restart.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode as AxumStatus};
use chrono::Duration;
use hmac::{Hmac, Mac};
use refund_api::{DecisionRequest, DeliveryStatus, DeliveryView, Outcome};
use refund_server::demo::DEMO_APPID;
use reqwest::StatusCode;
use sha2::Sha256;

use crate::helpers::{TestApp, XIAOMING, json_with, spawn_app, submit_minor_refund};

const SECRET: &str = "a-webhook-secret-of-some-length";

/// What the receiver got: the signature header and the body of each request.
type Received = Arc<Mutex<Vec<(String, String)>>>;

/// A receiver on loopback answering the given statuses in turn (then 200).
async fn receiver(answers: Vec<u16>) -> (String, Received) {
    let received: Received = Arc::default();
    let script = Arc::new(Mutex::new(answers.into_iter()));
    let app = axum::Router::new()
        .route(
            "/hook",
            axum::routing::post(
                |State((received, script)): State<(Received, Arc<Mutex<std::vec::IntoIter<u16>>>)>,
                 headers: HeaderMap,
                 body: String| async move {
                    let signature = headers
                        .get("x-refund-signature")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_owned();
                    received.lock().expect("lock").push((signature, body));
                    let status = script.lock().expect("lock").next().unwrap_or(200);
                    AxumStatus::from_u16(status).expect("a status")
                },
            ),
        )
        .with_state((Arc::clone(&received), script));
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("a port");
    let url = format!("http://{}/hook", listener.local_addr().expect("an address"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, received)
}

/// Whether `header` signs `body` with the secret: `t=SECONDS,v1=HEX(HMAC(secret, "SECONDS.BODY"))`.
fn signed(header: &str, body: &str) -> bool {
    let Some((t, v1)) = header.strip_prefix("t=").and_then(|rest| rest.split_once(",v1=")) else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).expect("key");
    mac.update(format!("{t}.{body}").as_bytes());
    hex::decode(v1).is_ok_and(|given| mac.verify_slice(&given).is_ok())
}

async fn decide_a_case(app: &TestApp) -> String {
    let xiaoming = app.player(XIAOMING).await;
    let case = submit_minor_refund(app, &xiaoming, &["DEMO-0002"]).await;
    let developer = app.developer().await;
    let full = DecisionRequest {
        outcome: Outcome::Full,
        refunds: Vec::new(),
        reason: None,
        note: "已全额退款。".to_owned(),
    };
    let response = app.post_decision(&developer, &case.case_no, &full).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    case.case_no
}

#[tokio::test]
async fn a_receiver_that_fails_twice_gets_one_signed_delivery_recorded_as_delivered_after_retries() {
    let app = spawn_app().await;
    let (url, received) = receiver(vec![500, 503]).await;
    assert!(
        app.store
            .set_webhook(DEMO_APPID, Some(&url), Some(SECRET))
            .await
            .expect("set")
    );
    let case_no = decide_a_case(&app).await;

    for _ in 0..3 {
        app.jobs().run_due().await.expect("jobs run");
        app.clock.shift(Duration::minutes(5));
    }

    let received = received.lock().expect("lock").clone();
    assert_eq!(received.len(), 3, "two failures, then the delivery");
    let bodies: Vec<serde_json::Value> = received
        .iter()
        .map(|(_, body)| serde_json::from_str(body).expect("JSON"))
        .collect();
    assert!(
        received.iter().all(|(header, body)| signed(header, body)),
        "every attempt is signed"
    );
    assert!(
        bodies.iter().all(|b| b["delivery_id"] == bodies[0]["delivery_id"]),
        "one delivery, retried"
    );
    assert_eq!(bodies[0]["case_no"], case_no.as_str());
    assert_eq!(bodies[0]["event"], "decided");
    assert_eq!(bodies[0]["openid"], XIAOMING);
    assert!(bodies[0]["text"]["zh-CN"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(bodies[0]["text"]["en"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(
        bodies[0]["link"]
            .as_str()
            .is_some_and(|l| l.ends_with(&format!("/cases/{case_no}")))
    );
    let developer = app.developer().await;
    let log: Vec<DeliveryView> = json_with(app.get(&developer, "/api/console/webhooks").await, StatusCode::OK).await;
    assert_eq!(log.len(), 1);
    assert_eq!(
        (log[0].status, log[0].attempts, log[0].last_status),
        (DeliveryStatus::Delivered, 3, Some(200))
    );
}

#[tokio::test]
async fn a_pending_delivery_survives_a_restart_and_is_delivered_after_it() {
    let app = spawn_app().await;
    let (url, received) = receiver(vec![500]).await;
    app.store
        .set_webhook(DEMO_APPID, Some(&url), Some(SECRET))
        .await
        .expect("set");
    decide_a_case(&app).await;
    app.jobs().run_due().await.expect("jobs run");
    assert_eq!(received.lock().expect("lock").len(), 1);

    let app = app.restart().await;
    app.clock.shift(Duration::minutes(5));
    app.jobs().run_due().await.expect("jobs run");

    assert_eq!(received.lock().expect("lock").len(), 2);
    let developer = app.developer().await;
    let log: Vec<DeliveryView> = json_with(app.get(&developer, "/api/console/webhooks").await, StatusCode::OK).await;
    assert_eq!(log[0].status, DeliveryStatus::Delivered);
}

#[tokio::test]
async fn a_delivery_still_failing_a_day_later_is_given_up_and_says_why() {
    let app = spawn_app_with_long_sessions().await;
    let (url, received) = receiver(vec![500; 100]).await;
    app.store
        .set_webhook(DEMO_APPID, Some(&url), Some(SECRET))
        .await
        .expect("set");
    decide_a_case(&app).await;

    for _ in 0..30 {
        app.jobs().run_due().await.expect("jobs run");
        app.clock.shift(Duration::hours(1));
    }

    let attempts = received.lock().expect("lock").len();
    assert!((20..=30).contains(&attempts), "retried for about a day: {attempts}");
    let developer = app.developer().await;
    let log: Vec<DeliveryView> = json_with(app.get(&developer, "/api/console/webhooks").await, StatusCode::OK).await;
    assert_eq!(log[0].status, DeliveryStatus::Failed);
    assert_eq!(log[0].last_status, Some(500));
}

async fn spawn_app_with_long_sessions() -> TestApp {
    crate::helpers::spawn_app_with(|config| config.session_hours = 24 * 7).await
}
