//! The application draft: everything entered so far, kept in localStorage on every change
//! so it survives closing the game's web view, and cleared after a successful submission.
//!
//! Policy: the draft is plain data (serde) with lenient defaults, so a draft saved by an
//! older version of the app still loads; anything it cannot read is dropped, never fatal.

use refund_api::{CaseKind, ComplaintCategory, Demand, EvidenceCategory, EvidenceView, OrderView, Relation};
use serde::{Deserialize, Serialize};

/// The guardian step as typed, before validation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct GuardianDraft {
    pub relation: Option<Relation>,
    pub name: String,
    pub phone: String,
    pub birth_year: Option<i32>,
    pub birth_month: Option<u32>,
}

/// The complaint's "what about" step as typed, before validation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ComplaintDraft {
    pub category: Option<ComplaintCategory>,
    /// Chosen demands, kept in the order of [`Demand::ALL`].
    pub demands: Vec<Demand>,
    pub title: String,
    /// A mobile number or e-mail address, as typed.
    pub contact: String,
}

/// One application in progress, minor refund or complaint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub kind: CaseKind,
    /// Index into [`crate::form::steps_for`] of the kind.
    #[serde(default)]
    pub step: usize,
    #[serde(default)]
    pub order_nos: Vec<String>,
    #[serde(default)]
    pub guardian: GuardianDraft,
    #[serde(default)]
    pub complaint: ComplaintDraft,
    #[serde(default)]
    pub narrative: String,
    /// Files already uploaded (not yet attached to a case).
    #[serde(default)]
    pub evidence: Vec<EvidenceView>,
    /// Sent as `Idempotency-Key`; made once per draft so a retried submission creates one case.
    pub idempotency_key: String,
}

impl Draft {
    #[must_use]
    pub fn new(kind: CaseKind, idempotency_key: String) -> Self {
        Self {
            kind,
            step: 0,
            order_nos: Vec::new(),
            guardian: GuardianDraft::default(),
            complaint: ComplaintDraft::default(),
            narrative: String::new(),
            evidence: Vec::new(),
            idempotency_key,
        }
    }

    /// Whether the parent has put anything into it: then home offers to continue it.
    #[must_use]
    pub fn is_started(&self) -> bool {
        self.step > 0 || !self.order_nos.is_empty() || !self.narrative.trim().is_empty() || !self.evidence.is_empty()
    }

    /// The localStorage key of the draft of `kind` for one game: a draft for another game's
    /// orders must not leak into this one.
    #[must_use]
    pub fn storage_key(kind: CaseKind, appid: &str) -> String {
        format!("refund-desk.draft.{appid}.{}", kind.key())
    }

    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a saved draft; `None` if it is missing, unreadable or of another kind.
    #[must_use]
    pub fn from_json(json: &str, kind: CaseKind) -> Option<Self> {
        serde_json::from_str::<Self>(json)
            .ok()
            .filter(|d| d.kind == kind && !d.idempotency_key.is_empty())
    }

    /// Required evidence categories without any uploaded file, in the form's order.
    #[must_use]
    pub fn missing_evidence(&self) -> Vec<EvidenceCategory> {
        EvidenceCategory::for_kind(self.kind)
            .iter()
            .copied()
            .filter(|c| c.is_required_for(self.kind))
            .filter(|c| !self.evidence.iter().any(|e| e.category == *c))
            .collect()
    }

    /// Drops chosen orders that can no longer be claimed (unknown, refunded, or now in an open case).
    pub fn keep_claimable_orders(&mut self, orders: &[OrderView]) {
        self.order_nos
            .retain(|no| orders.iter().any(|o| &o.order_no == no && is_claimable(o)));
    }

    /// Sum of the refundable amounts of the chosen orders, in fen.
    #[must_use]
    pub fn chosen_total_fen(&self, orders: &[OrderView]) -> i64 {
        orders
            .iter()
            .filter(|o| self.order_nos.contains(&o.order_no))
            .map(|o| o.refundable_fen)
            .sum()
    }
}

/// Whether an order may be chosen: money left to refund and no open case holding it.
#[must_use]
pub fn is_claimable(order: &OrderView) -> bool {
    order.refundable_fen > 0 && order.open_case.is_none()
}

