//! `/cases`: my cases, newest first, with state, deadline and amount.

use leptos::prelude::*;
use leptos_router::components::A;
use refund_api::CaseSummary;

use crate::api;
use crate::components::deadline::{Deadline, awaits_developer};
use crate::components::error_view::error_fallback;
use crate::components::loading::Loading;
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
            <A href=href attr:class="case-link">
                <span class="row spread">
                    <strong>{case.case_no.clone()}</strong>
                    <StateBadge state=case.state />
                </span>
                <span class="muted">
                    {t(keys::kind(case.kind))} " · " {case.game_name.clone()} " · "
                    <time datetime=format::iso(&case.submitted_at)>{format::date(&case.submitted_at)}</time>
                </span>
                <span class="amount">{format::yuan(case.claimed_fen)}</span>
            </A>
            {awaits_developer(case.state)
                .then(|| view! { <Deadline due_at=case.due_at days_left=case.working_days_left /> })}
        </li>
    }
}

#[component]
pub fn Cases() -> impl IntoView {
    use_page_title("cases.title");
    let cases = LocalResource::new(api::my_cases);
    view! {
        <h1>{t("cases.title")}</h1>
        <Transition fallback=|| view! { <Loading /> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    cases.await.map(|cases| {
                        if cases.is_empty() {
                            view! {
                                <p>{t("cases.none")}</p>
                                <p><A href="/apply">{t("home.cta_apply")}</A></p>
                            }
                                .into_any()
                        } else {
                            let rows = cases.into_iter().map(|case| view! { <CaseRow case /> }).collect_view();
                            view! { <ul class="case-list">{rows}</ul> }.into_any()
                        }
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}
