//! One evidence category: what to prepare and why (folded away once a file is there), an
//! example that opens large, the files with thumbnails, and two pickers: the camera and
//! the gallery or files, both worded by the app rather than the browser.

use leptos::prelude::*;
use leptos::task::spawn_local;
use refund_api::{EvidenceCategory, EvidenceView, MediaType};
use wasm_bindgen::JsCast;

use super::FormCtx;
use super::evidence_example::EvidenceExample;
use super::evidence_step::LIMITS_ID;
use super::fields::FieldErrorText;
use super::privacy_notice::PRIVACY_ID;
use super::upload_list::{UploadList, add_file};
use crate::api;
use crate::form::{error_id, input_id};
use crate::format;
use crate::i18n::{keys, t, tf, tr};

/// A small picture of a stored file: the picture itself when a browser can show it (from
/// this page's own copy when it was just sent), else a label of its type.
pub fn thumbnail(ctx: FormCtx, file: &EvidenceView) -> AnyView {
    if !file.media_type.is_viewable_image() {
        let label = match file.media_type {
            MediaType::Pdf => "PDF",
            MediaType::Mp4 => "MP4",
            _ => "HEIC",
        };
        return view! { <span class="thumb thumb-type" aria-hidden="true">{label}</span> }.into_any();
    }
    let src = ctx
        .previews
        .with_value(|p| p.get(&file.id).cloned())
        .unwrap_or_else(|| format!("/api/evidence/{}", api::encode(&file.id)));
    view! { <img class="thumb" src=src alt="" width="56" height="56" loading="lazy" decoding="async" /> }.into_any()
}

