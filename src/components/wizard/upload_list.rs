//! Uploads in flight or failed: a preview of the picture, a progress bar per file, retry,
//! remove; a refusal says what was wrong with the file (its size, what it really is).
//!
//! Policy: uploads live in the form's context (not the step), so leaving the evidence step
//! mid-upload loses nothing; a finished upload moves into the draft's evidence list.

use leptos::prelude::*;
use leptos::task::spawn_local;
use refund_api::{ErrorCode, EvidenceCategory, MediaType};
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;

use super::FormCtx;
use crate::api::{self, ApiError};
use crate::components::error_view::error_text;
use crate::i18n::{t, tf};

/// One file being (or failed to be) uploaded.
#[derive(Clone)]
pub struct Upload {
    pub id: u32,
    pub category: EvidenceCategory,
    /// The browser's file; the app is single-threaded, so the wrapper never panics.
    pub file: SendWrapper<web_sys::File>,
    /// Fraction sent, 0.0 to 1.0. Arc signals: they outlive the step that created them.
    pub progress: ArcRwSignal<f64>,
    pub error: ArcRwSignal<Option<ApiError>>,
    /// An object URL showing the picked picture; `None` for other files.
    pub preview: Option<String>,
}

/// An object URL for a picture the browser can show, to preview it before it is sent.
fn preview_of(file: &web_sys::File) -> Option<String> {
    let viewable = MediaType::ALL
        .iter()
        .any(|m| m.is_viewable_image() && m.mime() == file.type_());
    viewable
        .then(|| web_sys::Url::create_object_url_with_blob(file).ok())
        .flatten()
}

/// The uploads of the whole form.
pub type Uploads = RwSignal<Vec<Upload>>;

/// Whether trying again could help (the file itself was not refused).
fn retryable(error: &ApiError) -> bool {
    !error.is_rejection()
}

/// Checks a file against the stated limits before sending a byte.
fn precheck(ctx: FormCtx, file: &web_sys::File) -> Option<ApiError> {
    let limits = ctx.session.with_value(|s| s.limits);
    if let Some(refused) = api::refused_for_size(file, limits.max_file_bytes) {
        return Some(refused);
    }
    let stored = ctx.draft.with_untracked(|d| d.evidence.len());
    let sending = ctx
        .uploads
        .with_untracked(|u| u.iter().filter(|u| u.error.get_untracked().is_none()).count());
    if stored + sending >= limits.max_files_per_case as usize {
        return Some(ApiError::local(422, ErrorCode::TooManyFiles));
    }
    None
}

/// Queues a chosen file: refused at once if it breaks a limit, otherwise sent.
pub fn add_file(ctx: FormCtx, category: EvidenceCategory, file: web_sys::File) {
    let refused = precheck(ctx, &file);
    let upload = Upload {
        id: ctx.next_upload_id(),
        category,
        preview: preview_of(&file),
        file: SendWrapper::new(file),
        progress: ArcRwSignal::new(0.0),
        error: ArcRwSignal::new(refused.clone()),
    };
    ctx.uploads.update(|u| u.push(upload.clone()));
    if refused.is_none() {
        send(ctx, upload);
    }
}

fn send(ctx: FormCtx, upload: Upload) {
    upload.error.set(None);
    upload.progress.set(0.0);
    let progress = upload.progress.clone();
    spawn_local(async move {
        let result = api::upload_evidence(upload.category, &upload.file, move |p| progress.set(p)).await;
        match result {
            Ok(view) => {
                if let Some(url) = upload.preview.clone() {
                    ctx.previews.update_value(|p| {
                        p.insert(view.id.clone(), url);
                    });
                }
                ctx.uploads.update(|u| u.retain(|x| x.id != upload.id));
                let field = format!("evidence.{}", view.category.key());
                ctx.edit(&field, |d| d.evidence.push(view));
            }
            Err(e) if e.is(ErrorCode::FileTooLarge) => {
                let max = ctx.session.with_value(|s| s.limits.max_file_bytes);
                upload.error.set(Some(api::too_large(&upload.file, max)));
            }
            Err(e) if e.is(ErrorCode::PrivacyConsentRequired) => {
                // The server holds no consent to the notice in force (it was revised since
                // the page opened): the notice asks again, and the file goes once it is given.
                ctx.consented.set(false);
                upload.error.set(Some(e));
            }
            Err(e) => upload.error.set(Some(e)),
        }
    });
}

