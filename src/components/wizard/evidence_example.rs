//! Drawn examples of acceptable evidence (inline SVG, no image downloads): small beside
//! the prompt, and large in a dialog when tapped, to see what to cover and what to keep.
//!
//! The drawings are decorative: the "how" text beside them says the same in words.

use leptos::html::Dialog;
use leptos::prelude::*;
use refund_api::EvidenceCategory;

use crate::i18n::{keys, t};

/// A phone outline around `inner` shapes.
fn phone(inner: impl IntoView) -> impl IntoView {
    view! {
        <rect x="22" y="4" width="52" height="92" rx="7" class="ex-frame" />
        <rect x="27" y="12" width="42" height="76" rx="2" class="ex-paper" />
        {inner}
    }
}

/// An identity card with the ID number covered except the part that matters.
fn id_card(keep_birth_date: bool) -> impl IntoView {
    view! {
        <rect x="4" y="22" width="88" height="56" rx="5" class="ex-paper ex-line" />
        <rect x="62" y="30" width="22" height="28" rx="2" class="ex-soft" />
        <rect x="12" y="32" width="40" height="4" class="ex-ink" />
        <rect x="12" y="42" width="30" height="4" class="ex-ink" />
        <rect x="12" y="52" width="36" height="4" class="ex-ink" />
        <rect x="12" y="64" width="16" height="6" class="ex-cover" />
        {if keep_birth_date {
            view! { <rect x="30" y="64" width="22" height="6" class="ex-keep" /> }.into_any()
        } else {
            view! { <rect x="30" y="64" width="22" height="6" class="ex-cover" /> }.into_any()
        }}
        <rect x="54" y="64" width="14" height="6" class="ex-cover" />
    }
}

fn shapes(category: EvidenceCategory) -> impl IntoView {
    use EvidenceCategory as C;
    match category {
        C::MinorProof => id_card(true).into_any(),
        C::GuardianIdentity => id_card(false).into_any(),
        C::GuardianshipProof => view! {
            <rect x="14" y="4" width="68" height="92" rx="3" class="ex-paper ex-line" />
            <rect x="24" y="14" width="48" height="6" class="ex-ink" />
            <rect x="22" y="30" width="52" height="12" class="ex-keep" />
            <rect x="22" y="48" width="52" height="12" class="ex-keep" />
            <rect x="22" y="66" width="52" height="4" class="ex-soft" />
            <rect x="22" y="76" width="40" height="4" class="ex-soft" />
        }
        .into_any(),
        C::PaymentRecords | C::TransactionRecords => phone(view! {
            <rect x="31" y="18" width="34" height="8" class="ex-keep" />
            <rect x="31" y="32" width="34" height="8" class="ex-soft" />
            <rect x="31" y="46" width="34" height="8" class="ex-soft" />
            <rect x="31" y="60" width="34" height="8" class="ex-soft" />
        })
        .into_any(),
        C::GameAccount => phone(view! {
            <circle cx="48" cy="30" r="9" class="ex-keep" />
            <rect x="34" y="46" width="28" height="5" class="ex-ink" />
            <rect x="34" y="56" width="20" height="4" class="ex-soft" />
        })
        .into_any(),
        C::DeveloperChats | C::ChatRecords => phone(view! {
            <rect x="30" y="18" width="26" height="10" rx="4" class="ex-soft" />
            <rect x="40" y="34" width="26" height="10" rx="4" class="ex-keep" />
            <rect x="30" y="50" width="22" height="10" rx="4" class="ex-soft" />
            <rect x="44" y="66" width="22" height="10" rx="4" class="ex-keep" />
        })
        .into_any(),
        C::ScreenRecordings => phone(view! { <path d="M42 38v24l20-12z" class="ex-keep" /> }).into_any(),
        C::Screenshots => phone(view! {
            <rect x="31" y="18" width="34" height="26" class="ex-soft" />
            <rect x="31" y="50" width="34" height="5" class="ex-ink" />
            <rect x="31" y="60" width="24" height="5" class="ex-soft" />
        })
        .into_any(),
        C::Other => view! {
            <rect x="18" y="8" width="60" height="84" rx="3" class="ex-paper ex-line" />
            <rect x="28" y="22" width="40" height="5" class="ex-ink" />
            <rect x="28" y="34" width="40" height="4" class="ex-soft" />
            <rect x="28" y="44" width="32" height="4" class="ex-soft" />
        }
        .into_any(),
    }
}

/// A thumbnail-sized example of good evidence for `category`, which opens large.
#[component]
pub fn EvidenceExample(
    /// Which category to draw an example of.
    category: EvidenceCategory,
) -> impl IntoView {
    let dialog = NodeRef::<Dialog>::new();
    let title_id = format!("example-{}", category.key());
    let labelled_by = title_id.clone();
    // The native modal dialog keeps focus inside, closes on Escape and returns focus.
    let open = move |_| {
        if let Some(d) = dialog.get() {
            let _ = d.show_modal();
        }
    };
    let close = move |_| {
        if let Some(d) = dialog.get() {
            d.close();
        }
    };
    view! {
        <button type="button" class="example" on:click=open aria-haspopup="dialog">
            <svg viewBox="0 0 96 100" width="72" height="75" aria-hidden="true">
                {shapes(category)}
            </svg>
            <span>{t("ev.example_open")}</span>
        </button>
        <dialog class="example-large" node_ref=dialog aria-labelledby=labelled_by>
            <h4 id=title_id>{t(keys::category(category, None))} " · " {t("ev.example")}</h4>
            <svg viewBox="0 0 96 100" class="example-svg" aria-hidden="true">
                {shapes(category)}
            </svg>
            <ul class="legend">
                <li><svg viewBox="0 0 10 10" width="14" height="14" aria-hidden="true"><rect width="10" height="10" class="ex-keep" /></svg>{t("ev.legend_keep")}</li>
                <li><svg viewBox="0 0 10 10" width="14" height="14" aria-hidden="true"><rect width="10" height="10" class="ex-cover" /></svg>{t("ev.legend_cover")}</li>
            </ul>
            <p>{t(keys::category(category, Some("how")))}</p>
            <button type="button" class="button" on:click=close>{t("ev.example_close")}</button>
        </dialog>
    }
}
