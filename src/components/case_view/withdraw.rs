//! Withdrawing a case: a button, then a confirmation with an optional reason, styled as
//! the destructive step it is and keeping the keyboard inside it until answered.

use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::components::confirmation::{ConfirmWords, Confirmation};
use crate::components::error_view::ErrorNotice;
use crate::i18n::t;

/// Offered to the player until the case's first decision (after it, the player accepts
/// or appeals); `on_done` runs after the server agreed.
#[component]
pub fn Withdraw(
    /// The case to withdraw.
    case_no: String,
    /// Called once the case is withdrawn (to reload it).
    on_done: Callback<()>,
) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let action = Action::new_local(move |(no, reason): &(String, String)| {
        let no = no.clone();
        let reason = Some(reason.trim().to_owned()).filter(|r| !r.is_empty());
        async move { api::withdraw(&no, reason).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            confirming.set(false);
            on_done.run(());
            // The button is gone with the open case: the reader lands on the case's state.
            crate::components::focus::focus_later(super::STATE_HEADING_ID.to_owned());
        }
    });
    let pending = action.pending();
    let error = move || action.value().get().and_then(Result::err);
    let on_confirm = Callback::new(move |()| {
        action.dispatch_local((case_no.clone(), reason.get_untracked()));
    });
    let words = ConfirmWords {
        opener: "withdraw.button",
        question: "withdraw.question",
        confirm: "withdraw.confirm",
        cancel: "withdraw.cancel",
    };
    view! {
        <section class="withdraw" aria-labelledby="withdraw-title">
            <h2 id="withdraw-title" class="visually-hidden">{t("withdraw.title")}</h2>
            <Confirmation open=confirming words question_id="withdraw-question" pending on_confirm>
                <p>{t("withdraw.effect")}</p>
                <div class="field">
                    <label for="withdraw-reason">{t("withdraw.reason")}</label>
                    <textarea
                        id="withdraw-reason"
                        rows="3"
                        maxlength="500"
                        prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target_value(&ev))
                    ></textarea>
                </div>
            </Confirmation>
            {move || error().map(|error: ApiError| view! { <ErrorNotice error /> })}
        </section>
    }
}
