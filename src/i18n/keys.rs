//! Translation keys built from wire values: states, categories, relations, event kinds,
//! error codes. One place, so the catalog test can check every family.

use refund_api::{
    Actor, CaseKind, CaseState, ComplaintCategory, Demand, ErrorCode, EventKind, EvidenceCategory, RejectReason,
    Relation,
};

use crate::api::ClientCode;

#[must_use]
pub fn state(s: CaseState) -> String {
    format!("state.{}", s.key())
}

#[must_use]
pub fn kind(k: CaseKind) -> String {
    format!("kind.{}", k.key())
}

/// The name of an evidence category; `part` is `None` for the name, or `what`/`why`/`how`.
#[must_use]
pub fn category(c: EvidenceCategory, part: Option<&str>) -> String {
    match part {
        Some(p) => format!("cat.{}.{p}", c.key()),
        None => format!("cat.{}", c.key()),
    }
}

#[must_use]
pub fn relation(r: Relation) -> String {
    format!("relation.{}", r.key())
}

#[must_use]
pub fn complaint_category(c: ComplaintCategory) -> String {
    format!("ccat.{}", c.key())
}

#[must_use]
pub fn demand(d: Demand) -> String {
    format!("demand.{}", d.key())
}

/// The words of a rejection's reason.
#[must_use]
pub fn reject_reason(r: RejectReason) -> String {
    format!("decision.reason.{}", r.key())
}

#[must_use]
pub fn actor(a: Actor) -> String {
    format!("actor.{}", a.key())
}

/// The name of what happened, for a timeline entry, a notification or a webhook delivery.
#[must_use]
pub fn event(kind: EventKind) -> String {
    format!("event.{}", kind.key())
}

/// The name of a timeline entry's kind as the server sent it; `None` for a kind this
/// version of the app does not know yet.
#[must_use]
pub fn event_named(kind: &str) -> Option<String> {
    EventKind::from_key(kind).map(event)
}

/// Error codes the app words itself (`error.<code>`): every code the server can send
/// (the api crate's [`ErrorCode`]) and the app's own ([`ClientCode`]).
#[must_use]
pub fn error_codes() -> Vec<&'static str> {
    let server = ErrorCode::ALL.iter().map(|c| c.key());
    server.chain(ClientCode::ALL.iter().map(|c| c.key())).collect()
}
