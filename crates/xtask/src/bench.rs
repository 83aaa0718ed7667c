//! `cargo xtask bench`: the budgets of DESIGN.md section 6, measured on a release build and
//! printed as figures and as ratios to their budgets. Nothing here asserts: it reports.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;

use crate::e2e::{RunningServer, start_server};
use crate::process::{cargo, project_root};
use crate::tools::{self, CHROMIUM};

/// The bare Leptos 0.8 router app's wasm, gzipped (TOOLCHAIN.md): the floor to compare with.
const FLOOR_GZIP_BYTES: f64 = 80.0 * 1000.0;

pub fn all() -> Result<(), String> {
    let root = project_root();
    let tools = tools::ensure_web_build_tools(&root)?;
    tools::ensure_chromium()?;
    if Command::new("wrk").arg("--version").output().is_err() {
        tools::ensure_debian_packages(&["wrk"])?;
    }
    let bench_dir = root.join("crates/xtask/bench");
    let lighthouse = bench_dir.join("node_modules/.bin/lighthouse");
    tools::ensure_node_packages(&bench_dir, lighthouse.exists(), false)?;
    tools::build_web_app(&root, &tools)?;
    cargo(&root, &["build", "--release", "-p", "refund-server"])?;
    let binary = root.join("target/release/refund-server");
    let many_files = ["--max-files-per-case", "100000"];

    println!("\nRefund Desk bench (release build, 2 cores, loopback)\n");
    let server = start_server(&root, &binary, &many_files)?;
    bundle(&server, "player", "/", Some(250.0))?;
    // The console has no budget of its own: desks load it once, on fast lines.
    bundle(&server, "console", "/console/", None)?;
    println!("\n-- SQLite (synchronous=FULL: a 201 is on disk)");
    let durable = node_load(&root, &server, None)?;
    case_reads(&server, &durable)?;
    lighthouse_audit(&server, &lighthouse, &durable.cookie)?;
    drop(server);

    println!("\n-- SQLite (synchronous=NORMAL: the last commits may be lost on power loss)");
    let server = start_server(
        &root,
        &binary,
        &[&many_files[..], &["--sqlite-synchronous", "normal"]].concat(),
    )?;
    let fast = node_load(&root, &server, None)?;
    case_reads(&server, &fast)?;
    drop(server);
    row(
        "cost of durable acknowledgement (submit)",
        &format!("{:.2}x", fast.submit_rps / durable.submit_rps),
        "NORMAL / FULL",
        None,
    );

    if crate::lanes::postgres_reachable() {
        println!("\n-- PostgreSQL (same machine, same load)");
        let database = BenchDatabase::create()?;
        let server = start_server(
            &root,
            &binary,
            &[&many_files[..], &["--database-url", &database.url]].concat(),
        )?;
        let load = node_load(&root, &server, Some(&database.url))?;
        case_reads(&server, &load)?;
    } else {
        println!("\n-- PostgreSQL: not reachable on 127.0.0.1:5432, not measured");
    }
    Ok(())
}

/// A PostgreSQL database for one bench run, made and dropped with `psql`.
struct BenchDatabase {
    name: String,
    url: String,
}

impl BenchDatabase {
    fn create() -> Result<Self, String> {
        let name = format!("refund_bench_{}", std::process::id());
        psql(&format!("DROP DATABASE IF EXISTS {name}"))?;
        psql(&format!("CREATE DATABASE {name}"))?;
        Ok(Self {
            url: format!("postgres://postgres@127.0.0.1:5432/{name}"),
            name,
        })
    }
}

impl Drop for BenchDatabase {
    fn drop(&mut self) {
        if let Err(e) = psql(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)) {
            eprintln!("xtask: {e}");
        }
    }
}

fn psql(statement: &str) -> Result<(), String> {
    crate::process::run_checked(
        Command::new("psql")
            .args(["-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-q", "-c"])
            .arg(statement),
    )
}

fn row(what: &str, figure: &str, budget: &str, ratio: Option<f64>) {
    let ratio = ratio.map_or_else(String::new, |r| format!("{r:.2}x of budget"));
    println!("{what:<44} {figure:>16}   budget {budget:<14} {ratio}");
}

