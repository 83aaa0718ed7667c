//! Checking an application (a new case) against the rules, before anything is stored.
//!
//! Policy: the app is not trusted, so every rule the form enforces is enforced again
//! here. The checks are pure: the caller loads the player's orders and uploads and
//! passes them in, then stores the [`ValidApplication`] in one transaction (which also
//! re-checks, under the database's constraints, that no order is in another open case).

use refund_api::ErrorCode;
use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use refund_api::{
    CaseKind, ComplaintInfo, EvidenceCategory, EvidenceLimits, GuardianInfo, NewCase, normalize_contact,
    normalize_mainland_mobile,
};
use serde::{Deserialize, Serialize};

use super::money::Fen;

const NARRATIVE_MIN_CHARS: usize = 20;
const NARRATIVE_MAX_CHARS: usize = 5_000;
const NAME_MAX_CHARS: usize = 40;
const TITLE_MAX_CHARS: usize = 100;
const ADULT_AGE: i32 = 18;

/// One of the player's orders, as the rules need it.
#[derive(Debug, Clone)]
pub struct OrderFacts {
    pub order_no: String,
    pub refundable: Fen,
    pub paid_at: DateTime<FixedOffset>,
    pub open_case: Option<String>,
}

/// One of the player's uploads not yet attached to a case.
#[derive(Debug, Clone)]
pub struct UploadFacts {
    pub id: String,
    pub category: EvidenceCategory,
}

/// Why an application cannot be accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApplicationError {
    #[error("{message}")]
    Invalid {
        code: ErrorCode,
        field: String,
        message: String,
        /// Values the app's wording of the code uses (the order concerned, a limit).
        params: Vec<(&'static str, String)>,
    },
    #[error("order {0} is not one of yours in this game")]
    OrderNotFound(String),
    #[error("order {order_no} is already in open case {case_no}")]
    OrderInOpenCase { order_no: String, case_no: String },
}

impl ApplicationError {
    /// Adds a value the app's wording of the code uses.
    #[must_use]
    fn param(mut self, name: &'static str, value: &impl ToString) -> Self {
        if let Self::Invalid { params, .. } = &mut self {
            params.push((name, value.to_string()));
        }
        self
    }
}

fn invalid(code: ErrorCode, field: impl Into<String>, message: impl Into<String>) -> ApplicationError {
    ApplicationError::Invalid {
        code,
        field: field.into(),
        message: message.into(),
        params: Vec::new(),
    }
}

/// The parts of a case stored as one document (they are read back together, never queried).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseDetails {
    pub narrative: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guardian: Option<GuardianInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complaint: Option<ComplaintInfo>,
}

/// An application that passed every rule, ready to store.
#[derive(Debug, Clone)]
pub struct ValidApplication {
    pub kind: CaseKind,
    /// Each claimed order with the amount claimed: its whole remaining refundable amount.
    pub claims: Vec<(String, Fen)>,
    pub claimed: Fen,
    pub evidence_ids: Vec<String>,
    pub details: CaseDetails,
}

/// Checks `new` for the player whose orders and unattached uploads are given.
pub fn check(
    new: NewCase,
    orders: &[OrderFacts],
    uploads: &[UploadFacts],
    limits: EvidenceLimits,
    today: NaiveDate,
) -> Result<ValidApplication, ApplicationError> {
    let narrative = check_narrative(&new.narrative)?;
    let (guardian, complaint) = match new.kind {
        CaseKind::MinorRefund => {
            let guardian = new
                .guardian
                .ok_or_else(|| invalid(ErrorCode::MissingGuardian, "guardian", "Tell us who the guardian is."))?;
            if new.order_nos.is_empty() {
                return Err(invalid(
                    ErrorCode::NoOrders,
                    "order_nos",
                    "Choose at least one order to refund.",
                ));
            }
            (Some(check_guardian(&guardian, today)?), None)
        }
        CaseKind::Complaint => {
            let complaint = new.complaint.ok_or_else(|| {
                invalid(
                    ErrorCode::MissingComplaint,
                    "complaint",
                    "Choose what the complaint is about.",
                )
            })?;
            (None, Some(check_complaint(&complaint)?))
        }
    };
    let claims = check_orders(&new.order_nos, orders, guardian.as_ref())?;
    let claimed = Fen::checked_sum(claims.iter().map(|(_, fen)| *fen))
        .ok_or_else(|| invalid(ErrorCode::AmountOverflow, "order_nos", "The amounts are too large."))?;
    let evidence_ids = check_evidence(new.kind, &new.evidence_ids, uploads, limits)?;
    Ok(ValidApplication {
        kind: new.kind,
        claims,
        claimed,
        evidence_ids,
        details: CaseDetails {
            narrative,
            guardian,
            complaint,
        },
    })
}

