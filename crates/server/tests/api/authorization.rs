//! Who may see and do what, route by route: anonymous, the case's player, another player,
//! a developer of the game's organisation, a developer of another organisation, and
//! platform staff. A case that is not yours is a 404: nothing says it exists. Tracking
//! links and their streams answer whoever holds the key, and nobody without it.

use reqwest::{Method, StatusCode};

use crate::helpers::{
    LELE, TestApp, XIAOMING, idempotency_key, minor_refund, png, spawn_app, upload_required_evidence,
};

/// Who asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    Owner,
    OtherPlayer,
    Developer,
    OtherDeveloper,
    Platform,
}

const EVERYONE: [Who; 6] = [
    Who::Anonymous,
    Who::Owner,
    Who::OtherPlayer,
    Who::Developer,
    Who::OtherDeveloper,
    Who::Platform,
];

#[tokio::test]
async fn every_route_answers_each_kind_of_caller_as_the_matrix_says() {
    let app = spawn_app().await;
    let owner = app.player(XIAOMING).await;
    // The case carries a payment record besides the identity documents: a tracking link
    // opens that one (identity documents are kept from links).
    let mut files = upload_required_evidence(&app, &owner).await;
    let receipt = app
        .upload_evidence(&owner, "payment_records", &png("receipt.png", 42))
        .await;
    let receipt: refund_api::EvidenceView = crate::helpers::json_with(receipt, StatusCode::CREATED).await;
    files.push(receipt.id.clone());
    let case: refund_api::CaseCreated = crate::helpers::json_with(
        app.post_case(&owner, Some(&idempotency_key()), &minor_refund(&["DEMO-0001"], files))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let evidence = upload_required_evidence(&app, &owner).await;
    // The owner asks last, so what they remove or close (an upload, the case) has been
    // asked about by everyone else first.
    let clients = [
        (Who::Anonymous, TestApp::browser()),
        (Who::OtherPlayer, app.player(LELE).await.client),
        (Who::Developer, app.developer().await),
        (Who::OtherDeveloper, app.other_developer().await),
        (Who::Platform, app.platform().await),
        (Who::Owner, owner.client.clone()),
    ];
    let no = &case.case_no;
    let key = &case.tracking_key;
    let stream: refund_api::StreamToken =
        crate::helpers::json_with(app.post_stream_token(no, key).await, StatusCode::OK).await;
    let detail: refund_api::CaseDetail =
        crate::helpers::json_with(app.get_case(&owner, no).await, StatusCode::OK).await;
    assert!(detail.evidence.iter().any(|e| e.id == receipt.id));
    let attached = &receipt.id;
    let report = force_majeure_report(&app).await;
    let report_file = format!("/api/console/force-majeure/{}/files/{}", report.id, report.files[0].id);
    let decision =
        serde_json::json!({"outcome": "partial", "refunds": [{"order_no": "DEMO-0001", "amount_fen": 0}], "note": "x"});
    // (method, path, body, the status each caller gets). Reads of a refused kind of
    // caller are 401 (not signed in as what the route needs) or 404 (not theirs).
    let routes: Vec<(Method, String, Option<serde_json::Value>, [StatusCode; 6])> = vec![
        // Before the owner replaces the key below. `#key=` in a path is sent as the
        // X-Tracking-Key header, as the app does with its links' fragment.
        (
            Method::GET,
            format!("/api/track/{no}#key={key}"),
            None,
            [200, 200, 200, 200, 200, 200].map(code),
        ),
        (
            Method::GET,
            format!("/api/track/{no}#key=not-the-key"),
            None,
            [404, 404, 404, 404, 404, 404].map(code),
        ),
        (
            Method::GET,
            format!("/api/track/{no}?key={key}"),
            None,
            [400, 400, 400, 400, 400, 400].map(code),
        ),
        (
            Method::POST,
            format!("/api/track/{no}/stream-token#key={key}"),
            None,
            [200, 200, 200, 200, 200, 200].map(code),
        ),
        (
            Method::POST,
            format!("/api/track/{no}/stream-token#key=not-the-key"),
            None,
            [404, 404, 404, 404, 404, 404].map(code),
        ),
        (
            Method::GET,
            format!("/api/events?case={no}&token={}", stream.token),
            None,
            [200, 200, 200, 200, 200, 200].map(code),
        ),
        (
            Method::GET,
            format!("/api/events?case={no}&token=1999999999.00ff"),
            None,
            [404, 404, 404, 404, 404, 404].map(code),
        ),
        (
            Method::GET,
            format!("/api/events?case={no}&key={key}"),
            None,
            [400, 400, 400, 400, 400, 400].map(code),
        ),
        (
            Method::GET,
            "/api/events".into(),
            None,
            [401, 200, 200, 401, 401, 401].map(code),
        ),
        (
            Method::GET,
            "/api/events?audience=console".into(),
            None,
            [401, 401, 401, 200, 200, 200].map(code),
        ),
        (
            Method::GET,
            format!("/api/console/cases/{no}/evidence/{attached}"),
            None,
            [401, 401, 401, 200, 404, 200].map(code),
        ),
        (
            Method::POST,
            format!("/api/console/cases/{no}/reveal-phone"),
            None,
            [401, 401, 401, 200, 404, 403].map(code),
        ),
        (
            Method::DELETE,
            format!("/api/evidence/{}", evidence[1]),
            None,
            [401, 204, 404, 401, 401, 401].map(code),
        ),
        (
            Method::GET,
            "/api/cases".into(),
            None,
            [401, 200, 200, 401, 401, 401].map(code),
        ),
        (
            Method::GET,
            format!("/api/cases/{no}"),
            None,
            [401, 200, 404, 401, 401, 401].map(code),
        ),
        (
            Method::GET,
            format!("/api/evidence/{}", evidence[0]),
            None,
            [401, 200, 404, 401, 401, 401].map(code),
        ),
        (
            Method::POST,
            format!("/api/cases/{no}/tracking-key"),
            None,
            [401, 200, 404, 401, 401, 401].map(code),
        ),
        (
            Method::GET,
            "/api/orders".into(),
            None,
            [401, 200, 200, 401, 401, 401].map(code),
        ),
        (
            Method::GET,
            "/api/console/cases".into(),
            None,
            [401, 401, 401, 200, 200, 200].map(code),
        ),
        (
            Method::GET,
            format!("/api/console/cases/{no}"),
            None,
            [401, 401, 401, 200, 404, 200].map(code),
        ),
        (
            Method::POST,
            format!("/api/console/cases/{no}/decision"),
            Some(decision),
            [401, 401, 401, 422, 404, 403].map(code),
        ),
        (
            Method::POST,
            format!("/api/cases/{no}/accept"),
            Some(serde_json::json!({})),
            [401, 409, 404, 401, 401, 401].map(code),
        ),
        (
            Method::POST,
            format!("/api/cases/{no}/messages"),
            Some(serde_json::json!({"text": "在吗？"})),
            [401, 201, 404, 401, 401, 401].map(code),
        ),
        (
            Method::POST,
            format!("/api/console/cases/{no}/messages"),
            Some(serde_json::json!({"text": "您好，请补充材料。"})),
            [401, 401, 401, 201, 404, 201].map(code),
        ),
        (
            Method::GET,
            "/api/notifications".into(),
            None,
            [401, 200, 200, 200, 200, 200].map(code),
        ),
        (
            Method::GET,
            "/api/console/webhooks".into(),
            None,
            [401, 401, 401, 200, 200, 200].map(code),
        ),
        (
            Method::GET,
            "/api/console/session".into(),
            None,
            [401, 401, 401, 200, 200, 200].map(code),
        ),
        (
            Method::POST,
            format!("/api/cases/{no}/appeal"),
            Some(serde_json::json!({"reason": "other", "statement": "开发者的处理理由不对，请重新看看。"})),
            [401, 409, 404, 401, 401, 401].map(code),
        ),
        (
            Method::POST,
            format!("/api/cases/{no}/escalate"),
            Some(serde_json::json!({})),
            [401, 409, 404, 401, 401, 401].map(code),
        ),
        (
            Method::GET,
            "/api/platform/cases".into(),
            None,
            [401, 401, 401, 403, 403, 200].map(code),
        ),
        (
            Method::POST,
            format!("/api/platform/cases/{no}/decision"),
            Some(serde_json::json!({"outcome": "full", "refunds": [], "note": ""})),
            [401, 401, 401, 403, 403, 409].map(code),
        ),
        (
            Method::GET,
            "/api/console/credit".into(),
            None,
            [401, 401, 401, 200, 200, 403].map(code),
        ),
        (
            Method::GET,
            "/api/platform/credit".into(),
            None,
            [401, 401, 401, 403, 403, 200].map(code),
        ),
        (
            Method::GET,
            "/api/platform/calendar".into(),
            None,
            [401, 401, 401, 403, 403, 200].map(code),
        ),
        (
            Method::GET,
            "/api/console/force-majeure".into(),
            None,
            [401, 401, 401, 200, 200, 403].map(code),
        ),
        (
            Method::POST,
            "/api/console/force-majeure".into(),
            Some(serde_json::json!({"description": "not a multipart body"})),
            [401, 401, 401, 415, 415, 403].map(code),
        ),
        (Method::GET, report_file, None, [401, 401, 401, 200, 404, 200].map(code)),
        (
            Method::GET,
            "/api/platform/force-majeure".into(),
            None,
            [401, 401, 401, 403, 403, 200].map(code),
        ),
        (
            Method::POST,
            format!("/api/platform/force-majeure/{}/decision", report.id),
            Some(serde_json::json!({"accept": false, "note": "证据不足。"})),
            [401, 401, 401, 403, 403, 200].map(code),
        ),
        // Last: the owner's withdrawal closes the case.
        (
            Method::POST,
            format!("/api/cases/{no}/withdraw"),
            Some(serde_json::json!({})),
            [401, 200, 404, 401, 401, 401].map(code),
        ),
    ];
    let mut failures = Vec::new();
    for (method, path, body, expected) in &routes {
        for (who, client) in &clients {
            // Routes that want an Idempotency-Key get one; the others ignore it.
            let (url, tracking_key) = path
                .split_once("#key=")
                .map_or((path.as_str(), None), |(p, k)| (p, Some(k)));
            let mut request = client
                .request(method.clone(), app.url(url))
                .header("Idempotency-Key", "matrix-key-0001");
            if let Some(key) = tracking_key {
                request = request.header(refund_api::TRACKING_KEY_HEADER, key);
            }
            if let Some(body) = body {
                request = request.json(body);
            }
            let status = request.send().await.expect("sent").status();
            let want = expected[EVERYONE.iter().position(|w| w == who).expect("a caller")];
            if status != want {
                failures.push(format!("{method} {path} as {who:?}: {status}, expected {want}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn code(status: u16) -> StatusCode {
    StatusCode::from_u16(status).expect("a status code")
}

/// A force-majeure report of the demo studio, with one file.
async fn force_majeure_report(app: &TestApp) -> refund_api::ForceMajeureView {
    let today = app
        .clock
        .now()
        .with_timezone(&refund_server::domain::calendar::shanghai())
        .date_naive();
    let file = crate::helpers::png("notice.png", 3);
    let form = reqwest::multipart::Form::new()
        .text("description", "园区停电，客服系统停机一天。")
        .text("starts_on", today.to_string())
        .text("ends_on", today.to_string())
        .part("file", reqwest::multipart::Part::bytes(file.bytes).file_name(file.name));
    let developer = app.developer().await;
    let sent = developer
        .post(app.url("/api/console/force-majeure"))
        .multipart(form)
        .send()
        .await
        .expect("sent");
    crate::helpers::json_with(sent, StatusCode::CREATED).await
}
