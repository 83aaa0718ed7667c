//! Step "what happened": the account in the user's words, prompted by the questions that
//! let the developer verify it.

use leptos::prelude::*;
use refund_api::CaseKind;

use super::FormCtx;
use super::fields::TextArea;
use super::progress::StepHeading;
use crate::form::Step;
use crate::i18n::t;

const REFUND_QUESTIONS: [&str; 4] = ["story.q_who", "story.q_when", "story.q_how", "story.q_unnoticed"];
const COMPLAINT_QUESTIONS: [&str; 3] = ["story.q_what", "story.q_since", "story.q_tried"];

#[component]
pub fn NarrativeStep() -> impl IntoView {
    let ctx = FormCtx::get();
    let d = ctx.draft;
    let questions: &[&str] = match ctx.kind {
        CaseKind::MinorRefund => &REFUND_QUESTIONS,
        CaseKind::Complaint => &COMPLAINT_QUESTIONS,
    };
    let items = questions.iter().map(|q| view! { <li>{t(*q)}</li> }).collect_view();
    view! {
        <StepHeading step=Step::Narrative />
        <div class="prompt">
            <p id="story-questions-title">{t("story.questions")}</p>
            <ul aria-labelledby="story-questions-title">{items}</ul>
        </div>
        <TextArea
            field="narrative"
            label_key="story.label"
            hint_key="story.hint"
            value=Signal::derive(move || d.with(|d| d.narrative.clone()))
            on_input=Callback::new(move |v| ctx.edit("narrative", |d| d.narrative = v))
        />
    }
}
