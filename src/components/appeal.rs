//! The appeal form: a reason from the list, a statement with questions that help write
//! it, supplemental evidence (the categories the decision found weak first) with upload
//! progress, a review of what will be sent, and the submission. Every change is saved on
//! this device at once, and the idempotency key travels with the draft, so a resend after
//! a dropped connection counts once.

mod evidence;

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use refund_api::{AppealReason, CaseDetail, CaseKind, DecisionRound, Outcome, RejectReason};

use crate::api::{self, ApiError};
use crate::appeal_draft::{self, AppealDraft, prompted_categories};
use crate::components::error_view::ErrorNotice;
use crate::i18n::{keys, t, tf, tr};

use evidence::SupplementalEvidence;

fn reason_key(reason: AppealReason) -> String {
    format!("appeal.reason.{}", reason.key())
}

/// Why the first decision rejected the claim, if it did: its categories are asked first.
#[must_use]
pub fn rejected_for(case: &CaseDetail) -> Option<RejectReason> {
    case.decisions
        .iter()
        .rev()
        .find(|d| d.round == DecisionRound::First && d.outcome == Outcome::Reject)
        .and_then(|d| d.reason)
}

#[component]
pub fn AppealForm(
    /// The decided case.
    case_no: String,
    /// Its kind (which evidence categories apply).
    kind: CaseKind,
    /// Why the first decision rejected the claim, if it did.
    rejected_for: Option<RejectReason>,
) -> impl IntoView {
    let mut initial = appeal_draft::load(&case_no).unwrap_or_default();
    if initial.idempotency_key.is_empty() {
        initial.idempotency_key = crate::components::wizard::new_idempotency_key();
    }
    let draft = RwSignal::new(initial);
    let saved_no = case_no.clone();
    Effect::new(move |_| draft.with(|d| appeal_draft::save(&saved_no, d)));
    let categories = prompted_categories(kind, rejected_for);
    let problem = RwSignal::new(None::<&'static str>);
    let reviewing = RwSignal::new(false);
    let navigate = use_navigate();
    let submit_no = case_no.clone();
    let action = Action::new_local(move |(key, request): &(String, refund_api::AppealRequest)| {
        let (no, key, request) = (submit_no.clone(), key.clone(), request.clone());
        async move { api::appeal(&no, &key, &request).await }
    });
    let done_no = case_no;
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            appeal_draft::clear(&done_no);
            navigate(&format!("/cases/{}", api::encode(&done_no)), Default::default());
        }
    });
    let pending = action.pending();
    let review = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match draft.with_untracked(AppealDraft::request) {
            Ok(_) => {
                problem.set(None);
                reviewing.set(true);
            }
            Err(key) => problem.set(Some(key)),
        }
    };
    let send = move |_| {
        if pending.get_untracked() {
            return;
        }
        if let Ok(request) = draft.with_untracked(AppealDraft::request) {
            action.dispatch_local((draft.with_untracked(|d| d.idempotency_key.clone()), request));
        }
    };
    let reasons = AppealReason::ALL
        .iter()
        .map(|r| {
            let r = *r;
            view! {
                <label class="choice" for=format!("appeal-reason-{}", r.key())>
                    <input type="radio" name="appeal-reason" value=r.key() id=format!("appeal-reason-{}", r.key())
                        prop:checked=move || draft.with(|d| d.reason == Some(r))
                        on:change=move |_| { draft.update(|d| d.reason = Some(r)); reviewing.set(false); } />
                    <span>{t(reason_key(r))}</span>
                </label>
            }
        })
        .collect_view();
    let limits = (
        refund_api::APPEAL_STATEMENT_MIN_CHARS.to_string(),
        refund_api::APPEAL_STATEMENT_MAX_CHARS.to_string(),
    );
    view! {
        <form class="case-form" on:submit=review>
            <fieldset class="field choices" role="radiogroup">
                <legend>{t("appeal.reason")}</legend>
                {reasons}
            </fieldset>
            <div class="field">
                <label for="appeal-statement">{t("appeal.statement")}</label>
                <ul id="appeal-prompts" class="hint bullets">
                    <li>{t("appeal.prompt.wrong")}</li>
                    <li>{t("appeal.prompt.new")}</li>
                    <li>{t("appeal.prompt.want")}</li>
                </ul>
                <textarea id="appeal-statement" rows="6" maxlength=refund_api::APPEAL_STATEMENT_MAX_CHARS
                    aria-describedby="appeal-prompts appeal-limits"
                    prop:value=move || draft.with(|d| d.statement.clone())
                    on:input=move |ev| { draft.update(|d| d.statement = event_target_value(&ev)); reviewing.set(false); }></textarea>
                <p id="appeal-limits" class="hint">
                    {move || tf("appeal.statement_hint", &[("min", &limits.0), ("max", &limits.1)])}
                </p>
            </div>
            <SupplementalEvidence draft categories />
            {move || problem.get().map(|key| {
                let (min, max) = (refund_api::APPEAL_STATEMENT_MIN_CHARS.to_string(), refund_api::APPEAL_STATEMENT_MAX_CHARS.to_string());
                view! { <p class="field-error" role="alert">{tf(key, &[("min", &min), ("max", &max)])}</p> }
            })}
            <p class="hint">{t("appeal.draft_saved")}</p>
            <button type="submit" class="button">{t("appeal.review")}</button>
        </form>
        {move || reviewing.get().then(|| {
            let d = draft.get();
            let files = d.evidence.iter().map(|e| view! { <li>{tr(&keys::category(e.category, None))} " · " {e.file_name.clone()}</li> }).collect_view();
            view! {
                <section class="notice confirm" aria-labelledby="appeal-review">
                    <h2 id="appeal-review">{t("appeal.review")}</h2>
                    <p><strong>{t("appeal.reason")}</strong> " " {d.reason.map(|r| tr(&reason_key(r)))}</p>
                    <p class="narrative">{d.statement.trim().to_owned()}</p>
                    <ul class="bullets">{files}</ul>
                    <button type="button" class="button primary" disabled=move || pending.get() on:click=send>
                        {t("appeal.submit")}
                    </button>
                </section>
            }
        })}
        {move || action.value().get().and_then(Result::err).map(|error: ApiError| view! { <ErrorNotice error /> })}
    }
}
