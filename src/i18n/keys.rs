//! Translation keys built from wire values: states, categories, relations, event kinds,
//! error codes. One place, so the catalog test can check every family.

use refund_api::{Actor, CaseKind, CaseState, ComplaintCategory, Demand, EvidenceCategory, Relation};
use serde::Serialize;

/// The snake_case wire name of a unit enum variant, e.g. `other_guardian`.
#[must_use]
pub fn wire_name<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

#[must_use]
pub fn state(s: CaseState) -> String {
    format!("state.{}", s.key())
}

#[must_use]
pub fn kind(k: CaseKind) -> String {
    format!("kind.{}", wire_name(&k))
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
    format!("relation.{}", wire_name(&r))
}

#[must_use]
pub fn complaint_category(c: ComplaintCategory) -> String {
    format!("ccat.{}", wire_name(&c))
}

#[must_use]
pub fn demand(d: Demand) -> String {
    format!("demand.{}", wire_name(&d))
}

#[must_use]
pub fn actor(a: Actor) -> String {
    format!("actor.{}", wire_name(&a))
}

/// Timeline event kinds the server writes today; an unknown kind is shown by its name.
pub const EVENT_KINDS: &[&str] = &[
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
];

/// The key of a timeline event kind, if it is a known one.
#[must_use]
pub fn event(kind: &str) -> Option<String> {
    EVENT_KINDS.contains(&kind).then(|| format!("event.{kind}"))
}

/// Error codes of the HTTP contract with a translated explanation (`error.<code>`); other
/// codes fall back to the server's message.
pub const ERROR_CODES: &[&str] = &[
    "network",
    "bad_response",
    "internal",
    "no_session",
    "missing_ticket",
    "ticket_malformed",
    "ticket_forged",
    "ticket_expired",
    "unknown_game",
    "ticket_reused",
    "file_too_large",
    "unsupported_type",
    "empty_file",
    "too_many_files",
    "order_not_found",
    "order_in_open_case",
    "not_found",
    "validation",
    "invalid_phone",
    "invalid_name",
    "invalid_birth_month",
    "not_a_minor",
    "invalid_title",
    "narrative_too_short",
    "narrative_too_long",
    "missing_evidence",
    "no_orders",
    "duplicate_order",
    "order_fully_refunded",
    "amount_overflow",
    "evidence_not_found",
    "evidence_taken",
    "wrong_evidence_category",
    "missing_guardian",
    "missing_complaint",
    "idempotency_key_reused",
    "not_allowed_now",
    "reason_too_long",
    "upload_interrupted",
];

/// Codes that also have advice on what to do next (`advice.<code>`).
pub const ADVICE_CODES: &[&str] = &[
    "network",
    "internal",
    "no_session",
    "missing_ticket",
    "ticket_malformed",
    "ticket_forged",
    "ticket_expired",
    "unknown_game",
    "ticket_reused",
    "not_found",
];
