//! Where the user is in the form (a list with `aria-current="step"`) and the Back/Next buttons.

use leptos::prelude::*;

use super::FormCtx;
use crate::form::Step;
use crate::i18n::{t, tf};

/// "Step 2 of 5" and the numbered list of steps.
#[component]
pub fn StepProgress() -> impl IntoView {
    let ctx = FormCtx::get();
    let steps = ctx.steps();
    let total = steps.len().to_string();
    let items = steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            view! {
                <li
                    aria-current=move || (ctx.step() == i).then_some("step")
                    class:done=move || { ctx.step() > i }
                >
                    <span class="dot" aria-hidden="true">{i + 1}</span>
                    <span class="step-name">{t(step.title_key())}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="progress">
            <p class="step-count">
                {move || tf("form.step_of", &[("n", &(ctx.step() + 1).to_string()), ("total", &total)])}
            </p>
            <ol class="steps" aria-label=t("form.progress")>{items}</ol>
        </div>
    }
}

/// The heading of the current step; focus lands here after Back or Next.
#[component]
pub fn StepHeading(
    /// The step whose name to show.
    step: Step,
) -> impl IntoView {
    view! {
        <h2 id=super::context::STEP_HEADING_ID tabindex="-1" class="step-heading">
            {t(step.title_key())}
        </h2>
    }
}

/// Back and Next; on the review step Next gives way to the submit button.
#[component]
pub fn StepNav() -> impl IntoView {
    let ctx = FormCtx::get();
    let last = ctx.steps().len() - 1;
    view! {
        <div class="step-nav">
            <Show when=move || { ctx.step() > 0 }>
                <button type="button" class="button secondary" on:click=move |_| ctx.back()>
                    {t("form.back")}
                </button>
            </Show>
            <Show when=move || ctx.step() < last>
                <button type="button" class="button primary" on:click=move |_| ctx.next()>
                    {move || t(if ctx.from_review.get() { "form.back_to_review" } else { "form.next" })()}
                </button>
            </Show>
        </div>
    }
}
