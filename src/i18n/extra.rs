//! A second catalog an app adds on top of the shared one: the console's words (Chinese
//! built in, English fetched when first chosen). Compiled only with the `console` feature.

use std::sync::OnceLock;

use super::{Catalog, Locale, fetch_text};

struct Extra {
    zh: Catalog,
    en_url: &'static str,
    en: OnceLock<Catalog>,
}

static EXTRA: OnceLock<Extra> = OnceLock::new();

/// Adds an app's own catalog: its Chinese JSON (built in) and where its English one is
/// fetched from. Call once, before `provide_i18n`.
pub fn add_catalog(zh_json: &str, en_url: &'static str) {
    let _already = EXTRA.set(Extra {
        zh: serde_json::from_str(zh_json).unwrap_or_default(),
        en_url,
        en: OnceLock::new(),
    });
}

/// The added catalog's text of `key`, if there is one and it has arrived.
pub fn lookup(locale: Locale, key: &str) -> Option<&'static str> {
    let extra = EXTRA.get()?;
    let catalog = match locale {
        Locale::ZhCn => Some(&extra.zh),
        Locale::En => extra.en.get(),
    }?;
    catalog.get(key).map(String::as_str)
}

/// Whether the added catalog (if any) has `locale`.
pub fn loaded(locale: Locale) -> bool {
    EXTRA
        .get()
        .is_none_or(|extra| locale == Locale::ZhCn || extra.en.get().is_some())
}

/// Fetches the added catalog's English unless it is there; false when it cannot be had.
pub async fn fetch_english() -> bool {
    let Some(extra) = EXTRA.get() else {
        return true;
    };
    if extra.en.get().is_some() {
        return true;
    }
    match fetch_text(extra.en_url)
        .await
        .map(|json| serde_json::from_str::<Catalog>(&json))
    {
        Some(Ok(catalog)) => {
            let _already = extra.en.set(catalog);
            true
        }
        _ => false,
    }
}
