//! Step "about" of a complaint: what it is about, what the user wants, and a title.

use leptos::prelude::*;
use refund_api::{ComplaintCategory, Demand};

use super::FormCtx;
use super::fields::{Choice, RadioGroup, TextInput};
use super::progress::StepHeading;
use crate::form::{Step, TITLE_MAX_CHARS};
use crate::i18n::keys;

const CATEGORIES: [ComplaintCategory; 5] = [
    ComplaintCategory::BrokenFeature,
    ComplaintCategory::PrivacyLeak,
    ComplaintCategory::FalseAdvertising,
    ComplaintCategory::FraudOrInducement,
    ComplaintCategory::Other,
];
const DEMANDS: [Demand; 4] = [Demand::Refund, Demand::Compensation, Demand::Fix, Demand::Explanation];

#[component]
pub fn AboutStep() -> impl IntoView {
    let ctx = FormCtx::get();
    let d = ctx.draft;
    let categories = CATEGORIES
        .iter()
        .map(|c| Choice::translated(keys::wire_name(c), keys::complaint_category(*c)))
        .collect();
    let demands = DEMANDS
        .iter()
        .map(|x| Choice::translated(keys::wire_name(x), keys::demand(*x)))
        .collect();
    view! {
        <StepHeading step=Step::About />
        <RadioGroup
            field="complaint.category"
            legend_key="complaint.category"
            choices=categories
            value=Signal::derive(move || d.with(|d| d.complaint.category.map(|c| keys::wire_name(&c)).unwrap_or_default()))
            on_change=Callback::new(move |v: String| {
                let category = CATEGORIES.into_iter().find(|c| keys::wire_name(c) == v);
                ctx.edit("complaint.category", |d| d.complaint.category = category);
            })
        />
        <RadioGroup
            field="complaint.demand"
            legend_key="complaint.demand"
            choices=demands
            value=Signal::derive(move || d.with(|d| d.complaint.demand.map(|x| keys::wire_name(&x)).unwrap_or_default()))
            on_change=Callback::new(move |v: String| {
                let demand = DEMANDS.into_iter().find(|x| keys::wire_name(x) == v);
                ctx.edit("complaint.demand", |d| d.complaint.demand = demand);
            })
        />
        <TextInput
            field="complaint.title"
            label_key="complaint.title"
            hint_key="complaint.title_hint"
            maxlength=TITLE_MAX_CHARS as u32
            value=Signal::derive(move || d.with(|d| d.complaint.title.clone()))
            on_input=Callback::new(move |v| ctx.edit("complaint.title", |d| d.complaint.title = v))
        />
    }
}
