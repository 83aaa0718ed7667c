//! Uploads with progress, over `XMLHttpRequest` (fetch cannot report upload progress):
//! a player's evidence file, and any multipart form the console sends with files.

use js_sys::Promise;
use refund_api::{ErrorCode, EvidenceCategory, EvidenceView, MediaType};
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::JsFuture;
use web_sys::{FormData, ProgressEvent, XmlHttpRequest};

use super::{ApiError, ApiResult};

/// The file types the server takes, for a picker's `accept`; `.heic` too, as some
/// browsers lack its MIME type (the phone converts it, or the server says what it found).
#[must_use]
pub fn accepted_types() -> String {
    let mut types: Vec<&str> = MediaType::ALL.iter().map(|m| m.mime()).collect();
    types.extend([".heic", ".heif"]);
    types.join(",")
}

/// A file the server would refuse for its size, refused before a byte is sent. Sending
/// it would not even get the server's answer: the server stops reading an oversized
/// body, which the browser reports as a dropped connection.
#[must_use]
pub fn refused_for_size(file: &web_sys::File, max_bytes: u64) -> Option<ApiError> {
    let size = file.size();
    if size <= 0.0 {
        return Some(ApiError::local(422, ErrorCode::EmptyFile));
    }
    (size > max_bytes as f64).then(|| too_large(file, max_bytes))
}

/// A refusal in terms of the file: its size against the limit.
#[must_use]
pub fn too_large(file: &web_sys::File, max_bytes: u64) -> ApiError {
    let mut error = ApiError::local(413, ErrorCode::FileTooLarge);
    error.params = vec![
        ("size_bytes".to_owned(), (file.size() as u64).to_string()),
        ("max_bytes".to_owned(), max_bytes.to_string()),
    ];
    error
}

/// `POST /api/evidence` as multipart: `category` first (the server reads it before the
/// bytes), then `file`. `on_progress` receives the fraction sent, 0.0 to 1.0.
pub async fn upload_evidence(
    category: EvidenceCategory,
    file: &web_sys::File,
    on_progress: impl Fn(f64) + 'static,
) -> ApiResult<EvidenceView> {
    let failed = |_| ApiError::network();
    let form = FormData::new().map_err(failed)?;
    form.append_with_str("category", category.key()).map_err(failed)?;
    form.append_with_blob_and_filename("file", file, &file.name())
        .map_err(failed)?;
    post_form("/api/evidence", &form, on_progress).await
}

/// POSTs `form` to `url` as multipart, reporting the fraction sent to `on_progress`, and
/// reads the JSON answer (or the shared error shape).
pub async fn post_form<T: DeserializeOwned>(
    url: &str,
    form: &FormData,
    on_progress: impl Fn(f64) + 'static,
) -> ApiResult<T> {
    let failed = |_| ApiError::network();
    let xhr = XmlHttpRequest::new().map_err(failed)?;
    xhr.open("POST", url).map_err(failed)?;
    let progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |ev: ProgressEvent| {
        if ev.length_computable() && ev.total() > 0.0 {
            on_progress(ev.loaded() / ev.total());
        }
    });
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    }
    let done = Promise::new(&mut |resolve, reject| {
        xhr.set_onload(Some(&resolve));
        xhr.set_onerror(Some(&reject));
        xhr.set_onabort(Some(&reject));
        xhr.set_ontimeout(Some(&reject));
    });
    xhr.send_with_opt_form_data(Some(form)).map_err(failed)?;
    let outcome = JsFuture::from(done).await;
    drop(progress);
    outcome.map_err(failed)?;

    let status = xhr.status().unwrap_or(0);
    let body = xhr.response_text().ok().flatten().unwrap_or_default();
    if (200..300).contains(&status) {
        serde_json::from_str(&body).map_err(|_| ApiError::client(status, super::ClientCode::BadResponse))
    } else {
        Err(ApiError::from_body(status, &body))
    }
}
