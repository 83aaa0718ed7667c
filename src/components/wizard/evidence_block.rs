//! One evidence category: what to prepare and why, an example, the files, the picker.

use leptos::prelude::*;
use leptos::task::spawn_local;
use refund_api::{EvidenceCategory, MediaType};
use wasm_bindgen::JsCast;

use super::FormCtx;
use super::evidence_example::EvidenceExample;
use super::evidence_step::LIMITS_ID;
use super::fields::FieldErrorText;
use super::upload_list::{UploadList, add_file};
use crate::api;
use crate::form::{error_id, input_id};
use crate::format;
use crate::i18n::{keys, t, tf, tr};

/// The `accept` list of the file picker; `.heic` too, as some browsers lack its MIME type.
fn accept() -> String {
    let mut types: Vec<&str> = MediaType::ALL.iter().map(|m| m.mime()).collect();
    types.extend([".heic", ".heif"]);
    types.join(",")
}

/// Files of this category already uploaded, each with a remove button.
#[component]
fn StoredFiles(
    /// Which category's files to list.
    category: EvidenceCategory,
) -> impl IntoView {
    let ctx = FormCtx::get();
    let files = move || {
        ctx.draft.with(|d| {
            d.evidence
                .iter()
                .filter(|e| e.category == category)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let remove = move |id: String| {
        ctx.draft.update(|d| d.evidence.retain(|e| e.id != id));
        // Best effort: an orphaned file is harmless, and the server cleans them up.
        spawn_local(async move {
            let _ = api::delete_evidence(&id).await;
        });
    };
    // A plain list, not a keyed <For>: it is short, and keyed diffing costs bundle size.
    let rows = move || {
        files()
            .into_iter()
            .map(|e| {
                let id = e.id.clone();
                let name = e.file_name.clone();
                view! {
                    <li class="file">
                        <span class="file-name">{e.file_name}</span>
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

/// Everything about one category, as a section.
#[component]
pub fn EvidenceBlock(
    /// The category this block collects.
    category: EvidenceCategory,
) -> impl IntoView {
    let ctx = FormCtx::get();
    let key = category.key();
    let field = format!("evidence.{key}");
    let input = input_id(&field);
    let title_id = format!("cat-{key}");
    let labelled_by = title_id.clone();
    let required = category.is_required_for(ctx.kind);
    let invalid = {
        let field = field.clone();
        move || if ctx.error(&field).is_some() { "true" } else { "false" }
    };
    let name_key = keys::category(category, None);
    let choose = move || tf("ev.choose", &[("category", &tr(&name_key))]);
    let on_change = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
            return;
        };
        if let Some(list) = input.files() {
            for i in 0..list.length() {
                if let Some(file) = list.get(i) {
                    add_file(ctx, category, file);
                }
            }
        }
        // Lets the same file be chosen again after a failure.
        input.set_value("");
    };
    view! {
        <section class="evidence" aria-labelledby=labelled_by>
            <h3 id=title_id>
                {t(keys::category(category, None))}
                <span class=if required { "tag required" } else { "tag" }>
                    {t(if required { "ev.required" } else { "ev.optional" })}
                </span>
            </h3>
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
            <StoredFiles category />
            <UploadList category />
            <div class="field file-field">
                <label for=input.clone() class="file-label">{choose}</label>
                <input
                    type="file"
                    id=input
                    multiple
                    accept=accept()
                    aria-invalid=invalid
                    aria-describedby=format!("{LIMITS_ID} {}", error_id(&field))
                    on:change=on_change
                />
                <FieldErrorText field=field.clone() />
            </div>
        </section>
    }
}
