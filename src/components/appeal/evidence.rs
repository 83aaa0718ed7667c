//! Supplemental evidence for an appeal: one file picker per category (those the decision
//! found weak first), a progress bar while a file goes up, and the files already added.

use leptos::prelude::*;
use refund_api::EvidenceCategory;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;

use crate::api::{self, ApiError};
use crate::appeal_draft::AppealDraft;
use crate::components::error_view::error_text;
use crate::format;
use crate::i18n::{keys, t, tf, tr};

/// Sends `file` as `category`, showing progress, and adds it to the draft once stored.
fn send(
    draft: RwSignal<AppealDraft>,
    progress: RwSignal<Option<f64>>,
    error: RwSignal<Option<ApiError>>,
    category: EvidenceCategory,
    file: web_sys::File,
) {
    let file = SendWrapper::new(file);
    progress.set(Some(0.0));
    error.set(None);
    leptos::task::spawn_local(async move {
        let stored = api::upload_evidence(category, &file, move |f| progress.set(Some(f))).await;
        progress.set(None);
        match stored {
            Ok(view) => draft.update(|d| d.evidence.push(view)),
            Err(e) => error.set(Some(e)),
        }
    });
}

#[component]
pub fn SupplementalEvidence(
    /// The appeal being written.
    draft: RwSignal<AppealDraft>,
    /// The categories to offer, in order.
    categories: Vec<EvidenceCategory>,
) -> impl IntoView {
    let progress = RwSignal::new(None::<f64>);
    let error = RwSignal::new(None::<ApiError>);
    let pickers = categories
        .into_iter()
        .map(|category| {
            let id = format!("appeal-file-{}", category.key());
            let on_pick = move |ev: leptos::ev::Event| {
                let input = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
                if let Some(file) = input.as_ref().and_then(|i| i.files()).and_then(|f| f.get(0)) {
                    send(draft, progress, error, category, file);
                }
                if let Some(input) = input {
                    input.set_value("");
                }
            };
            view! {
                <li>
                    <label for=id.clone()>{t(keys::category(category, None))}</label>
                    <p class="hint">{t(keys::category(category, Some("what")))}</p>
                    <input id=id type="file" accept="image/*,video/mp4,application/pdf" on:change=on_pick
                        disabled=move || progress.get().is_some() />
                </li>
            }
        })
        .collect_view();
    let added = move || {
        draft
            .get()
            .evidence
            .into_iter()
            .map(|e| {
                let id = e.id.clone();
                let remove = move |_| {
                    let id = id.clone();
                    draft.update(|d| d.evidence.retain(|x| x.id != id));
                    leptos::task::spawn_local(async move {
                        // The upload is unused either way; a failed delete leaves it to expire.
                        let _ = api::delete_evidence(&id).await;
                    });
                };
                let name = e.file_name.clone();
                view! {
                    <li>
                        {tr(&keys::category(e.category, None))} " · " {e.file_name.clone()} " · " {format::file_size(e.size)} " "
                        <button type="button" class="button small" on:click=remove
                            aria-label=move || tf("appeal.remove_file", &[("name", &name)])>
                            {t("appeal.remove")}
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <fieldset class="field">
            <legend>{t("appeal.evidence")}</legend>
            <p class="hint">{t("appeal.evidence_hint")}</p>
            <ul class="bullets">{added}</ul>
            {move || progress.get().map(|f| {
                let percent = (f * 100.0).round() as u32;
                view! {
                    <progress max="100" value=percent aria-label=t("appeal.uploading")></progress>
                    <span role="status">{format!("{percent}%")}</span>
                }
            })}
            {move || error.get().map(|e| view! { <p class="field-error" role="alert">{error_text(&e)}</p> })}
            <ul class="appeal-pickers">{pickers}</ul>
        </fieldset>
    }
}
