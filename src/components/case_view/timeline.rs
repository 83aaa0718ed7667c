//! The case's history as an ordered list, built from its append-only events.

use leptos::either::Either;
use leptos::prelude::*;
use refund_api::TimelineEntry;

use crate::format;
use crate::i18n::{keys, t};

/// Each entry: when (UTC+8), what, who, and the note if any.
#[component]
pub fn Timeline(
    /// The entries in the order the server gives them (oldest first).
    entries: Vec<TimelineEntry>,
) -> impl IntoView {
    let items = entries
        .into_iter()
        .map(|e| {
            // A kind this version does not know yet is shown by its name rather than hidden.
            let what = match keys::event_named(&e.kind) {
                Some(key) => Either::Left(t(key)),
                None => Either::Right(e.kind.clone()),
            };
            view! {
                <li>
                    <time datetime=format::iso(&e.at)>{format::date_time(&e.at)}</time>
                    <strong>{what}</strong>
                    <span class="muted">{t(keys::actor(e.actor))}</span>
                    {e.note.map(|note| view! { <p class="note">{note}</p> })}
                </li>
            }
        })
        .collect_view();
    view! { <ol class="timeline">{items}</ol> }
}