fn check_narrative(text: &str) -> Result<String, ApplicationError> {
    let text = text.trim();
    let chars = text.chars().count();
    if chars < NARRATIVE_MIN_CHARS {
        return Err(invalid(
            ErrorCode::NarrativeTooShort,
            "narrative",
            format!("Describe what happened in at least {NARRATIVE_MIN_CHARS} characters."),
        )
        .param("min", &NARRATIVE_MIN_CHARS));
    }
    if chars > NARRATIVE_MAX_CHARS {
        return Err(invalid(
            ErrorCode::NarrativeTooLong,
            "narrative",
            format!("Keep the description under {NARRATIVE_MAX_CHARS} characters."),
        )
        .param("max", &NARRATIVE_MAX_CHARS));
    }
    Ok(text.to_owned())
}

fn check_guardian(guardian: &GuardianInfo, today: NaiveDate) -> Result<GuardianInfo, ApplicationError> {
    let name = guardian.name.trim();
    if name.is_empty() || name.chars().count() > NAME_MAX_CHARS {
        return Err(invalid(
            ErrorCode::InvalidName,
            "guardian.name",
            "Enter the guardian's name.",
        ));
    }
    let phone = normalize_mainland_mobile(&guardian.phone).ok_or_else(|| {
        invalid(
            ErrorCode::InvalidPhone,
            "guardian.phone",
            "Enter a mainland mobile number of 11 digits.",
        )
    })?;
    let birth = guardian.minor_birth;
    let born_in_range = (1..=12).contains(&birth.month)
        && birth.year > today.year() - 30
        && (birth.year, birth.month) <= (today.year(), today.month());
    if !born_in_range {
        return Err(invalid(
            ErrorCode::InvalidBirthMonth,
            "guardian.minor_birth",
            "Enter the minor's birth year and month.",
        ));
    }
    Ok(GuardianInfo {
        relation: guardian.relation,
        name: name.to_owned(),
        phone,
        minor_birth: birth,
    })
}

fn check_complaint(complaint: &ComplaintInfo) -> Result<ComplaintInfo, ApplicationError> {
    let title = complaint.title.trim();
    if title.is_empty() || title.chars().count() > TITLE_MAX_CHARS {
        return Err(invalid(
            ErrorCode::InvalidTitle,
            "complaint.title",
            format!("Give the complaint a title of 1 to {TITLE_MAX_CHARS} characters."),
        )
        .param("max", &TITLE_MAX_CHARS));
    }
    let mut demands = complaint.demands.clone();
    demands.sort_unstable();
    demands.dedup();
    if demands.is_empty() {
        return Err(invalid(
            ErrorCode::NoDemand,
            "complaint.demands",
            "Say what you ask for: at least one choice.",
        ));
    }
    let contact = normalize_contact(&complaint.contact).ok_or_else(|| {
        invalid(
            ErrorCode::InvalidContact,
            "complaint.contact",
            "Give a mainland mobile number or an e-mail address the developer can reach you at.",
        )
    })?;
    Ok(ComplaintInfo {
        category: complaint.category,
        demands,
        title: title.to_owned(),
        contact,
    })
}

