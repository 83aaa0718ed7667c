//! The Rust test suites, run twice side by side: once on SQLite and once on PostgreSQL.
//!
//! The test binaries are built once, then each lane runs them directly (two `cargo test`
//! runs would queue on cargo's lock). The SQLite lane runs every binary; the PostgreSQL
//! lane runs the server's store and HTTP suites with `REFUND_TEST_DATABASE=postgres`, each
//! test on a database of its own. Tests that are about one backend by nature are named so
//! the other lane can skip them: `scale_out::` (several processes on PostgreSQL) and
//! `sqlite_only` (upgrading a SQLite file) and `s3::` (the backend does not matter).
//! PostgreSQL must answer on 127.0.0.1:5432; under `CI=true` a missing server fails the
//! run, elsewhere the lane is left out with a loud note.

use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::process::{cargo_bin, run_teed_as};

/// One lane's result: whether all passed, and the `test result:` lines' totals.
#[derive(Debug, Default)]
pub struct LaneResult {
    pub ok: bool,
    pub lines: Vec<String>,
}

/// A built test binary: its package's directory, target name and path.
#[derive(Debug, Clone)]
struct TestBinary {
    package_dir: PathBuf,
    target: String,
    path: PathBuf,
}

/// Builds every test binary of the workspace and lists them.
fn build_tests(root: &Path) -> Result<Vec<TestBinary>, String> {
    let output = Command::new(cargo_bin())
        .current_dir(root)
        .args([
            "test",
            "--workspace",
            "--no-run",
            "--message-format=json-render-diagnostics",
        ])
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot build the tests: {e}"))?;
    if !output.status.success() {
        return Err("the tests do not build".to_owned());
    }
    let mut binaries = Vec::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let Some(path) = message["executable"].as_str() else {
            continue;
        };
        if message["profile"]["test"].as_bool() != Some(true) {
            continue;
        }
        let manifest = Path::new(message["manifest_path"].as_str().unwrap_or_default());
        binaries.push(TestBinary {
            package_dir: manifest.parent().map(Path::to_path_buf).unwrap_or_default(),
            target: message["target"]["name"].as_str().unwrap_or_default().to_owned(),
            path: PathBuf::from(path),
        });
    }
    Ok(binaries)
}

/// Whether PostgreSQL accepts connections on the test address.
pub fn postgres_reachable() -> bool {
    let addr: SocketAddr = ([127, 0, 0, 1], 5432).into();
    TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_ok()
}

/// Runs both lanes; `None` for the PostgreSQL lane when it was left out.
pub fn run(root: &Path, with_postgres: bool) -> Result<(LaneResult, Option<LaneResult>), String> {
    let binaries = build_tests(root)?;
    let sqlite_binaries = binaries.clone();
    let sqlite = std::thread::spawn(move || run_lane(&sqlite_binaries, "[sqlite] ", &[], &["--skip", "scale_out::"]));
    let postgres = with_postgres.then(|| {
        let server: Vec<TestBinary> = binaries
            .into_iter()
            .filter(|b| b.package_dir.ends_with("crates/server") && (b.target == "api" || b.target == "store"))
            .collect();
        std::thread::spawn(move || {
            run_lane(
                &server,
                "[postgres] ",
                &[("REFUND_TEST_DATABASE", "postgres")],
                &["--skip", "s3::", "--skip", "sqlite_only"],
            )
        })
    });
    let sqlite = sqlite.join().map_err(|_| "the SQLite lane panicked".to_owned())?;
    let postgres = match postgres {
        Some(lane) => Some(lane.join().map_err(|_| "the PostgreSQL lane panicked".to_owned())?),
        None => None,
    };
    Ok((sqlite, postgres))
}

fn run_lane(binaries: &[TestBinary], prefix: &str, env: &[(&str, &str)], skip: &[&str]) -> LaneResult {
    let mut result = LaneResult {
        ok: true,
        lines: Vec::new(),
    };
    for binary in binaries {
        let mut command = Command::new(&binary.path);
        command.envs(env.iter().copied());
        if binary.target == "api" || binary.target == "store" {
            command.args(skip);
        }
        // Test binaries expect to run from their package's directory, as under cargo.
        command.current_dir(&binary.package_dir);
        match run_teed_as(&mut command, prefix) {
            Ok((ok, lines)) => {
                result.ok &= ok;
                result.lines.extend(lines);
            }
            Err(e) => {
                eprintln!("xtask: {e}");
                result.ok = false;
            }
        }
    }
    result
}
