//! Errors in words: what happened and what to do, for server errors and the ErrorBoundary.

use leptos::prelude::*;

use crate::api::ApiError;
use crate::format;
use crate::i18n::{has_key, t, tf, tr};

/// The values an error's wording uses: sizes in bytes (`max_bytes`) also as readable sizes
/// (`max`), and what a refused file was found to be (`found`) in words.
fn wording_args(error: &ApiError) -> Vec<(String, String)> {
    let mut args = error.params.clone();
    let bytes = |name: &str| {
        error
            .params
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.parse::<u64>().ok())
    };
    let limit = bytes("max_bytes");
    for (name, value) in &error.params {
        if let (Some(short), Ok(size)) = (name.strip_suffix("_bytes"), value.parse::<u64>()) {
            // A size over the limit must not read as the limit itself.
            let shown = match limit {
                Some(limit) if short != "max" => format::file_size_over(size, limit),
                _ => format::file_size(size),
            };
            args.push((short.to_owned(), shown));
        }
        if name == "found" {
            args.retain(|(n, _)| n != "found");
            args.push(("found".to_owned(), tr(&format!("found.{value}"))));
        }
    }
    args
}

/// What happened, in the current language: the translated code when known, else the
/// server's message (and a generic sentence for server failures).
#[must_use]
pub fn error_text(error: &ApiError) -> String {
    let key = format!("error.{}", error.code);
    if has_key(&key) {
        let args = wording_args(error);
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        tf(&key, &args)
    } else if error.status >= 500 {
        tr("error.internal")
    } else if !error.message.is_empty() {
        error.message.clone()
    } else {
        tr("error.bad_response")
    }
}

/// What to do next, when there is specific advice for the code.
#[must_use]
pub fn advice_text(error: &ApiError) -> Option<String> {
    let key = format!("advice.{}", error.code);
    if has_key(&key) {
        Some(tr(&key))
    } else if error.status >= 500 {
        Some(tr("advice.internal"))
    } else {
        None
    }
}

/// An error box with the explanation and, when known, the next step.
#[component]
pub fn ErrorNotice(
    /// The failed request.
    error: ApiError,
) -> impl IntoView {
    let what = error.clone();
    // Signed out elsewhere (another tab, an expired session): a way back in. A full page
    // load, so the console starts over from its sign-in page.
    let sign_in = error
        .is(refund_api::ErrorCode::NoConsoleSession)
        .then(|| view! { <p><a href="/console/" rel="external">{t("error.sign_in_again")}</a></p> });
    view! {
        <div class="notice notice-error" role="alert">
            <p class="notice-title">{move || error_text(&what)}</p>
            <p>{move || advice_text(&error)}</p>
            {sign_in}
        </div>
    }
}

/// The fallback of every page's ErrorBoundary.
pub fn error_fallback(errors: ArcRwSignal<Errors>) -> impl IntoView {
    move || {
        errors
            .get()
            .into_iter()
            .map(|(_, e)| match e.downcast_ref::<ApiError>() {
                Some(api) => view! { <ErrorNotice error=api.clone() /> }.into_any(),
                None => view! {
                    <div class="notice notice-error" role="alert">
                        <p class="notice-title">{t("error.internal")}</p>
                        <p>{t("advice.internal")}</p>
                    </div>
                }
                .into_any(),
            })
            .collect_view()
    }
}
