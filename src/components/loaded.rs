//! Async content: a loading line while it loads, errors in words when it fails.
//!
//! One concrete component for every page that loads data, so the Transition and
//! ErrorBoundary machinery is compiled once rather than once per page.

use std::sync::Arc;

use leptos::prelude::*;

use crate::api::ApiError;
use crate::components::error_view::error_fallback;
use crate::components::loading::Loading;

/// What a page hands to [`Loaded`]: awaits its data and builds its view, or fails.
pub type AsyncView = Suspend<Result<AnyView, ApiError>>;

/// Builds an [`AsyncView`]; called again whenever a resource it awaits changes.
pub type AsyncContent = Arc<dyn Fn() -> AsyncView + Send + Sync>;

/// Shows `content`, keeping the previous view on screen while it refreshes.
#[component]
pub fn Loaded(
    /// The content to load and show.
    content: AsyncContent,
) -> impl IntoView {
    view! {
        <Transition fallback=|| view! { <Loading /> }>
            <ErrorBoundary fallback=error_fallback>{move || content()}</ErrorBoundary>
        </Transition>
    }
}
