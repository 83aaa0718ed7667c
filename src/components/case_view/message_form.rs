//! Writing on a case's message thread, from the case page or the console: the message
//! becomes a timeline entry, and the other side is notified.

use leptos::prelude::*;
use refund_api::MESSAGE_MAX_CHARS;

use crate::api::{self, ApiError, Side};
use crate::components::error_view::ErrorNotice;
use crate::i18n::{t, tf};

/// The id of the message's text box.
pub const TEXT_ID: &str = "message-text";

/// Offered while the case is open; `on_sent` runs after the server took it.
#[component]
pub fn MessageForm(
    /// The case to write on.
    case_no: String,
    /// Who writes: the player or the developer.
    side: Side,
    /// Translation keys of the form's heading and hint (each app words its own).
    #[prop(default = ("message.title", "message.hint"))]
    words: (&'static str, &'static str),
    /// Called once the message is stored (to reload the case).
    on_sent: Callback<()>,
    /// Where the text being written is kept, when it must outlive this form (the case
    /// page draws the form again on every change of the case).
    #[prop(optional)]
    text: Option<RwSignal<String>>,
) -> impl IntoView {
    let text = text.unwrap_or_else(|| RwSignal::new(String::new()));
    let action = Action::new_local(move |(no, text): &(String, String)| {
        let (no, text) = (no.clone(), text.clone());
        async move { api::send_message(side, &no, &text).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            text.set(String::new());
            on_sent.run(());
        }
    });
    let pending = action.pending();
    // An empty message is not sent, and says so (a button that does nothing looks broken).
    let empty = RwSignal::new(false);
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = text.get_untracked().trim().to_owned();
        empty.set(body.is_empty());
        if body.is_empty() {
            crate::components::focus::focus_later(TEXT_ID.to_owned());
        } else if !pending.get_untracked() {
            action.dispatch_local((case_no.clone(), body));
        }
    };
    let max = MESSAGE_MAX_CHARS.to_string();
    view! {
        <section aria-labelledby="message-title" class="message-form">
            <h2 id="message-title">{t(words.0)}</h2>
            <form on:submit=send>
                <div class="field">
                    <label for=TEXT_ID>{t("message.label")}</label>
                    <p id="message-hint" class="hint">{move || tf(words.1, &[("max", &max)])}</p>
                    <textarea
                        id=TEXT_ID
                        rows="3"
                        maxlength=MESSAGE_MAX_CHARS
                        aria-describedby="message-hint message-error"
                        aria-invalid=move || if empty.get() { "true" } else { "false" }
                        prop:value=move || text.get()
                        on:input=move |ev| {
                            empty.set(false);
                            text.set(event_target_value(&ev));
                        }
                    ></textarea>
                    <p id="message-error" class="field-error">{move || empty.get().then(|| t("message.empty")())}</p>
                </div>
                <button type="submit" class="button primary" disabled=move || pending.get()>
                    {t("message.send")}
                </button>
            </form>
            {move || action.value().get().and_then(Result::err).map(|error: ApiError| view! { <ErrorNotice error /> })}
        </section>
    }
}
