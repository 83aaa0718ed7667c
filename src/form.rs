//! The steps of the application form and the errors shown beside its fields.
//!
//! Policy: pure data and rules only (no views), shared by the minor-refund and the
//! complaint form. Field names are the server's `field` paths (`guardian.phone`,
//! `evidence.minor_proof`), so a server 422 lands beside the same input as a local check.

mod rules;

use std::borrow::Cow;
use std::collections::BTreeMap;

use refund_api::CaseKind;

pub use rules::{NARRATIVE_MIN_CHARS, TITLE_MAX_CHARS, build_new_case, validate_step};

/// One page of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Orders,
    Guardian,
    About,
    Narrative,
    Evidence,
    Review,
}

impl Step {
    /// The translation key of the step's name.
    #[must_use]
    pub fn title_key(self) -> &'static str {
        match self {
            Self::Orders => "step.orders",
            Self::Guardian => "step.guardian",
            Self::About => "step.about",
            Self::Narrative => "step.narrative",
            Self::Evidence => "step.evidence",
            Self::Review => "step.review",
        }
    }

    /// Whether a field (a server `field` path) is entered on this step.
    #[must_use]
    pub fn owns_field(self, field: &str) -> bool {
        let root = field.split('.').next().unwrap_or(field);
        match self {
            Self::Orders => root == "order_nos",
            Self::Guardian => root == "guardian",
            Self::About => root == "complaint",
            Self::Narrative => root == "narrative",
            Self::Evidence => root == "evidence" || root == "evidence_ids",
            Self::Review => false,
        }
    }
}

const MINOR_REFUND_STEPS: [Step; 5] = [
    Step::Orders,
    Step::Guardian,
    Step::Narrative,
    Step::Evidence,
    Step::Review,
];
const COMPLAINT_STEPS: [Step; 5] = [Step::Orders, Step::About, Step::Narrative, Step::Evidence, Step::Review];

/// The steps of a form of `kind`, in order.
#[must_use]
pub fn steps_for(kind: CaseKind) -> &'static [Step] {
    match kind {
        CaseKind::MinorRefund => &MINOR_REFUND_STEPS,
        CaseKind::Complaint => &COMPLAINT_STEPS,
    }
}

/// The index of the step where `field` is entered, if any.
#[must_use]
pub fn step_of_field(kind: CaseKind, field: &str) -> Option<usize> {
    steps_for(kind).iter().position(|s| s.owns_field(field))
}

/// Whether the form shows an input (and an error line) for this field path.
#[must_use]
pub fn is_form_field(kind: CaseKind, field: &str) -> bool {
    const FIELDS: [&str; 10] = [
        "order_nos",
        "guardian.relation",
        "guardian.name",
        "guardian.phone",
        "guardian.minor_birth",
        "complaint.category",
        "complaint.demands",
        "complaint.title",
        "complaint.contact",
        "narrative",
    ];
    let shown = |f: &str| step_of_field(kind, f).is_some();
    if let Some(key) = field.strip_prefix("evidence.") {
        return refund_api::EvidenceCategory::for_kind(kind)
            .iter()
            .any(|c| c.key() == key);
    }
    FIELDS.contains(&field) && shown(field)
}

/// An error beside one field: a translation key with the values its wording puts in,
/// or (for a code the app has no words for) the server's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub key: Cow<'static, str>,
    pub params: Vec<(String, String)>,
    pub detail: Option<String>,
}

impl FieldError {
    #[must_use]
    pub fn key(key: &'static str) -> Self {
        Self {
            key: Cow::Borrowed(key),
            params: Vec::new(),
            detail: None,
        }
    }
}

/// Errors by field path, in a stable order (the first one gets focus).
pub type FieldErrors = BTreeMap<String, FieldError>;

/// The DOM id of a field's input, e.g. `f-guardian-phone`.
#[must_use]
pub fn input_id(field: &str) -> String {
    format!("f-{}", field.replace(['.', '_'], "-"))
}

/// The DOM id of a field's error text.
#[must_use]
pub fn error_id(field: &str) -> String {
    format!("e-{}", field.replace(['.', '_'], "-"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_fields_map_to_the_step_that_enters_them() {
        let kind = CaseKind::MinorRefund;
        assert_eq!(step_of_field(kind, "order_nos"), Some(0));
        assert_eq!(step_of_field(kind, "guardian.phone"), Some(1));
        assert_eq!(step_of_field(kind, "narrative"), Some(2));
        assert_eq!(step_of_field(kind, "evidence.minor_proof"), Some(3));
        assert_eq!(step_of_field(kind, "complaint.title"), None);
        assert_eq!(step_of_field(CaseKind::Complaint, "order_nos"), Some(0));
        assert_eq!(step_of_field(CaseKind::Complaint, "complaint.title"), Some(1));
    }

    #[test]
    fn only_fields_with_an_input_on_the_form_count_as_form_fields() {
        let refund = CaseKind::MinorRefund;
        assert!(is_form_field(refund, "guardian.phone"));
        assert!(is_form_field(refund, "evidence.minor_proof"));
        assert!(!is_form_field(refund, "evidence.screenshots"));
        assert!(!is_form_field(refund, "complaint.title"));
        assert!(!is_form_field(refund, "guardian"));
        assert!(!is_form_field(refund, "evidence_ids"));
        assert!(is_form_field(CaseKind::Complaint, "complaint.title"));
        assert!(is_form_field(CaseKind::Complaint, "order_nos"));
    }

    #[test]
    fn dom_ids_are_derived_from_field_paths() {
        assert_eq!(input_id("guardian.phone"), "f-guardian-phone");
        assert_eq!(error_id("evidence.minor_proof"), "e-evidence-minor-proof");
    }
}
