//! Step "evidence": the limits, what is still missing, and one block per category.

use leptos::prelude::*;

use super::FormCtx;
use super::evidence_block::EvidenceBlock;
use super::privacy_notice::PrivacyNotice;
use super::progress::StepHeading;
use crate::form::Step;
use crate::format;
use crate::i18n::{keys, t, tf};
use refund_api::EvidenceCategory;

/// The id of the limits text, referenced by every file input.
pub const LIMITS_ID: &str = "evidence-limits";

/// Required categories without a file, or a line saying nothing is missing.
#[component]
fn StillMissing() -> impl IntoView {
    let ctx = FormCtx::get();
    let missing = move || ctx.draft.with(|d| d.missing_evidence());
    let any_required = EvidenceCategory::for_kind(ctx.kind)
        .iter()
        .any(|c| c.is_required_for(ctx.kind));
    view! {
        <div class="missing" role="status">
            {move || {
                let missing = missing();
                if !any_required {
                    view! { <p class="ok">{t("ev.none_required")}</p> }.into_any()
                } else if missing.is_empty() {
                    view! { <p class="ok">{t("ev.nothing_missing")}</p> }.into_any()
                } else {
                    let items = missing
                        .into_iter()
                        .map(|c| view! { <li>{t(keys::category(c, None))}</li> })
                        .collect_view();
                    view! {
                        <p>{t("ev.still_missing")}</p>
                        <ul>{items}</ul>
                    }
                        .into_any()
                }
            }}
        </div>
    }
}

#[component]
pub fn EvidenceStep() -> impl IntoView {
    let ctx = FormCtx::get();
    let limits = ctx.session.with_value(|s| s.limits);
    let size = format::file_size(limits.max_file_bytes);
    let count = limits.max_files_per_case.to_string();
    let asks_identity = EvidenceCategory::for_kind(ctx.kind).iter().any(|c| c.is_identity());
    let blocks = EvidenceCategory::for_kind(ctx.kind)
        .iter()
        .map(|c| view! { <EvidenceBlock category=*c /> })
        .collect_view();
    view! {
        <StepHeading step=Step::Evidence />
        <p class="hint">{t("ev.intro")}</p>
        <div class="notice" id=LIMITS_ID>
            <p>
                {move || tf("ev.limits", &[("size", &size), ("count", &count)])}
            </p>
            <p>{t("ev.types")}</p>
        </div>
        <StillMissing />
        {asks_identity.then(|| view! { <PrivacyNotice /> })}
        {blocks}
    }
}
