//! `/cases/:no`: one of my cases, live, with the way back to the list; right after
//! submitting (`?submitted=<due date>`), a confirmation of what happens next.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::CaseSource;
use crate::components::case_view::CaseView;
use crate::components::dated::Dated;
use crate::i18n::{t, tf, use_page_title};

/// Right after submitting: it went through, its number, what happens next and by when,
/// who will be in touch and how (by phone or by email, as given), and how money comes
/// back when money was asked for.
#[component]
fn Submitted(case_no: String, due: String, by_email: bool, money: bool) -> impl IntoView {
    let heading = NodeRef::<leptos::html::H2>::new();
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
    view! {
        <section class="notice notice-success submitted" aria-labelledby="submitted-title">
            <h2 id="submitted-title" tabindex="-1" node_ref=heading>{t("submitted.title")}</h2>
            <p>{move || tf("submitted.number", &[("case_no", &case_no)])}</p>
            <ul class="bullets">
                <li><Dated key="submitted.next" date=due.clone() iso=due /></li>
                <li>{t(if by_email { "submitted.contact_email" } else { "submitted.contact" })}</li>
                {money.then(|| view! { <li>{t("submitted.money")}</li> })}
            </ul>
        </section>
    }
}

#[component]
pub fn CasePage() -> impl IntoView {
    use_page_title("case.title");
    let params = use_params_map();
    let case_no = move || params.with(|p| p.get("no").unwrap_or_default());
    let query = use_query_map();
    view! {
        // A way back to the list, whether the case loads or turns out not to be theirs.
        <p class="back-link"><a href="/cases">{t("case.back_to_cases")}</a></p>
        <h1>{t("case.title")} " " <span class="case-no">{case_no}</span></h1>
        <p class="lead">{t("case.lead")}</p>
        {move || {
            query.with(|q| {
                let by_email = q.get_str("reach") == Some("email");
                let money = q.get_str("money") != Some("0");
                q.get("submitted").map(|due| view! { <Submitted case_no=case_no() due by_email money /> })
            })
        }}
        {move || view! { <CaseView source=CaseSource::Session { case_no: case_no() } /> }}
    }
}
