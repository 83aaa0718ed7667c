//! The edge: security headers, the Origin check, secure cookies, rate limits, the storage
//! quota and connection timeouts.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use refund_api::EvidenceView;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_SECURITY_POLICY, RETRY_AFTER, SET_COOKIE};

use crate::helpers::{
    LELE, TestApp, XIAOMING, assert_error, json_with, png, png_of_len, sample_of_each_type, spawn_app_with,
    submit_minor_refund, upload_required_evidence,
};

/// Trunk's loader, as it writes it into `index.html`.
const LOADER: &str = "import init from '/app.js';await init({ module_or_path: '/app_bg.wasm' });";

fn header(response: &reqwest::Response, name: impl reqwest::header::AsHeaderName) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

async fn spawn_with_app_page(adjust: impl FnOnce(&mut refund_server::config::Config)) -> (TestApp, tempfile::TempDir) {
    let dist = tempfile::tempdir().expect("dist");
    let page = format!("<!doctype html><title>x</title><script type=\"module\">{LOADER}</script>");
    std::fs::write(dist.path().join("index.html"), page).expect("index.html");
    let path = dist.path().to_path_buf();
    let app = spawn_app_with(|config| {
        config.static_dir = Some(path);
        adjust(config);
    })
    .await;
    (app, dist)
}

#[tokio::test]
async fn an_app_page_an_api_answer_and_an_evidence_file_carry_the_security_headers() {
    let (app, _dist) = spawn_with_app_page(|_| {}).await;
    let xiaoming = app.player(XIAOMING).await;
    let page = app.get(&app.anonymous, "/apply").await;
    let api = app.get(&app.anonymous, "/api/orders").await;
    let files = sample_of_each_type();
    let mut evidence = Vec::new();
    for (media, file) in &files {
        let view: EvidenceView = json_with(
            app.upload_evidence(&xiaoming, "payment_records", file).await,
            StatusCode::CREATED,
        )
        .await;
        evidence.push((*media, app.get_evidence(&xiaoming, &view.id).await));
    }

    use base64::Engine;
    use sha2::Digest;
    let loader_hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(LOADER.as_bytes()));
    for (what, response) in [("page", &page), ("api", &api)] {
        let csp = header(response, CONTENT_SECURITY_POLICY);
        let script_src = csp
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap_or_default();
        assert!(script_src.contains(&format!("'sha256-{loader_hash}'")), "{what}: {csp}");
        assert!(!script_src.contains("unsafe-inline"), "{what}: {csp}");
        assert!(csp.contains("frame-ancestors 'self'"), "{what}: {csp}");
        assert!(csp.contains("object-src 'none'"), "{what}: {csp}");
        assert_eq!(header(response, "referrer-policy"), "no-referrer", "{what}");
        assert_eq!(header(response, "x-content-type-options"), "nosniff", "{what}");
        assert!(
            header(response, "permissions-policy").contains("geolocation=()"),
            "{what}"
        );
        assert_eq!(
            header(response, "strict-transport-security"),
            "",
            "{what}: no HSTS over http"
        );
    }
    for (media, response) in &evidence {
        assert_eq!(response.status(), StatusCode::OK, "{media:?}");
        assert!(
            header(response, CONTENT_SECURITY_POLICY).starts_with("sandbox"),
            "{media:?}"
        );
        assert_eq!(header(response, "x-content-type-options"), "nosniff", "{media:?}");
        assert_eq!(header(response, "cache-control"), "private, no-store", "{media:?}");
        let disposition = header(response, CONTENT_DISPOSITION);
        let shown = matches!(
            media,
            refund_api::MediaType::Jpeg
                | refund_api::MediaType::Png
                | refund_api::MediaType::Webp
                | refund_api::MediaType::Pdf
                | refund_api::MediaType::Mp4
        );
        assert_eq!(disposition.starts_with("inline"), shown, "{media:?}: {disposition}");
        assert_eq!(
            disposition.starts_with("attachment"),
            !shown,
            "{media:?}: {disposition}"
        );
    }
}

