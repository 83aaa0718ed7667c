//! `cargo xtask bench`: the budgets of docs/ARCHITECTURE.md ("Budgets"), measured on a release build and
//! printed as figures and as ratios to their budgets. Nothing here asserts: it reports.
//!
//! Throughput figures depend on how busy the machine is, so each is printed beside
//! `/healthz` measured by the same client at the same concurrency in the same run: the
//! ratio compares across runs and machines where the raw figure cannot.

mod bundle;
mod lighthouse;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::e2e::{RunningServer, start_server};
use crate::process::{cargo, project_root};
use crate::tools;

/// Case reads per second in November 2026 on this kind of machine (2 cores), before the
/// hot paths were reworked; the budget is twice that.
const CASE_READS_NOV_2026: f64 = 7_213.0;
/// Submissions per second then, with durable acknowledgement; the budget is twice that.
const SUBMITS_NOV_2026: f64 = 620.0;
/// Submissions wrk sends (each with 3 uploads of its own, made beforehand).
const SUBMITS_MEASURED: u32 = 3000;
/// A file of Debian's `fonts-noto-cjk`, the Chinese font the page audits are drawn with.
const CJK_FONT: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
/// What the submission path aims at beyond its budget.
const SUBMITS_GOAL: f64 = 2_000.0;
/// A case read should cost at most twice a `/healthz`: at least this share of its rate.
const READ_SHARE_OF_HEALTHZ_GOAL: f64 = 0.5;

pub fn all() -> Result<(), String> {
    let root = project_root();
    let tools = tools::ensure_web_build_tools(&root)?;
    tools::ensure_chromium()?;
    if Command::new("wrk").arg("--version").output().is_err() {
        tools::ensure_debian_packages(&["wrk"])?;
    }
    // Every phone the pages are for has a Chinese font; without one, Chromium searches for
    // a fallback on every layout and draws boxes, and Lighthouse measures that instead
    // (on these machines: TBT 200-230 ms without, 160-170 ms with).
    if !Path::new(CJK_FONT).exists() {
        tools::ensure_debian_packages(&["fonts-noto-cjk"])?;
    }
    let bench_dir = root.join("crates/xtask/bench");
    let lighthouse = bench_dir.join("node_modules/.bin/lighthouse");
    tools::ensure_node_packages(&bench_dir, lighthouse.exists(), false)?;
    tools::build_web_app(&root, &tools)?;
    cargo(&root, &["build", "--release", "-p", "refund-server"])?;
    let binary = release_binary(&root);
    let many_files = ["--max-files-per-case", "100000"];

    println!("\nRefund Desk bench (release build, 2 cores, loopback)\n");
    let server = start_server(&root, &binary, &many_files)?;
    let budget = bundle::Budget {
        kb: 170.0,
        goal_kb: 150.0,
    };
    // The player's app is two bundles; each is a first load of its own (a parent arrives
    // from the game's menu at the application one, or from a tracking link at the other).
    bundle::first_load(&server, "player", "/apply", Some(&budget))?;
    bundle::first_load(&server, "player follow-up", "/cases", Some(&budget))?;
    // The console has no budget of its own: desks load it once, on fast lines.
    bundle::first_load(&server, "console", "/console/", None)?;
    println!("\n-- SQLite (synchronous=FULL: a 201 is on disk)");
    let durable = node_load(&binary, &server, None)?;
    case_reads(&server, &durable)?;
    lighthouse::audit(&server, &lighthouse, &durable.cookie, "/apply", "/apply")?;
    let case_page = format!("/cases/{}", durable.case_no);
    lighthouse::audit(&server, &lighthouse, &durable.cookie, &case_page, "case page")?;
    drop(server);

    println!("\n-- SQLite (synchronous=NORMAL: the last commits may be lost on power loss)");
    let server = start_server(
        &root,
        &binary,
        &[&many_files[..], &["--sqlite-synchronous", "normal"]].concat(),
    )?;
    let fast = node_load(&binary, &server, None)?;
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
        let load = node_load(&binary, &server, Some(&database.url))?;
        case_reads(&server, &load)?;
    } else {
        println!("\n-- PostgreSQL: not reachable on 127.0.0.1:5432, not measured");
    }
    Ok(())
}

