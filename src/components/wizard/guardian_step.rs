//! Step "guardian and child": who applies, how to reach them, and the child's birth month,
//! with the child's age at each chosen purchase.

use leptos::prelude::*;
use refund_api::{Relation, YearMonth};

use super::FormCtx;
use super::fields::{Choice, FieldErrorText, SelectInput, TextInput};
use super::progress::StepHeading;
use crate::form::{Step, input_id};
use crate::format::{self, age_at};
use crate::i18n::{keys, t, tf, tr};

/// Birth years offered: anyone who could have been a minor at a purchase this year or earlier.
const YEARS_BACK: i32 = 25;

/// The child's age at each chosen order, once the birth month is known.
#[component]
fn AgesAtPurchase() -> impl IntoView {
    let ctx = FormCtx::get();
    let rows = move || {
        let (birth, chosen) = ctx.draft.with(|d| {
            let birth = d
                .guardian
                .birth_year
                .zip(d.guardian.birth_month)
                .map(|(year, month)| YearMonth { year, month });
            (birth, d.order_nos.clone())
        });
        let birth = birth?;
        let orders = ctx.orders.get_value();
        let items = orders
            .into_iter()
            .filter(|o| chosen.contains(&o.order_no))
            .map(|o| {
                let age = age_at(birth, &o.paid_at);
                let text = match age {
                    Some(a) if a.is_minor() => tf("guardian.age_at", &[("age", &a.label())]),
                    Some(a) => tf("guardian.age_adult", &[("age", &a.label())]),
                    None => tr("guardian.age_unborn"),
                };
                let warn = !age.is_some_and(|a| a.is_minor());
                view! {
                    <li class:warn=warn>
                        <span>{o.item} " " {format::date_time(&o.paid_at)}</span>
                        <strong>{text}</strong>
                    </li>
                }
            })
            .collect_view();
        Some(view! {
            <section class="ages" aria-labelledby="ages-title">
                <h3 id="ages-title">{t("guardian.ages_title")}</h3>
                <ul>{items}</ul>
            </section>
        })
    };
    view! { <div aria-live="polite">{rows}</div> }
}

#[component]
pub fn GuardianStep() -> impl IntoView {
    let ctx = FormCtx::get();
    let d = ctx.draft;
    let relation_choices = Relation::ALL
        .iter()
        .map(|r| Choice::translated(r.key().to_owned(), keys::relation(*r)))
        .collect();
    let years = (0..=YEARS_BACK)
        .map(|back| Choice::plain((ctx.this_year - back).to_string()))
        .collect();
    let months = (1..=12).map(|m| Choice::plain(m.to_string())).collect();
    let birth_id = input_id("guardian.minor_birth");
    view! {
        <StepHeading step=Step::Guardian />
        <p class="hint">{t("guardian.intro")}</p>
        <SelectInput
            field="guardian.relation"
            label_key="guardian.relation"
            choices=relation_choices
            value=Signal::derive(move || d.with(|d| d.guardian.relation.map(|r| r.key().to_owned()).unwrap_or_default()))
            on_change=Callback::new(move |v: String| {
                let relation = Relation::ALL.into_iter().find(|r| r.key() == v);
                ctx.edit("guardian.relation", |d| d.guardian.relation = relation);
            })
        />
        <TextInput
            field="guardian.name"
            label_key="guardian.name"
            autocomplete="name"
            maxlength=40
            value=Signal::derive(move || d.with(|d| d.guardian.name.clone()))
            on_input=Callback::new(move |v| ctx.edit("guardian.name", |d| d.guardian.name = v))
        />
        <TextInput
            field="guardian.phone"
            label_key="guardian.phone"
            hint_key="guardian.phone_hint"
            input_type="tel"
            autocomplete="tel-national"
            inputmode="tel"
            maxlength=20
            value=Signal::derive(move || d.with(|d| d.guardian.phone.clone()))
            on_input=Callback::new(move |v| ctx.edit("guardian.phone", |d| d.guardian.phone = v))
        />
        <fieldset class="field birth" aria-describedby=crate::form::error_id("guardian.minor_birth")>
            <legend>{t("guardian.minor_birth")}</legend>
            <div class="row">
                <SelectInput
                    field="guardian.minor_birth"
                    id=birth_id.clone()
                    label_key="guardian.birth_year"
                    choices=years
                    show_error=false
                    value=Signal::derive(move || d.with(|d| d.guardian.birth_year.map(|y| y.to_string()).unwrap_or_default()))
                    on_change=Callback::new(move |v: String| {
                        ctx.edit("guardian.minor_birth", |d| d.guardian.birth_year = v.parse().ok());
                    })
                />
                <SelectInput
                    field="guardian.minor_birth"
                    id=format!("{birth_id}-month")
                    label_key="guardian.birth_month"
                    choices=months
                    show_error=false
                    value=Signal::derive(move || d.with(|d| d.guardian.birth_month.map(|m| m.to_string()).unwrap_or_default()))
                    on_change=Callback::new(move |v: String| {
                        ctx.edit("guardian.minor_birth", |d| d.guardian.birth_month = v.parse().ok());
                    })
                />
            </div>
            <FieldErrorText field="guardian.minor_birth" />
        </fieldset>
        <AgesAtPurchase />
    }
}