#[tokio::test]
async fn over_https_cookies_are_secure_host_cookies_and_hsts_is_sent() {
    let (app, _dist) = spawn_with_app_page(|config| {
        config.public_url = Some("https://refund.example.com".to_owned());
        config.edge.frame_ancestors = "'self' https://game.example.com".to_owned();
    })
    .await;

    let launch = app
        .anonymous
        .post(app.url("/api/session/launch"))
        .header("Origin", "https://refund.example.com")
        .json(&refund_api::LaunchRequest {
            ticket: app.ticket(XIAOMING),
        })
        .send()
        .await
        .expect("sent");

    assert_eq!(launch.status(), StatusCode::OK);
    let cookie = header(&launch, SET_COOKIE);
    assert!(cookie.starts_with("__Host-rd_session="), "{cookie}");
    for attribute in ["Secure", "HttpOnly", "Path=/", "SameSite=Strict"] {
        assert!(cookie.contains(attribute), "{attribute} missing: {cookie}");
    }
    assert!(!cookie.contains("Domain"), "{cookie}");
    assert!(header(&launch, "strict-transport-security").starts_with("max-age="));
    assert!(header(&launch, CONTENT_SECURITY_POLICY).contains("frame-ancestors 'self' https://game.example.com"));
}

#[tokio::test]
async fn a_state_changing_request_from_another_sites_page_is_refused() {
    let (app, _dist) =
        spawn_with_app_page(|config| config.public_url = Some("https://refund.example.com".into())).await;
    let launch = |origin: &'static str| {
        app.anonymous
            .post(app.url("/api/session/launch"))
            .header("Origin", origin)
            .json(&refund_api::LaunchRequest {
                ticket: app.ticket(LELE),
            })
            .send()
    };

    assert_error(
        launch("https://evil.example").await.expect("sent"),
        StatusCode::FORBIDDEN,
        "bad_origin",
    )
    .await;
    assert_error(launch("null").await.expect("sent"), StatusCode::FORBIDDEN, "bad_origin").await;
    // Nothing happened: the ticket still works from the service's own page.
    assert_eq!(
        launch("https://refund.example.com").await.expect("sent").status(),
        StatusCode::OK
    );
    // Reads are not refused, whoever embeds them.
    let read = app
        .anonymous
        .get(app.url("/api/session"))
        .header("Origin", "https://evil.example");
    assert_eq!(read.send().await.expect("sent").status(), StatusCode::UNAUTHORIZED);
}

