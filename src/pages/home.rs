//! `/`: what the service is, who may apply, what to prepare, the deadlines, where to start.

use leptos::prelude::*;
use refund_api::{CaseKind, EvidenceCategory};

use crate::api;
use crate::components::how_it_works::HowItWorks;
use crate::draft::Draft;
use crate::i18n::{keys, t, tf, use_page_title};

/// A neutral welcome naming the game when the page was opened from one; nothing otherwise.
/// (The parent is greeted, not the child's game nickname.)
#[component]
fn Greeting() -> impl IntoView {
    let session = LocalResource::new(api::session);
    move || {
        session.get().and_then(Result::ok).map(|s| {
            view! {
                <p class="greeting">
                    {move || tf("home.greeting", &[("game", &s.game_name)])}
                </p>
            }
        })
    }
}

/// A saved, unsent application of this game, offered to be continued where it was left.
#[component]
fn SavedDrafts(session: refund_api::SessionView) -> impl IntoView {
    [(CaseKind::MinorRefund, "/apply"), (CaseKind::Complaint, "/complaint")]
        .into_iter()
        .filter_map(|(kind, page)| {
            let draft = crate::storage::load_draft(&Draft::storage_key(kind, &session.appid), kind)?;
            draft.is_started().then(|| {
                let step = (draft.step + 1).to_string();
                let href = format!("{page}?step={step}");
                view! {
                    <div class="notice" role="region" aria-labelledby=format!("draft-{}", kind.key())>
                        <p class="notice-title" id=format!("draft-{}", kind.key())>
                            {move || tf("home.draft_saved", &[("step", &step)])}
                        </p>
                        <p>{t(keys::kind(kind))}</p>
                        <a class="button primary" href=href>{t("home.draft_continue")}</a>
                    </div>
                }
            })
        })
        .collect_view()
}

#[component]
pub fn Home() -> impl IntoView {
    use_page_title("home.title");
    // The deadlines as this server has them, once the session says; the defaults until then.
    let session = LocalResource::new(api::session);
    let days = move |pick: fn(&refund_api::SessionView) -> u32, default: u32| {
        session.get().and_then(Result::ok).map_or(default, |s| pick(&s))
    };
    let refund_days = move || days(|s| s.minor_refund_due_days, refund_api::DEFAULT_MINOR_REFUND_DUE_DAYS);
    let complaint_days = move || days(|s| s.complaint_due_days, refund_api::DEFAULT_COMPLAINT_DUE_DAYS);
    let prepare = EvidenceCategory::for_kind(CaseKind::MinorRefund)
        .iter()
        .map(|c| {
            let required = c.is_required_for(CaseKind::MinorRefund);
            view! {
                <li>
                    <strong>{t(keys::category(*c, None))}</strong>
                    <span class=if required { "tag required" } else { "tag" }>
                        {t(if required { "ev.required" } else { "ev.optional" })}
                    </span>
                    <p class="muted">{t(keys::category(*c, Some("what")))}</p>
                </li>
            }
        })
        .collect_view();
    let drafts = move || {
        session
            .get()
            .and_then(Result::ok)
            .map(|session| view! { <SavedDrafts session /> })
    };
    view! {
        <h1>{t("home.title")}</h1>
        <Greeting />
        {drafts}
        <p class="lead">{t("home.lead")}</p>
        <div class="actions">
            <a href="/apply" class="button primary">{t("home.cta_apply")}</a>
            <a href="/complaint" class="button secondary">{t("home.cta_complaint")}</a>
            <a href="/cases" class="button secondary">{t("home.cta_cases")}</a>
        </div>
        <section aria-labelledby="how">
            <h2 id="how">{t("home.how")}</h2>
            <HowItWorks />
        </section>
        <section aria-labelledby="who">
            <h2 id="who">{t("home.who")}</h2>
            <ul class="bullets">
                <li>{t("home.who_guardian")}</li>
                <li>{t("home.who_complaint")}</li>
            </ul>
        </section>
        <section aria-labelledby="prepare">
            <h2 id="prepare">{t("home.prepare")}</h2>
            <p>{t("home.prepare_intro")}</p>
            <ul class="prepare">
                {prepare}
                <li>
                    <strong>{t("home.prepare_story")}</strong>
                    <span class="tag required">{t("ev.required")}</span>
                    <p class="muted">{t("home.prepare_story_note")}</p>
                </li>
            </ul>
        </section>
        <section aria-labelledby="deadlines">
            <h2 id="deadlines">{t("home.deadlines")}</h2>
            <ul class="bullets">
                <li>{move || tf("home.deadline_first", &[("n", &refund_days().to_string())])}</li>
                <li>{move || tf("home.deadline_complaint", &[("n", &complaint_days().to_string())])}</li>
                <li>{t("home.deadline_appeal")}</li>
                <li>{t("home.deadline_platform")}</li>
                <li>{t("home.deadline_working_days")}</li>
            </ul>
            <p><a href="/help">{t("help.title")}</a></p>
        </section>
    }
}
