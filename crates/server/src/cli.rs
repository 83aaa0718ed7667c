//! The operator's command line: serve, register games, import orders, mint tickets,
//! check the calendar.

use std::path::PathBuf;

use chrono::{DateTime, Duration, Utc};
use clap::{Parser, Subcommand};

use crate::app::{Application, StartupError, shutdown_signal};
use crate::config::Config;
use crate::domain::calendar::{WorkingCalendar, shanghai};
use crate::domain::ticket::{fresh_claims, sign};
use crate::store::{ImportError, Store};
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
    /// Register a game (or change its name or ticket secret).
    AddGame {
        #[arg(long)]
        appid: String,
        #[arg(long)]
        name: String,
        /// Secret the game's server signs launch tickets with.
        #[arg(long, env = "REFUND_GAME_SECRET")]
        secret: String,
        #[arg(long, env = "REFUND_DATA_DIR", default_value = "./data")]
        data_dir: PathBuf,
    },
    /// Import payment orders from a CSV file, all or nothing.
    ImportOrders {
        file: PathBuf,
        #[arg(long, env = "REFUND_DATA_DIR", default_value = "./data")]
        data_dir: PathBuf,
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
        #[arg(long, env = "REFUND_DATA_DIR", default_value = "./data")]
        data_dir: PathBuf,
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
    #[error("game {0} is not registered (use add-game)")]
    UnknownGame(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Storage(#[from] sqlx::Error),
    #[error(transparent)]
    Calendar(#[from] crate::domain::calendar::CalendarError),
}

/// Logs to stderr; `RUST_LOG` filters (default `info`), `REFUND_LOG_JSON=1` for JSON lines.
pub fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
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
        Command::AddGame {
            appid,
            name,
            secret,
            data_dir,
        } => {
            let store = open_store(&data_dir).await?;
            store.upsert_game(&appid, &name, &secret).await?;
            println!("game {appid} registered");
            Ok(())
        }
        Command::ImportOrders { file, data_dir } => {
            let orders = import::parse_orders(std::fs::File::open(&file)?)
                .map_err(|e| CliError::Import(format!("{}: {e}; nothing was imported", file.display())))?;
            let store = open_store(&data_dir).await?;
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
            data_dir,
        } => {
            let store = open_store(&data_dir).await?;
            let game = store.game(&appid).await?.ok_or(CliError::UnknownGame(appid))?;
            let claims = fresh_claims(&game.appid, &openid, Utc::now(), Duration::minutes(ttl_minutes));
            let ticket = sign(&claims, &game.secret);
            match base_url {
                Some(base) => println!("{}/launch?ticket={ticket}", base.trim_end_matches('/')),
                None => println!("{ticket}"),
            }
            Ok(())
        }
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

async fn open_store(data_dir: &std::path::Path) -> Result<Store, CliError> {
    std::fs::create_dir_all(data_dir)?;
    Ok(Store::open(data_dir).await?)
}

async fn serve(config: Config) -> Result<(), CliError> {
    let demo_mode = config.demo;
    let public_url = config.public_url.clone();
    let app = Application::build(config).await?;
    let addr = app.local_addr()?;
    let base = public_url.unwrap_or_else(|| format!("http://{addr}"));
    if demo_mode {
        demo::seed(&app.state().store, Utc::now())
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
        println!("Track any case in another browser with the link shown on its page. Ctrl-C stops the server.");
    }
    tracing::info!(%addr, "listening");
    app.run_until(shutdown_signal()).await?;
    Ok(())
}
