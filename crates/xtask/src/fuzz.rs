//! The fuzzing step of `cargo xtask test` (and `cargo xtask fuzz`): builds the cargo-fuzz
//! targets of `fuzz/` and runs each for [`CI_SECONDS`] seconds (or as asked), starting
//! from its kept corpus.
//!
//! Policy: the kept corpus (`fuzz/corpus/<target>/`) is only read; what a run discovers
//! goes to a temporary directory removed afterwards, so the step never changes the
//! repository. Each target counts as one test. A panic (a broken property), a slow input
//! or running out of memory fails it, and libFuzzer leaves the input that did it in
//! `fuzz/artifacts/<target>/` (git-ignored), whose path and replay command are printed.
//! The targets are built without a sanitizer (the project's code forbids `unsafe`, and
//! AddressSanitizer would slow the build and the runs for little gain) and with 16
//! codegen units instead of cargo-fuzz's one, which builds faster.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::process::run_teed;
use crate::tools;

/// The targets, as named in `fuzz/Cargo.toml`.
pub const TARGETS: [&str; 4] = ["ticket", "upload", "calendar", "decision"];
/// Each target's run in `cargo xtask test`.
pub const CI_SECONDS: u32 = 20;
/// `cargo fuzz build|run` options; a replay must use the same ones to reuse the build.
const BUILD_OPTIONS: [&str; 4] = ["--sanitizer", "none", "--codegen-units", "16"];

/// Builds and runs every target; answers whether all passed, and (passed, failed) targets.
pub fn run(root: &Path, seconds: u32) -> Result<(bool, Option<(u64, u64)>), String> {
    println!("\n== fuzzing (cargo-fuzz, {seconds} s per target)");
    tools::ensure_fuzz_tools()?;
    let (built, _) = run_teed(cargo_fuzz(root).arg("build").args(BUILD_OPTIONS))?;
    if !built {
        return Err("the fuzz targets do not build".to_owned());
    }
    let scratch = std::env::temp_dir().join(format!("refund-fuzz-{}", std::process::id()));
    let (mut passed, mut failed) = (0, 0);
    for target in TARGETS {
        if run_target(root, &scratch, target, seconds)? {
            passed += 1;
        } else {
            failed += 1;
        }
    }
    // Leftovers in the temporary directory are harmless; the repository is untouched.
    let _ = std::fs::remove_dir_all(&scratch);
    Ok((failed == 0, Some((passed, failed))))
}

/// One target's run: discoveries go to `scratch`, the kept corpus is read after them.
fn run_target(root: &Path, scratch: &Path, target: &str, seconds: u32) -> Result<bool, String> {
    println!("\n-- fuzz target {target}");
    let discoveries = scratch.join(target);
    std::fs::create_dir_all(&discoveries).map_err(|e| format!("{}: {e}", discoveries.display()))?;
    let kept = root.join("fuzz/corpus").join(target);
    let (ok, lines) = run_teed(
        cargo_fuzz(root)
            .arg("run")
            .args(BUILD_OPTIONS)
            .arg(target)
            .arg(&discoveries)
            .arg(&kept)
            .arg("--")
            .arg(format!("-max_total_time={seconds}"))
            // A single input this slow is a hang.
            .arg("-timeout=10"),
    )?;
    if !ok {
        match reproducer(&lines) {
            Some(input) => eprintln!(
                "xtask: fuzz target {target} failed on {input}; replay it from the repository root with \
                 `cargo +{toolchain} fuzz run {options} {target} {input}`",
                input = input.display(),
                toolchain = tools::FUZZ_TOOLCHAIN,
                options = BUILD_OPTIONS.join(" "),
            ),
            None => eprintln!("xtask: fuzz target {target} failed (see its output above)"),
        }
    }
    Ok(ok)
}

/// `cargo fuzz` on the nightly toolchain, in its own target directory (`fuzz/target`):
/// its instrumented build shares nothing with the workspace's. Without the variables
/// cargo sets for xtask's own package: some build scripts (ring's) rebuild when they
/// change, which would make the next `cargo fuzz` typed by hand rebuild half the tree.
fn cargo_fuzz(root: &Path) -> Command {
    let mut command = Command::new("rustup");
    command
        .current_dir(root)
        .args(["run", tools::FUZZ_TOOLCHAIN, "cargo", "fuzz"])
        .env_remove("CARGO_TARGET_DIR");
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        let per_package = name.starts_with("CARGO_PKG_")
            || matches!(
                &*name,
                "CARGO_MANIFEST_DIR"
                    | "CARGO_MANIFEST_PATH"
                    | "CARGO_CRATE_NAME"
                    | "CARGO_BIN_NAME"
                    | "CARGO_PRIMARY_PACKAGE"
            );
        if per_package {
            command.env_remove(&*name);
        }
    }
    command
}

/// The input libFuzzer saved when the run failed: "Test unit written to <path>".
fn reproducer(lines: &[String]) -> Option<PathBuf> {
    lines.iter().rev().find_map(|line| {
        line.split_once("Test unit written to ")
            .map(|(_, path)| PathBuf::from(path.trim()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_saved_input_is_found_in_libfuzzers_output() {
        let lines = [
            "thread '<unnamed>' panicked at fuzz_targets/decision.rs:9:5:".to_owned(),
            "==123== ERROR: libFuzzer: deadly signal".to_owned(),
            "artifact_prefix='/w/fuzz/artifacts/decision/'; Test unit written to /w/fuzz/artifacts/decision/crash-da39a3"
                .to_owned(),
            "Base64: AAAA".to_owned(),
        ];
        assert_eq!(
            reproducer(&lines),
            Some(PathBuf::from("/w/fuzz/artifacts/decision/crash-da39a3"))
        );
        assert_eq!(reproducer(&lines[..2]), None);
    }

    #[test]
    fn every_target_has_a_kept_corpus() {
        let root = crate::process::project_root();
        for target in TARGETS {
            let corpus = root.join("fuzz/corpus").join(target);
            let seeds = std::fs::read_dir(&corpus).map_or(0, Iterator::count);
            assert!(seeds > 0, "{} has no seeds", corpus.display());
            assert!(root.join(format!("fuzz/fuzz_targets/{target}.rs")).exists(), "{target}");
        }
    }
}
