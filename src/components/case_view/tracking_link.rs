//! The tracking link of a case: a URL to open it in any browser without the game's session.
//!
//! The key is shown once by the server, so this device remembers it; a lost key can only
//! be replaced (which stops old links working, so replacing one asks first).

use leptos::prelude::*;
use refund_api::TrackingKey;

use crate::api::{self, ApiError, encode};
use crate::components::confirmation::{ConfirmWords, Confirmation};
use crate::components::error_view::ErrorNotice;
use crate::i18n::t;
use crate::storage;
use wasm_bindgen::JsCast;

fn link(case_no: &str, key: &str) -> String {
    let origin = window().location().origin().unwrap_or_default();
    format!("{origin}/track/{}#key={}", encode(case_no), encode(key))
}

/// Copies with the async Clipboard API where the page is a secure context, else with the
/// older select-and-copy command (the web view may serve plain HTTP).
fn copy(text: &str, copied: RwSignal<bool>) {
    let navigator = window().navigator();
    let has_clipboard =
        js_sys::Reflect::get(&navigator, &"clipboard".into()).is_ok_and(|c| !c.is_undefined() && !c.is_null());
    if has_clipboard {
        let promise = navigator.clipboard().write_text(text);
        leptos::task::spawn_local(async move {
            copied.set(wasm_bindgen_futures::JsFuture::from(promise).await.is_ok());
        });
        return;
    }
    let input = document()
        .get_element_by_id(URL_INPUT_ID)
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok());
    let html = document().dyn_into::<web_sys::HtmlDocument>().ok();
    if let (Some(input), Some(html)) = (input, html) {
        input.select();
        copied.set(html.exec_command("copy").unwrap_or(false));
    }
}

const URL_INPUT_ID: &str = "tracking-url";

#[component]
pub fn TrackingLink(
    /// The case to link to.
    case_no: String,
) -> impl IntoView {
    let key = RwSignal::new(storage::tracking_key(&case_no));
    let copied = RwSignal::new(false);
    // Set once a link replaced an earlier one, so the page can say the old one is dead.
    let replaced = RwSignal::new(false);
    let no = case_no.clone();
    let create = Action::new_local(move |(): &()| {
        let no = no.clone();
        async move { api::new_tracking_key(&no).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(TrackingKey { case_no, tracking_key })) = create.value().get() {
            storage::save_tracking_key(&case_no, &tracking_key);
            replaced.set(key.get_untracked().is_some());
            copied.set(false);
            key.set(Some(tracking_key));
        }
    });
    let error = move || create.value().get().and_then(Result::err);
    let url = Memo::new(move |_| key.get().map(|k| link(&case_no, &k)));
    // The box is built once a key exists and kept while the key is replaced, so focus stays
    // on the button and the status line is a live region that already exists when it speaks.
    let has_key = Memo::new(move |_| key.with(Option::is_some));
    // Making the first link and replacing it are the same request; replacing asks first.
    let confirming = RwSignal::new(false);
    let send = move || {
        confirming.set(false);
        create.dispatch_local(());
    };
    let pending = Signal::derive(move || create.pending().get());
    let words = ConfirmWords {
        opener: "track.replace",
        question: "track.replace_question",
        confirm: "track.replace_confirm",
        cancel: "track.replace_cancel",
    };
    view! {
        <section class="tracking" aria-labelledby="tracking-title">
            <h2 id="tracking-title">{t("track.link_title")}</h2>
            <p class="hint">{t("track.link_hint")}</p>
            {move || if has_key.get() {
                    view! {
                        <div class="field">
                            <label for=URL_INPUT_ID>{t("track.link_label")}</label>
                            <input id=URL_INPUT_ID type="url" readonly prop:value=move || url.get().unwrap_or_default() />
                        </div>
                        <button
                            type="button"
                            class="button secondary"
                            on:click=move |_| {
                                if let Some(text) = url.get_untracked() {
                                    copy(&text, copied);
                                }
                            }
                        >
                            {t("track.copy")}
                        </button>
                        <Confirmation open=confirming words question_id="replace-question" pending
                            on_confirm=Callback::new(move |()| send()) />
                        <p class="hint">{t("track.replace_hint")}</p>
                        <p role="status" class="muted">
                            {move || {
                                if replaced.get() {
                                    Some(t("track.replaced")())
                                } else {
                                    copied.get().then(|| t("track.copied")())
                                }
                            }}
                        </p>
                    }
                        .into_any()
                } else {
                    view! {
                        <p class="hint">{t("track.create_hint")}</p>
                        <button type="button" class="button secondary" disabled=pending on:click=move |_| send()>
                            {t("track.create")}
                        </button>
                    }
                    .into_any()
                }}
            {move || error().map(|error: ApiError| view! { <ErrorNotice error /> })}
        </section>
    }
}