fn check_orders(
    order_nos: &[String],
    orders: &[OrderFacts],
    guardian: Option<&GuardianInfo>,
) -> Result<Vec<(String, Fen)>, ApplicationError> {
    let by_no: HashMap<&str, &OrderFacts> = orders.iter().map(|o| (o.order_no.as_str(), o)).collect();
    let mut seen = BTreeSet::new();
    let mut claims = Vec::with_capacity(order_nos.len());
    for order_no in order_nos {
        if !seen.insert(order_no.as_str()) {
            return Err(invalid(
                ErrorCode::DuplicateOrder,
                "order_nos",
                format!("Order {order_no} is listed twice."),
            )
            .param("order_no", order_no));
        }
        let order = by_no
            .get(order_no.as_str())
            .ok_or_else(|| ApplicationError::OrderNotFound(order_no.clone()))?;
        if let Some(case_no) = &order.open_case {
            return Err(ApplicationError::OrderInOpenCase {
                order_no: order_no.clone(),
                case_no: case_no.clone(),
            });
        }
        if order.refundable <= Fen(0) {
            return Err(invalid(
                ErrorCode::OrderFullyRefunded,
                "order_nos",
                format!("Order {order_no} has been refunded in full already."),
            )
            .param("order_no", order_no));
        }
        if let Some(guardian) = guardian {
            let paid = order.paid_at.date_naive();
            let birth = guardian.minor_birth;
            if (birth.year, birth.month) > (paid.year(), paid.month()) {
                return Err(invalid(
                    ErrorCode::InvalidBirthMonth,
                    "guardian.minor_birth",
                    format!("Order {order_no} was paid before the minor's birth month; check the birth month."),
                )
                .param("order_no", order_no));
            }
            if birth.age_at(paid.year(), paid.month()) >= ADULT_AGE {
                return Err(invalid(
                    ErrorCode::NotAMinor,
                    "order_nos",
                    format!("The player was already an adult when order {order_no} was paid."),
                )
                .param("order_no", order_no));
            }
        }
        claims.push((order_no.clone(), order.refundable));
    }
    Ok(claims)
}

fn check_evidence(
    kind: CaseKind,
    ids: &[String],
    uploads: &[UploadFacts],
    limits: EvidenceLimits,
) -> Result<Vec<String>, ApplicationError> {
    let unique: BTreeSet<&str> = ids.iter().map(String::as_str).collect();
    if unique.len() > limits.max_files_per_case as usize {
        return Err(invalid(
            ErrorCode::TooManyFiles,
            "evidence_ids",
            format!("A case takes at most {} files.", limits.max_files_per_case),
        )
        .param("max", &limits.max_files_per_case));
    }
    let by_id: HashMap<&str, &UploadFacts> = uploads.iter().map(|u| (u.id.as_str(), u)).collect();
    let mut categories = BTreeSet::new();
    for id in &unique {
        let upload = by_id.get(id).ok_or_else(|| {
            invalid(
                ErrorCode::EvidenceNotFound,
                "evidence_ids",
                format!("File {id} is not one of your uploads, or is already in a case."),
            )
        })?;
        if !EvidenceCategory::for_kind(kind).contains(&upload.category) {
            return Err(invalid(
                ErrorCode::WrongEvidenceCategory,
                format!("evidence.{}", upload.category.key()),
                "This kind of evidence does not belong to this kind of case.",
            ));
        }
        categories.insert(upload.category.key());
    }
    if let Some(missing) = EvidenceCategory::for_kind(kind)
        .iter()
        .find(|c| c.is_required_for(kind) && !categories.contains(c.key()))
    {
        return Err(invalid(
            ErrorCode::MissingEvidence,
            format!("evidence.{}", missing.key()),
            format!("Evidence is missing: {}.", missing.key()),
        ));
    }
    Ok(unique.into_iter().map(str::to_owned).collect())
}

#[cfg(test)]
#[path = "application_tests.rs"]
mod tests;
