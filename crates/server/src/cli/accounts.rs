//! Operator commands for who works with Refund Desk: developer organisations, their
//! games, and staff accounts.

use std::io::Read;

use chrono::Utc;
use clap::Subcommand;
use refund_api::StaffRole;

use super::CliError;
use crate::config::DataArgs;
use crate::domain::password;

#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Add a developer organisation (or rename it).
    Add {
        /// Its id, e.g. `star-studio`.
        #[arg(long)]
        org: String,
        #[arg(long)]
        name: String,
        #[command(flatten)]
        data: DataArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum GameCommand {
    /// Register a game for an organisation (or change its name, secret or organisation).
    Add {
        #[arg(long)]
        appid: String,
        #[arg(long)]
        name: String,
        /// Secret the game's server signs launch tickets with.
        #[arg(long, env = "REFUND_GAME_SECRET")]
        secret: String,
        /// The developer organisation that answers the game's cases.
        #[arg(long, default_value = "default")]
        org: String,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Have the game's players' notifications also POSTed to the game's server, signed
    /// with `X-Refund-Signature` (HMAC-SHA256 with the secret).
    SetWebhook {
        #[arg(long)]
        appid: String,
        #[arg(long)]
        url: String,
        #[arg(long, env = "REFUND_WEBHOOK_SECRET")]
        secret: String,
        #[command(flatten)]
        data: DataArgs,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RoleArg {
    Developer,
    Platform,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a console account (or reset its password). The password is read from stdin.
    Add {
        #[arg(long, value_enum)]
        role: RoleArg,
        /// The organisation of a developer (platform staff have none).
        #[arg(long)]
        org: Option<String>,
        #[arg(long)]
        login: String,
        /// Read the password from standard input (it never appears in the shell's history).
        #[arg(long, required = true)]
        password_stdin: bool,
        #[command(flatten)]
        data: DataArgs,
    },
}

pub async fn org(command: OrgCommand) -> Result<(), CliError> {
    let OrgCommand::Add { org, name, data } = command;
    data.open_store()
        .await?
        .upsert_organization(&org, &name, Utc::now())
        .await?;
    println!("organisation {org} saved");
    Ok(())
}

pub async fn game(command: GameCommand) -> Result<(), CliError> {
    let (appid, name, secret, org, data) = match command {
        GameCommand::Add {
            appid,
            name,
            secret,
            org,
            data,
        } => (appid, name, secret, org, data),
        GameCommand::SetWebhook {
            appid,
            url,
            secret,
            data,
        } => {
            if !(url.starts_with("https://") || url.starts_with("http://")) || secret.len() < 16 {
                return Err(CliError::Usage(
                    "give an http(s) URL and a secret of at least 16 characters".to_owned(),
                ));
            }
            let store = data.open_store().await?;
            if !store.set_webhook(&appid, Some(&url), Some(&secret)).await? {
                return Err(CliError::UnknownGame(appid));
            }
            println!("game {appid} now notifies {url}");
            return Ok(());
        }
    };
    let store = data.open_store().await?;
    if !store.organization_exists(&org).await? {
        return Err(CliError::Usage(format!(
            "organisation {org} does not exist (use org add)"
        )));
    }
    store.upsert_game(&appid, &name, &secret, Utc::now()).await?;
    store.assign_game(&appid, &org).await?;
    println!("game {appid} registered for {org}");
    Ok(())
}

pub async fn user(command: UserCommand) -> Result<(), CliError> {
    let UserCommand::Add {
        role,
        org,
        login,
        password_stdin: _,
        data,
    } = command;
    let role = match role {
        RoleArg::Developer => StaffRole::Developer,
        RoleArg::Platform => StaffRole::Platform,
    };
    let org = match (role, org) {
        (StaffRole::Developer, Some(org)) => Some(org),
        (StaffRole::Developer, None) => return Err(CliError::Usage("a developer needs --org".to_owned())),
        (StaffRole::Platform, Some(_)) => {
            return Err(CliError::Usage(
                "platform staff belong to no organisation: drop --org".to_owned(),
            ));
        }
        (StaffRole::Platform, None) => None,
    };
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input)?;
    let secret = input.trim_end_matches(['\r', '\n']);
    let hash = password::hash(secret).map_err(|e| CliError::Usage(e.to_string()))?;
    let store = data.open_store().await?;
    if let Some(org) = &org
        && !store.organization_exists(org).await?
    {
        return Err(CliError::Usage(format!(
            "organisation {org} does not exist (use org add)"
        )));
    }
    store
        .upsert_staff(&login, role, org.as_deref(), &hash, Utc::now())
        .await?;
    println!("{} account {login} saved", role.key());
    Ok(())
}