/// Asserts a 429 in the usual shape with `Retry-After` and the seconds for the app.
async fn assert_rate_limited(response: reqwest::Response) {
    let retry_after: u64 = header(&response, RETRY_AFTER).parse().expect("Retry-After in seconds");
    assert!(retry_after >= 1);
    let body = assert_error(response, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    assert_eq!(body.params.get("seconds"), Some(&retry_after.to_string()));
}

#[tokio::test]
async fn ticket_exchanges_console_sign_ins_and_tracking_look_ups_are_limited_per_address() {
    let app = spawn_app_with(|config| {
        config.edge.launches_per_minute = 2;
        config.edge.logins_per_minute = 2;
        config.edge.tracking_per_minute = 3;
    })
    .await;
    let xiaoming = app.player(XIAOMING).await;
    let _lele = app.player(LELE).await;
    assert_rate_limited(app.post_launch(&TestApp::browser(), &app.ticket(XIAOMING)).await).await;

    let (login, password) = app.demo.developer.clone();
    for _ in 0..2 {
        assert_eq!(
            app.post_login(&TestApp::browser(), &login, &password).await.status(),
            StatusCode::OK
        );
    }
    assert_rate_limited(app.post_login(&TestApp::browser(), &login, &password).await).await;

    let created = submit_minor_refund(&app, &xiaoming, &["DEMO-0001"]).await;
    assert_eq!(
        app.get_track(&created.case_no, &created.tracking_key).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        app.get_track(&created.case_no, "guess-1").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.post_stream_token(&created.case_no, "guess-2").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_rate_limited(app.get_track(&created.case_no, &created.tracking_key).await).await;
}

#[tokio::test]
async fn uploads_and_submissions_are_limited_per_player() {
    let app = spawn_app_with(|config| {
        config.edge.uploads_per_minute = 4;
        config.edge.submissions_per_minute = 1;
    })
    .await;
    let xiaoming = app.player(XIAOMING).await;
    let lele = app.player(LELE).await;
    let evidence = upload_required_evidence(&app, &xiaoming).await;
    let fourth = app
        .upload_evidence(&xiaoming, "payment_records", &png("a.png", 1))
        .await;
    assert_eq!(fourth.status(), StatusCode::CREATED);
    let files_before = app.evidence_files();

    assert_rate_limited(
        app.upload_evidence(&xiaoming, "payment_records", &png("b.png", 2))
            .await,
    )
    .await;
    assert_eq!(
        app.evidence_files(),
        files_before,
        "a refused upload leaves no file behind"
    );
    let others = app.upload_evidence(&lele, "payment_records", &png("c.png", 3)).await;
    assert_eq!(
        others.status(),
        StatusCode::CREATED,
        "another player has their own limit"
    );

    let case = crate::helpers::minor_refund(&["DEMO-0001"], evidence.clone());
    let first = app.post_case(&xiaoming, Some("edge-key-0001"), &case).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let case = crate::helpers::minor_refund(&["DEMO-0002"], Vec::new());
    assert_rate_limited(app.post_case(&xiaoming, Some("edge-key-0002"), &case).await).await;
}

#[tokio::test]
async fn a_player_cannot_store_more_than_their_quota() {
    let app = spawn_app_with(|config| config.edge.player_quota_bytes = 150_000).await;
    let xiaoming = app.player(XIAOMING).await;
    let lele = app.player(LELE).await;
    let first = app
        .upload_evidence(&xiaoming, "payment_records", &png_of_len(100_000))
        .await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let files_before = app.evidence_files();

    let second = app
        .upload_evidence(&xiaoming, "payment_records", &png_of_len(60_000))
        .await;

    let body = assert_error(second, StatusCode::PAYLOAD_TOO_LARGE, "storage_quota_exceeded").await;
    assert_eq!(body.params.get("max_bytes").map(String::as_str), Some("150000"));
    assert_eq!(body.params.get("used_bytes").map(String::as_str), Some("100000"));
    assert_eq!(app.evidence_files(), files_before, "the refused file is not kept");
    let others = app.upload_evidence(&lele, "payment_records", &png_of_len(60_000)).await;
    assert_eq!(others.status(), StatusCode::CREATED, "the quota is per player");
}

/// Sends `bytes` one at a time, `pause` apart, until the server closes the connection or
/// answers; returns how many were sent by then, or `None` if all went and it still waits.
fn dribble(address: &str, bytes: &[u8], pause: Duration) -> Option<usize> {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream.set_nonblocking(true).expect("non-blocking");
    for (sent, byte) in bytes.iter().enumerate() {
        if stream.write_all(&[*byte]).is_err() {
            return Some(sent);
        }
        std::thread::sleep(pause);
        let mut buf = [0u8; 512];
        match stream.read(&mut buf) {
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            // Closed, reset, or answered (and about to close).
            _ => return Some(sent + 1),
        }
    }
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_dribbling_bytes_is_cut_off_while_others_are_served() {
    let app = spawn_app_with(|config| {
        config.edge.header_timeout_seconds = 1;
        config.edge.body_timeout_seconds = 2;
        config.edge.idle_timeout_seconds = 3;
    })
    .await;
    let address = app.address.trim_start_matches("http://").to_owned();
    let pause = Duration::from_millis(250);
    // 400 bytes at 4 a second would take 100 s; the limits are 1 s (headers), 2 s (body).
    let slow_headers: Vec<u8> =
        format!("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: {}\r\n\r\n", "a".repeat(360)).into_bytes();
    let body = format!("{{\"ticket\":\"{}\"}}", "a".repeat(400));
    let slow_body: Vec<u8> = format!(
        "POST /api/session/launch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();

    let headers_task = {
        let address = address.clone();
        tokio::task::spawn_blocking(move || dribble(&address, &slow_headers, pause))
    };
    let body_task = tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(&address).expect("connect");
        stream.write_all(&slow_body).expect("headers");
        stream.set_read_timeout(Some(pause)).expect("timeout");
        let mut answer = Vec::new();
        for byte in body.as_bytes() {
            if stream.write_all(&[*byte]).is_err() {
                break;
            }
            let mut buf = [0u8; 1024];
            match stream.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    answer.extend_from_slice(&buf[..n]);
                    break;
                }
                Err(_) => {}
            }
        }
        String::from_utf8_lossy(&answer).into_owned()
    });
    // Meanwhile the server answers everyone else.
    for _ in 0..5 {
        assert_eq!(app.get(&app.anonymous, "/healthz").await.status(), StatusCode::OK);
    }

    let cut_after = headers_task.await.expect("joined");
    let sent = cut_after.expect("a client dribbling its headers was never cut off");
    assert!(sent < 360, "the server waited for {sent} bytes of headers");
    let answer = body_task.await.expect("joined");
    assert!(answer.starts_with("HTTP/1.1 400"), "a dribbled body got: {answer:?}");
    assert!(answer.contains("took too long"), "{answer}");
}
