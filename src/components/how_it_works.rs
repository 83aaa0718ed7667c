//! The four stages of a case as pictures: submit → developer decides → appeal → platform.

use leptos::prelude::*;

use crate::i18n::t;

/// One stage: an icon (decorative, drawn inline) and two lines of text.
#[component]
fn Stage(
    /// SVG path data of the 24×24 icon.
    icon: &'static str,
    /// Translation key of the stage's name.
    title_key: &'static str,
    /// Translation key of its one-line explanation.
    note_key: &'static str,
) -> impl IntoView {
    view! {
        <li class="flow-stage">
            <svg class="flow-icon" viewBox="0 0 24 24" width="40" height="40" aria-hidden="true">
                <circle cx="12" cy="12" r="12" class="flow-disc" />
                <path d=icon fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" />
            </svg>
            <div>
                <strong>{t(title_key)}</strong>
                <span>{t(note_key)}</span>
            </div>
        </li>
    }
}

/// The process at a glance, for people who would rather look than read.
#[component]
pub fn HowItWorks() -> impl IntoView {
    view! {
        <ol class="flow" aria-label=t("home.flow_label")>
            <Stage
                icon="M8 5h6l3 3v11H8z M14 5v3h3 M10 12h5 M10 15h5"
                title_key="home.flow_submit"
                note_key="home.flow_submit_note"
            />
            <Stage
                icon="M7 12.5l3 3 7-7 M12 4v1 M4 12h1"
                title_key="home.flow_decide"
                note_key="home.flow_decide_note"
            />
            <Stage
                icon="M17 8a6 6 0 1 0 1 6 M17 4v4h-4"
                title_key="home.flow_appeal"
                note_key="home.flow_appeal_note"
            />
            <Stage
                icon="M12 4l7 3v5c0 4-3 6.5-7 8-4-1.5-7-4-7-8V7z M9 12l2 2 4-4"
                title_key="home.flow_platform"
                note_key="home.flow_platform_note"
            />
        </ol>
    }
}