/// The release server binary, in `CARGO_TARGET_DIR` when that is set (relative to the
/// root, where cargo runs), else in `target/`.
fn release_binary(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| root.join("target"), |dir| root.join(dir))
        .join("release/refund-server")
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

/// One line of the report: what, the figure, its budget and the figure's ratio to it.
fn row(what: &str, figure: &str, budget: &str, ratio: Option<f64>) {
    let ratio = ratio.map_or_else(String::new, |r| format!("{r:.2}x of budget"));
    // A figure without a budget is context (p50, the /healthz beside it): no budget column.
    let budget = if budget.is_empty() {
        String::new()
    } else {
        format!("budget {budget:<14} {ratio}")
    };
    println!("{what:<44} {figure:>16}   {budget}");
}

/// Figures from the Node load script.
struct LoadFigures {
    cookie: String,
    case_no: String,
    submit_rps: f64,
}

fn node_load(binary: &Path, server: &RunningServer, database_url: Option<&str>) -> Result<LoadFigures, String> {
    let mut command = Command::new("node");
    command
        .arg(project_root().join("crates/xtask/bench/load.mjs"))
        .env("BASE_URL", &server.base_url)
        .env("REFUND_SERVER_BIN", binary)
        .env("REFUND_DATA_DIR", &server.data_dir);
    if let Some(url) = database_url {
        command.env("REFUND_DATABASE_URL", url);
    }
    let bodies = server.data_dir.join("bench-bodies.jsonl");
    command
        .env("BENCH_PREPARE", SUBMITS_MEASURED.to_string())
        .env("BENCH_BODIES", &bodies);
    let output = command.output().map_err(|e| format!("cannot run node: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "load script failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let figures: Value = text
        .lines()
        .last()
        .and_then(|line| serde_json::from_str(line).ok())
        .ok_or_else(|| format!("the load script printed no figures: {text}"))?;
    let number = |section: &str, key: &str| figures[section][key].as_f64().unwrap_or(f64::NAN);

    let string = |key: &str| figures[key].as_str().unwrap_or_default().to_owned();
    let cookie = string("cookie");
    let rps = submit_with_wrk(server, &cookie, &bodies)?;
    // The Node client's own figures: it tops out near its /healthz rate on two cores.
    let node_rps = number("submit", "rps");
    row(
        "  submit, Node fetch client (16 at once)",
        &format!("{node_rps:.0} req/s"),
        "",
        None,
    );
    row(
        "  submit p99 (Node)",
        &format!("{:.1} ms", number("submit", "p99")),
        "",
        None,
    );
    let healthz = number("healthz", "rps");
    row(
        "  /healthz, Node client, 16 at once",
        &format!("{healthz:.0} req/s"),
        "",
        None,
    );
    row(
        "  submit / /healthz (Node client)",
        &format!("{:.2}", node_rps / healthz),
        "",
        None,
    );
    let sse_p99 = number("sse", "p99");
    row(
        "SSE: submit sent -> stream got event, p99",
        &format!("{sse_p99:.1} ms"),
        "<= 500 ms",
        Some(sse_p99 / 500.0),
    );
    row("  SSE p50", &format!("{:.1} ms", number("sse", "p50")), "", None);
    let decision_p99 = number("decision", "p99");
    row(
        &format!(
            "decision sent -> tracker updated, p99 ({:.0} streams)",
            number("decision", "streams")
        ),
        &format!("{decision_p99:.1} ms"),
        "<= 500 ms",
        Some(decision_p99 / 500.0),
    );
    row(
        "  decision -> tracker p50",
        &format!("{:.1} ms", number("decision", "p50")),
        "",
        None,
    );
    Ok(LoadFigures {
        cookie,
        case_no: string("caseNo"),
        submit_rps: rps,
    })
}

/// Submissions prepared by the load script (`bodies`), sent by wrk over 16 connections
/// (`bench/submit.lua`), then `/healthz` by the same wrk settings; returns the submit rate.
fn submit_with_wrk(server: &RunningServer, cookie: &str, bodies: &Path) -> Result<f64, String> {
    let output = Command::new("wrk")
        .args(["-t2", "-c16", "-d300s", "-s"])
        .arg(project_root().join("crates/xtask/bench/submit.lua"))
        .arg(&server.base_url)
        .env("BODIES", bodies)
        .env("COOKIE", cookie)
        .env("THREADS", "2")
        .env("DONE", server.data_dir.join("wrk-done"))
        .env("RUN", std::process::id().to_string())
        .output()
        .map_err(|e| format!("cannot run wrk: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let figures: Value = text
        .lines()
        .rev()
        .find_map(|line| serde_json::from_str(line).ok())
        .ok_or_else(|| format!("wrk printed no submission figures: {text}"))?;
    let number = |key: &str| figures[key].as_f64().unwrap_or(f64::NAN);
    let rps = number("rps");
    let budget = 2.0 * SUBMITS_NOV_2026;
    row(
        &format!("submit, 3 evidence ids (wrk -c16, {:.0})", number("answered")),
        &format!("{rps:.0} req/s"),
        &format!(">= {budget:.0} req/s (2x Nov 2026; goal {SUBMITS_GOAL:.0})"),
        Some(rps / budget),
    );
    row("  submit p99", &format!("{:.2} ms", number("p99_ms")), "", None);
    if number("refused") > 0.0 {
        println!("  warning: {:.0} submissions were refused", number("refused"));
    }
    let healthz = wrk(server, "/healthz", cookie, 16)?;
    row(
        "  /healthz, same wrk settings (-c16)",
        &format!("{:.0} req/s", healthz.rps),
        "",
        None,
    );
    row("  submit / /healthz", &format!("{:.3}", rps / healthz.rps), "", None);
    Ok(rps)
}

/// What wrk measured of one URL: requests per second, p99 latency in ms, and its warning
/// about answers other than 2xx/3xx, if any.
struct WrkFigures {
    rps: f64,
    p99_ms: f64,
    non_2xx: Option<String>,
}

/// Loads `path` with wrk (2 threads, `connections`, 10 s) as the player with `cookie`.
fn wrk(server: &RunningServer, path: &str, cookie: &str, connections: u32) -> Result<WrkFigures, String> {
    let output = Command::new("wrk")
        .args(["-t2", &format!("-c{connections}"), "-d10s", "--latency", "-H"])
        .arg(format!("Cookie: {cookie}"))
        .arg(format!("{}{path}", server.base_url))
        .output()
        .map_err(|e| format!("cannot run wrk: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let line = |prefix: &str| text.lines().find_map(|l| l.trim().strip_prefix(prefix).map(str::trim));
    let p99_ms = line("99%").map_or(f64::NAN, |v| {
        let (number, unit) = v.split_at(v.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(v.len()));
        let number: f64 = number.parse().unwrap_or(f64::NAN);
        match unit {
            "us" => number / 1000.0,
            "s" => number * 1000.0,
            _ => number,
        }
    });
    Ok(WrkFigures {
        rps: line("Requests/sec:").and_then(|v| v.parse().ok()).unwrap_or(f64::NAN),
        p99_ms,
        non_2xx: text
            .lines()
            .find(|l| l.contains("Non-2xx"))
            .map(|l| l.trim().to_owned()),
    })
}

/// `GET /api/cases/{no}` under wrk, then `/healthz` under the same load.
fn case_reads(server: &RunningServer, load: &LoadFigures) -> Result<(), String> {
    let read = wrk(server, &format!("/api/cases/{}", load.case_no), &load.cookie, 32)?;
    let healthz = wrk(server, "/healthz", &load.cookie, 32)?;
    let budget = 2.0 * CASE_READS_NOV_2026;
    row(
        "case read (GET /api/cases/{no}, wrk -c32)",
        &format!("{:.0} req/s", read.rps),
        &format!(">= {budget:.0} req/s (2x Nov 2026)"),
        Some(read.rps / budget),
    );
    row("  case read p99", &format!("{:.2} ms", read.p99_ms), "<= 20 ms", None);
    row(
        "  /healthz, same wrk load",
        &format!("{:.0} req/s", healthz.rps),
        "",
        None,
    );
    row("  /healthz p99", &format!("{:.2} ms", healthz.p99_ms), "", None);
    let share = read.rps / healthz.rps;
    row(
        "  case read / /healthz",
        &format!("{share:.2}"),
        &format!("goal >= {READ_SHARE_OF_HEALTHZ_GOAL:.2}"),
        Some(share / READ_SHARE_OF_HEALTHZ_GOAL),
    );
    for warning in [read.non_2xx, healthz.non_2xx].into_iter().flatten() {
        println!("  warning: {warning}");
    }
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
