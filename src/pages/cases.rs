//! `/cases`: my cases, newest first, with state, deadline and amount.

use std::sync::Arc;

use leptos::prelude::*;
use refund_api::CaseSummary;

use send_wrapper::SendWrapper;

use crate::api;
use crate::components::deadline::{Deadline, awaits_developer};
use crate::components::loaded::{AsyncContent, Loaded};
use crate::components::state_badge::StateBadge;
use crate::format;
use crate::i18n::{keys, t, use_page_title};

#[component]
fn CaseRow(
    /// The case to list.
    case: CaseSummary,
) -> impl IntoView {
    let href = format!("/cases/{}", api::encode(&case.case_no));
    view! {
        <li class="case-row">
            <a href=href class="case-link">
                <span class="row spread">
                    <strong>{case.case_no.clone()}</strong>
                    <StateBadge state=case.state />
                </span>
                <span class="muted">
                    {t(keys::kind(case.kind))} " · " {case.game_name.clone()} " · "
                    <time datetime=format::iso(&case.submitted_at)>{format::date(&case.submitted_at)}</time>
                </span>
                // A complaint without orders claims no money: show no amount rather than ¥0.00.
                {(case.claimed_fen > 0).then(|| view! { <span class="amount">{format::yuan(case.claimed_fen)}</span> })}
            </a>
            {awaits_developer(case.state)
                .then(|| view! { <Deadline due_at=case.due_at days_left=case.working_days_left /> })}
        </li>
    }
}

#[component]
pub fn Cases() -> impl IntoView {
    use_page_title("cases.title");
    let cases = LocalResource::new(api::my_cases);
    // Any change to any of my cases (a new one included) reloads the list.
    let events = SendWrapper::new(api::subscribe_mine(move |_| cases.refetch()));
    on_cleanup(move || drop(events));
    let content: AsyncContent = Arc::new(move || {
        Suspend::new(async move {
            let cases = cases.await?;
            Ok(if cases.is_empty() {
                view! {
                    <p>{t("cases.none")}</p>
                    <p><a href="/apply">{t("home.cta_apply")}</a></p>
                }
                .into_any()
            } else {
                let rows = cases.into_iter().map(|case| view! { <CaseRow case /> }).collect_view();
                view! { <ul class="case-list">{rows}</ul> }.into_any()
            })
        })
    });
    view! {
        <h1>{t("cases.title")}</h1>
        <p class="lead">{t("cases.lead")}</p>
        <Loaded content />
    }
}