/// Formats 16 random bytes as a version-4 UUID, e.g. `1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b`.
#[must_use]
pub fn uuid_v4(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let mut out = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push_str(&format!("{b:02x}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use refund_api::MediaType;

    fn evidence(id: &str, category: EvidenceCategory) -> EvidenceView {
        EvidenceView {
            id: id.into(),
            sha256: "00".repeat(32),
            size: 1000,
            media_type: MediaType::Png,
            category,
            file_name: format!("{id}.png"),
        }
    }

    fn order(no: &str, refundable_fen: i64, open_case: Option<&str>) -> OrderView {
        OrderView {
            order_no: no.into(),
            item: "60 gems".into(),
            amount_fen: 600,
            refunded_fen: 600 - refundable_fen,
            refundable_fen,
            paid_at: chrono::DateTime::parse_from_rfc3339("2025-09-30T10:00:00+08:00").expect("valid"),
            open_case: open_case.map(Into::into),
        }
    }

    #[test]
    fn a_draft_survives_a_round_trip_through_json() {
        let mut draft = Draft::new(CaseKind::MinorRefund, "key-1".into());
        draft.step = 3;
        draft.order_nos = vec!["A1".into(), "A2".into()];
        draft.guardian.relation = Some(Relation::Mother);
        draft.guardian.phone = "13800138000".into();
        draft.guardian.birth_year = Some(2014);
        draft.narrative = "我的孩子用我的手机玩游戏时充值了。".into();
        draft.evidence.push(evidence("e1", EvidenceCategory::MinorProof));
        let back = Draft::from_json(&draft.to_json(), CaseKind::MinorRefund);
        assert_eq!(back, Some(draft));
    }

    #[test]
    fn an_unreadable_or_foreign_draft_is_ignored() {
        assert_eq!(Draft::from_json("not json", CaseKind::Complaint), None);
        let refund = Draft::new(CaseKind::MinorRefund, "k".into()).to_json();
        assert_eq!(Draft::from_json(&refund, CaseKind::Complaint), None);
        let old = r#"{"kind":"complaint","idempotency_key":"k","unknown":1}"#;
        let draft = Draft::from_json(old, CaseKind::Complaint).expect("lenient");
        assert_eq!(draft.step, 0);
        assert!(draft.evidence.is_empty());
    }

    #[test]
    fn missing_evidence_lists_required_categories_without_files() {
        let mut draft = Draft::new(CaseKind::MinorRefund, "k".into());
        assert_eq!(
            draft.missing_evidence(),
            [
                EvidenceCategory::MinorProof,
                EvidenceCategory::GuardianshipProof,
                EvidenceCategory::GuardianIdentity
            ]
        );
        draft.evidence.push(evidence("e1", EvidenceCategory::GuardianshipProof));
        draft.evidence.push(evidence("e2", EvidenceCategory::GameAccount));
        assert_eq!(
            draft.missing_evidence(),
            [EvidenceCategory::MinorProof, EvidenceCategory::GuardianIdentity]
        );
        let complaint = Draft::new(CaseKind::Complaint, "k".into());
        assert!(complaint.missing_evidence().is_empty());
    }

    #[test]
    fn only_claimable_orders_are_kept_and_totalled() {
        let orders = [
            order("A1", 600, None),
            order("A2", 0, None),
            order("A3", 600, Some("RD-1")),
            order("A4", 300, None),
        ];
        let mut draft = Draft::new(CaseKind::MinorRefund, "k".into());
        draft.order_nos = ["A1", "A2", "A3", "A4", "gone"].map(String::from).to_vec();
        draft.keep_claimable_orders(&orders);
        assert_eq!(draft.order_nos, ["A1", "A4"]);
        assert_eq!(draft.chosen_total_fen(&orders), 900);
    }

    #[test]
    fn uuid_v4_sets_version_and_variant_bits() {
        let id = uuid_v4([0xff; 16]);
        assert_eq!(id, "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert_eq!(uuid_v4([0; 16]), "00000000-0000-4000-8000-000000000000");
    }

    #[test]
    fn drafts_of_different_games_and_kinds_use_different_keys() {
        let a = Draft::storage_key(CaseKind::MinorRefund, "wx1");
        assert_ne!(a, Draft::storage_key(CaseKind::Complaint, "wx1"));
        assert_ne!(a, Draft::storage_key(CaseKind::MinorRefund, "wx2"));
    }
}
