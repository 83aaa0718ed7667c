//! `POST /api/session/launch`: launch tickets become session cookies, and only once.

use chrono::{Duration, Utc};
use refund_api::SessionView;
use refund_server::demo::{DEMO_APPID, DEMO_GAME, DEMO_SECRET};
use refund_server::domain::ticket::{TicketClaims, fresh_claims, sign};
use refund_server::http::SESSION_COOKIE;
use reqwest::StatusCode;
use reqwest::header::SET_COOKIE;
use sha2::{Digest, Sha256};

use crate::helpers::{LELE, TestApp, XIAOMING, assert_error, json_with, query_text, spawn_app};

fn session_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{SESSION_COOKIE}=")))
        .expect("a session cookie is set")
        .to_owned()
}

fn cookie_token(cookie: &str) -> String {
    let pair = cookie.split(';').next().expect("a name=value pair");
    pair.split_once('=').expect("name=value").1.to_owned()
}

#[tokio::test]
async fn a_valid_ticket_returns_200_and_an_http_only_strict_session_cookie() {
    let app = spawn_app().await;

    let response = app.post_launch(&TestApp::browser(), &app.ticket(XIAOMING)).await;

    assert_eq!(response.status(), StatusCode::OK);
    let cookie = session_cookie(&response);
    let attributes: Vec<&str> = cookie.split(';').map(str::trim).collect();
    assert!(attributes.contains(&"HttpOnly"), "{cookie}");
    assert!(attributes.contains(&"SameSite=Strict"), "{cookie}");
    assert!(attributes.contains(&"Max-Age=86400"), "24 hours by default: {cookie}");
    assert!(cookie_token(&cookie).len() >= 32, "an unguessable token: {cookie}");
    let session: SessionView = json_with(response, StatusCode::OK).await;
    assert_eq!(session.appid, DEMO_APPID);
    assert_eq!(session.game_name, DEMO_GAME);
    assert_eq!(session.nickname, "星辰小明");
}

#[tokio::test]
async fn the_session_cookie_signs_the_player_in_for_later_requests() {
    let app = spawn_app().await;
    let player = app.player(LELE).await;

    let session: SessionView = json_with(app.get_session(&player).await, StatusCode::OK).await;

    assert_eq!(session.nickname, "乐乐爱闯关");
    assert_eq!(session.limits.max_files_per_case, 20);
}

#[tokio::test]
async fn an_expired_ticket_returns_401_ticket_expired() {
    let app = spawn_app().await;
    let claims = fresh_claims(DEMO_APPID, XIAOMING, Utc::now(), Duration::minutes(-1));

    let response = app.post_launch(&TestApp::browser(), &sign(&claims, DEMO_SECRET)).await;

    assert!(response.headers().get(SET_COOKIE).is_none());
    assert_error(response, StatusCode::UNAUTHORIZED, "ticket_expired").await;
}

#[tokio::test]
async fn a_ticket_with_a_forged_signature_returns_401_ticket_forged() {
    let app = spawn_app().await;
    let genuine = app.ticket(XIAOMING);
    let (claims, mac) = genuine.split_once('.').expect("claims.mac");
    let mut tampered_mac = mac.to_owned().into_bytes();
    tampered_mac[0] = if tampered_mac[0] == b'A' { b'B' } else { b'A' };
    let forged = format!("{claims}.{}", String::from_utf8(tampered_mac).expect("ascii"));

    let response = app.post_launch(&TestApp::browser(), &forged).await;

    assert_error(response, StatusCode::UNAUTHORIZED, "ticket_forged").await;
}

#[tokio::test]
async fn a_ticket_signed_with_another_games_secret_returns_401_ticket_forged() {
    let app = spawn_app().await;
    app.store
        .upsert_game("wxother0002", "别的游戏", "the-other-games-secret", app.clock.now())
        .await
        .expect("second game");
    let claims = fresh_claims(DEMO_APPID, XIAOMING, Utc::now(), Duration::minutes(10));

    let response = app
        .post_launch(&TestApp::browser(), &sign(&claims, "the-other-games-secret"))
        .await;

    assert_error(response, StatusCode::UNAUTHORIZED, "ticket_forged").await;
}

#[tokio::test]
async fn a_ticket_used_twice_returns_409_ticket_reused() {
    let app = spawn_app().await;
    let ticket = app.ticket(XIAOMING);
    let first = app.post_launch(&TestApp::browser(), &ticket).await;
    assert_eq!(first.status(), StatusCode::OK);

    let second = app.post_launch(&TestApp::browser(), &ticket).await;

    assert!(second.headers().get(SET_COOKIE).is_none());
    assert_error(second, StatusCode::CONFLICT, "ticket_reused").await;
}

#[tokio::test]
async fn a_malformed_ticket_returns_400_ticket_malformed() {
    let app = spawn_app().await;
    for malformed in ["", "not-a-ticket", "abc.def", "e30.AAAA"] {
        let response = app.post_launch(&TestApp::browser(), malformed).await;
        assert_error(response, StatusCode::BAD_REQUEST, "ticket_malformed").await;
    }
}

