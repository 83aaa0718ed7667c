//! Step "about" of a complaint: what it is about, what the user asks for (one or more), a
//! title, and how the developer can reach them.

use leptos::prelude::*;
use refund_api::{ComplaintCategory, Demand};

use super::FormCtx;
use super::fields::{CheckboxGroup, Choice, RadioGroup, TextInput};
use super::progress::StepHeading;
use crate::form::{Step, TITLE_MAX_CHARS};
use crate::i18n::keys;

#[component]
pub fn AboutStep() -> impl IntoView {
    let ctx = FormCtx::get();
    let d = ctx.draft;
    let categories = ComplaintCategory::ALL
        .iter()
        .map(|c| Choice::translated(c.key().to_owned(), keys::complaint_category(*c)))
        .collect();
    let demands = Demand::ALL
        .iter()
        .map(|x| Choice::translated(x.key().to_owned(), keys::demand(*x)))
        .collect();
    view! {
        <StepHeading step=Step::About />
        <RadioGroup
            field="complaint.category"
            legend_key="complaint.category"
            choices=categories
            value=Signal::derive(move || d.with(|d| d.complaint.category.map(|c| c.key().to_owned()).unwrap_or_default()))
            on_change=Callback::new(move |v: String| {
                let category = ComplaintCategory::ALL.into_iter().find(|c| c.key() == v);
                ctx.edit("complaint.category", |d| d.complaint.category = category);
            })
        />
        <CheckboxGroup
            field="complaint.demands"
            legend_key="complaint.demands"
            hint_key="complaint.demands_hint"
            choices=demands
            is_chosen=Callback::new(move |v: String| {
                d.with(|d| d.complaint.demands.iter().any(|x| x.key() == v))
            })
            on_toggle=Callback::new(move |(v, on): (String, bool)| {
                ctx.edit("complaint.demands", |d| {
                    // Kept in the one order of Demand::ALL, whatever order they were ticked in.
                    let chosen = &d.complaint.demands;
                    d.complaint.demands = Demand::ALL
                        .into_iter()
                        .filter(|x| if x.key() == v { on } else { chosen.contains(x) })
                        .collect();
                });
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
        <TextInput
            field="complaint.contact"
            label_key="complaint.contact"
            hint_key="complaint.contact_hint"
            maxlength=refund_api::CONTACT_MAX_CHARS as u32
            value=Signal::derive(move || d.with(|d| d.complaint.contact.clone()))
            on_input=Callback::new(move |v| ctx.edit("complaint.contact", |d| d.complaint.contact = v))
        />
    }
}
