//! The web app's files, unknown API paths, health checks and oversized bodies.

use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE};

use crate::helpers::{TestApp, XIAOMING, assert_error, idempotency_key, minor_refund, spawn_app, spawn_app_with};

const INDEX_HTML: &str = "<!doctype html><title>Refund Desk</title><script src=\"/app-0123456789abcdef.js\"></script>";
const HASHED_ASSET: &str = "app-0123456789abcdef.js";
const FOLLOW_HTML: &str =
    "<!doctype html><title>Refund Desk</title><script src=\"/follow/follow-00112233aabbccdd.js\"></script>";
const FOLLOW_ASSET: &str = "follow-00112233aabbccdd.js";
const CONSOLE_HTML: &str = "<!doctype html><title>Console</title>";
const CONSOLE_ASSET: &str = "console-fedcba9876543210.js";

/// A server that serves a built web app from a temporary directory.
async fn spawn_app_with_web_app() -> (TestApp, tempfile::TempDir) {
    let dist = tempfile::tempdir().expect("a dist directory");
    std::fs::write(dist.path().join("index.html"), INDEX_HTML).expect("index.html");
    std::fs::write(dist.path().join(HASHED_ASSET), "console.log('refund desk');").expect("asset");
    let follow = dist.path().join("follow");
    std::fs::create_dir(&follow).expect("follow dir");
    std::fs::write(follow.join("index.html"), FOLLOW_HTML).expect("follow index.html");
    std::fs::write(follow.join(FOLLOW_ASSET), "console.log('follow');").expect("follow asset");
    let console = dist.path().join("console");
    std::fs::create_dir(&console).expect("console dir");
    std::fs::write(console.join("index.html"), CONSOLE_HTML).expect("console index.html");
    std::fs::write(console.join(CONSOLE_ASSET), "console.log('console');").expect("console asset");
    let dist_path = dist.path().to_path_buf();
    let app = spawn_app_with(|config| config.static_dir = Some(dist_path)).await;
    (app, dist)
}

fn cache_control(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn a_deep_link_returns_its_bundles_index_html_that_is_never_cached() {
    let (app, _dist) = spawn_app_with_web_app().await;

    for (path, page) in [
        ("/", INDEX_HTML),
        ("/apply", INDEX_HTML),
        ("/help", INDEX_HTML),
        ("/no/such/page", INDEX_HTML),
        ("/casesx", INDEX_HTML),
        ("/cases", FOLLOW_HTML),
        ("/cases/MR-2026-000001", FOLLOW_HTML),
        ("/cases/MR-2026-000001/appeal", FOLLOW_HTML),
        ("/track/MR-2026-000001", FOLLOW_HTML),
        ("/notifications", FOLLOW_HTML),
    ] {
        let response = app.get(&app.anonymous, path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(cache_control(&response), "no-cache", "{path}");
        assert_eq!(response.text().await.expect("body"), page, "{path}");
    }
}

#[tokio::test]
async fn the_follow_up_bundles_assets_are_served_from_its_folder() {
    let (app, _dist) = spawn_app_with_web_app().await;

    let asset = app.get(&app.anonymous, &format!("/follow/{FOLLOW_ASSET}")).await;

    assert_eq!(asset.status(), StatusCode::OK);
    assert!(cache_control(&asset).contains("immutable"));
    assert_eq!(asset.text().await.expect("body"), "console.log('follow');");
}

#[tokio::test]
async fn console_paths_get_the_console_app_and_its_assets() {
    let (app, _dist) = spawn_app_with_web_app().await;

    for path in [
        "/console",
        "/console/",
        "/console/cases/MR-2026-000001",
        "/console/webhooks",
    ] {
        let response = app.get(&app.anonymous, path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(cache_control(&response), "no-cache", "{path}");
        assert_eq!(response.text().await.expect("body"), CONSOLE_HTML, "{path}");
    }
    let asset = app.get(&app.anonymous, &format!("/console/{CONSOLE_ASSET}")).await;
    assert_eq!(asset.status(), StatusCode::OK);
    assert!(cache_control(&asset).contains("immutable"));
    assert_eq!(asset.text().await.expect("body"), "console.log('console');");
    // The player's app is untouched by the console's routes.
    let player = app.get(&app.anonymous, "/consoles").await;
    assert_eq!(player.text().await.expect("body"), INDEX_HTML);
}

#[tokio::test]
async fn a_hashed_asset_is_cached_as_immutable() {
    let (app, _dist) = spawn_app_with_web_app().await;

    let response = app.get(&app.anonymous, &format!("/{HASHED_ASSET}")).await;

    assert_eq!(response.status(), StatusCode::OK);
    let policy = cache_control(&response);
    assert!(policy.contains("immutable"), "{policy}");
    assert!(policy.contains("max-age=31536000"), "{policy}");
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(content_type.contains("javascript"), "{content_type}");
    assert_eq!(response.text().await.expect("body"), "console.log('refund desk');");
}

#[tokio::test]
async fn an_unknown_api_path_returns_a_json_404_even_with_the_web_app_served() {
    let (app, _dist) = spawn_app_with_web_app().await;

    let response = app.get(&app.anonymous, "/api/unknown/path").await;

    assert_error(response, StatusCode::NOT_FOUND, "no_such_endpoint").await;
}

#[tokio::test]
async fn an_unknown_api_path_returns_a_json_404_without_the_web_app() {
    let app = spawn_app().await;

    let response = app.get(&app.anonymous, "/api/unknown/path").await;

    assert_error(response, StatusCode::NOT_FOUND, "no_such_endpoint").await;
}

#[tokio::test]
async fn health_and_readiness_return_200() {
    let app = spawn_app().await;

    let health = app.get(&app.anonymous, "/healthz").await;
    assert_eq!(health.status(), StatusCode::OK);
    assert_eq!(health.text().await.expect("body"), "ok");
    let ready = app.get(&app.anonymous, "/readyz").await;
    assert_eq!(ready.status(), StatusCode::OK);
    let ready: serde_json::Value = ready.json().await.expect("a JSON body");
    assert_eq!(ready["status"], "ready");
    let expected = if crate::helpers::on_postgres() {
        "postgres"
    } else {
        "sqlite"
    };
    assert_eq!(ready["database"], expected, "readiness names the backend that answered");
    assert_eq!(
        ready["durable_commits"], true,
        "a 201 must mean the commit is on disk (SQLite synchronous=FULL)"
    );
}

#[tokio::test]
async fn a_json_body_over_two_megabytes_returns_413_in_the_error_shape() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let mut case = minor_refund(&["DEMO-0001"], Vec::new());
    case.narrative = "x".repeat(2 * 1024 * 1024 + 1024);

    let response = app.post_case(&xiaoming, Some(&idempotency_key()), &case).await;

    assert_error(response, StatusCode::PAYLOAD_TOO_LARGE, "body_too_large").await;
    let cases = app.get_cases(&xiaoming).await.text().await.expect("body");
    assert_eq!(cases, "[]", "nothing was stored");
}
