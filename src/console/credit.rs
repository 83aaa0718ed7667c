//! `/console/credit`: credit scores. A developer sees their organisation's score, a chart
//! of it over time and the ledger; platform staff see every organisation's.

use std::sync::Arc;

use leptos::prelude::*;
use refund_api::{CreditCause, CreditView, StaffRole};

use super::table::{Column, DataTable};
use super::{Signed, api};
use crate::components::loaded::{AsyncContent, Loaded};
use crate::format;
use crate::i18n::{t, tf, tr, use_page_title};

const COLUMNS: &[Column] = &[
    ("console.webhooks.at", false),
    ("console.credit.cause", false),
    ("console.queue.case", false),
    ("console.credit.points", true),
    ("console.credit.after", true),
];

const WIDTH: f64 = 480.0;
const HEIGHT: f64 = 120.0;
/// Where the score starts; the chart's top line.
const START: i64 = refund_api::CREDIT_START;

/// The chart's points (the start, then the score after each entry, spread evenly) and
/// the score at its bottom line, at least ten points below the start so small losses
/// still show as small.
#[must_use]
pub fn chart(scores: &[i64]) -> (String, i64) {
    // With no entries yet the line stays flat at the start, across the whole chart.
    let all: Vec<i64> = if scores.is_empty() {
        vec![START, START]
    } else {
        std::iter::once(START).chain(scores.iter().copied()).collect()
    };
    let low = all.iter().copied().min().unwrap_or(START).min(START - 10);
    let span = (START - low).max(1) as f64;
    let step = WIDTH / (all.len().max(2) - 1) as f64;
    let points = all
        .iter()
        .enumerate()
        .map(|(i, score)| {
            let x = i as f64 * step;
            let y = (START - score) as f64 / span * HEIGHT;
            format!("{x:.1},{y:.1}")
        })
        .collect::<Vec<_>>()
        .join(" ");
    (points, low)
}

fn cause_key(cause: CreditCause) -> String {
    format!("console.credit.cause.{}", cause.key())
}

fn organisation(view: &CreditView) -> impl IntoView + use<> {
    let scores: Vec<i64> = view.entries.iter().map(|e| e.score_after).collect();
    let (points, low) = chart(&scores);
    let (name, score) = (view.org_name.clone(), view.score);
    let table_name = name.clone();
    let summary = move || {
        tf(
            "console.credit.chart",
            &[("name", &name), ("score", &score.to_string())],
        )
    };
    let rows = view
        .entries
        .iter()
        .rev()
        .map(|e| {
            let href = e
                .case_no
                .as_ref()
                .map(|no| format!("/console/cases/{}", crate::api::encode(no)));
            view! {
                <tr>
                    <td><time datetime=format::iso(&e.at)>{format::date_time(&e.at)}</time></td>
                    <td>{tr(&cause_key(e.cause))}</td>
                    <td>{href.map(|href| view! { <a href=href>{e.case_no.clone()}</a> })}</td>
                    <td class="num">{e.points}</td>
                    <td class="num">{e.score_after}</td>
                </tr>
            }
        })
        .collect_view();
    let empty = view.entries.is_empty();
    view! {
        <section class="credit" aria-labelledby=format!("credit-{}", view.org_id)>
            <h2 id=format!("credit-{}", view.org_id)>{view.org_name.clone()} " · " {view.score}</h2>
            <svg class="credit-chart" viewBox=format!("-40 -10 {} {}", WIDTH + 50.0, HEIGHT + 20.0) role="img" aria-label=summary>
                <text x="-8" y="4" text-anchor="end" class="credit-axis">{START}</text>
                <text x="-8" y=HEIGHT + 4.0 text-anchor="end" class="credit-axis">{low}</text>
                <line x1="0" y1="0" x2=WIDTH y2="0" class="credit-start" />
                <line x1="0" y1=HEIGHT x2=WIDTH y2=HEIGHT class="credit-start" />
                <polyline points=points class="credit-line" />
            </svg>
            {if empty {
                view! { <p>{t("console.credit.none")}</p> }.into_any()
            } else {
                view! {
                    <DataTable columns=COLUMNS label=Signal::derive(move || tf("console.credit.table", &[("name", &table_name)]))>
                        {rows}
                    </DataTable>
                }
                .into_any()
            }}
        </section>
    }
}

#[component]
pub fn Credit() -> impl IntoView {
    use_page_title("console.credit.title");
    let platform = expect_context::<Signed>()
        .staff()
        .is_some_and(|s| s.role == StaffRole::Platform);
    let ledgers = LocalResource::new(move || async move {
        if platform {
            api::every_credit().await
        } else {
            api::own_credit().await.map(|one| vec![one])
        }
    });
    let content: AsyncContent = Arc::new(move || {
        Suspend::new(async move {
            let ledgers = ledgers.await?;
            Ok(ledgers.iter().map(organisation).collect_view().into_any())
        })
    });
    view! {
        <h1>{t("console.credit.title")}</h1>
        <p class="muted">{t("console.credit.intro")}</p>
        <Loaded content />
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chart_starts_at_the_top_and_falls_with_each_deduction() {
        assert_eq!(chart(&[]), ("0.0,0.0 480.0,0.0".to_owned(), 90));
        assert_eq!(chart(&[95, 90]), ("0.0,0.0 240.0,60.0 480.0,120.0".to_owned(), 90));
        assert_eq!(chart(&[80]).1, 80, "the bottom follows a deeper fall");
    }
}
