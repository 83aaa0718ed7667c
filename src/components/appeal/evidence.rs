//! Supplemental evidence for an appeal: one file picker per category (those the decision
//! found weak first), a progress bar while a file goes up, and the files already added.

use leptos::prelude::*;
use refund_api::{ErrorCode, EvidenceCategory};
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;

use crate::api::{self, ApiError};
use crate::appeal_draft::AppealDraft;
use crate::components::error_view::error_text;
use crate::format;
use crate::i18n::{keys, t, tf, tr};

/// A file that went wrong: for which category, its name, and why.
type Failure = (EvidenceCategory, String, ApiError);

/// Sends `file` as `category`, showing progress, and adds it to the draft once stored. A
/// file over the size limit is refused before sending, in the same words as on the form.
fn send(
    draft: RwSignal<AppealDraft>,
    progress: RwSignal<Option<f64>>,
    failure: RwSignal<Option<Failure>>,
    category: EvidenceCategory,
    file: web_sys::File,
    max_bytes: Option<u64>,
) {
    let name = file.name();
    if let Some(refused) = max_bytes.and_then(|max| api::refused_for_size(&file, max)) {
        failure.set(Some((category, name, refused)));
        return;
    }
    let file = SendWrapper::new(file);
    progress.set(Some(0.0));
    failure.set(None);
    leptos::task::spawn_local(async move {
        let stored = api::upload_evidence(category, &file, move |f| progress.set(Some(f))).await;
        progress.set(None);
        match stored {
            Ok(view) => draft.update(|d| d.evidence.push(view)),
            Err(e) if e.is(ErrorCode::FileTooLarge) => {
                let max = max_bytes.unwrap_or_default();
                failure.set(Some((category, name, api::too_large(&file, max))));
            }
            Err(e) => failure.set(Some((category, name, e))),
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
    let failure = RwSignal::new(None::<Failure>);
    // The limits are the session's (the server's settings); until they are known, a file
    // is sent and the server judges it.
    let known = RwSignal::new(None);
    leptos::task::spawn_local(async move {
        if let Ok(limits) = api::evidence_limits().await {
            // The page may have been left meanwhile.
            let _ = known.try_set(Some(limits));
        }
    });
    let limits = move || known.get();
    let pickers = categories
        .into_iter()
        .map(|category| {
            let id = format!("appeal-file-{}", category.key());
            let on_pick = move |ev: leptos::ev::Event| {
                let input = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
                if let Some(file) = input.as_ref().and_then(|i| i.files()).and_then(|f| f.get(0)) {
                    let max = limits().map(|l| l.max_file_bytes);
                    send(draft, progress, failure, category, file, max);
                }
                if let Some(input) = input {
                    input.set_value("");
                }
            };
            let name = keys::category(category, None);
            let pick_for = {
                let name = name.clone();
                move || tf("ev.pick_for", &[("category", &tr(&name))])
            };
            view! {
                <li>
                    <p class="file-label">{t(name)}</p>
                    <p class="hint">{t(keys::category(category, Some("what")))}</p>
                    <div class="pickers">
                        <input id=id.clone() type="file" class="picker-input" accept=api::accepted_types()
                            aria-label=pick_for on:change=on_pick disabled=move || progress.get().is_some() />
                        <label for=id class="button secondary picker">{t("ev.pick")}</label>
                    </div>
                </li>
            }
        })
        .collect_view();
    let limits_text = move || {
        limits().map(|l| {
            let (size, count) = (format::file_size(l.max_file_bytes), l.max_files_per_case.to_string());
            tf("ev.limits", &[("size", &size), ("count", &count)])
        })
    };
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
            <p class="hint">{limits_text} " " {t("ev.types")}</p>
            <ul class="bullets">{added}</ul>
            {move || progress.get().map(|f| {
                let percent = (f * 100.0).round() as u32;
                view! {
                    <progress max="100" value=percent aria-label=t("appeal.uploading")></progress>
                    <span role="status">{format!("{percent}%")}</span>
                }
            })}
            <ul class="appeal-pickers">{pickers}</ul>
            // A refusal names the file and its category, in the form's own words.
            {move || failure.get().map(|(category, file, e)| view! {
                <p class="field-error" role="alert">
                    <strong>{tr(&keys::category(category, None))} " · " {file}</strong> " " {error_text(&e)}
                </p>
            })}
        </fieldset>
    }
}
