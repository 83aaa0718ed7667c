//! `refund-server`: the server and the operator's commands.

use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    refund_server::cli::init_tracing();
    let cli = refund_server::cli::Cli::parse();
    match refund_server::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
