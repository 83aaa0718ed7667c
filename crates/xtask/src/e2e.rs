//! End-to-end tests: the real server on a temporary data dir, driven by Playwright in
//! Debian's Chromium.
//!
//! The suite gets the server's address, its binary and its data dir through the
//! environment, and mints launch tickets with the server's own `ticket` command.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::process::run_teed;
use crate::tools::{CHROMIUM, Tools};
use crate::verify::count_before;

/// A server process that is stopped when dropped, with its data dir.
pub struct RunningServer {
    child: Child,
    pub addr: String,
    pub base_url: String,
    pub data_dir: PathBuf,
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        let _gone = self.child.kill();
        let _reaped = self.child.wait();
        let _removed = std::fs::remove_dir_all(&self.data_dir);
    }
}

/// Runs the Playwright suite; returns whether it passed and its (passed, failed) counts.
pub fn run(root: &Path, tools: &Tools) -> Result<(bool, Option<(u64, u64)>), String> {
    let server = start_server(root, &root.join("target/debug/refund-server"), &[])?;
    println!("\n== end-to-end tests against {}", server.base_url);
    let (ok, lines) = run_teed(
        Command::new(tools.node_dir.join("node_modules/.bin/playwright"))
            .current_dir(&tools.node_dir)
            .env("PATH", &tools.path)
            .env("BASE_URL", &server.base_url)
            .env("REFUND_SERVER_BIN", root.join("target/debug/refund-server"))
            .env("REFUND_DATA_DIR", &server.data_dir)
            .env("CHROMIUM_PATH", CHROMIUM)
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
            .args(["test", "--reporter=list"]),
    )?;
    Ok((ok, Some(playwright_counts(&lines))))
}

/// Per-address and per-player rate limits, off: every browser of a suite and every client
/// of a measurement comes from 127.0.0.1 (the limits have their own integration tests).
/// Flags in `extra_args` still win over these variables.
const NO_RATE_LIMITS: [(&str, &str); 5] = [
    ("REFUND_LAUNCHES_PER_MINUTE", "0"),
    ("REFUND_LOGINS_PER_MINUTE", "0"),
    ("REFUND_TRACKING_PER_MINUTE", "0"),
    ("REFUND_UPLOADS_PER_MINUTE", "0"),
    ("REFUND_SUBMISSIONS_PER_MINUTE", "0"),
];

/// Starts `binary serve --demo` on a free port and a fresh data dir, serving `dist/`.
pub fn start_server(root: &Path, binary: &Path, extra_args: &[&str]) -> Result<RunningServer, String> {
    start_server_logging_to(root, binary, extra_args, Stdio::inherit())
}

/// As [`start_server`], with the server's log (its warnings and errors) sent to `log`.
pub fn start_server_logging_to(
    root: &Path,
    binary: &Path,
    extra_args: &[&str],
    log: Stdio,
) -> Result<RunningServer, String> {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("no free port: {e}"))?
        .port();
    let data_dir = std::env::temp_dir().join(format!("refund-desk-e2e-{}-{port}", std::process::id()));
    let addr = format!("127.0.0.1:{port}");
    let child = Command::new(binary)
        .current_dir(root)
        .args(["serve", "--demo", "--addr", &addr, "--data-dir"])
        .arg(&data_dir)
        .arg("--static-dir")
        .arg(root.join("dist"))
        .args(extra_args)
        .envs(NO_RATE_LIMITS)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    let server = RunningServer {
        child,
        addr: addr.clone(),
        base_url: format!("http://{addr}"),
        data_dir,
    };
    wait_until_ready(&addr)?;
    Ok(server)
}

/// Polls `/readyz` until it answers 200 (bounded: a server that never starts fails the step).
fn wait_until_ready(addr: &str) -> Result<(), String> {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        if let Ok(mut stream) = TcpStream::connect(addr) {
            let request = format!("GET /readyz HTTP/1.0\r\nHost: {addr}\r\n\r\n");
            let mut answer = String::new();
            if stream.write_all(request.as_bytes()).is_ok()
                && stream.read_to_string(&mut answer).is_ok()
                && answer.starts_with("HTTP/1.0 200")
            {
                return Ok(());
            }
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Err(format!("the server on {addr} did not become ready"))
}

/// Playwright's list reporter ends with lines like `  7 passed (12.3s)` and `  1 failed`.
fn playwright_counts(lines: &[String]) -> (u64, u64) {
    let total = |label: &str| {
        lines
            .iter()
            .map(|l| l.trim())
            .filter(|l| l.split_whitespace().nth(1).is_some_and(|w| w == label.trim()))
            .map(|l| count_before(l, label))
            .sum()
    };
    (total(" passed"), total(" failed") + total(" flaky"))
}

#[cfg(test)]
mod tests {
    use super::playwright_counts;

    #[test]
    fn playwright_totals_are_read_from_its_summary() {
        let lines: Vec<String> = [
            "  ✓  1 home.spec.ts:3:1 › shows the home page (1.2s)",
            "  2 failed",
            "  7 passed (12.3s)",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        assert_eq!(playwright_counts(&lines), (7, 2));
    }
}