/// Files of this category already uploaded, each with its thumbnail and a remove button.
#[component]
fn StoredFiles(
    /// Which category's files to list.
    category: EvidenceCategory,
) -> impl IntoView {
    let ctx = FormCtx::get();
    let remove = move |id: String| {
        ctx.draft.update(|d| d.evidence.retain(|e| e.id != id));
        // Best effort: an orphaned file is harmless, and the server cleans them up.
        spawn_local(async move {
            let _ = api::delete_evidence(&id).await;
        });
    };
    // A plain list, not a keyed <For>: it is short, and keyed diffing costs bundle size.
    let rows = move || {
        ctx.draft
            .with(|d| {
                d.evidence
                    .iter()
                    .filter(|e| e.category == category)
                    .cloned()
                    .collect::<Vec<_>>()
            })
            .into_iter()
            .map(|e| {
                let id = e.id.clone();
                let name = e.file_name.clone();
                view! {
                    <li class="file">
                        {thumbnail(ctx, &e)}
                        <span class="file-name">{e.file_name.clone()}</span>
                        <span class="file-size">{format::file_size(e.size)}</span>
                        <button
                            type="button"
                            class="button small secondary"
                            aria-label=move || tf("ev.remove_named", &[("name", &name)])
                            on:click=move |_| remove(id.clone())
                        >
                            {t("ev.remove")}
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    view! { <ul class="files">{rows}</ul> }
}

/// The two pickers: the camera (phones open it directly) and the gallery or files.
#[component]
fn Pickers(
    /// The category the chosen files are for.
    category: EvidenceCategory,
    /// The form field of the category, e.g. `evidence.minor_proof`.
    field: String,
    /// Small buttons once the category has a file (adding more is the exception).
    compact: Signal<bool>,
) -> impl IntoView {
    let ctx = FormCtx::get();
    let key = category.key();
    let (gallery, camera) = (input_id(&field), format!("{}-camera", input_id(&field)));
    let locked = move || category.is_identity() && !ctx.consented.get();
    // The camera suits papers (ID cards, the household register, other documents), not
    // screenshots or screen recordings, which are already on the phone.
    let photographed = category.is_identity() || category == EvidenceCategory::Other;
    // The visible labels are short; the names say which category, for screen readers
    // (each begins with its label's words, so speech input finds it by what it shows).
    let name = keys::category(category, None);
    let (pick_name, camera_name) = (name.clone(), name);
    let pick_for = move || tf("ev.pick_for", &[("category", &tr(&pick_name))]);
    let camera_for = move || tf("ev.camera_for", &[("category", &tr(&camera_name))]);
    let invalid = {
        let field = field.clone();
        move || if ctx.error(&field).is_some() { "true" } else { "false" }
    };
    let described = format!("cat-{key} {LIMITS_ID} {}", error_id(&field));
    let picker_class = move || {
        if compact.get() {
            "button small secondary picker"
        } else {
            "button secondary picker"
        }
    };
    let on_change = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
            return;
        };
        if let Some(list) = input.files() {
            for file in (0..list.length()).filter_map(|i| list.get(i)) {
                add_file(ctx, category, file);
            }
        }
        // Lets the same file be chosen again after a failure.
        input.set_value("");
    };
    view! {
            <div class="field pickers">
                <input
                    type="file"
                    id=gallery.clone()
                    class="picker-input"
                    multiple
                    accept=api::accepted_types()
                    aria-label=pick_for
                    disabled=locked
                    aria-invalid=invalid.clone()
                    aria-describedby=described.clone()
                    on:change=on_change
                />
                <label for=gallery class=picker_class>{t("ev.pick")}</label>
    {photographed.then(|| view! {
                <input
                    type="file"
                    id=camera.clone()
                    class="picker-input"
                    accept="image/*"
                    capture="environment"
                    aria-label=camera_for
                    disabled=locked
                    aria-describedby=described
                    on:change=on_change
                />
                <label for=camera class=picker_class>{t("ev.camera")}</label>
                })}
                <Show when=locked>
                    <p class="hint locked">
                        <a href=format!("#{PRIVACY_ID}")>{t("ev.consent_first")}</a>
                    </p>
                </Show>
                <FieldErrorText field=field.clone() />
            </div>
        }
}

/// Everything about one category, as a section.
#[component]
pub fn EvidenceBlock(
    /// The category this block collects.
    category: EvidenceCategory,
) -> impl IntoView {
    let ctx = FormCtx::get();
    let key = category.key();
    let field = format!("evidence.{key}");
    let title_id = format!("cat-{key}");
    let labelled_by = title_id.clone();
    let required = category.is_required_for(ctx.kind);
    let count = move || {
        ctx.draft
            .with(|d| d.evidence.iter().filter(|e| e.category == category).count())
    };
    let section_class = move || if count() > 0 { "evidence done" } else { "evidence" };
    view! {
        <section class=section_class aria-labelledby=labelled_by>
            <h3 id=title_id>
                {t(keys::category(category, None))}
                <span class=if required { "tag required" } else { "tag" }>
                    {t(if required { "ev.required" } else { "ev.optional" })}
                </span>
                {move || {
                    let n = count();
                    (n > 0).then(|| view! { <span class="tag done">{move || tf("ev.count", &[("count", &n.to_string())])}</span> })
                }}
            </h3>
            {category.is_identity().then(|| view! {
                // Said where the photo is still to be taken; folded away with the prompt after.
                <Show when=move || count() == 0>
                    <p class="cover-id">{t(format!("ev.cover_id.{key}"))}</p>
                </Show>
            })}
            // Open only where a required file is still missing: optional categories and
            // done ones fold away, so the step is short on a phone.
            <details class="how" prop:open=move || required && count() == 0>
                <summary>{t("ev.how_to")}</summary>
                <div class="evidence-body">
                    <EvidenceExample category />
                    <dl class="prompt">
                        <dt>{t("ev.what")}</dt>
                        <dd>{t(keys::category(category, Some("what")))}</dd>
                        <dt>{t("ev.why")}</dt>
                        <dd>{t(keys::category(category, Some("why")))}</dd>
                        <dt>{t("ev.how")}</dt>
                        <dd>{t(keys::category(category, Some("how")))}</dd>
                    </dl>
                </div>
            </details>
            <StoredFiles category />
            <UploadList category />
            <Pickers category field compact=Signal::derive(move || count() > 0) />
        </section>
    }
}