#[tokio::test]
async fn a_ticket_for_an_unknown_game_returns_401_unknown_game() {
    let app = spawn_app().await;
    let claims = TicketClaims {
        appid: "wxnotregistered".to_owned(),
        openid: XIAOMING.to_owned(),
        exp: (Utc::now() + Duration::minutes(10)).timestamp(),
        nonce: "nonce-1".to_owned(),
    };

    let response = app.post_launch(&TestApp::browser(), &sign(&claims, DEMO_SECRET)).await;

    assert_error(response, StatusCode::UNAUTHORIZED, "unknown_game").await;
}

#[tokio::test]
async fn a_launch_without_a_body_returns_400_in_the_error_shape() {
    let app = spawn_app().await;

    let response = app.post_launch_raw("", Some("application/json")).await;

    assert_error(response, StatusCode::BAD_REQUEST, "malformed_json").await;
}

#[tokio::test]
async fn a_launch_with_the_wrong_content_type_returns_415_in_the_error_shape() {
    let app = spawn_app().await;
    let body = r#"{"ticket":"abc.def"}"#;

    assert_error(
        app.post_launch_raw(body, Some("text/plain")).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "wrong_content_type",
    )
    .await;
    assert_error(
        app.post_launch_raw(body, None).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "wrong_content_type",
    )
    .await;
}

#[tokio::test]
async fn a_launch_with_malformed_json_returns_400_in_the_error_shape() {
    let app = spawn_app().await;

    let response = app.post_launch_raw(r#"{"ticket": "#, Some("application/json")).await;

    assert_error(response, StatusCode::BAD_REQUEST, "malformed_json").await;
}

#[tokio::test]
async fn a_launch_with_json_of_the_wrong_shape_returns_422_in_the_error_shape() {
    let app = spawn_app().await;

    let response = app
        .post_launch_raw(r#"{"tiket": "abc.def"}"#, Some("application/json"))
        .await;

    let error = assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "invalid_json").await;
    assert!(
        error.message.contains("ticket"),
        "the message names the missing field: {}",
        error.message
    );
}

#[tokio::test]
async fn only_a_hash_of_the_session_token_is_stored() {
    let app = spawn_app().await;
    let response = app.post_launch(&TestApp::browser(), &app.ticket(XIAOMING)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let token = cookie_token(&session_cookie(&response));

    let rows = query_text(&app.database_url, "SELECT token_hash, appid, openid FROM sessions").await;

    assert_eq!(rows.len(), 1, "one launch, one session");
    for column in &rows[0] {
        assert!(!column.contains(&token), "the raw token is stored: {column}");
    }
    let expected_hash = hex::encode(Sha256::digest(token.as_bytes()));
    assert_eq!(rows[0][0], expected_hash, "the session is found by the token's SHA-256");
}

#[tokio::test]
async fn a_new_session_sweeps_away_expired_ones() {
    let app = spawn_app().await;
    app.clock.shift(Duration::days(-3));
    let stale = app.post_launch(&TestApp::browser(), &app.ticket(LELE)).await;
    assert_eq!(stale.status(), StatusCode::OK);
    app.clock.shift(Duration::days(3));
    assert_eq!(app.store.session_count().await.expect("count"), 1);

    let response = app.post_launch(&TestApp::browser(), &app.ticket(XIAOMING)).await;

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        app.store.session_count().await.expect("count"),
        1,
        "only the new session is left"
    );
}

#[tokio::test]
async fn a_ticket_whose_expiry_is_written_in_milliseconds_is_refused_every_time() {
    let app = spawn_app().await;
    let claims = TicketClaims {
        appid: DEMO_APPID.to_owned(),
        openid: XIAOMING.to_owned(),
        exp: app.clock.now().timestamp_millis(),
        nonce: "js-date-now".to_owned(),
    };
    let ticket = sign(&claims, DEMO_SECRET);

    for attempt in 0..2 {
        let response = app.post_launch(&TestApp::browser(), &ticket).await;
        assert_error(response, StatusCode::UNAUTHORIZED, "ticket_expiry_too_far").await;
        assert_eq!(app.store.session_count().await.expect("count"), 0, "attempt {attempt}");
    }
}

#[tokio::test]
async fn a_used_ticket_stays_used_until_it_expires_even_across_a_restart() {
    let app = spawn_app().await;
    let ticket = app.ticket(XIAOMING);
    assert_eq!(
        app.post_launch(&TestApp::browser(), &ticket).await.status(),
        StatusCode::OK
    );
    // Another launch sweeps expired nonces; this one has not expired and must stay.
    assert_eq!(
        app.post_launch(&TestApp::browser(), &app.ticket(LELE)).await.status(),
        StatusCode::OK
    );
    let app = app.restart().await;

    let again = app.post_launch(&TestApp::browser(), &ticket).await;

    assert_error(again, StatusCode::CONFLICT, "ticket_reused").await;
}
