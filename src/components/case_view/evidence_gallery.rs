//! Evidence of a case: pictures as thumbnails, other files as icons; each opens in a new tab.

use leptos::prelude::*;
use refund_api::{EvidenceView, MediaType};

use crate::api;
use crate::format;
use crate::i18n::{keys, t, tf, tr};

/// Icon path of a file that cannot be shown inline.
fn icon(media: MediaType) -> &'static str {
    match media {
        MediaType::Mp4 => "M6 4h12v16H6z M10 9v6l5-3z",
        MediaType::Pdf => "M7 3h7l4 4v14H7z M14 3v4h4 M9 13h6 M9 16h6",
        _ => "M4 5h16v14H4z M4 15l5-5 4 4 3-3 4 4 M15 9h.01",
    }
}

#[component]
pub fn EvidenceGallery(
    /// The files attached to the case.
    evidence: Vec<EvidenceView>,
) -> impl IntoView {
    if evidence.is_empty() {
        return view! { <p>{t("case.no_evidence")}</p> }.into_any();
    }
    let items = evidence
        .into_iter()
        .map(move |e| {
            let url = api::evidence_url(&e.id);
            let category = keys::category(e.category, None);
            let name = e.file_name.clone();
            let alt = {
                let (category, name) = (category.clone(), name.clone());
                move || tf("case.evidence_alt", &[("category", &tr(&category)), ("name", &name)])
            };
            let picture = if e.media_type.is_viewable_image() {
                view! { <img src=url.clone() alt=alt loading="lazy" width="96" height="96" /> }.into_any()
            } else {
                view! {
                    <svg class="file-icon" viewBox="0 0 24 24" width="48" height="48" aria-hidden="true">
                        <path d=icon(e.media_type) fill="none" stroke="currentColor" stroke-width="1.6" />
                    </svg>
                    <span class="file-name">{name.clone()}</span>
                }
                .into_any()
            };
            view! {
                <li>
                    <a href=url target="_blank" rel="noopener">
                        {picture}
                        <span class="visually-hidden">{t("common.new_tab")}</span>
                    </a>
                    <span class="muted">{t(category)} " · " {format::file_size(e.size)}</span>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="gallery">{items}</ul> }.into_any()
}
