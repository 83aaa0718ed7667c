//! Translations: Simplified Chinese first, English second, switchable at any time.
//!
//! Policy: every user-facing string lives in `zh-CN.json` / `en.json` (flat keys, same key
//! set in both, checked by a test). Views call [`t`] for reactive text; handlers and
//! formatted messages call [`tr`] / [`tf`]. The locale is a signal in context, remembered
//! in localStorage and mirrored to `<html lang>`.

pub mod keys;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::OnceLock;

use leptos::prelude::*;

use crate::storage;

const ZH_CN: &str = include_str!("i18n/zh-CN.json");
const EN: &str = include_str!("i18n/en.json");
const STORAGE_KEY: &str = "refund-desk.lang";

/// A language the app speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    #[default]
    ZhCn,
    En,
}

impl Locale {
    /// The BCP 47 tag, for `<html lang>` and storage.
    #[must_use]
    pub fn tag(self) -> &'static str {
        match self {
            Self::ZhCn => "zh-CN",
            Self::En => "en",
        }
    }

    #[must_use]
    pub fn from_tag(tag: &str) -> Option<Self> {
        match tag {
            "zh-CN" => Some(Self::ZhCn),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    /// The other language: the switch has exactly two positions.
    #[must_use]
    pub fn other(self) -> Self {
        match self {
            Self::ZhCn => Self::En,
            Self::En => Self::ZhCn,
        }
    }

    fn source(self) -> &'static str {
        match self {
            Self::ZhCn => ZH_CN,
            Self::En => EN,
        }
    }
}

type Catalog = BTreeMap<&'static str, String>;

fn catalog(locale: Locale) -> &'static Catalog {
    static ZH: OnceLock<Catalog> = OnceLock::new();
    static EN: OnceLock<Catalog> = OnceLock::new();
    let cell = match locale {
        Locale::ZhCn => &ZH,
        Locale::En => &EN,
    };
    cell.get_or_init(|| serde_json::from_str(locale.source()).unwrap_or_default())
}

/// The text of `key` in `locale`, if the catalog has it.
#[must_use]
pub fn lookup(locale: Locale, key: &str) -> Option<&'static str> {
    catalog(locale).get(key).map(String::as_str)
}

/// Whether the catalogs know `key` (used to prefer a translated server error code).
#[must_use]
pub fn has_key(key: &str) -> bool {
    lookup(Locale::default(), key).is_some()
}

/// Replaces `{name}` placeholders in a template.
#[must_use]
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// Starts the translation context: the saved locale (Chinese by default), kept in sync
/// with `<html lang>` and localStorage. Call once, at the root.
pub fn provide_i18n() -> RwSignal<Locale> {
    let saved = storage::get(STORAGE_KEY).and_then(|tag| Locale::from_tag(&tag));
    let locale = RwSignal::new(saved.unwrap_or_default());
    provide_context(locale);
    Effect::new(move |_| {
        let locale = locale.get();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", locale.tag());
        }
        storage::set(STORAGE_KEY, locale.tag());
    });
    locale
}

/// The current locale signal (falls back to a fixed Chinese locale outside the app root).
#[must_use]
pub fn use_locale() -> RwSignal<Locale> {
    use_context::<RwSignal<Locale>>().unwrap_or_else(|| RwSignal::new(Locale::default()))
}

/// Reactive text for views: re-renders when the language changes.
pub fn t(key: impl Into<Cow<'static, str>>) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    let key = key.into();
    let locale = use_locale();
    move || text(locale.get(), &key)
}

/// The text of `key` in the current language, read now (tracked when inside a reactive scope).
#[must_use]
pub fn tr(key: &str) -> String {
    text(use_locale().get(), key)
}

/// Like [`tr`], with `{name}` placeholders filled in.
#[must_use]
pub fn tf(key: &str, args: &[(&str, &str)]) -> String {
    fill(&tr(key), args)
}

fn text(locale: Locale, key: &str) -> String {
    lookup(locale, key).unwrap_or(key).to_owned()
}

/// Keeps `document.title` as "<page> · <service>" in the current language.
pub fn use_page_title(key: &'static str) {
    let locale = use_locale();
    Effect::new(move |_| {
        let locale = locale.get();
        let page = text(locale, key);
        let app = text(locale, "app.name");
        document().set_title(&format!("{page} · {app}"));
    });
}

#[cfg(test)]
mod tests;
