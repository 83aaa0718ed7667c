//! The catalogs agree with each other and with the code that uses them.

use std::collections::BTreeSet;
use std::path::Path;

use refund_api::{Actor, CaseKind, CaseState, ComplaintCategory, Demand, ErrorCode, EvidenceCategory, Relation};

use super::keys;
use super::{Locale, ZH_CN, fill, install_english, lookup};
use crate::api::ClientCode;

const EN: &str = include_str!("en.json");

fn key_set(json: &str) -> BTreeSet<String> {
    let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(json).expect("catalog is a JSON object");
    for (k, v) in &map {
        let text = v.as_str().unwrap_or_else(|| panic!("{k} is not a string"));
        assert!(!text.trim().is_empty(), "{k} is empty");
    }
    map.keys().cloned().collect()
}

#[test]
fn both_catalogs_have_exactly_the_same_keys() {
    let zh = key_set(ZH_CN);
    let en = key_set(EN);
    let only_zh: Vec<_> = zh.difference(&en).collect();
    let only_en: Vec<_> = en.difference(&zh).collect();
    assert!(only_zh.is_empty(), "only in zh-CN.json: {only_zh:?}");
    assert!(only_en.is_empty(), "only in en.json: {only_en:?}");
}

#[test]
fn placeholders_match_between_languages() {
    let placeholders = |s: &str| -> BTreeSet<String> {
        s.split('{')
            .skip(1)
            .filter_map(|p| p.split_once('}').map(|(name, _)| name.to_owned()))
            .collect()
    };
    assert!(install_english(EN));
    for key in key_set(ZH_CN) {
        let zh = lookup(Locale::ZhCn, &key).expect("zh");
        let en = lookup(Locale::En, &key).expect("en");
        assert_eq!(placeholders(zh), placeholders(en), "placeholders of {key}");
    }
}

/// String literals in the sources that look like keys of a catalog namespace.
fn literal_keys(source: &str, namespaces: &BTreeSet<&str>) -> Vec<String> {
    let mut found = Vec::new();
    let mut parts = source.split('"');
    parts.next();
    // Every other piece between quotes is a literal; escaped quotes do not occur in keys.
    while let Some(lit) = parts.next() {
        let looks_like_key = lit.contains('.')
            && lit
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.');
        if looks_like_key
            && let Some((ns, _)) = lit.split_once('.')
            && namespaces.contains(ns)
        {
            found.push(lit.to_owned());
        }
        parts.next();
    }
    found
}

/// The literal arguments of `t("…")`, `tr("…")` and `tf("…"` calls (not `get("…")`).
fn call_keys(source: &str) -> Vec<&str> {
    let mut keys = Vec::new();
    for call in ["t(\"", "tr(\"", "tf(\""] {
        let mut rest = source;
        while let Some(at) = rest.find(call) {
            let before = rest[..at].chars().next_back();
            let after = &rest[at + call.len()..];
            if !before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                keys.push(after.split('"').next().unwrap_or_default());
            }
            rest = after;
        }
    }
    keys
}

#[test]
fn key_calls_are_found_but_other_calls_are_not() {
    let source = r#"t("a.b") {tr("c.d")} tf("e.f", &[]) q.get("no") x.expect("valid") at("x")"#;
    assert_eq!(call_keys(source), ["a.b", "c.d", "e.f"]);
}

fn rust_sources(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).expect("readable src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs")
            && !path.ends_with("i18n/tests.rs")
            && !path.ends_with("console/tests.rs")
        {
            let text = std::fs::read_to_string(&path).expect("utf-8 source");
            out.push((path.display().to_string(), text));
        }
    }
}

#[test]
fn every_key_used_by_the_code_exists() {
    // The console's own catalog is checked with the rest: its keys count as known.
    let mut known = key_set(ZH_CN);
    known.extend(key_set(include_str!("../console/i18n/zh-CN.json")));
    let namespaces: BTreeSet<&str> = known.iter().filter_map(|k| k.split('.').next()).collect();
    let mut sources = Vec::new();
    rust_sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut sources);
    assert!(sources.len() > 10, "found the sources");
    let mut missing = Vec::new();
    let mut used = 0;
    for (file, text) in &sources {
        for key in call_keys(text) {
            used += 1;
            if !known.contains(key) {
                missing.push(format!("{file}: {key}"));
            }
        }
        for key in literal_keys(text, &namespaces) {
            if !known.contains(&key) {
                missing.push(format!("{file}: {key}"));
            }
        }
    }
    assert!(used > 50, "found the t(...) calls");
    assert!(missing.is_empty(), "keys missing from the catalogs: {missing:#?}");
}

