//! A case state as a coloured badge with its localized name.

use leptos::prelude::*;
use refund_api::CaseState;

use crate::i18n::{keys, t};

/// Shows where a case stands.
#[component]
pub fn StateBadge(
    /// The state to show.
    state: CaseState,
) -> impl IntoView {
    view! { <span class=format!("badge badge-{}", state.key())>{t(keys::state(state))}</span> }
}
