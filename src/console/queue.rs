//! `/console/`: the queue. The organisation's cases (every case for platform staff),
//! filtered by state, game, kind, overdue and due within one working day, sorted by
//! deadline; any case event reloads it, so new cases appear without a reload.

use std::collections::BTreeMap;
use std::sync::Arc;

use leptos::prelude::*;
use refund_api::{CaseKind, CaseState, QueueFilter, QueueRow, TimeLeft};
use send_wrapper::SendWrapper;

use super::api;
use super::table::{Column, DataTable};
use crate::components::loaded::{AsyncContent, Loaded};
use crate::components::state_badge::StateBadge;
use crate::format;
use crate::i18n::{keys, t, tf, use_page_title};

const COLUMNS: &[Column] = &[
    ("console.queue.case", false),
    ("console.queue.game", false),
    ("console.queue.kind", false),
    ("console.queue.state", false),
    ("console.queue.claimed", true),
    ("console.queue.submitted", false),
    ("console.queue.deadline", false),
];

/// The time left, in working days and hours, or how long it is overdue.
pub fn time_left_text(left: TimeLeft) -> String {
    if left.overdue {
        tf("console.queue.overdue_by", &[("hours", &left.hours.abs().to_string())])
    } else {
        tf(
            "console.queue.left",
            &[
                ("days", &left.working_days.to_string()),
                ("hours", &left.hours.to_string()),
            ],
        )
    }
}

fn row(r: &QueueRow) -> impl IntoView + use<> {
    let href = format!("/console/cases/{}", crate::api::encode(&r.case_no));
    let awaiting = matches!(r.state, CaseState::Submitted | CaseState::Appealed);
    let left = r.time_left;
    let class = if awaiting && left.overdue { "overdue" } else { "" };
    view! {
        <tr class=class>
            <th scope="row"><a href=href>{r.case_no.clone()}</a></th>
            <td>{r.game_name.clone()}</td>
            <td>{t(keys::kind(r.kind))}</td>
            <td><StateBadge state=r.state /></td>
            <td class="num">{(r.claimed_fen > 0).then(|| format::yuan(r.claimed_fen))}</td>
            <td><time datetime=format::iso(&r.submitted_at)>{format::date_time(&r.submitted_at)}</time></td>
            <td>
                {awaiting.then(|| view! {
                    <span class=if left.overdue { "time-left overdue" } else { "time-left" }>
                        {left.overdue.then(|| view! { <strong>{t("console.queue.overdue")}</strong> " " })}
                        {move || time_left_text(left)}
                    </span>
                })}
            </td>
        </tr>
    }
}

/// A `<select>` of the filter: "all" plus one option per value.
#[component]
fn Choice(
    /// The control's id (its label points at it).
    id: &'static str,
    /// Translation key of the label.
    label: &'static str,
    /// `(value, text)` of each option after "all".
    options: Signal<Vec<(String, String)>>,
    /// The chosen value; empty for all.
    chosen: RwSignal<String>,
) -> impl IntoView {
    view! {
        <div class="field inline">
            <label for=id>{t(label)}</label>
            <select id=id on:change=move |ev| chosen.set(event_target_value(&ev)) prop:value=move || chosen.get()>
                <option value="">{t("console.queue.all")}</option>
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|(value, text)| view! { <option value=value>{text}</option> })
                        .collect_view()
                }}
            </select>
        </div>
    }
}

#[component]
pub fn Queue() -> impl IntoView {
    use_page_title("console.queue.title");
    let (state, game, kind) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let (overdue, due_soon) = (RwSignal::new(false), RwSignal::new(false));
    let filter = Memo::new(move |_| QueueFilter {
        state: CaseState::from_key(&state.get()),
        appid: Some(game.get()).filter(|g| !g.is_empty()),
        kind: CaseKind::from_key(&kind.get()),
        overdue: overdue.get(),
        due_soon: due_soon.get(),
    });
    let rows = LocalResource::new(move || {
        let filter = filter.get();
        async move { api::queue(&filter).await }
    });
    // Games seen in any answer, so choosing one does not empty the list of games.
    let games = RwSignal::new(BTreeMap::<String, String>::new());
    let events = SendWrapper::new(api::subscribe(move |_| rows.refetch()));
    on_cleanup(move || drop(events));

    let state_options = Signal::derive(move || {
        CaseState::ALL
            .iter()
            .map(|s| (s.key().to_owned(), t(keys::state(*s))()))
            .collect()
    });
    let kind_options = Signal::derive(move || {
        CaseKind::ALL
            .iter()
            .map(|k| (k.key().to_owned(), t(keys::kind(*k))()))
            .collect()
    });
    let game_options = Signal::derive(move || games.get().into_iter().collect());

    let content: AsyncContent = Arc::new(move || {
        Suspend::new(async move {
            let rows = rows.await?;
            games.update(|g| {
                for r in &rows {
                    g.entry(r.appid.clone()).or_insert_with(|| r.game_name.clone());
                }
            });
            if rows.is_empty() {
                return Ok(view! { <p>{t("console.queue.none")}</p> }.into_any());
            }
            let count = rows.len();
            let body = rows.iter().map(row).collect_view();
            Ok(view! {
                <p class="muted" role="status">{move || tf("console.queue.count", &[("n", &count.to_string())])}</p>
                <DataTable columns=COLUMNS label=Signal::derive(t("console.queue.title"))>{body}</DataTable>
            }
            .into_any())
        })
    });
    view! {
        <h1>{t("console.queue.title")}</h1>
        <form class="filters" aria-label=t("console.queue.filters") on:submit=|ev| ev.prevent_default()>
            <Choice id="filter-state" label="console.queue.state" options=state_options chosen=state />
            <Choice id="filter-game" label="console.queue.game" options=game_options chosen=game />
            <Choice id="filter-kind" label="console.queue.kind" options=kind_options chosen=kind />
            <label class="check">
                <input type="checkbox" prop:checked=move || overdue.get() on:change=move |ev| overdue.set(event_target_checked(&ev)) />
                {t("console.queue.only_overdue")}
            </label>
            <label class="check">
                <input type="checkbox" prop:checked=move || due_soon.get() on:change=move |ev| due_soon.set(event_target_checked(&ev)) />
                {t("console.queue.only_due_soon")}
            </label>
        </form>
        <Loaded content />
    }
}
