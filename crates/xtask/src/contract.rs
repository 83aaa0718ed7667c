//! The contract test: schemathesis (from PyPI) against the real server, checking that the
//! API keeps to the document it serves at `/api/openapi.json`.
//!
//! The server runs in demo mode on a fresh data dir and a free port. Requests carry two
//! sessions in one `Cookie` header (the names differ): a demo player's, from a launch
//! ticket minted by the server's own `ticket` command, and a console session of an
//! account made with `user add`: a developer of the demo studio for the whole API, then
//! platform staff for the platform's operations. The player first uploads a file and
//! submits two complaints, and schemathesis is given their numbers, a tracking key and
//! the file's id to use half of the time, so successful answers are checked too, not only
//! refusals; event streams are read up to their first message. A request fails the
//! step when it gets a server error, or a status, content type, header or body that the
//! document does not list for its operation. The run is bounded (examples per operation,
//! a fixed seed), so the step takes a minute or two and a failure reproduces; the
//! server's errors are shown after the report.

use std::fs::File;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::{Value, json};

use crate::e2e::{RunningServer, start_server_logging_to};
use crate::process::run_teed;
use crate::tools;

/// The demo game and player whose session the run carries.
const DEMO_APPID: &str = "wxdemo0001";
const DEMO_PLAYER: &str = "demo-player-xiaoming";
const DEMO_ORG: &str = "demo-studio";
const PASSWORD: &str = "contract-test-password";

/// What is checked of every response.
const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,\
                      response_headers_conformance,response_schema_conformance";

/// Operations left out of the run, and why; everything else the document lists is tested.
const EXCLUDED_PATHS: [(&str, &str); 1] = [(
    "/api/console/logout",
    "it would end the console session the rest of the run relies on",
)];

/// Test cases per operation in the fuzzing phase: every documented answer is reached
/// well within this, and the whole run stays within a few minutes on two cores. (In the
/// config file, not on the command line, where it would override the stream's own.)
const MAX_EXAMPLES: u32 = 100;
/// A fixed seed, so a failure in CI is the same failure on a developer's machine.
const SEED: &str = "10";

