//! Demo mode: one developer organisation with one game, two players with realistic
//! orders, launch links to click, and two console accounts (a developer of the game's
//! organisation and platform staff).
//!
//! Seeding is idempotent: fixed ids, existing rows are left alone, so restarting with
//! `--demo` neither duplicates orders nor loses the cases made with them. The console
//! passwords are new random ones at every start (printed with the links), so a demo
//! left running somewhere has no well-known password.

use chrono::{DateTime, Duration, TimeZone, Utc};

use refund_api::StaffRole;

use crate::domain::calendar::shanghai;
use crate::domain::password;
use crate::domain::ticket::{fresh_claims, sign};
use crate::secrets::random_token;
use crate::store::{ImportError, ImportedOrder, Store};

pub const DEMO_APPID: &str = "wxdemo0001";
pub const DEMO_GAME: &str = "星星消除乐";
pub const DEMO_SECRET: &str = "demo-secret-not-for-production";
/// The demo game's developer organisation.
pub const DEMO_ORG: &str = "demo-studio";
pub const DEMO_ORG_NAME: &str = "星光互娱";
/// Console logins of the demo accounts.
pub const DEMO_DEVELOPER: &str = "developer";
pub const DEMO_PLATFORM: &str = "platform";

/// The demo console accounts as `(login, password)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccounts {
    pub developer: (String, String),
    pub platform: (String, String),
}

/// Why seeding failed.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error(transparent)]
    Storage(#[from] crate::store::StoreError),
    #[error(transparent)]
    Password(#[from] password::PasswordError),
}
/// Demo launch links stay valid this long (a real game's expire within minutes).
pub const DEMO_TICKET_TTL: Duration = Duration::hours(2);

/// `(openid, nickname, orders as (order suffix, item, fen, days ago, hour, minute))`.
type DemoPlayer = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str, i64, i64, u32, u32)],
);

const PLAYERS: [DemoPlayer; 2] = [
    (
        "demo-player-xiaoming",
        "星辰小明",
        &[
            ("0001", "60 钻石", 600, 12, 20, 41),
            ("0002", "月卡", 3_000, 9, 23, 12),
            ("0003", "限时礼包·星耀", 12_800, 6, 1, 37),
            ("0004", "648 钻石", 64_800, 5, 2, 5),
            ("0005", "皮肤·夏日海风", 6_800, 3, 16, 20),
            ("0006", "体力补给", 100, 1, 22, 58),
        ],
    ),
    (
        "demo-player-lele",
        "乐乐爱闯关",
        &[
            ("1001", "新手礼包", 100, 20, 19, 3),
            ("1002", "328 钻石", 32_800, 8, 0, 46),
            ("1003", "通行证·第 5 季", 6_800, 4, 21, 30),
        ],
    ),
];

/// Creates the demo organisation, game, players and orders unless they exist, and gives
/// the console accounts new passwords.
pub async fn seed(store: &Store, today: DateTime<Utc>) -> Result<DemoAccounts, SeedError> {
    store.upsert_organization(DEMO_ORG, DEMO_ORG_NAME, today).await?;
    store.upsert_game(DEMO_APPID, DEMO_GAME, DEMO_SECRET, today).await?;
    store.assign_game(DEMO_APPID, DEMO_ORG).await?;
    let accounts = DemoAccounts {
        developer: (DEMO_DEVELOPER.to_owned(), random_token(12)),
        platform: (DEMO_PLATFORM.to_owned(), random_token(12)),
    };
    for ((login, secret), role, org) in [
        (&accounts.developer, StaffRole::Developer, Some(DEMO_ORG)),
        (&accounts.platform, StaffRole::Platform, None),
    ] {
        store
            .upsert_staff(login, role, org, &password::hash(secret)?, today)
            .await?;
    }
    let local_today = today.with_timezone(&shanghai()).date_naive();
    let mut orders = Vec::new();
    for (openid, nickname, player_orders) in PLAYERS {
        for &(suffix, item, fen, days_ago, hour, minute) in player_orders {
            let day = local_today - Duration::days(days_ago);
            let paid_at = day
                .and_hms_opt(hour, minute, 0)
                .and_then(|t| shanghai().from_local_datetime(&t).single())
                .map_or(today, |t| t.with_timezone(&Utc));
            orders.push(ImportedOrder {
                line: 0,
                appid: DEMO_APPID.to_owned(),
                openid: openid.to_owned(),
                nickname: nickname.to_owned(),
                order_no: format!("DEMO-{suffix}"),
                item: item.to_owned(),
                amount_fen: fen,
                paid_at,
            });
        }
    }
    store.import_orders(&orders, true).await?;
    Ok(accounts)
}

/// A fresh launch link per demo player: `(nickname, url)`.
#[must_use]
pub fn launch_links(base_url: &str, now: DateTime<Utc>) -> Vec<(&'static str, String)> {
    PLAYERS
        .iter()
        .map(|(openid, nickname, _)| {
            let ticket = sign(&fresh_claims(DEMO_APPID, openid, now, DEMO_TICKET_TTL), DEMO_SECRET);
            (
                *nickname,
                format!("{}/launch?ticket={ticket}", base_url.trim_end_matches('/')),
            )
        })
        .collect()
}
