//! The operator's command line: serve, organisations, games and accounts, import orders,
//! mint tickets, check the calendar, back up.

mod accounts;

use std::path::PathBuf;

use chrono::{DateTime, Duration, Utc};
use clap::{Parser, Subcommand};

use crate::app::{Application, StartupError, shutdown_signal};
use crate::config::{Config, DataArgs};
use crate::domain::calendar::{WorkingCalendar, shanghai};
use crate::domain::ticket::{fresh_claims, sign};
use crate::store::{ImportError, Store, StoreError};
use crate::{demo, import};

#[derive(Debug, Parser)]
#[command(
    name = "refund-server",
    version,
    about = "Refund Desk: refunds and complaints for mini-games"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP server.
    Serve(Config),
    /// Developer organisations.
    Org {
        #[command(subcommand)]
        command: accounts::OrgCommand,
    },
    /// Games and the organisations that answer for them.
    Game {
        #[command(subcommand)]
        command: accounts::GameCommand,
    },
    /// Console accounts: developers and platform staff.
    User {
        #[command(subcommand)]
        command: accounts::UserCommand,
    },
    /// Import payment orders from a CSV file, all or nothing.
    ImportOrders {
        file: PathBuf,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Mint a launch ticket as the game's server would, and print it.
    Ticket {
        #[arg(long)]
        appid: String,
        #[arg(long)]
        openid: String,
        /// Minutes the ticket stays valid (negative mints an expired one, for tests).
        #[arg(long, default_value_t = 10, allow_negative_numbers = true)]
        ttl_minutes: i64,
        /// Print a whole launch link on this base URL instead of the bare ticket.
        #[arg(long)]
        base_url: Option<String>,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Copy a live SQLite database consistently to a new file (PostgreSQL: use pg_dump).
    Backup {
        /// The copy to write; it must not exist yet.
        #[arg(long)]
        to: PathBuf,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Working-day calendar checks.
    Calendar {
        #[command(subcommand)]
        command: CalendarCommand,
        /// Holiday notices to use instead of the bundled ones.
        #[arg(long, env = "REFUND_CALENDAR_DIR", global = true)]
        calendar_dir: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// Print the deadline N working days after an instant.
    Due {
        #[arg(long)]
        from: DateTime<chrono::FixedOffset>,
        #[arg(long)]
        days: u32,
    },
    /// List the years the holiday notices cover.
    Coverage,
}

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Startup(#[from] StartupError),
    #[error("{0}")]
    Import(String),
    #[error("game {0} is not registered (use game add)")]
    UnknownGame(String),
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Storage(#[from] StoreError),
    #[error(transparent)]
    Calendar(#[from] crate::domain::calendar::CalendarError),
}

/// Logs to stderr; `RUST_LOG` filters (default `info`), `REFUND_LOG_JSON=1` for JSON lines.
/// Colours only on a terminal: a log file or journal gets plain text to search.
pub fn init_tracing() {
    use std::io::IsTerminal;
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    if std::env::var_os("REFUND_LOG_JSON").is_some() {
        builder.json().init();
    } else {
        builder.init();
    }
}

pub async fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Serve(config) => serve(config).await,
        Command::Org { command } => accounts::org(command).await,
        Command::Game { command } => accounts::game(command).await,
        Command::User { command } => accounts::user(command).await,
        Command::ImportOrders { file, data } => {
            let orders = import::parse_orders(std::fs::File::open(&file)?)
                .map_err(|e| CliError::Import(format!("{}: {e}; nothing was imported", file.display())))?;
            let store = data.open_store().await?;
            let count = store.import_orders(&orders, false).await.map_err(|e| match e {
                ImportError::Storage(e) => CliError::Storage(e),
                other => CliError::Import(format!("{}: {other}; nothing was imported", file.display())),
            })?;
            println!("imported {count} orders from {}", file.display());
            Ok(())
        }
        Command::Ticket {
            appid,
            openid,
            ttl_minutes,
            base_url,
            data,
        } => {
            let store = data.open_store().await?;
            let game = store.game(&appid).await?.ok_or(CliError::UnknownGame(appid))?;
            let claims = fresh_claims(&game.appid, &openid, Utc::now(), Duration::minutes(ttl_minutes));
            let ticket = sign(&claims, &game.secret);
            match base_url {
                Some(base) => println!("{}/launch?ticket={ticket}", base.trim_end_matches('/')),
                None => println!("{ticket}"),
            }
            Ok(())
        }
        Command::Backup { to, data } => backup(&to, &data).await,
        Command::Calendar { command, calendar_dir } => {
            let calendar = match calendar_dir {
                Some(dir) => WorkingCalendar::from_dir(&dir)?,
                None => WorkingCalendar::bundled(),
            };
            match command {
                CalendarCommand::Due { from, days } => {
                    let deadline = calendar.add_working_days(&from, days);
                    println!("{}", deadline.due_at.with_timezone(&shanghai()).to_rfc3339());
                    for year in deadline.uncovered_years {
                        eprintln!("warning: no holiday notice for {year}; Monday to Friday assumed");
                    }
                }
                CalendarCommand::Coverage => {
                    for year in calendar.covered_years() {
                        println!("{year}");
                    }
                }
            }
            Ok(())
        }
    }
}

async fn backup(to: &std::path::Path, data: &DataArgs) -> Result<(), CliError> {
    if to.exists() {
        return Err(CliError::Io(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!("{} exists; choose a new file", to.display()),
        )));
    }
    let store: Store = data.open_store().await?;
    store.backup_to(to).await?;
    println!(
        "backed up {} to {}",
        crate::store::redact_url(&data.database_url()),
        to.display()
    );
    Ok(())
}

async fn serve(config: Config) -> Result<(), CliError> {
    let demo_mode = config.demo;
    let public_url = config.public_url.clone();
    let app = Application::build(config).await?;
    let addr = app.local_addr()?;
    let base = public_url.unwrap_or_else(|| format!("http://{addr}"));
    if demo_mode {
        let accounts = demo::seed(&app.state().store, app.state().clock.now())
            .await
            .map_err(|e| CliError::Import(format!("demo seeding failed: {e}")))?;
        println!("Refund Desk demo is running at {base}/");
        println!(
            "Open a launch link as a player (each works once, for {} hours):",
            demo::DEMO_TICKET_TTL.num_hours()
        );
        for (nickname, link) in demo::launch_links(&base, Utc::now()) {
            println!("  {nickname}: {link}");
        }
        println!("Track any case in another browser with the link shown on its page.");
        println!("The console for developers and platform staff: {base}/console/");
        println!("Sign in there with (new passwords at every start):");
        println!(
            "  developer of {}: {} / {}",
            demo::DEMO_ORG_NAME,
            accounts.developer.0,
            accounts.developer.1
        );
        println!("  platform staff: {} / {}", accounts.platform.0, accounts.platform.1);
        println!("Ctrl-C stops the server.");
    }
    tracing::info!(%addr, "listening");
    app.run_until(shutdown_signal()).await?;
    Ok(())
}
