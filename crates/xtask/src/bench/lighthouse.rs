//! Lighthouse mobile audits of the player's pages: performance and accessibility scores
//! and the paint and blocking times behind them, against the design's budgets.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use super::row;
use crate::e2e::RunningServer;
use crate::tools::CHROMIUM;

/// Performance score budget (of 100).
const PERFORMANCE: f64 = 98.0;
/// Largest Contentful Paint budget, in seconds.
const LCP_SECONDS: f64 = 1.2;
/// Runs of Lighthouse on one page before the bench gives up.
const ATTEMPTS: u32 = 3;

/// Audits `page` (a path) as the signed-in player with Lighthouse's mobile preset
/// (simulated slow 4G, 4x CPU slowdown) and prints its figures under `label`.
pub fn audit(server: &RunningServer, lighthouse: &Path, cookie: &str, page: &str, label: &str) -> Result<(), String> {
    let report = server.data_dir.join("lighthouse.json");
    let run = || {
        Command::new(lighthouse)
            .arg(format!("{}{page}", server.base_url))
            .args([
                "--only-categories=performance,accessibility",
                "--form-factor=mobile",
                "--throttling-method=simulate",
            ])
            .arg(format!("--extra-headers={{\"Cookie\":\"{cookie}\"}}"))
            .args(["--output=json", "--quiet"])
            .arg(format!("--output-path={}", report.display()))
            .arg("--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run")
            .env("CHROME_PATH", CHROMIUM)
            .status()
            .map_err(|e| format!("cannot run lighthouse: {e}"))
    };
    // Lighthouse sometimes loses its own trace of the load (NO_NAVSTART) and asks to be run
    // again; a run that fails is repeated, and said so, before the bench gives up.
    let mut status = run()?;
    for attempt in 2..=ATTEMPTS {
        if status.success() {
            break;
        }
        println!("  ({label}: lighthouse failed ({status}); run {attempt} of {ATTEMPTS})");
        status = run()?;
    }
    if !status.success() {
        return Err(format!("lighthouse failed on {page} ({status}), {ATTEMPTS} times"));
    }
    let text = std::fs::read_to_string(&report).map_err(|e| e.to_string())?;
    let json: Value = serde_json::from_str(&text).map_err(|e| format!("lighthouse report: {e}"))?;
    let score = |category: &str| {
        json["categories"][category]["score"]
            .as_f64()
            .map_or(f64::NAN, |s| s * 100.0)
    };
    let millis = |audit: &str| json["audits"][audit]["numericValue"].as_f64().unwrap_or(f64::NAN);

    let performance = score("performance");
    row(
        &format!("Lighthouse mobile {label}: performance"),
        &format!("{performance:.0}"),
        &format!(">= {PERFORMANCE:.0}"),
        Some(performance / PERFORMANCE),
    );
    row(
        &format!("  {label}: accessibility"),
        &format!("{:.0}", score("accessibility")),
        "= 100",
        None,
    );
    row(
        &format!("  {label}: first contentful paint"),
        &format!("{:.2} s", millis("first-contentful-paint") / 1000.0),
        "",
        None,
    );
    let lcp = millis("largest-contentful-paint") / 1000.0;
    row(
        &format!("  {label}: largest contentful paint"),
        &format!("{lcp:.2} s"),
        &format!("<= {LCP_SECONDS} s"),
        Some(lcp / LCP_SECONDS),
    );
    row(
        &format!("  {label}: total blocking time"),
        &format!("{:.0} ms", millis("total-blocking-time")),
        "",
        None,
    );
    Ok(())
}
