//! Translation keys built from wire values: states, categories, relations, event kinds,
//! error codes. One place, so the catalog test can check every family.

use refund_api::{Actor, CaseKind, CaseState, ComplaintCategory, Demand, EvidenceCategory, Relation};

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

#[must_use]
pub fn actor(a: Actor) -> String {
    format!("actor.{}", a.key())
}

/// Timeline event kinds the server writes today; an unknown kind is shown by its name.
pub const EVENT_KINDS: &[&str] = &[
    "phone_revealed",
    "due_soon",
    "submitted",
    "decided",
    "appealed",
    "appeal_decided",
    "escalated",
    "platform_decided",
    "accepted",
    "withdrawn",
    "closed",
    "overdue",
    "appeal_overdue",
    "message",
    "refund_issued",
    "tracking_key_reset",
    "force_majeure",
    "deadline_extended",
    "files_deleted",
];

/// The key of a timeline event kind, if it is a known one.
#[must_use]
pub fn event(kind: &str) -> Option<String> {
    EVENT_KINDS.contains(&kind).then(|| format!("event.{kind}"))
}

/// Error codes the app words itself (`error.<code>`): every code the server can send
/// (the api crate's [`ErrorCode`](refund_api::ErrorCode)) and the app's own.
#[must_use]
pub fn error_codes() -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = refund_api::ErrorCode::ALL.iter().map(|c| c.key()).collect();
    codes.extend(CLIENT_ERROR_CODES);
    codes
}

/// Codes the app gives failures that never reached the server or came back unreadable.
pub const CLIENT_ERROR_CODES: [&str; 4] = ["network", "bad_response", "missing_ticket", "validation"];

/// Codes that also have advice on what to do next (`advice.<code>`).
pub const ADVICE_CODES: &[&str] = &[
    "network",
    "internal",
    "no_session",
    "missing_ticket",
    "ticket_malformed",
    "ticket_forged",
    "ticket_expired",
    "ticket_expiry_too_far",
    "unknown_game",
    "ticket_reused",
    "not_found",
];