/// A 1x1 PNG: the uploaded evidence.
const PNG_1X1: [u8; 67] = [
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0A, 0x49,
    0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00,
    0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

/// Runs schemathesis against a fresh server; `Ok(false)` when the contract is broken.
pub fn run(root: &Path) -> Result<bool, String> {
    let schemathesis = tools::ensure_schemathesis(root)?;
    let binary = root.join("target/debug/refund-server");
    let scratch = std::env::temp_dir().join(format!("refund-desk-contract-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    let log_path = scratch.join("server.log");
    let log = File::create(&log_path).map_err(|e| format!("{}: {e}", log_path.display()))?;
    // Its rate limits are off, as for every server xtask starts, so generated requests
    // reach the logic behind them; console sign-in keeps its back-off after wrong
    // passwords, so a 429 is still met and checked.
    let server = start_server_logging_to(root, &binary, &[], Stdio::from(log))?;
    let outcome = check(&schemathesis, &binary, &server, &scratch);
    drop(server);
    let log = std::fs::read_to_string(&log_path).unwrap_or_default();
    let _removed = std::fs::remove_dir_all(&scratch);
    let errors: Vec<&str> = log.lines().filter(|line| line.contains("ERROR")).collect();
    if !errors.is_empty() {
        println!(
            "\nxtask: the server logged {} errors during the contract test:",
            errors.len()
        );
        for line in errors.iter().take(40) {
            println!("  {line}");
        }
    }
    outcome
}

fn check(schemathesis: &Path, binary: &Path, server: &RunningServer, scratch: &Path) -> Result<bool, String> {
    let player = player_cookie(binary, server)?;
    let developer = console_cookie(binary, server, "developer")?;
    let platform = console_cookie(binary, server, "platform")?;
    let config = scratch.join("schemathesis.toml");
    std::fs::write(&config, seed_data(server, &player)?).map_err(|e| format!("{}: {e}", config.display()))?;
    println!(
        "\n== contract test: schemathesis against {}/api/openapi.json",
        server.base_url
    );
    for (path, why) in EXCLUDED_PATHS {
        println!("not tested: {path}: {why}");
    }
    let runs = [
        ("the whole API, as a player and a developer", &developer, &[][..]),
        (
            "the platform's operations, as a player and platform staff",
            &platform,
            &["--include-tag", "platform"][..],
        ),
    ];
    let mut ok = true;
    for (what, console, narrowing) in runs {
        println!("\n-- {what}");
        let mut command = Command::new(schemathesis);
        command
            // Nothing of the run (caches, reports) lands in the work tree, and no config
            // file there applies.
            .current_dir(scratch)
            .arg("--config-file")
            .arg(&config)
            .arg("run")
            .arg(format!("{}/api/openapi.json", server.base_url))
            .args(["--url", &server.base_url])
            .args(["--checks", CHECKS])
            .args(["--phases", "coverage,fuzzing"])
            .args(["--seed", SEED])
            // The sessions come from the header below, not from generated cookie values.
            .args(["--generation-with-security-parameters", "false"])
            .args(["--generation-database", "none"])
            .arg("--no-color")
            .args(["--header", &format!("Cookie: {player}; {console}")])
            .args(narrowing);
        for (path, _) in EXCLUDED_PATHS {
            command.args(["--exclude-path", path]);
        }
        let (passed, _) = run_teed(&mut command)?;
        ok &= passed;
    }
    if !ok {
        println!(
            "\nxtask: the API broke its contract: each failure above names the operation, the check, \
             and a curl command that reproduces it"
        );
    }
    Ok(ok)
}

/// Uploads a file and submits two complaints as the player; returns the schemathesis
/// config that offers their identifiers for half of the generated values. The first case
/// (with the file) is the one the player's operations use; the second is only decided
/// and tracked, so that no generated withdrawal or new tracking key closes it first.
fn seed_data(server: &RunningServer, player: &str) -> Result<String, String> {
    let boundary = "contract-boundary-7f3a";
    let mut form = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"category\"\r\n\r\nscreenshots\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"screen.png\"\r\n\
         Content-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    form.extend_from_slice(&PNG_1X1);
    form.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let content_type = format!("multipart/form-data; boundary={boundary}");
    let upload = request(
        server,
        "/api/evidence",
        &[("Cookie", player), ("Content-Type", &content_type)],
        &form,
    )?;
    let evidence = field(&upload, "id")?;
    let submit = |key: &str, evidence_ids: &[&str]| {
        let complaint = json!({
            "kind": "complaint",
            "complaint": {
                "category": "broken_feature",
                "demands": ["fix"],
                "title": "每日签到奖励领取后消失",
                "contact": "13900001111",
            },
            "narrative": "连续三天签到后点击领取奖励，提示成功但背包里没有任何道具，重新登录也没有。",
            "evidence_ids": evidence_ids,
        });
        request(
            server,
            "/api/cases",
            &[
                ("Cookie", player),
                ("Content-Type", "application/json"),
                ("Idempotency-Key", key),
            ],
            complaint.to_string().as_bytes(),
        )
    };
    let players_case = field(&submit("contract-test-complaint-1", &[&evidence])?, "case_no")?;
    let desks_case = submit("contract-test-complaint-2", &[])?;
    // TOML basic strings take JSON's escapes, so JSON strings are valid TOML strings.
    let quoted = |text: &str| Value::from(text).to_string();
    Ok(format!(
        "request-timeout = 20\n\
         generation.max-examples = {MAX_EXAMPLES}\n\n\
         [dictionaries.case]\nvalues = [{case}]\n\
         [dictionaries.evidence]\nvalues = [{evidence}]\n\
         [dictionaries.desk-case]\nvalues = [{desk_case}]\n\
         [dictionaries.tracking-key]\nvalues = [{key}]\n\n\
         [parameters]\n\
         \"path.no\" = {{ dictionary = \"case\", probability = 0.5 }}\n\
         \"path.id\" = {{ dictionary = \"evidence\", probability = 0.5 }}\n\n\
         [[operations]]\n\
         include-path = [\"/api/console/cases/{{no}}/decision\", \"/api/platform/cases/{{no}}/decision\", \
         \"/api/track/{{no}}\", \"/api/track/{{no}}/stream-token\"]\n\
         parameters = {{ \"path.no\" = {{ dictionary = \"desk-case\", probability = 0.5 }}, \
         \"header.X-Tracking-Key\" = {{ dictionary = \"tracking-key\", probability = 0.5 }} }}\n\n\
         # A stream is read up to its first message (`ready`), then closed; one resumed\n\
         # after the last event has no message to send, and is closed after a moment.\n\
         [[operations]]\n\
         include-path = \"/api/events\"\n\
         max-stream-events = 1\n\
         request-timeout = 2\n\
         generation.max-examples = 20\n",
        case = quoted(&players_case),
        evidence = quoted(&evidence),
        desk_case = quoted(&field(&desks_case, "case_no")?),
        key = quoted(&field(&desks_case, "tracking_key")?),
    ))
}

fn field(answer: &Value, name: &str) -> Result<String, String> {
    answer[name]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("no {name} in {answer}"))
}

/// `name=value` of the player's session cookie, from a ticket exchanged at launch.
fn player_cookie(binary: &Path, server: &RunningServer) -> Result<String, String> {
    let output = Command::new(binary)
        .args([
            "ticket",
            "--appid",
            DEMO_APPID,
            "--openid",
            DEMO_PLAYER,
            "--ttl-minutes=30",
        ])
        .arg("--data-dir")
        .arg(&server.data_dir)
        .output()
        .map_err(|e| format!("cannot mint a ticket: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "minting a ticket failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let ticket = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    session_cookie(server, "/api/session/launch", &json!({ "ticket": ticket }))
}

/// `name=value` of a console session cookie of a new account with `role`.
fn console_cookie(binary: &Path, server: &RunningServer, role: &str) -> Result<String, String> {
    let login = format!("contract-{role}");
    let mut command = Command::new(binary);
    command.args(["user", "add", "--role", role, "--login", &login]);
    if role == "developer" {
        command.args(["--org", DEMO_ORG]);
    }
    let mut child = command
        .arg("--password-stdin")
        .arg("--data-dir")
        .arg(&server.data_dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot add the console account: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(PASSWORD.as_bytes())
            .map_err(|e| format!("cannot give the password: {e}"))?;
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("adding the {role} account failed ({status})"));
    }
    session_cookie(
        server,
        "/api/console/login",
        &json!({ "login": login, "password": PASSWORD }),
    )
}

/// POSTs `body` as JSON to `path` and returns the `name=value` of the cookie it sets.
fn session_cookie(server: &RunningServer, path: &str, body: &Value) -> Result<String, String> {
    let (head, _) = exchange(
        server,
        path,
        &[("Content-Type", "application/json")],
        body.to_string().as_bytes(),
    )?;
    head.lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("set-cookie"))
        .and_then(|(_, value)| value.split(';').next())
        .map(|pair| pair.trim().to_owned())
        .ok_or_else(|| format!("POST {path} set no cookie"))
}

/// POSTs `body` to `path` and returns the JSON it answers.
fn request(server: &RunningServer, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Result<Value, String> {
    let (_, body) = exchange(server, path, headers, body)?;
    serde_json::from_slice(&body).map_err(|e| format!("POST {path}: {e}"))
}

/// A bare HTTP/1.0 POST on loopback: the response's head, and its body; any status but
/// 200 and 201 is an error.
fn exchange(
    server: &RunningServer,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<(String, Vec<u8>), String> {
    let addr = &server.addr;
    let mut stream = TcpStream::connect(addr).map_err(|e| format!("{addr}: {e}"))?;
    let mut request = format!(
        "POST {path} HTTP/1.0\r\nHost: {addr}\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    let mut bytes = request.into_bytes();
    bytes.extend_from_slice(body);
    stream.write_all(&bytes).map_err(|e| e.to_string())?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).map_err(|e| e.to_string())?;
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| format!("POST {path}: no HTTP answer"))?;
    let head = String::from_utf8_lossy(&answer[..split]).into_owned();
    let body = answer[split + 4..].to_vec();
    let status = head.lines().next().unwrap_or_default();
    if !(status.contains(" 200 ") || status.contains(" 201 ")) {
        return Err(format!("POST {path}: {status}: {}", String::from_utf8_lossy(&body)));
    }
    Ok((head, body))
}
