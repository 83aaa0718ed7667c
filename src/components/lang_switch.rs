//! The language switch: one button that flips between 中文 and English.

use leptos::prelude::*;

use crate::i18n::{Locale, switch_to, t, use_locale};

/// Shows the name of the other language, in that language, and switches to it.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let locale = use_locale();
    let other = move || locale.get().other();
    view! {
        <button
            type="button"
            class="lang-switch"
            lang=move || other().tag()
            aria-label=t("lang.switch_label")
            on:click=move |_| switch_to(locale, locale.get_untracked().other())
        >
            {move || match other() {
                Locale::ZhCn => "中文",
                Locale::En => "English",
            }}
        </button>
    }
}
