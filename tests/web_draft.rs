//! The application draft in a real browser: saved to localStorage on every change and
//! restored when the form opens again (the web view may be closed at any moment).
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use leptos_router::components::Router;
use refund_api::{CaseKind, EvidenceLimits, OrderView, SessionView};
use refund_web::components::wizard::CaseForm;
use refund_web::draft::Draft;
use refund_web::storage;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

mod web_support;

use web_support::settle;

wasm_bindgen_test_configure!(run_in_browser);

fn session() -> SessionView {
    SessionView {
        appid: "wx-test".into(),
        game_name: "Test game".into(),
        nickname: "tester".into(),
        limits: EvidenceLimits {
            max_file_bytes: 1 << 20,
            max_files_per_case: 5,
        },
        minor_refund_due_days: 2,
        complaint_due_days: 5,
        retention_days: 180,
        privacy_consent: false,
    }
}

fn orders() -> Vec<OrderView> {
    vec![OrderView {
        order_no: "P1".into(),
        item: "60 gems".into(),
        amount_fen: 600,
        refunded_fen: 0,
        refundable_fen: 600,
        paid_at: chrono::DateTime::parse_from_rfc3339("2025-09-01T20:15:00+08:00").expect("valid"),
        open_case: None,
    }]
}

fn mount_form() -> (web_sys::HtmlElement, impl Sized) {
    let host = document().create_element("div").expect("div");
    document().body().expect("body").append_child(&host).expect("append");
    let host: web_sys::HtmlElement = host.unchecked_into();
    let handle = leptos::mount::mount_to(host.clone(), || {
        refund_web::i18n::provide_i18n();
        view! {
            <Router>
                <CaseForm kind=CaseKind::MinorRefund session=session() orders=orders() />
            </Router>
        }
    });
    (host, handle)
}

#[wasm_bindgen_test]
fn a_draft_round_trips_through_local_storage() {
    let key = Draft::storage_key(CaseKind::Complaint, "wx-round-trip");
    let mut draft = Draft::new(CaseKind::Complaint, "idem-1".into());
    draft.narrative = "游戏活动奖励一直没有发放".into();
    storage::save_draft(&key, &draft);
    assert_eq!(storage::load_draft(&key, CaseKind::Complaint), Some(draft));
    assert_eq!(storage::load_draft(&key, CaseKind::MinorRefund), None);
    storage::remove(&key);
    assert_eq!(storage::load_draft(&key, CaseKind::Complaint), None);
}

#[wasm_bindgen_test]
async fn the_form_reopens_where_it_was_left_and_saves_each_keystroke() {
    let key = Draft::storage_key(CaseKind::MinorRefund, "wx-test");
    let mut saved = Draft::new(CaseKind::MinorRefund, "idem-2".into());
    saved.step = 2;
    saved.order_nos = vec!["P1".into(), "gone".into()];
    saved.narrative = "孩子用我的手机".into();
    storage::save_draft(&key, &saved);

    let (host, _handle) = mount_form();
    settle().await;
    let heading = document().get_element_by_id("step-heading").expect("step heading");
    assert_eq!(heading.text_content().as_deref(), Some("事情经过"));
    let current = host
        .query_selector("[aria-current=step]")
        .expect("query")
        .expect("current step");
    assert!(current.text_content().unwrap_or_default().contains('3'));
    let area: web_sys::HtmlTextAreaElement = document()
        .get_element_by_id("f-narrative")
        .expect("narrative")
        .unchecked_into();
    assert_eq!(area.value(), "孩子用我的手机");

    area.set_value("孩子用我的手机玩游戏时充值了");
    let input = web_sys::Event::new("input").expect("event");
    area.dispatch_event(&input).expect("dispatch");
    settle().await;
    let stored = storage::load_draft(&key, CaseKind::MinorRefund).expect("saved");
    assert_eq!(stored.narrative, "孩子用我的手机玩游戏时充值了");
    assert_eq!(stored.order_nos, ["P1"], "unknown orders are dropped on restore");
    assert_eq!(stored.idempotency_key, "idem-2", "the key survives with the draft");

    storage::remove(&key);
    host.remove();
}