/// What a first visit to an app (its index at `index`) downloads, compressed as the server
/// sends it, against its budget in KB if it has one.
fn bundle(server: &RunningServer, app: &str, index: &str, budget_kb: Option<f64>) -> Result<(), String> {
    let (_, page) = http_get(&server.addr, index, &[])?;
    let html = String::from_utf8_lossy(&page).into_owned();
    // Minified HTML leaves attributes unquoted, so look for same-origin paths of asset
    // types rather than for particular attribute syntax.
    let mut assets: Vec<String> = html
        .split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '-' | '_')))
        .filter(|token| token.starts_with('/') && !token.starts_with("//"))
        .filter(|token| [".js", ".wasm", ".css", ".svg"].iter().any(|ext| token.ends_with(ext)))
        .map(str::to_owned)
        .collect();
    assets.sort();
    assets.dedup();
    for encoding in ["gzip", "br"] {
        let mut total = 0usize;
        let (_, html) = http_get(&server.addr, index, &[("Accept-Encoding", encoding)])?;
        total += html.len();
        let mut wasm = 0usize;
        for asset in &assets {
            let (_, body) = http_get(&server.addr, asset, &[("Accept-Encoding", encoding)])?;
            if asset.ends_with(".wasm") {
                wasm = body.len();
            }
            total += body.len();
        }
        let kb = |b: usize| b as f64 / 1000.0;
        row(
            &format!("{app} first load ({encoding}, {} files)", assets.len() + 1),
            &format!("{:.1} KB", kb(total)),
            &budget_kb.map_or_else(|| "none".to_owned(), |b| format!("{b:.0} KB")),
            budget_kb.map(|b| kb(total) / b),
        );
        row(
            &format!("  of which wasm ({encoding})"),
            &format!("{:.1} KB", kb(wasm)),
            "floor 80 KB",
            None,
        );
        if encoding == "gzip" && app == "player" {
            println!(
                "{:<44} {:>16.2}x",
                "  wasm vs bare Leptos router app (gzip)",
                wasm as f64 / FLOOR_GZIP_BYTES
            );
        }
    }
    Ok(())
}

/// Figures from the Node load script.
struct LoadFigures {
    cookie: String,
    case_no: String,
    submit_rps: f64,
}

