//! The console's catalog: complete in both languages, kept apart from the player's, and
//! never used by the player app (which does not load it).

use std::collections::BTreeSet;
use std::path::Path;

const ZH: &str = include_str!("i18n/zh-CN.json");
const EN: &str = include_str!("i18n/en.json");
const SHARED_ZH: &str = include_str!("../i18n/zh-CN.json");

fn keys(json: &str) -> BTreeSet<String> {
    let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(json).expect("a JSON object");
    for (key, value) in &map {
        assert!(value.as_str().is_some_and(|v| !v.trim().is_empty()), "{key} is empty");
    }
    map.keys().cloned().collect()
}

#[test]
fn both_console_catalogs_have_the_same_keys_all_under_console() {
    let (zh, en) = (keys(ZH), keys(EN));
    assert_eq!(zh, en, "zh-CN and en differ");
    assert!(zh.len() > 40, "found the console's keys");
    let outside: Vec<_> = zh.iter().filter(|k| !k.starts_with("console.")).collect();
    assert!(outside.is_empty(), "console keys outside `console.`: {outside:?}");
    let in_shared: Vec<_> = keys(SHARED_ZH)
        .into_iter()
        .filter(|k| k.starts_with("console."))
        .collect();
    assert!(
        in_shared.is_empty(),
        "console words in the player's catalog: {in_shared:?}"
    );
}

#[test]
fn console_placeholders_match_between_languages() {
    let zh: serde_json::Map<String, serde_json::Value> = serde_json::from_str(ZH).expect("zh");
    let en: serde_json::Map<String, serde_json::Value> = serde_json::from_str(EN).expect("en");
    let names = |s: &str| -> BTreeSet<String> {
        s.split('{')
            .skip(1)
            .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_owned()))
            .collect()
    };
    for (key, text) in &zh {
        let other = en[key].as_str().unwrap_or_default();
        assert_eq!(
            names(text.as_str().unwrap_or_default()),
            names(other),
            "placeholders of {key}"
        );
    }
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).expect("readable") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push((
                path.display().to_string(),
                std::fs::read_to_string(&path).expect("utf-8"),
            ));
        }
    }
}

#[test]
fn the_player_app_uses_no_console_words() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    sources(&src, &mut all);
    let console_dir = src.join("console").display().to_string();
    let offenders: Vec<_> = all
        .iter()
        .filter(|(file, _)| {
            !file.starts_with(&console_dir) && !file.ends_with("console.rs") && !file.ends_with("tests.rs")
        })
        .filter(|(_, text)| text.contains("\"console."))
        .map(|(file, _)| file.clone())
        .collect();
    assert!(all.len() > 20, "found the sources");
    assert!(offenders.is_empty(), "player code using console words: {offenders:?}");
}

#[test]
fn every_credit_cause_and_report_state_has_console_words() {
    let zh = keys(ZH);
    for cause in refund_api::CreditCause::ALL {
        let key = format!("console.credit.cause.{}", cause.key());
        assert!(zh.contains(&key), "{key} is missing");
    }
    for state in refund_api::ForceMajeureState::ALL {
        let key = format!("console.fm.state.{}", state.key());
        assert!(zh.contains(&key), "{key} is missing");
    }
}
