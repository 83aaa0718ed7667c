//! What the player may still do about a decision, and until when: appeal it (a link to
//! the appeal page), or, after the appeal decision, ask the platform (asked once more
//! before it is sent, since the platform's decision is final).

use leptos::prelude::*;
use refund_api::{NextStep, NextStepKind};

use crate::api::{self, ApiError};
use crate::components::dated::Dated;
use crate::components::error_view::ErrorNotice;
use crate::format;
use crate::i18n::t;

#[component]
pub fn NextStepBox(
    /// The case.
    case_no: String,
    /// The open step.
    step: NextStep,
    /// Loads the case again after the player asked the platform.
    on_done: Callback<()>,
) -> impl IntoView {
    let (until, iso) = (format::date_time(&step.until), format::iso(&step.until));
    match step.kind {
        NextStepKind::Appeal => {
            let href = format!("/cases/{}/appeal", api::encode(&case_no));
            view! {
                <section class="next-step" aria-labelledby="next-step">
                    <h2 id="next-step">{t("next.title")}</h2>
                    <Dated key="next.appeal_until" date=until iso />
                    <a class="button" href=href>{t("next.appeal")}</a>
                </section>
            }
            .into_any()
        }
        NextStepKind::Escalate => {
            let confirming = RwSignal::new(false);
            let action = Action::new_local(move |no: &String| {
                let no = no.clone();
                async move { api::escalate(&no).await }
            });
            Effect::new(move |_| {
                if let Some(Ok(_)) = action.value().get() {
                    on_done.run(());
                }
            });
            let pending = action.pending();
            let ask = move |_| {
                if !pending.get_untracked() {
                    action.dispatch_local(case_no.clone());
                }
            };
            view! {
                <section class="next-step" aria-labelledby="next-step">
                    <h2 id="next-step">{t("next.title")}</h2>
                    <Dated key="next.escalate_until" date=until iso />
                    {move || if confirming.get() {
                        view! {
                            <p><strong>{t("next.escalate_confirm")}</strong></p>
                            <button type="button" class="button primary" disabled=move || pending.get() on:click=ask.clone()>
                                {t("next.escalate_yes")}
                            </button>
                        }.into_any()
                    } else {
                        view! {
                            <button type="button" class="button" on:click=move |_| confirming.set(true)>
                                {t("next.escalate")}
                            </button>
                        }.into_any()
                    }}
                    {move || action.value().get().and_then(Result::err).map(|error: ApiError| view! { <ErrorNotice error /> })}
                </section>
            }
            .into_any()
        }
    }
}
