//! Translations: Simplified Chinese first, English second, switchable at any time.
//!
//! Policy: every user-facing string lives in `zh-CN.json` / `en.json` (flat keys, same key
//! set in both, checked by a test). Views call [`t`] for reactive text; handlers and
//! formatted messages call [`tr`] / [`tf`]. The locale is a signal in context, remembered
//! in localStorage and mirrored to `<html lang>`. Chinese, the first language, is built
//! in; the English catalog is fetched (`/i18n/en.json`) the first time it is chosen, so
//! it costs nothing on a Chinese first load.
//!
//! The console adds a catalog of its own (keys under `console.`) with `add_catalog`; that
//! code and those words exist only with the `console` feature, which the player's bundle
//! is built without.

#[cfg(feature = "console")]
mod extra;
pub mod keys;

#[cfg(feature = "console")]
pub use extra::add_catalog;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::OnceLock;

use leptos::prelude::*;

use crate::storage;

const ZH_CN: &str = include_str!("i18n/zh-CN.json");
const STORAGE_KEY: &str = "refund-desk.lang";
/// Where the build puts the English catalog (see index.html).
const EN_URL: &str = "/i18n/en.json";

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
}

type Catalog = BTreeMap<String, String>;

static ZH: OnceLock<Catalog> = OnceLock::new();
static EN: OnceLock<Catalog> = OnceLock::new();

/// The catalog of `locale`, once it is there (Chinese always is).
fn catalog(locale: Locale) -> Option<&'static Catalog> {
    match locale {
        Locale::ZhCn => Some(ZH.get_or_init(|| serde_json::from_str(ZH_CN).unwrap_or_default())),
        Locale::En => EN.get(),
    }
}

/// Whether every catalog `locale` needs is loaded.
fn loaded(locale: Locale) -> bool {
    #[cfg(feature = "console")]
    if !extra::loaded(locale) {
        return false;
    }
    catalog(locale).is_some()
}

/// Installs the English catalog from its JSON; false when the JSON is not a catalog.
pub fn install_english(json: &str) -> bool {
    match serde_json::from_str::<Catalog>(json) {
        Ok(catalog) => {
            let _already = EN.set(catalog);
            true
        }
        Err(_) => false,
    }
}

/// The text of `key` in `locale`, if a catalog has it.
#[must_use]
pub fn lookup(locale: Locale, key: &str) -> Option<&'static str> {
    #[cfg(feature = "console")]
    if let Some(text) = extra::lookup(locale, key) {
        return Some(text);
    }
    catalog(locale)?.get(key).map(String::as_str)
}

/// Fetches a catalog's text; `None` when it cannot be had.
async fn fetch_text(url: &str) -> Option<String> {
    match gloo_net::http::Request::get(url).send().await {
        Ok(response) if response.ok() => response.text().await.ok(),
        _ => None,
    }
}

/// Switches the app to `target`, fetching its catalog first when it is not loaded yet
/// (the page stays in the current language until it arrives; if it cannot be fetched,
/// the page stays as it is and the next start tries again).
pub fn switch_to(locale: RwSignal<Locale>, target: Locale) {
    // Remember the choice at once: a page left before the catalog arrives keeps it.
    storage::set(STORAGE_KEY, target.tag());
    if loaded(target) {
        locale.set(target);
        return;
    }
    leptos::task::spawn_local(async move {
        if catalog(target).is_none() && !fetch_text(EN_URL).await.is_some_and(|json| install_english(&json)) {
            return;
        }
        #[cfg(feature = "console")]
        if !extra::fetch_english().await {
            return;
        }
        locale.set(target);
    });
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

/// The language the reader chose last time, if any.
fn saved_locale() -> Option<Locale> {
    storage::get(STORAGE_KEY).and_then(|tag| Locale::from_tag(&tag))
}

/// Before the app's first render: when the reader chose English, installs the catalog the
/// shell's script is fetching (`window.refundEnglish`, given up after 3 s), so the app
/// mounts in English over the shell's English (index.html) instead of mounting in Chinese
/// and turning English a moment later. Without that fetch, or without an answer, the app
/// mounts at once and [`provide_i18n`] fetches the catalog as on any start.
pub async fn load_saved_catalog() {
    use wasm_bindgen::JsCast;

    if saved_locale() != Some(Locale::En) || catalog(Locale::En).is_some() {
        return;
    }
    let Some(started) = js_sys::Reflect::get(&window(), &"refundEnglish".into())
        .ok()
        .and_then(|value| value.dyn_into::<js_sys::Promise>().ok())
    else {
        return;
    };
    let json = wasm_bindgen_futures::JsFuture::from(started)
        .await
        .ok()
        .and_then(|text| text.as_string());
    if let Some(json) = json {
        install_english(&json);
    }
}

/// Starts the translation context: the saved locale (Chinese by default), mirrored to
/// `<html lang>`. Call once, at the root.
pub fn provide_i18n() -> RwSignal<Locale> {
    let saved = saved_locale();
    let locale = RwSignal::new(Locale::default());
    provide_context(locale);
    if let Some(saved) = saved {
        switch_to(locale, saved);
    }
    // Only `<html lang>` follows the locale; the remembered choice is written by
    // `switch_to` alone, so a catalog that has not arrived yet (the page still Chinese)
    // never overwrites a reader's choice of English.
    Effect::new(move |_| {
        let locale = locale.get();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", locale.tag());
        }
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

/// Items joined as a list in the current language ("甲、乙" / "A, B").
#[must_use]
pub fn list(items: impl IntoIterator<Item = String>) -> String {
    items.into_iter().collect::<Vec<_>>().join(&tr("list.separator"))
}

fn text(locale: Locale, key: &str) -> String {
    lookup(locale, key)
        .or_else(|| lookup(Locale::ZhCn, key))
        .unwrap_or(key)
        .to_owned()
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
