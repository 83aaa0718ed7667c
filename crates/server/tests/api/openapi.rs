//! `GET /api/openapi.json`: the contract generated from the handlers, and the rejections
//! of malformed paths and forms that keep to its error shape.

use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use serde_json::Value;

use crate::helpers::{XIAOMING, assert_error, spawn_app};

/// The document, fetched without any session.
async fn spec(app: &crate::helpers::TestApp) -> Value {
    let response = app
        .anonymous
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .expect("the document answers");
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(content_type.starts_with("application/json"), "{content_type}");
    response.json().await.expect("the document is JSON")
}

/// Every operation of the document as `(method, path, operation)`.
fn operations(spec: &Value) -> Vec<(String, String, Value)> {
    let paths = spec["paths"].as_object().expect("paths");
    let mut found = Vec::new();
    for (path, item) in paths {
        for method in ["get", "post", "put", "patch", "delete"] {
            if let Some(operation) = item.get(method) {
                found.push((method.to_owned(), path.clone(), operation.clone()));
            }
        }
    }
    found
}

fn statuses(operation: &Value) -> Vec<String> {
    operation["responses"]
        .as_object()
        .map(|r| r.keys().cloned().collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn the_document_is_openapi_3_and_lists_the_routes() {
    let app = spawn_app().await;
    let spec = spec(&app).await;

    let version = spec["openapi"].as_str().expect("an openapi version");
    assert!(version.starts_with("3."), "{version}");
    assert!(spec["info"]["title"].is_string());
    let operations = operations(&spec);
    for (method, path) in [
        ("post", "/api/session/launch"),
        ("get", "/api/session"),
        ("get", "/api/orders"),
        ("post", "/api/evidence"),
        ("get", "/api/evidence/{id}"),
        ("delete", "/api/evidence/{id}"),
        ("post", "/api/cases"),
        ("get", "/api/cases"),
        ("get", "/api/cases/{no}"),
        ("post", "/api/cases/{no}/appeal"),
        ("get", "/api/track/{no}"),
        ("get", "/api/events"),
        ("post", "/api/console/login"),
        ("get", "/api/console/cases"),
        ("post", "/api/console/cases/{no}/decision"),
        ("post", "/api/console/force-majeure"),
        ("post", "/api/platform/cases/{no}/decision"),
        ("get", "/api/notifications"),
        ("get", "/api/openapi.json"),
        ("get", "/healthz"),
        ("get", "/readyz"),
    ] {
        assert!(
            operations.iter().any(|(m, p, _)| m == method && p == path),
            "{method} {path} is not in the document"
        );
    }
    let mut ids: Vec<&str> = operations
        .iter()
        .map(|(method, path, op)| {
            op["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path} has no operationId"))
        })
        .collect();
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count, "operationIds are not unique");
}

#[tokio::test]
async fn errors_have_the_shared_shape_with_every_code() {
    let app = spawn_app().await;
    let spec = spec(&app).await;
    let schemas = &spec["components"]["schemas"];

    assert_eq!(schemas["ErrorBody"]["required"], serde_json::json!(["error"]));
    let detail = &schemas["ErrorDetail"];
    let required: Vec<&str> = detail["required"]
        .as_array()
        .expect("required fields")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        required.contains(&"code") && required.contains(&"message"),
        "{required:?}"
    );
    for optional in ["field", "params"] {
        assert!(detail["properties"].get(optional).is_some(), "ErrorDetail.{optional}");
        assert!(!required.contains(&optional), "{optional} is optional");
    }
    let codes: Vec<&str> = schemas["ErrorCode"]["enum"]
        .as_array()
        .expect("ErrorCode is a string enum")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for code in refund_api::ErrorCode::ALL {
        assert!(codes.contains(&code.key()), "{} is not in ErrorCode", code.key());
    }

    // Every documented error (416 aside, which has no body) carries the error body.
    let responses = &spec["components"]["responses"];
    for (method, path, operation) in operations(&spec) {
        for (status, response) in operation["responses"].as_object().expect("responses") {
            if !(status.starts_with('4') || status.starts_with('5')) || status == "416" {
                continue;
            }
            let name = response["$ref"]
                .as_str()
                .and_then(|r| r.strip_prefix("#/components/responses/"))
                .unwrap_or_else(|| panic!("{method} {path} {status} is not a shared error response"));
            assert_eq!(
                responses[name]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/ErrorBody",
                "{method} {path} {status}"
            );
        }
    }
}

#[tokio::test]
async fn the_errors_every_operation_can_meet_are_documented() {
    let app = spawn_app().await;
    let spec = spec(&app).await;

    for (method, path, operation) in operations(&spec) {
        let statuses = statuses(&operation);
        let has = |status: &str| statuses.iter().any(|s| s == status);
        let json_body = operation["requestBody"]["content"].get("application/json").is_some();
        if json_body {
            for status in ["400", "413", "415", "422"] {
                assert!(has(status), "{method} {path} reads JSON but does not list {status}");
            }
        }
        if operation["requestBody"]["content"].get("multipart/form-data").is_some() {
            for status in ["400", "413", "415", "422"] {
                assert!(has(status), "{method} {path} reads a form but does not list {status}");
            }
        }
        let signed_in_only = operation["security"].as_array().is_some_and(|alternatives| {
            alternatives
                .iter()
                .all(|a| a.as_object().is_some_and(|a| !a.is_empty()))
        });
        if signed_in_only {
            assert!(has("401"), "{method} {path} needs a session but does not list 401");
        }
        let path_params = operation["parameters"]
            .as_array()
            .is_some_and(|params| params.iter().any(|p| p["in"] == "path"));
        if path_params && path.starts_with("/api/") {
            assert!(has("404"), "{method} {path} names a resource but does not list 404");
        }
    }
}

#[tokio::test]
async fn the_session_cookies_are_the_security_schemes() {
    let app = spawn_app().await;
    let spec = spec(&app).await;
    let schemes = &spec["components"]["securitySchemes"];

    let player = app.player(XIAOMING).await;
    let launched = app
        .post_launch(&crate::helpers::TestApp::browser(), &app.ticket(XIAOMING))
        .await;
    let set_cookie = launched
        .headers()
        .get(reqwest::header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let player_cookie = schemes["player_session"]["name"].as_str().expect("a cookie name");
    assert_eq!(schemes["player_session"]["in"], "cookie");
    assert!(
        set_cookie.starts_with(&format!("{player_cookie}=")),
        "{set_cookie} is not {player_cookie}"
    );
    assert_eq!(schemes["console_session"]["in"], "cookie");
    assert!(schemes["console_session"]["name"].is_string());
    // The document needs no session, and a session changes nothing in it.
    let with_session: Value = player
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .expect("answers")
        .json()
        .await
        .expect("JSON");
    assert_eq!(with_session, spec);
}

#[tokio::test]
async fn a_path_that_does_not_decode_is_a_404_in_the_error_shape() {
    let app = spawn_app().await;
    let player = app.player(XIAOMING).await;

    let response = player
        .client
        .get(app.url("/api/cases/%FF%FE"))
        .send()
        .await
        .expect("answers");
    assert_error(response, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn an_upload_that_is_not_a_form_is_a_415_in_the_error_shape() {
    let app = spawn_app().await;
    let player = app.player(XIAOMING).await;

    let response = player
        .client
        .post(app.url("/api/evidence"))
        .header(CONTENT_TYPE, "application/json")
        .body("{}")
        .send()
        .await
        .expect("answers");
    assert_error(response, StatusCode::UNSUPPORTED_MEDIA_TYPE, "wrong_content_type").await;
}
