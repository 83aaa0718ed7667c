//! Step "review": everything entered, each part with a way back to change it, and submit.

use leptos::prelude::*;
use refund_api::{CaseKind, EvidenceCategory};

use super::FormCtx;
use super::progress::StepHeading;
use super::submit::SubmitButton;
use crate::components::case_view::parties::demands_text;
use crate::form::Step;
use crate::format;
use crate::i18n::{keys, t, tf, tr};

/// A reviewed part of the form with an "edit" button that returns to its step.
#[component]
fn Part(
    /// The step this part was entered on.
    step: Step,
    children: Children,
) -> impl IntoView {
    let ctx = FormCtx::get();
    let index = ctx.steps().iter().position(|s| *s == step).unwrap_or(0);
    let id = format!("review-{index}");
    let labelled_by = id.clone();
    view! {
        <section class="review-part" aria-labelledby=labelled_by>
            <div class="row spread">
                <h3 id=id>{t(step.title_key())}</h3>
                <button
                    type="button"
                    class="button small secondary"
                    aria-label=move || tf("review.edit_named", &[("part", &tr(step.title_key()))])
                    on:click=move |_| {
                        ctx.from_review.set(true);
                        ctx.go_to(index);
                    }
                >
                    {t("review.edit")}
                </button>
            </div>
            {children()}
        </section>
    }
}

fn orders_part(ctx: FormCtx) -> impl IntoView {
    let (chosen, total) = ctx.draft.with_untracked(|d| {
        ctx.orders.with_value(|all| {
            let chosen: Vec<_> = all
                .iter()
                .filter(|o| d.order_nos.contains(&o.order_no))
                .cloned()
                .collect();
            (chosen, d.chosen_total_fen(all))
        })
    });
    let empty = chosen.is_empty();
    let rows = chosen
        .into_iter()
        .map(|o| view! { <li>{o.item} " · " {format::date_time(&o.paid_at)} " · " {format::yuan(o.refundable_fen)}</li> })
        .collect_view();
    view! {
        <Part step=Step::Orders>
            {if empty {
                view! { <p>{t("review.no_orders")}</p> }.into_any()
            } else {
                let total = format::yuan(total);
                view! {
                    <ul>{rows}</ul>
                    <p class="total">{move || tf("review.total", &[("amount", &total)])}</p>
                }
                    .into_any()
            }}
        </Part>
    }
}

fn guardian_part(ctx: FormCtx) -> impl IntoView {
    let g = ctx.draft.with_untracked(|d| d.guardian.clone());
    let relation = g.relation.map(keys::relation).unwrap_or_default();
    let birth = format!(
        "{}-{:02}",
        g.birth_year.unwrap_or_default(),
        g.birth_month.unwrap_or_default()
    );
    view! {
        <Part step=Step::Guardian>
            <dl class="pairs">
                <dt>{t("guardian.relation")}</dt>
                <dd>{t(relation)}</dd>
                <dt>{t("guardian.name")}</dt>
                <dd>{g.name.trim().to_owned()}</dd>
                <dt>{t("guardian.phone")}</dt>
                <dd>{g.phone.trim().to_owned()}</dd>
                <dt>{t("guardian.minor_birth")}</dt>
                <dd>{birth}</dd>
            </dl>
        </Part>
    }
}

fn about_part(ctx: FormCtx) -> impl IntoView {
    let c = ctx.draft.with_untracked(|d| d.complaint.clone());
    let category = c.category.map(keys::complaint_category).unwrap_or_default();
    let demands = c.demands.clone();
    view! {
        <Part step=Step::About>
            <dl class="pairs">
                <dt>{t("complaint.category")}</dt>
                <dd>{t(category)}</dd>
                <dt>{t("complaint.demands")}</dt>
                <dd>{move || demands_text(&demands)}</dd>
                <dt>{t("complaint.title")}</dt>
                <dd>{c.title.trim().to_owned()}</dd>
                <dt>{t("complaint.contact")}</dt>
                <dd>{c.contact.trim().to_owned()}</dd>
            </dl>
        </Part>
    }
}

fn evidence_part(ctx: FormCtx) -> impl IntoView {
    let evidence = ctx.draft.with_untracked(|d| d.evidence.clone());
    let groups = EvidenceCategory::for_kind(ctx.kind)
        .iter()
        .filter_map(|c| {
            let names: Vec<String> = evidence
                .iter()
                .filter(|e| e.category == *c)
                .map(|e| e.file_name.clone())
                .collect();
            (!names.is_empty()).then(|| {
                view! {
                    <dt>{t(keys::category(*c, None))}</dt>
                    <dd>{names.join("、")}</dd>
                }
            })
        })
        .collect_view();
    view! {
        <Part step=Step::Evidence>
            {if evidence.is_empty() {
                view! { <p>{t("review.no_evidence")}</p> }.into_any()
            } else {
                view! { <dl class="pairs">{groups}</dl> }.into_any()
            }}
        </Part>
    }
}

#[component]
pub fn ReviewStep() -> impl IntoView {
    let ctx = FormCtx::get();
    let narrative = ctx.draft.with_untracked(|d| d.narrative.trim().to_owned());
    let days = ctx.session.with_value(|s| match ctx.kind {
        CaseKind::MinorRefund => s.minor_refund_due_days,
        CaseKind::Complaint => s.complaint_due_days,
    });
    let first = match ctx.kind {
        CaseKind::MinorRefund => view! { {orders_part(ctx)} {guardian_part(ctx)} }.into_any(),
        CaseKind::Complaint => view! { {orders_part(ctx)} {about_part(ctx)} }.into_any(),
    };
    view! {
        <StepHeading step=Step::Review />
        <p class="hint">{t("review.intro")}</p>
        {first}
        <Part step=Step::Narrative>
            <p class="narrative">{narrative}</p>
        </Part>
        {evidence_part(ctx)}
        <p class="notice">{move || tf("review.deadline", &[("days", &days.to_string())])}</p>
        <SubmitButton />
    }
}
