//! Every word both sides share as an enum has one spelling: its `key()` is exactly what
//! serde writes on the wire, so the app and the server can build translation keys, form
//! values and stored columns from `key()` without a serde round trip.

use std::fmt::Debug;

use refund_api::*;
use serde::Serialize;

/// Fails with the first value of `all` whose key is not its JSON string.
fn keys_are_wire_names<T: Serialize + Debug + Copy>(all: &[T], key: fn(T) -> &'static str) {
    assert!(!all.is_empty());
    for value in all {
        let written = serde_json::to_string(value).expect("written");
        assert_eq!(written, format!("\"{}\"", key(*value)), "{value:?}");
    }
}

#[test]
fn each_shared_enum_spells_its_key_as_serde_does() {
    keys_are_wire_names(&AppealReason::ALL, AppealReason::key);
    keys_are_wire_names(&CaseKind::ALL, CaseKind::key);
    keys_are_wire_names(&CaseState::ALL, CaseState::key);
    keys_are_wire_names(&Relation::ALL, Relation::key);
    keys_are_wire_names(&Actor::ALL, Actor::key);
    keys_are_wire_names(&EventKind::ALL, EventKind::key);
    keys_are_wire_names(&ComplaintCategory::ALL, ComplaintCategory::key);
    keys_are_wire_names(&Demand::ALL, Demand::key);
    keys_are_wire_names(&CreditCause::ALL, CreditCause::key);
    keys_are_wire_names(&Outcome::ALL, Outcome::key);
    keys_are_wire_names(&RejectReason::ALL, RejectReason::key);
    keys_are_wire_names(&DecisionRound::ALL, DecisionRound::key);
    keys_are_wire_names(&ForceMajeureState::ALL, ForceMajeureState::key);
    keys_are_wire_names(&DeliveryStatus::ALL, DeliveryStatus::key);
    keys_are_wire_names(&FoundKind::ALL, FoundKind::key);
    keys_are_wire_names(&StaffRole::ALL, StaffRole::key);
}

#[test]
fn a_delivery_status_is_read_back_from_its_key_and_nothing_else() {
    for status in DeliveryStatus::ALL {
        assert_eq!(DeliveryStatus::from_key(status.key()), Some(status));
    }
    assert_eq!(DeliveryStatus::from_key("lost"), None);
}
