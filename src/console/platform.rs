//! `/console/platform` (platform staff): the cases awaiting the platform's final decision,
//! oldest first, with why each came (the player asked, or the appeal decision was late),
//! and the working-day calendar's coverage, warning when next year's notice is due.

use std::sync::Arc;

use leptos::prelude::*;
use refund_api::{PlatformReferral, PlatformRow};
use send_wrapper::SendWrapper;

use super::api;
use super::table::{Column, DataTable};
use crate::components::loaded::{AsyncContent, Loaded};
use crate::format;
use crate::i18n::{keys, t, tf, tr, use_page_title};

const COLUMNS: &[Column] = &[
    ("console.queue.case", false),
    ("console.queue.game", false),
    ("console.queue.kind", false),
    ("console.platform.why", false),
    ("console.queue.claimed", true),
    ("console.platform.since", false),
];

fn referral_key(reason: PlatformReferral) -> &'static str {
    match reason {
        PlatformReferral::PlayerAsked => "console.platform.player_asked",
        PlatformReferral::LateAppeal => "console.platform.late_appeal",
    }
}

fn row(r: &PlatformRow) -> impl IntoView + use<> {
    let href = format!("/console/cases/{}", crate::api::encode(&r.case_no));
    view! {
        <tr>
            <th scope="row"><a href=href>{r.case_no.clone()}</a></th>
            <td>{r.game_name.clone()}</td>
            <td>{t(keys::kind(r.kind))}</td>
            <td>{t(referral_key(r.reason))}</td>
            <td class="num">{if r.claimed_fen > 0 { format::yuan(r.claimed_fen) } else { tr("console.platform.no_money") }}</td>
            <td><time datetime=format::iso(&r.waiting_since)>{format::date_time(&r.waiting_since)}</time></td>
        </tr>
    }
}

/// The working-day calendar's coverage, with a warning when a needed year is missing.
#[component]
fn CalendarCoverage() -> impl IntoView {
    let coverage = LocalResource::new(api::calendar_coverage);
    move || {
        coverage.get().and_then(Result::ok).map(|c| {
            let years = match (c.covered_years.first(), c.covered_years.last()) {
                (Some(first), Some(last)) => format!("{first}–{last}"),
                _ => "—".to_owned(),
            };
            let missing = c
                .missing_years
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            view! {
                <section aria-labelledby="calendar-title" class="calendar-coverage">
                    <h2 id="calendar-title">{t("console.calendar.title")}</h2>
                    <p>{move || tf("console.calendar.covered", &[("years", &years)])}</p>
                    {(!c.missing_years.is_empty()).then(|| view! {
                        <div class="notice notice-error" role="alert">
                            <p class="notice-title">{move || tf("console.calendar.missing", &[("years", &missing)])}</p>
                            <p>{t("console.calendar.missing_advice")}</p>
                        </div>
                    })}
                </section>
            }
        })
    }
}

/// Force-majeure reports waiting for platform staff, with the way to them.
#[component]
fn WaitingReports() -> impl IntoView {
    let reports = LocalResource::new(|| api::force_majeure_reports(true));
    move || {
        let waiting = reports.get().and_then(Result::ok).map_or(0, |r| {
            r.iter()
                .filter(|r| r.state == refund_api::ForceMajeureState::Pending)
                .count()
        });
        (waiting > 0).then(|| {
            let n = waiting.to_string();
            view! {
                <p class="notice" role="status">
                    {move || tf("console.platform.reports_waiting", &[("n", &n)])} " "
                    <a href="/console/force-majeure">{t("console.nav.force_majeure")}</a>
                </p>
            }
        })
    }
}

#[component]
pub fn PlatformQueue() -> impl IntoView {
    use_page_title("console.platform.title");
    let rows = LocalResource::new(api::platform_queue);
    let events = SendWrapper::new(api::subscribe(move |_| rows.refetch()));
    on_cleanup(move || drop(events));
    let content: AsyncContent = Arc::new(move || {
        Suspend::new(async move {
            let rows = rows.await?;
            if rows.is_empty() {
                return Ok(view! { <p>{t("console.platform.none")}</p> }.into_any());
            }
            let count = rows.len();
            let body = rows.iter().map(row).collect_view();
            Ok(view! {
                <p class="muted" role="status">{move || tf("console.platform.count", &[("n", &count.to_string())])}</p>
                <DataTable columns=COLUMNS label=Signal::derive(t("console.platform.title"))>{body}</DataTable>
            }
            .into_any())
        })
    });
    view! {
        <h1>{t("console.platform.title")}</h1>
        <p class="muted">{t("console.platform.intro")}</p>
        <WaitingReports />
        <Loaded content />
        <CalendarCoverage />
    }
}
