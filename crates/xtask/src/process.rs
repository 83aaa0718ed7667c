//! Running child processes: checked, or with output teed for counting test results.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;

/// The workspace root (xtask lives in crates/xtask).
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Runs a command, failing with its description when it exits non-zero.
pub fn run_checked(command: &mut Command) -> Result<(), String> {
    let description = describe(command);
    let status = command
        .status()
        .map_err(|e| format!("cannot start {description}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{description} failed ({status})"))
    }
}

/// `cargo <args>` in the root, checked.
pub fn cargo(root: &Path, args: &[&str]) -> Result<(), String> {
    run_checked(Command::new(cargo_bin()).current_dir(root).args(args))
}

pub fn cargo_bin() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// Runs a command, echoing its output as it comes, and returns (success, all output lines).
pub fn run_teed(command: &mut Command) -> Result<(bool, Vec<String>), String> {
    run_teed_as(command, "")
}

/// As [`run_teed`], with each echoed line prefixed (when commands run side by side).
pub fn run_teed_as(command: &mut Command, prefix: &str) -> Result<(bool, Vec<String>), String> {
    let description = describe(command);
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {description}: {e}"))?;
    let (sender, receiver) = mpsc::channel::<String>();
    let readers: Vec<_> = [
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
    ]
    .into_iter()
    .flatten()
    .map(|stream| {
        let sender = sender.clone();
        let prefix = prefix.to_owned();
        thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                println!("{prefix}{line}");
                let _closed = sender.send(line);
            }
        })
    })
    .collect();
    drop(sender);
    let lines: Vec<String> = receiver.iter().collect();
    for reader in readers {
        let _panicked = reader.join();
    }
    let status = child.wait().map_err(|e| format!("{description}: {e}"))?;
    Ok((status.success(), lines))
}

/// Whether a program answers `--version` with output containing `expected`.
pub fn version_matches(program: &Path, expected: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).contains(expected))
}

fn describe(command: &Command) -> String {
    let args: Vec<_> = command.get_args().map(|a| a.to_string_lossy().into_owned()).collect();
    format!("`{} {}`", command.get_program().to_string_lossy(), args.join(" "))
}
