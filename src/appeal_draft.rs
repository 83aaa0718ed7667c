//! The appeal being written: reason, statement and supplemental evidence, kept on this
//! device per case (so closing the web view loses nothing), with the idempotency key that
//! makes a resent appeal count once. Pure, apart from [`load`] and [`save`].

use refund_api::{AppealReason, AppealRequest, CaseKind, EvidenceCategory, EvidenceView, RejectReason};
use serde::{Deserialize, Serialize};

use crate::storage;

/// What the player has written so far.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppealDraft {
    #[serde(default)]
    pub reason: Option<AppealReason>,
    #[serde(default)]
    pub statement: String,
    #[serde(default)]
    pub evidence: Vec<EvidenceView>,
    #[serde(default)]
    pub idempotency_key: String,
}

impl AppealDraft {
    /// The request to send, or the translation key of what is missing.
    pub fn request(&self) -> Result<AppealRequest, &'static str> {
        let reason = self.reason.ok_or("appeal.missing_reason")?;
        let chars = self.statement.trim().chars().count();
        if !(refund_api::APPEAL_STATEMENT_MIN_CHARS..=refund_api::APPEAL_STATEMENT_MAX_CHARS).contains(&chars) {
            return Err("appeal.statement_hint");
        }
        Ok(AppealRequest {
            reason,
            statement: self.statement.trim().to_owned(),
            evidence_ids: self.evidence.iter().map(|e| e.id.clone()).collect(),
        })
    }
}

fn storage_key(case_no: &str) -> String {
    format!("refund-desk.appeal.{case_no}")
}

/// The saved draft of the case's appeal, if there is a readable one.
#[must_use]
pub fn load(case_no: &str) -> Option<AppealDraft> {
    serde_json::from_str(&storage::get(&storage_key(case_no))?).ok()
}

pub fn save(case_no: &str, draft: &AppealDraft) {
    if let Ok(json) = serde_json::to_string(draft) {
        storage::set(&storage_key(case_no), &json);
    }
}

/// Forgets the draft once the appeal is in.
pub fn clear(case_no: &str) {
    storage::remove(&storage_key(case_no));
}

/// The evidence categories to offer, those the decision found weak or missing first.
#[must_use]
pub fn prompted_categories(kind: CaseKind, rejected_for: Option<RejectReason>) -> Vec<EvidenceCategory> {
    let first: &[EvidenceCategory] = match rejected_for {
        Some(RejectReason::NoMinorProof) => &[EvidenceCategory::MinorProof, EvidenceCategory::GuardianshipProof],
        Some(RejectReason::AccountHolderAdult) => &[EvidenceCategory::MinorProof, EvidenceCategory::GameAccount],
        Some(RejectReason::AlreadyRefunded | RejectReason::NotThisGame) => &[EvidenceCategory::PaymentRecords],
        _ => &[],
    };
    let all = EvidenceCategory::for_kind(kind);
    let mut ordered: Vec<EvidenceCategory> = first.iter().copied().filter(|c| all.contains(c)).collect();
    ordered.extend(all.iter().copied().filter(|c| !first.contains(c)));
    ordered
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_becomes_a_request_only_when_complete() {
        let mut draft = AppealDraft::default();
        assert_eq!(draft.request(), Err("appeal.missing_reason"));
        draft.reason = Some(AppealReason::NewEvidence);
        draft.statement = "太短".into();
        assert_eq!(draft.request(), Err("appeal.statement_hint"));
        draft.statement = "  我补充了孩子的学生证，请重新看看。 ".into();
        let request = draft.request().expect("complete");
        assert_eq!(request.statement, "我补充了孩子的学生证，请重新看看。");
        assert_eq!(request.reason, AppealReason::NewEvidence);
    }

    #[test]
    fn what_the_decision_found_missing_is_asked_for_first() {
        let asked = prompted_categories(CaseKind::MinorRefund, Some(RejectReason::NoMinorProof));
        assert_eq!(
            &asked[..2],
            &[EvidenceCategory::MinorProof, EvidenceCategory::GuardianshipProof]
        );
        assert_eq!(asked.len(), EvidenceCategory::MINOR_REFUND.len(), "every category once");
        let complaint = prompted_categories(CaseKind::Complaint, Some(RejectReason::NoMinorProof));
        assert_eq!(
            complaint,
            EvidenceCategory::COMPLAINT.to_vec(),
            "only the kind's own categories"
        );
    }

    #[test]
    fn an_old_or_partial_draft_still_reads() {
        let draft: AppealDraft = serde_json::from_str(r#"{"statement":"x"}"#).expect("reads");
        assert_eq!(draft.statement, "x");
        assert!(draft.reason.is_none());
    }
}
