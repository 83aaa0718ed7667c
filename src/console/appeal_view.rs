//! The player's appeal on the console's case page: why, their statement, when, and which
//! files it added since the first decision (so the developer sees what is new).

use leptos::prelude::*;
use refund_api::{AppealView, EvidenceView};

use crate::format;
use crate::i18n::{keys, t};

#[component]
pub fn AppealSummary(
    /// The appeal.
    appeal: AppealView,
    /// The case's files (the appeal's are picked out by id).
    evidence: Vec<EvidenceView>,
) -> impl IntoView {
    let added = evidence
        .into_iter()
        .filter(|e| appeal.evidence_ids.contains(&e.id))
        .map(|e| view! { <li>{t(keys::category(e.category, None))} " · " {e.file_name}</li> })
        .collect_view();
    let none_added = appeal.evidence_ids.is_empty();
    view! {
        <section class="appeal-summary" aria-labelledby="case-appeal">
            <h2 id="case-appeal">{t("console.appeal.title")}</h2>
            <p class="muted">
                <time datetime=format::iso(&appeal.appealed_at)>{format::date_time(&appeal.appealed_at)}</time>
                " · " {t(format!("appeal.reason.{}", appeal.reason.key()))}
            </p>
            <p class="narrative">{appeal.statement}</p>
            <h3>{t("console.appeal.added")}</h3>
            {if none_added {
                view! { <p>{t("console.appeal.none_added")}</p> }.into_any()
            } else {
                view! { <ul class="bullets">{added}</ul> }.into_any()
            }}
        </section>
    }
}