/// Sends again each file the server refused for want of consent, now that it is given.
pub fn resend_after_consent(ctx: FormCtx) {
    let waiting = |u: &Upload| {
        u.error
            .with_untracked(|e| e.as_ref().is_some_and(|e| e.is(ErrorCode::PrivacyConsentRequired)))
    };
    let refused: Vec<Upload> = ctx
        .uploads
        .with_untracked(|all| all.iter().filter(|u| waiting(u)).cloned().collect());
    for upload in refused {
        send(ctx, upload);
    }
}

/// One upload: name, progress bar or error, and its buttons.
#[component]
fn UploadRow(
    /// The upload to show.
    upload: Upload,
) -> impl IntoView {
    let ctx = FormCtx::get();
    let name = upload.file.name();
    let label_id = format!("upload-{}", upload.id);
    let id = upload.id;
    let error = RwSignal::from(upload.error.clone());
    let progress = RwSignal::from(upload.progress.clone());
    // Whole percent as an integer: formatting floats would pull float printing into the bundle.
    let percent = move || (progress.get().clamp(0.0, 1.0) * 100.0) as u32;
    let retry = {
        let upload = upload.clone();
        move |_| send(ctx, upload.clone())
    };
    let preview = upload.preview.clone();
    let dismiss = move |_| {
        ctx.uploads.update(|u| u.retain(|x| x.id != id));
        // The file was refused or given up: its preview is not needed any more.
        if let Some(url) = preview.as_ref() {
            let _ = web_sys::Url::revoke_object_url(url);
        }
    };
    let thumb = upload.preview.clone().map(|src| {
        // A file that only claims to be a picture cannot be shown: no broken-image icon.
        let hide = |ev: leptos::ev::ErrorEvent| {
            if let Some(img) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = img.style().set_property("display", "none");
            }
        };
        view! { <img class="thumb" src=src alt="" width="56" height="56" on:error=hide /> }
    });
    view! {
        <li class="upload">
            {thumb}
            <span class="file-name" id=label_id.clone()>{name.clone()}</span>
            {move || match error.get() {
                None => view! {
                    <progress max="100" value=percent aria-labelledby=label_id.clone()></progress>
                    <span class="upload-status">
                        {move || tf("ev.uploading", &[("percent", &percent().to_string())])}
                    </span>
                }
                    .into_any(),
                Some(e) => {
                    let can_retry = retryable(&e);
                    view! {
                        <p class="field-error" role="alert">{move || error_text(&e)}</p>
                        <div class="row">
                            {can_retry
                                .then(|| {
                                    view! {
                                        <button type="button" class="button small" on:click=retry.clone()>
                                            {t("ev.retry")}
                                        </button>
                                    }
                                })}
                            <button type="button" class="button small secondary" on:click=dismiss.clone()>
                                {t("ev.remove")}
                            </button>
                        </div>
                    }
                        .into_any()
                }
            }}
        </li>
    }
}

/// The uploads of one category.
#[component]
pub fn UploadList(
    /// Which category's uploads to show.
    category: EvidenceCategory,
) -> impl IntoView {
    let ctx = FormCtx::get();
    // A plain list, not a keyed <For>: it is short, and keyed diffing costs bundle size.
    let rows = move || {
        let mine: Vec<Upload> = ctx
            .uploads
            .with(|all| all.iter().filter(|u| u.category == category).cloned().collect());
        mine.into_iter()
            .map(|upload| view! { <UploadRow upload /> })
            .collect_view()
    };
    view! { <ul class="uploads">{rows}</ul> }
}