fn node_load(root: &Path, server: &RunningServer, database_url: Option<&str>) -> Result<LoadFigures, String> {
    let mut command = Command::new("node");
    command
        .arg(root.join("crates/xtask/bench/load.mjs"))
        .env("BASE_URL", &server.base_url)
        .env("REFUND_SERVER_BIN", root.join("target/release/refund-server"))
        .env("REFUND_DATA_DIR", &server.data_dir);
    if let Some(url) = database_url {
        command.env("REFUND_DATABASE_URL", url);
    }
    let output = command.output().map_err(|e| format!("cannot run node: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "load script failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let number = |key: &str, within: &str| -> f64 {
        let section = text.find(within).map_or("", |i| &text[i..]);
        section
            .find(&format!("\"{key}\":"))
            .map(|i| &section[i + key.len() + 3..])
            .and_then(|rest| rest.split([',', '}']).next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(f64::NAN)
    };
    let string = |key: &str| -> String {
        text.find(&format!("\"{key}\":\""))
            .map(|i| &text[i + key.len() + 4..])
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_default()
            .to_owned()
    };
    let rps = number("rps", "\"submit\"");
    row(
        "submit with 3 evidence ids",
        &format!("{rps:.0} req/s"),
        ">= 500 req/s",
        Some(rps / 500.0),
    );
    row(
        "  submit p99",
        &format!("{:.1} ms", number("p99", "\"submit\"")),
        "",
        None,
    );
    let sse_p99 = number("p99", "\"sse\"");
    row(
        "SSE: submit sent -> stream got event, p99",
        &format!("{sse_p99:.1} ms"),
        "<= 500 ms",
        Some(sse_p99 / 500.0),
    );
    row("  SSE p50", &format!("{:.1} ms", number("p50", "\"sse\"")), "", None);
    let decision_p99 = number("p99", "\"decision\"");
    row(
        &format!(
            "decision sent -> tracker updated, p99 ({:.0} streams)",
            number("streams", "\"decision\"")
        ),
        &format!("{decision_p99:.1} ms"),
        "<= 500 ms",
        Some(decision_p99 / 500.0),
    );
    row(
        "  decision -> tracker p50",
        &format!("{:.1} ms", number("p50", "\"decision\"")),
        "",
        None,
    );
    Ok(LoadFigures {
        cookie: string("cookie"),
        case_no: string("caseNo"),
        submit_rps: rps,
    })
}

/// `GET /api/cases/{no}` under wrk: throughput and p99 latency.
fn case_reads(server: &RunningServer, load: &LoadFigures) -> Result<(), String> {
    let url = format!("{}/api/cases/{}", server.base_url, load.case_no);
    let output = Command::new("wrk")
        .args(["-t2", "-c32", "-d10s", "--latency", "-H"])
        .arg(format!("Cookie: {}", load.cookie))
        .arg(&url)
        .output()
        .map_err(|e| format!("cannot run wrk: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let rps: f64 = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(f64::NAN);
    let p99 = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("99%"))
        .map_or_else(|| "?".to_owned(), |v| v.trim().to_owned());
    let non_2xx = text
        .lines()
        .find(|l| l.contains("Non-2xx"))
        .unwrap_or("")
        .trim()
        .to_owned();
    row(
        "case read (GET /api/cases/{no})",
        &format!("{rps:.0} req/s"),
        ">= 5000 req/s",
        Some(rps / 5000.0),
    );
    row("  case read p99", &p99, "<= 20 ms", None);
    if !non_2xx.is_empty() {
        println!("  warning: {non_2xx}");
    }
    Ok(())
}

/// Lighthouse mobile (simulated slow 4G, 4x CPU) on `/apply` as a signed-in player.
fn lighthouse_audit(server: &RunningServer, lighthouse: &Path, cookie: &str) -> Result<(), String> {
    let report = server.data_dir.join("lighthouse.json");
    let status = Command::new(lighthouse)
        .arg(format!("{}/apply", server.base_url))
        .args(["--only-categories=performance,accessibility", "--form-factor=mobile", "--throttling-method=simulate"])
        .arg(format!("--extra-headers={{\"Cookie\":\"{cookie}\"}}"))
        .args(["--output=json", "--quiet"])
        .arg(format!("--output-path={}", report.display()))
        .arg("--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run")
        .env("CHROME_PATH", CHROMIUM)
        .status()
        .map_err(|e| format!("cannot run lighthouse: {e}"))?;
    if !status.success() {
        return Err(format!("lighthouse failed ({status})"));
    }
    let json = std::fs::read_to_string(&report).map_err(|e| e.to_string())?;
    let score = |category: &str| -> f64 {
        json.find(&format!("\"id\": \"{category}\""))
            .and_then(|i| json[i..].find("\"score\":").map(|j| &json[i + j + 8..]))
            .and_then(|rest| rest.split([',', '\n', '}']).next())
            .and_then(|v| v.trim().parse::<f64>().ok())
            .map_or(f64::NAN, |v| v * 100.0)
    };
    let lcp = json
        .find("\"largest-contentful-paint\"")
        .and_then(|i| json[i..].find("\"numericValue\":").map(|j| &json[i + j + 15..]))
        .and_then(|rest| rest.split([',', '\n']).next())
        .and_then(|v| v.trim().parse::<f64>().ok())
        .unwrap_or(f64::NAN);
    let perf = score("performance");
    row(
        "Lighthouse mobile /apply: performance",
        &format!("{perf:.0}"),
        ">= 90",
        Some(perf / 90.0),
    );
    row(
        "Lighthouse mobile /apply: accessibility",
        &format!("{:.0}", score("accessibility")),
        "= 100",
        None,
    );
    row(
        "Lighthouse mobile /apply: LCP",
        &format!("{:.2} s", lcp / 1000.0),
        "goal <= 1.2 s",
        None,
    );
    Ok(())
}

/// A bare HTTP/1.0 GET on loopback: (status line, body).
fn http_get(addr: &str, path: &str, headers: &[(&str, &str)]) -> Result<(String, Vec<u8>), String> {
    let mut stream = TcpStream::connect(addr).map_err(|e| format!("{addr}: {e}"))?;
    let mut request = format!("GET {path} HTTP/1.0\r\nHost: {addr}\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).map_err(|e| e.to_string())?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).map_err(|e| e.to_string())?;
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| format!("no HTTP answer for {path}"))?;
    let head = String::from_utf8_lossy(&answer[..split]).into_owned();
    let status = head.lines().next().unwrap_or_default().to_owned();
    if !status.contains(" 200") {
        return Err(format!("GET {path}: {status}"));
    }
    Ok((status, answer[split + 4..].to_vec()))
}