#[test]
fn every_wire_value_has_a_translation() {
    let known = key_set(ZH_CN);
    let mut wanted: Vec<String> = Vec::new();
    for s in CaseState::ALL {
        wanted.push(keys::state(s));
    }
    for k in [CaseKind::MinorRefund, CaseKind::Complaint] {
        wanted.push(keys::kind(k));
    }
    for c in EvidenceCategory::MINOR_REFUND
        .iter()
        .chain(&EvidenceCategory::COMPLAINT)
    {
        for part in [None, Some("what"), Some("why"), Some("how")] {
            wanted.push(keys::category(*c, part));
        }
    }
    for r in [Relation::Father, Relation::Mother, Relation::OtherGuardian] {
        wanted.push(keys::relation(r));
    }
    for r in refund_api::AppealReason::ALL {
        wanted.push(format!("appeal.reason.{}", r.key()));
    }
    for c in [
        ComplaintCategory::BrokenFeature,
        ComplaintCategory::PrivacyLeak,
        ComplaintCategory::FalseAdvertising,
        ComplaintCategory::FraudOrInducement,
        ComplaintCategory::Other,
    ] {
        wanted.push(keys::complaint_category(c));
    }
    for d in [Demand::Refund, Demand::Compensation, Demand::Fix, Demand::Explanation] {
        wanted.push(keys::demand(d));
    }
    // What a refused file was found to be, as the `unsupported_type` wording names it.
    wanted.extend(refund_api::FoundKind::ALL.iter().map(|f| format!("found.{}", f.key())));
    for a in [Actor::Player, Actor::Developer, Actor::Platform, Actor::System] {
        wanted.push(keys::actor(a));
    }
    wanted.extend(keys::error_codes().iter().map(|c| format!("error.{c}")));
    wanted.extend(refund_api::EventKind::ALL.into_iter().map(keys::event));
    wanted.extend(refund_api::RejectReason::ALL.into_iter().map(keys::reject_reason));
    // The codes a parent most often meets before reaching a form (a broken or used
    // launch link, no connection) also say what to do next.
    let advised = [
        ClientCode::Network.key(),
        ClientCode::MissingTicket.key(),
        ErrorCode::Internal.key(),
        ErrorCode::NoSession.key(),
        ErrorCode::TicketMalformed.key(),
        ErrorCode::TicketForged.key(),
        ErrorCode::TicketExpired.key(),
        ErrorCode::TicketExpiryTooFar.key(),
        ErrorCode::UnknownGame.key(),
        ErrorCode::TicketReused.key(),
        ErrorCode::NotFound.key(),
    ];
    wanted.extend(advised.iter().map(|c| format!("advice.{c}")));
    let missing: Vec<_> = wanted.iter().filter(|k| !known.contains(*k)).collect();
    assert!(missing.is_empty(), "missing translations: {missing:?}");
}

#[test]
fn keys_are_built_from_wire_names() {
    assert_eq!(keys::relation(Relation::OtherGuardian), "relation.other_guardian");
    assert_eq!(keys::relation(Relation::Mother), "relation.mother");
    assert_eq!(
        keys::event(refund_api::EventKind::AppealDecided),
        "event.appeal_decided"
    );
    assert_eq!(keys::event_named("submitted").as_deref(), Some("event.submitted"));
    assert_eq!(keys::event_named("something_new"), None);
}

#[test]
fn chinese_is_the_default_and_placeholders_are_filled() {
    assert_eq!(Locale::default(), Locale::ZhCn);
    assert_eq!(Locale::from_tag("en"), Some(Locale::En));
    assert_eq!(Locale::ZhCn.other(), Locale::En);
    assert_eq!(lookup(Locale::ZhCn, "app.name"), Some("退款服务台"));
    assert_eq!(fill("还剩 {n} 个工作日", &[("n", "2")]), "还剩 2 个工作日");
}

/// The static shell in `index.html` paints Chinese words before the app (and its catalog)
/// has loaded, and English ones (`data-en`, `data-label-en`) for a reader who chose
/// English; both must be the catalogs' own, or the page would change under the reader
/// when the app takes over.
#[test]
fn the_static_shell_speaks_the_catalogs_words() {
    let html = include_str!("../../index.html");
    let catalog =
        |json: &str| -> serde_json::Map<String, serde_json::Value> { serde_json::from_str(json).expect("catalog") };
    let (zh, en) = (catalog(ZH_CN), catalog(EN));
    let expected = |words: &serde_json::Map<String, serde_json::Value>, key: &str| {
        words
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or_else(|| panic!("{key} is not in both catalogs"))
            .to_owned()
    };
    let attribute_in = |tag: &str, name: &str| {
        let at = tag
            .find(&format!(" {name}=\""))
            .unwrap_or_else(|| panic!("{name} missing in {tag}"));
        let value = &tag[at + name.len() + 3..];
        value[..value.find('"').expect("closed attribute")]
            .replace("&quot;", "\"")
            .replace("&amp;", "&")
    };
    let mut checked = 0;
    for (attribute, value_of) in [("data-key=\"", Shell::Text), ("data-label-key=\"", Shell::AriaLabel)] {
        for (at, _) in html.match_indices(attribute) {
            let rest = &html[at + attribute.len()..];
            let key = &rest[..rest.find('"').expect("closed attribute")];
            let tag = &html
                [html[..at].rfind('<').expect("tag start")..at + attribute.len() + rest.find('>').expect("tag end")];
            let (shown, english) = match value_of {
                Shell::Text => {
                    let text = &rest[rest.find('>').expect("tag end") + 1..];
                    (
                        text[..text.find('<').expect("text end")].to_owned(),
                        attribute_in(tag, "data-en"),
                    )
                }
                Shell::AriaLabel => (attribute_in(tag, "aria-label"), attribute_in(tag, "data-label-en")),
            };
            assert_eq!(shown, expected(&zh, key), "index.html shows {key} as {shown:?}");
            assert_eq!(
                english,
                expected(&en, key),
                "index.html's English for {key} is {english:?}"
            );
            checked += 1;
        }
    }
    assert!(
        checked >= 15,
        "only {checked} shell texts found: has the shell lost its keys?"
    );
}

/// The shell's script reads the language the app remembers and starts the fetch of the
/// catalog the app installs; both names are the app's own.
#[test]
fn the_shell_reads_the_apps_language_choice() {
    let html = include_str!("../../index.html");
    assert!(html.contains(&format!("localStorage.getItem(\"{}\") === \"en\"", super::STORAGE_KEY)));
    assert!(html.contains(&format!("fetch(\"{}\")", super::EN_URL)));
    assert_eq!(
        html.matches(" data-en=").count(),
        html.matches(" data-key=").count(),
        "every shell text has its English"
    );
}

#[derive(Clone, Copy)]
enum Shell {
    Text,
    AriaLabel,
}
