//! Withdrawing a case: a button, then a confirmation with an optional reason, styled as
//! the destructive step it is and keeping the keyboard inside it until answered.

use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::components::error_view::ErrorNotice;
use crate::components::focus::confirmation_focus;
use crate::i18n::t;

/// Offered to the player while the case is open; `on_done` runs after the server agreed.
#[component]
pub fn Withdraw(
    /// The case to withdraw.
    case_no: String,
    /// Called once the case is withdrawn (to reload it).
    on_done: Callback<()>,
) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let panel = NodeRef::<leptos::html::Div>::new();
    let opener = NodeRef::<leptos::html::Button>::new();
    let on_key = confirmation_focus(confirming, panel, opener);
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
        }
    });
    let pending = action.pending();
    let error = move || action.value().get().and_then(Result::err);
    let confirm = move |_| {
        if !pending.get_untracked() {
            action.dispatch_local((case_no.clone(), reason.get_untracked()));
        }
    };
    view! {
        <section class="withdraw" aria-labelledby="withdraw-title">
            <h2 id="withdraw-title" class="visually-hidden">{t("withdraw.title")}</h2>
            {move || {
                if confirming.get() {
                    view! {
                        <div class="notice notice-danger" role="group" aria-labelledby="withdraw-question"
                            node_ref=panel on:keydown=on_key>
                            <p id="withdraw-question" class="notice-title">{t("withdraw.question")}</p>
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
                            <div class="row">
                                <button
                                    type="button"
                                    class="button danger"
                                    disabled=move || pending.get()
                                    on:click=confirm.clone()
                                >
                                    {t("withdraw.confirm")}
                                </button>
                                <button type="button" class="button secondary" on:click=move |_| confirming.set(false)>
                                    {t("withdraw.cancel")}
                                </button>
                            </div>
                        </div>
                    }
                    .into_any()
                } else {
                    view! {
                        <button type="button" class="button secondary" node_ref=opener on:click=move |_| confirming.set(true)>
                            {t("withdraw.button")}
                        </button>
                    }
                    .into_any()
                }
            }}
            {move || error().map(|error: ApiError| view! { <ErrorNotice error /> })}
        </section>
    }
}
