//! localStorage: the language, drafts, and tracking keys of cases submitted from this device.
//!
//! Policy: storage is best effort. Private modes and full quotas make it fail; the app then
//! works without remembering, so every function here swallows errors.

use crate::draft::Draft;
use refund_api::CaseKind;

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

#[must_use]
pub fn get(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok()?
}

pub fn set(key: &str, value: &str) {
    if let Some(s) = local_storage() {
        let _ = s.set_item(key, value);
    }
}

pub fn remove(key: &str) {
    if let Some(s) = local_storage() {
        let _ = s.remove_item(key);
    }
}

fn tracking_storage_key(case_no: &str) -> String {
    format!("refund-desk.tracking.{case_no}")
}

/// The tracking key of a case, if this device submitted it or created a link for it.
#[must_use]
pub fn tracking_key(case_no: &str) -> Option<String> {
    get(&tracking_storage_key(case_no)).filter(|k| !k.is_empty())
}

pub fn save_tracking_key(case_no: &str, key: &str) {
    set(&tracking_storage_key(case_no), key);
}

/// The saved draft under `key`, if there is a readable one of this kind.
#[must_use]
pub fn load_draft(key: &str, kind: CaseKind) -> Option<Draft> {
    Draft::from_json(&get(key)?, kind)
}

pub fn save_draft(key: &str, draft: &Draft) {
    set(key, &draft.to_json());
}
