//! The language switch in a real browser: `<html lang>`, visible text and the remembered choice.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use refund_web::components::lang_switch::LangSwitch;
use refund_web::i18n::{provide_i18n, t};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

mod web_support;

use web_support::settle;

wasm_bindgen_test_configure!(run_in_browser);

fn html_lang() -> String {
    document()
        .document_element()
        .and_then(|e| e.get_attribute("lang"))
        .unwrap_or_default()
}

fn mount_switch() -> (web_sys::HtmlElement, impl Sized) {
    let host = document().create_element("div").expect("div");
    document().body().expect("body").append_child(&host).expect("append");
    let host: web_sys::HtmlElement = host.unchecked_into();
    let handle = leptos::mount::mount_to(host.clone(), || {
        provide_i18n();
        view! {
            <LangSwitch />
            <p id="greeting">{t("app.name")}</p>
        }
    });
    (host, handle)
}

#[wasm_bindgen_test]
async fn the_switch_flips_language_text_and_html_lang_and_is_remembered() {
    let storage = window().local_storage().expect("storage").expect("storage");
    storage.remove_item("refund-desk.lang").expect("clear");
    // The app fetches this catalog from its own server; the test page has none.
    assert!(refund_web::i18n::install_english(include_str!("../src/i18n/en.json")));
    let (host, _handle) = mount_switch();
    settle().await;
    let text = || {
        document()
            .get_element_by_id("greeting")
            .and_then(|e| e.text_content())
            .unwrap_or_default()
    };
    assert_eq!(html_lang(), "zh-CN");
    assert_eq!(text(), "退款服务台");

    let button: web_sys::HtmlElement = host
        .query_selector("button.lang-switch")
        .expect("query")
        .expect("switch button")
        .unchecked_into();
    assert_eq!(button.text_content().as_deref(), Some("English"));
    button.click();
    settle().await;
    assert_eq!(html_lang(), "en");
    assert_eq!(text(), "Refund Desk");
    assert_eq!(button.text_content().as_deref(), Some("中文"));
    assert_eq!(
        storage.get_item("refund-desk.lang").expect("read").as_deref(),
        Some("en")
    );

    button.click();
    settle().await;
    assert_eq!(html_lang(), "zh-CN");
    host.remove();

    // A fresh start (the web view reopened) uses the remembered language.
    storage.set_item("refund-desk.lang", "en").expect("write");
    let (host, _again) = mount_switch();
    settle().await;
    assert_eq!(html_lang(), "en");
    assert_eq!(text(), "Refund Desk");
    storage.remove_item("refund-desk.lang").expect("clear");
    host.remove();
}
