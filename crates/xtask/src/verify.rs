//! `cargo xtask test`: every check the project has, ending in one `N passed, M failed` line.
//!
//! Steps run in order and all run even when one fails, so one report shows everything.
//! Test counts come from the runners' own summaries (cargo's `test result:` lines and
//! Playwright's totals); the contract test (schemathesis) counts as one test, and so does
//! each fuzz target's short run; a step that fails outside a test (formatting, a lint, a
//! build) counts as one failure.

use std::process::Command;

use crate::process::{cargo_bin, project_root, run_teed};
use crate::{contract, e2e, fuzz, lanes, tools};

#[derive(Debug, Default)]
struct Tally {
    passed: u64,
    failed: u64,
    steps: Vec<(String, bool)>,
}

impl Tally {
    fn record(&mut self, name: &str, ok: bool, counts: Option<(u64, u64)>) {
        match counts {
            Some((passed, failed)) => {
                self.passed += passed;
                self.failed += failed;
                if !ok && failed == 0 {
                    self.failed += 1;
                }
            }
            None if !ok => self.failed += 1,
            None => {}
        }
        self.steps.push((name.to_owned(), ok));
    }

    /// Records a step that reports (ok, counts) itself, or could not run (one failure).
    fn record_run(&mut self, name: &str, run: Result<(bool, Option<(u64, u64)>), String>) {
        match run {
            Ok((ok, counts)) => self.record(name, ok, counts),
            Err(e) => {
                eprintln!("xtask: {e}");
                self.record(name, false, None);
            }
        }
    }
}

pub fn all() -> Result<(), String> {
    let root = project_root();
    let tools = tools::ensure_web_build_tools(&root)?;
    tools::ensure_chromium()?;
    tools::ensure_s3s_fs()?;
    let mut tally = Tally::default();
    let cargo = |args: &[&str]| {
        let mut command = Command::new(cargo_bin());
        command.current_dir(&root).args(args);
        command
    };

    step(&mut tally, "format", cargo(&["fmt", "--all", "--check"]), false);
    step(
        &mut tally,
        "lints (native)",
        cargo(&["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]),
        false,
    );
    step(
        &mut tally,
        "lints (wasm)",
        cargo(&[
            "clippy",
            "-p",
            "refund-web",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
        false,
    );
    step(
        &mut tally,
        "lints (player bundle, wasm, without the console)",
        cargo(&[
            "clippy",
            "-p",
            "refund-web",
            "--no-default-features",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ]),
        false,
    );
    rust_tests(&root, &mut tally);
    tally.record_run("fuzzing (cargo-fuzz)", fuzz::run(&root, fuzz::CI_SECONDS));
    let mut wasm_tests = cargo(&["test", "-p", "refund-web", "--target", "wasm32-unknown-unknown"]);
    wasm_tests
        .env("CHROMEDRIVER", tools::CHROMEDRIVER)
        .env("PATH", &tools.path);
    step(&mut tally, "browser tests (wasm-bindgen, Chromium)", wasm_tests, true);

    let built = tools::build_web_app(&root, &tools)
        .and_then(|()| crate::process::cargo(&root, &["build", "-p", "refund-server"]));
    tally.record("web app and server build", built.is_ok(), None);
    if let Err(e) = built {
        eprintln!("xtask: {e}");
    } else {
        match e2e::run(&root, &tools) {
            Ok((ok, counts)) => tally.record("end-to-end tests (Playwright, Chromium)", ok, counts),
            Err(e) => {
                eprintln!("xtask: {e}");
                tally.record("end-to-end tests (Playwright, Chromium)", false, None);
            }
        }
        let name = "contract test (schemathesis against /api/openapi.json)";
        match contract::run(&root) {
            Ok(ok) => tally.record(name, ok, Some((u64::from(ok), u64::from(!ok)))),
            Err(e) => {
                eprintln!("xtask: {e}");
                tally.record(name, false, None);
            }
        }
    }

    println!();
    for (name, ok) in &tally.steps {
        println!("{} {name}", if *ok { "ok    " } else { "FAILED" });
    }
    println!("{} passed, {} failed", tally.passed, tally.failed);
    if tally.failed == 0 && tally.steps.iter().all(|(_, ok)| *ok) {
        Ok(())
    } else {
        Err("some checks failed".to_owned())
    }
}

/// Unit and integration tests, on SQLite and on PostgreSQL side by side.
fn rust_tests(root: &std::path::Path, tally: &mut Tally) {
    println!("\n== unit and integration tests (SQLite and PostgreSQL lanes)");
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    let with_postgres = lanes::postgres_reachable();
    if !with_postgres {
        if ci {
            eprintln!("xtask: PostgreSQL does not answer on 127.0.0.1:5432; under CI=true it is required");
            tally.record("PostgreSQL reachable (required under CI)", false, None);
        } else {
            eprintln!("xtask: NOTE PostgreSQL does not answer on 127.0.0.1:5432: the PostgreSQL lane is NOT run");
        }
    }
    match lanes::run(root, with_postgres) {
        Ok((sqlite, postgres)) => {
            tally.record("tests on SQLite", sqlite.ok, Some(cargo_test_counts(&sqlite.lines)));
            if let Some(postgres) = postgres {
                tally.record(
                    "tests on PostgreSQL",
                    postgres.ok,
                    Some(cargo_test_counts(&postgres.lines)),
                );
            }
        }
        Err(e) => {
            eprintln!("xtask: {e}");
            tally.record("unit and integration tests", false, None);
        }
    }
}

fn step(tally: &mut Tally, name: &str, mut command: Command, counts_tests: bool) {
    println!("\n== {name}");
    match run_teed(&mut command) {
        Ok((ok, lines)) => {
            let counts = counts_tests.then(|| cargo_test_counts(&lines));
            tally.record(name, ok, counts);
        }
        Err(e) => {
            eprintln!("xtask: {e}");
            tally.record(name, false, None);
        }
    }
}

/// Sums `test result: ok. 3 passed; 1 failed; ...` lines.
fn cargo_test_counts(lines: &[String]) -> (u64, u64) {
    lines
        .iter()
        .filter_map(|line| line.trim().strip_prefix("test result: "))
        .fold((0, 0), |(passed, failed), rest| {
            (
                passed + count_before(rest, " passed"),
                failed + count_before(rest, " failed"),
            )
        })
}

/// The number just before `label` in `text`, e.g. `3` in "ok. 3 passed;".
pub fn count_before(text: &str, label: &str) -> u64 {
    text.find(label)
        .and_then(|end| text[..end].rsplit(|c: char| !c.is_ascii_digit()).next())
        .and_then(|digits| digits.parse().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_summaries_are_summed() {
        let lines = [
            "test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured".to_owned(),
            "running 3 tests".to_owned(),
            "test result: FAILED. 2 passed; 1 failed; 0 ignored".to_owned(),
        ];
        assert_eq!(cargo_test_counts(&lines), (14, 1));
    }

    #[test]
    fn a_failed_step_without_counts_is_one_failure() {
        let mut tally = Tally::default();
        tally.record("format", false, None);
        tally.record("tests", false, Some((5, 0)));
        tally.record("more", true, Some((2, 0)));
        assert_eq!((tally.passed, tally.failed), (7, 2));
    }
}
