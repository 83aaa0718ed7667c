//! The evidence viewer: thumbnails to choose from, and the chosen file shown in place:
//! pictures with zoom (scroll to pan), PDFs inline, videos with seeking (the server
//! answers byte ranges). HEIC, which browsers cannot show, is offered as a download.

use leptos::prelude::*;
use refund_api::{EvidenceView, MediaType};

use super::api;
use crate::format;
use crate::i18n::{keys, t, tf, tr};

/// Zoom steps of a picture, in percent.
const ZOOMS: [u32; 5] = [100, 150, 200, 300, 400];

/// The next zoom step up (`step` > 0) or down, staying within [`ZOOMS`].
#[must_use]
pub fn next_zoom(current: u32, step: i32) -> u32 {
    let at = ZOOMS.iter().position(|z| *z == current).unwrap_or(0);
    let next = if step > 0 {
        (at + 1).min(ZOOMS.len() - 1)
    } else {
        at.saturating_sub(1)
    };
    ZOOMS[next]
}

fn label(e: &EvidenceView) -> String {
    tf(
        "case.evidence_alt",
        &[
            ("category", &tr(&keys::category(e.category, None))),
            ("name", &e.file_name),
        ],
    )
}

/// The chosen file, shown as its kind allows.
fn shown(e: &EvidenceView, url: String, zoom: RwSignal<u32>) -> impl IntoView + use<> {
    let title = label(e);
    match e.media_type {
        MediaType::Jpeg | MediaType::Png | MediaType::Webp => view! {
            // At either end a button says so (aria-disabled) but keeps the keyboard's focus,
            // which a disabled button would drop to the page's start.
            <div class="zoom-controls" role="group" aria-label=t("console.viewer.zoom")>
                <button type="button" class="button" on:click=move |_| zoom.update(|z| *z = next_zoom(*z, -1))
                    aria-disabled=move || (zoom.get() == ZOOMS[0]).to_string()>
                    {t("console.viewer.zoom_out")}
                </button>
                <span aria-live="polite">{move || format!("{}%", zoom.get())}</span>
                <button type="button" class="button" on:click=move |_| zoom.update(|z| *z = next_zoom(*z, 1))
                    aria-disabled=move || (zoom.get() == ZOOMS[ZOOMS.len() - 1]).to_string()>
                    {t("console.viewer.zoom_in")}
                </button>
            </div>
            <div class="zoom-frame" tabindex="0" aria-label=t("console.viewer.pan")>
                <img src=url alt=title style:width=move || format!("{}%", zoom.get()) />
            </div>
        }
        .into_any(),
        MediaType::Pdf => view! { <iframe class="pdf-frame" src=url title=title></iframe> }.into_any(),
        MediaType::Mp4 => view! {
            <video class="video" src=url controls preload="metadata" aria-label=title></video>
        }
        .into_any(),
        MediaType::Heic => view! { <p>{t("console.viewer.no_preview")}</p> }.into_any(),
    }
}

#[component]
pub fn EvidenceViewer(
    /// The case the files belong to.
    case_no: String,
    /// The files.
    evidence: Vec<EvidenceView>,
) -> impl IntoView {
    if evidence.is_empty() {
        return view! { <p>{t("case.no_evidence")}</p> }.into_any();
    }
    let chosen = RwSignal::new(0usize);
    let zoom = RwSignal::new(ZOOMS[0]);
    let files = StoredValue::new(evidence);
    let no = StoredValue::new(case_no);
    let thumbs = files.with_value(|files| {
        files
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let url = no.with_value(|no| api::evidence_url(no, &e.id));
                let picture = if e.media_type.is_viewable_image() {
                    view! { <img src=url alt="" loading="lazy" width="72" height="72" /> }.into_any()
                } else {
                    view! { <span class="file-kind" aria-hidden="true">{e.media_type.mime().rsplit('/').next().unwrap_or_default().to_uppercase()}</span> }
                        .into_any()
                };
                let name = label(e);
                view! {
                    <li>
                        <button
                            type="button"
                            class="thumb"
                            aria-pressed=move || (chosen.get() == i).to_string()
                            aria-label=name
                            on:click=move |_| {
                                chosen.set(i);
                                zoom.set(ZOOMS[0]);
                            }
                        >
                            {picture}
                        </button>
                    </li>
                }
            })
            .collect_view()
    });
    let stage = move || {
        let i = chosen.get();
        files.with_value(|files| {
            files.get(i).map(|e| {
                let url = no.with_value(|no| api::evidence_url(no, &e.id));
                view! {
                    <figure class="viewer-stage">
                        {shown(e, url.clone(), zoom)}
                        <figcaption>
                            {t(keys::category(e.category, None))} " · " {e.file_name.clone()} " · "
                            {format::file_size(e.size)} " · "
                            <a href=url target="_blank" rel="noopener">{t("console.viewer.open")}</a>
                        </figcaption>
                    </figure>
                }
            })
        })
    };
    view! {
        <div class="viewer">
            <ul class="thumbs">{thumbs}</ul>
            {stage}
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoom_moves_one_step_and_stops_at_the_ends() {
        assert_eq!(next_zoom(100, 1), 150);
        assert_eq!(next_zoom(150, -1), 100);
        assert_eq!(next_zoom(100, -1), 100);
        assert_eq!(next_zoom(400, 1), 400);
        assert_eq!(next_zoom(123, 1), 150, "an unknown zoom starts from the first step");
    }
}
