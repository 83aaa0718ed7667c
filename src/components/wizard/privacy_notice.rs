//! The privacy notice of the evidence step: who sees the identity documents, for what,
//! for how long, and the explicit consent asked for before the first one is uploaded.
//!
//! Policy: consent is a deliberate press of a button, recorded by the server (which refuses
//! identity uploads without it); the identity pickers stay disabled until then. When the
//! form is left with identity files missing and no consent, the button is what is marked
//! invalid, so focus lands on it first.

use leptos::prelude::*;
use leptos::task::spawn_local;
use refund_api::EvidenceCategory;

use super::FormCtx;
use crate::api::{self, ApiError};
use crate::components::error_view::ErrorNotice;
use crate::i18n::{t, tf};

/// The id of the notice, which the locked pickers point to.
pub const PRIVACY_ID: &str = "privacy-notice";
const AGREED_ID: &str = "privacy-agreed";

/// Whether a missing identity category is what the current errors are about.
fn identity_missing(ctx: FormCtx) -> bool {
    ctx.errors.with(|errors| {
        errors.keys().any(|field| {
            field
                .strip_prefix("evidence.")
                .and_then(EvidenceCategory::from_key)
                .is_some_and(EvidenceCategory::is_identity)
        })
    })
}

#[component]
pub fn PrivacyNotice() -> impl IntoView {
    let ctx = FormCtx::get();
    let days = ctx.session.with_value(|s| s.retention_days).to_string();
    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    let agree = move |_| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        failure.set(None);
        spawn_local(async move {
            match api::privacy_consent().await {
                Ok(()) => {
                    ctx.consented.set(true);
                    super::upload_list::resend_after_consent(ctx);
                    // The button is gone: keep the reader's place on the sentence replacing it.
                    crate::components::focus::focus_later(AGREED_ID.to_owned());
                }
                Err(e) => failure.set(Some(e)),
            }
            pending.set(false);
        });
    };
    let invalid = move || {
        if !ctx.consented.get() && identity_missing(ctx) {
            "true"
        } else {
            "false"
        }
    };
    view! {
        <section class="privacy" id=PRIVACY_ID aria-labelledby="privacy-title">
            <h3 id="privacy-title">{t("privacy.title")}</h3>
            // Once agreed to, the notice folds away behind its title (it can be read again).
            <details class="privacy-text" prop:open=move || !ctx.consented.get()>
                <summary>{t("privacy.read")}</summary>
                <ul class="bullets">
                    <li>{t("privacy.who")}</li>
                    <li>{move || tf("privacy.how_long", &[("days", &days)])}</li>
                    <li>{t("privacy.cover")}</li>
                    <li>{t("privacy.rights")}</li>
                </ul>
            </details>
            {move || {
                if ctx.consented.get() {
                    view! { <p class="ok" id=AGREED_ID tabindex="-1" role="status">{t("privacy.agreed")}</p> }.into_any()
                } else {
                    view! {
                        <button
                            type="button"
                            class="button"
                            aria-invalid=invalid
                            aria-describedby="privacy-title privacy-error"
                            disabled=move || pending.get()
                            on:click=agree
                        >
                            {t("privacy.agree")}
                        </button>
                        // Said in words, not only by the button's red outline.
                        <p class="field-error" id="privacy-error">
                            {move || (invalid() == "true").then(|| t("error.privacy_consent_required")())}
                        </p>
                    }
                        .into_any()
                }
            }}
            {move || failure.get().map(|error| view! { <ErrorNotice error /> })}
        </section>
    }
}
