//! Serving the built web apps: hashed assets cached for a year, `index.html` never cached,
//! and every app route (say `/cases/MR-2026-000001`) answered with its app's `index.html`
//! and 200. The player's app is two bundles (`refund_api::PlayerBundle`): the application
//! bundle at the root, and the follow-up bundle in `follow/`, whose `index.html` answers
//! the follow-up pages (`/cases…`, `/track/…`, `/notifications`). The console is a third
//! app in `console/`, served under `/console/` with its own `index.html` for its routes.

use refund_api::{ErrorCode, PlayerBundle};
use std::path::Path;

use axum::Router;
use axum::extract::Request;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::app::AppState;
use crate::error::error_response;

const NO_CACHE: &str = "no-cache";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

pub fn router(static_dir: Option<&Path>) -> Router<AppState> {
    let Some(dir) = static_dir.map(Path::to_path_buf) else {
        return Router::new().fallback(|| async {
            error_response(
                StatusCode::NOT_FOUND,
                ErrorCode::NoWebApp,
                "This server was started without the web app (--static-dir).",
            )
        });
    };
    let follow_dir = dir.join(PlayerBundle::FOLLOW_DIR);
    let follow_page = index(&follow_dir);
    let apply = app(&dir);
    Router::new()
        .nest_service("/console", app(&dir.join("console")))
        .nest_service(&format!("/{}", PlayerBundle::FOLLOW_DIR), app(&follow_dir))
        .fallback(move |request: Request| {
            let (follow_page, apply) = (follow_page.clone(), apply.clone());
            async move {
                // Both services answer every request (a missing file is a 404 response).
                match PlayerBundle::serving(request.uri().path()) {
                    PlayerBundle::Follow => follow_page.oneshot(request).await.into_response(),
                    PlayerBundle::Apply => apply.oneshot(request).await.into_response(),
                }
            }
        })
        .layer(middleware::from_fn(cache_policy))
}

/// An app's `index.html`, sent precompressed when the browser takes it.
fn index(dir: &Path) -> ServeFile {
    ServeFile::new(dir.join("index.html"))
        .precompressed_br()
        .precompressed_gzip()
}

/// One app's files, with its `index.html` for every path that is not a file. The build
/// leaves `.br` and `.gz` beside each asset; they are sent as they are.
fn app(dir: &Path) -> ServeDir<ServeFile> {
    ServeDir::new(dir)
        .append_index_html_on_directories(true)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(index(dir))
}

/// Files whose names carry a content hash never change; everything else is revalidated.
async fn cache_policy(request: Request, next: Next) -> Response {
    let hashed = is_hashed_asset(request.uri().path());
    let mut response = next.run(request).await;
    if response.status().is_success() {
        let is_html = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
        let policy = if hashed && !is_html { IMMUTABLE } else { NO_CACHE };
        response
            .headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    response
}

/// Trunk names its output `name-<16 hex digits>[_bg].ext`.
fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or_default();
    let stem = file.split('.').next().unwrap_or_default().trim_end_matches("_bg");
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::is_hashed_asset;

    #[test]
    fn trunk_output_names_count_as_hashed() {
        assert!(is_hashed_asset("/refund-web-5d1a2b3c4d5e6f70_bg.wasm"));
        assert!(is_hashed_asset("/refund-web-5d1a2b3c4d5e6f70.js"));
        assert!(is_hashed_asset("/main-0123456789abcdef.css"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/cases/MR-2026-000001"));
        assert!(!is_hashed_asset("/favicon.svg"));
    }
}
