//! `/help`: where to turn, what to prepare, how long each step takes and what a working
//! day is, what happens when a developer is late, how developers' credit works, and
//! answers to the common questions.

use leptos::prelude::*;

use crate::i18n::{t, use_page_title};

/// A section of bullet points, each a translation key.
fn points(id: &'static str, title: &'static str, items: &'static [&'static str]) -> impl IntoView {
    let items = items.iter().map(|key| view! { <li>{t(*key)}</li> }).collect_view();
    view! {
        <section aria-labelledby=id>
            <h2 id=id>{t(title)}</h2>
            <ul class="bullets">{items}</ul>
        </section>
    }
}

/// The common questions, each opening to its answer: `(question, answer)` keys.
const FAQ: [(&str, &str); 4] = [
    ("help.faq.no_service.q", "help.faq.no_service.a"),
    ("help.faq.how_long.q", "help.faq.how_long.a"),
    ("help.faq.handled.q", "help.faq.handled.a"),
    ("help.faq.unsatisfied.q", "help.faq.unsatisfied.a"),
];

#[component]
pub fn Help() -> impl IntoView {
    use_page_title("help.title");
    let faq = FAQ
        .iter()
        .map(|(q, a)| {
            view! {
                <details class="faq">
                    <summary>{t(*q)}</summary>
                    <p>{t(*a)}</p>
                </details>
            }
        })
        .collect_view();
    view! {
        <h1>{t("help.title")}</h1>
        <p class="lead">{t("help.lead")}</p>
        {points("help-ways", "help.ways", &["help.ways.here", "help.ways.developer", "help.ways.platform", "help.ways.outside"])}
        {points("help-prepare", "help.prepare", &["help.prepare.refund", "help.prepare.complaint", "help.prepare.tips"])}
        {points("help-time", "help.time", &["help.time.first", "help.time.appeal", "help.time.platform", "help.time.working_day"])}
        {points("help-late", "help.late", &["help.late.first", "help.late.appeal"])}
        {points("help-credit", "help.credit", &["help.credit.start", "help.credit.late_first", "help.credit.late_appeal", "help.credit.overruled", "help.credit.back"])}
        {points("help-force-majeure", "help.force_majeure", &["help.force_majeure.what", "help.force_majeure.accepted", "help.force_majeure.rejected"])}
        <section aria-labelledby="help-faq">
            <h2 id="help-faq">{t("help.faq")}</h2>
            {faq}
        </section>
        <p><a href="/apply" class="button primary">{t("home.cta_apply")}</a></p>
    }
}
