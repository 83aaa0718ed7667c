//! `cargo xtask run | test | bench`: the project's commands, from a fresh machine on.
//!
//! Every command first installs what it needs and is missing (see `tools`), so the
//! README's two commands are all a newcomer or CI has to type.

mod bench;
mod contract;
mod e2e;
mod follow_page;
mod follow_up;
mod fuzz;
mod lanes;
mod loader;
mod minify;
mod precompress;
mod process;
mod tools;
mod verify;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "xtask", about = "Refund Desk project commands")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the app and run the server in demo mode on 127.0.0.1:8080 with ./data.
    Run {
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        #[arg(long, default_value = "data")]
        data_dir: String,
    },
    /// Formatting, lints, unit, integration, browser and end-to-end tests.
    Test,
    /// Measure the budgets of docs/ARCHITECTURE.md ("Budgets") and print the figures.
    Bench,
    /// Only the fuzzing step of `test`: every fuzz target for this long, corpus untouched.
    Fuzz {
        #[arg(long, default_value_t = fuzz::CI_SECONDS)]
        seconds: u32,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run { addr, data_dir } => run(&addr, &data_dir),
        Command::Test => verify::all(),
        Command::Bench => bench::all(),
        Command::Fuzz { seconds } => fuzz::run(&process::project_root(), seconds).and_then(|(ok, _)| {
            if ok {
                Ok(())
            } else {
                Err("a fuzz target failed".to_owned())
            }
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(addr: &str, data_dir: &str) -> Result<(), String> {
    let root = process::project_root();
    let tools = tools::ensure_web_build_tools(&root)?;
    tools::build_web_app(&root, &tools)?;
    process::cargo(&root, &["build", "-p", "refund-server"])?;
    let server = root.join("target/debug/refund-server");
    let dist = root.join("dist");
    process::run_checked(std::process::Command::new(server).current_dir(&root).args([
        "serve",
        "--addr",
        addr,
        "--data-dir",
        data_dir,
        "--demo",
        "--static-dir",
        &dist.to_string_lossy(),
    ]))
}
