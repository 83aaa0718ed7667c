//! Validation of each step and the final `NewCase`, mirroring the server's rules so most
//! mistakes are caught before a round trip (the server still has the last word).

use refund_api::{
    CaseKind, ComplaintInfo, GuardianInfo, NewCase, YearMonth, normalize_contact, normalize_mainland_mobile,
};

use super::{FieldError, FieldErrors, Step, steps_for};
use crate::draft::Draft;

/// The account of what happened must say at least this much.
pub const NARRATIVE_MIN_CHARS: usize = 20;
/// A complaint title is a line, not an essay.
pub const TITLE_MAX_CHARS: usize = 60;
const NAME_MAX_CHARS: usize = 40;

fn put(errors: &mut FieldErrors, field: &str, key: &'static str) {
    errors.insert(field.to_owned(), FieldError::key(key));
}

/// The errors of one step of `draft` (empty when the step may be left).
#[must_use]
pub fn validate_step(draft: &Draft, step: Step, this_year: i32) -> FieldErrors {
    let mut errors = FieldErrors::new();
    match step {
        Step::Orders => {
            if draft.kind == CaseKind::MinorRefund && draft.order_nos.is_empty() {
                put(&mut errors, "order_nos", "invalid.orders_required");
            }
        }
        Step::Guardian => validate_guardian(draft, this_year, &mut errors),
        Step::About => {
            let c = &draft.complaint;
            if c.category.is_none() {
                put(&mut errors, "complaint.category", "invalid.choose_one");
            }
            if c.demands.is_empty() {
                put(&mut errors, "complaint.demands", "invalid.choose_some");
            }
            let title = c.title.trim().chars().count();
            if title == 0 {
                put(&mut errors, "complaint.title", "invalid.required");
            } else if title > TITLE_MAX_CHARS {
                put(&mut errors, "complaint.title", "invalid.title_too_long");
            }
            if c.contact.trim().is_empty() {
                put(&mut errors, "complaint.contact", "invalid.required");
            } else if normalize_contact(&c.contact).is_none() {
                put(&mut errors, "complaint.contact", "invalid.contact");
            }
        }
        Step::Narrative => {
            if draft.narrative.trim().chars().count() < NARRATIVE_MIN_CHARS {
                put(&mut errors, "narrative", "invalid.narrative_too_short");
            }
        }
        Step::Evidence => {
            for missing in draft.missing_evidence() {
                put(
                    &mut errors,
                    &format!("evidence.{}", missing.key()),
                    "invalid.evidence_required",
                );
            }
        }
        Step::Review => {}
    }
    errors
}

fn validate_guardian(draft: &Draft, this_year: i32, errors: &mut FieldErrors) {
    let g = &draft.guardian;
    if g.relation.is_none() {
        put(errors, "guardian.relation", "invalid.choose_one");
    }
    let name = g.name.trim().chars().count();
    if name == 0 {
        put(errors, "guardian.name", "invalid.required");
    } else if name > NAME_MAX_CHARS {
        put(errors, "guardian.name", "invalid.name_too_long");
    }
    if g.phone.trim().is_empty() {
        put(errors, "guardian.phone", "invalid.required");
    } else if normalize_mainland_mobile(&g.phone).is_none() {
        put(errors, "guardian.phone", "invalid.phone");
    }
    match (g.birth_year, g.birth_month) {
        (Some(year), Some(month)) if year <= this_year && (1..=12).contains(&month) => {}
        (Some(_), Some(_)) => put(errors, "guardian.minor_birth", "invalid.birth"),
        _ => put(errors, "guardian.minor_birth", "invalid.birth_required"),
    }
}

/// Checks every step and builds the submission, or returns all errors found.
pub fn build_new_case(draft: &Draft, this_year: i32) -> Result<NewCase, FieldErrors> {
    let errors: FieldErrors = steps_for(draft.kind)
        .iter()
        .flat_map(|s| validate_step(draft, *s, this_year))
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let g = &draft.guardian;
    let guardian = match (draft.kind, g.relation, g.birth_year, g.birth_month) {
        (CaseKind::MinorRefund, Some(relation), Some(year), Some(month)) => Some(GuardianInfo {
            relation,
            name: g.name.trim().to_owned(),
            // The server's own rule: pasted spaces, dashes and +86 are dropped.
            phone: normalize_mainland_mobile(&g.phone).unwrap_or_default(),
            minor_birth: YearMonth { year, month },
        }),
        _ => None,
    };
    let c = &draft.complaint;
    let complaint = match (draft.kind, c.category) {
        (CaseKind::Complaint, Some(category)) => Some(ComplaintInfo {
            category,
            demands: c.demands.clone(),
            title: c.title.trim().to_owned(),
            contact: normalize_contact(&c.contact).unwrap_or_default(),
        }),
        _ => None,
    };
    Ok(NewCase {
        kind: draft.kind,
        order_nos: draft.order_nos.clone(),
        guardian,
        complaint,
        narrative: draft.narrative.trim().to_owned(),
        evidence_ids: draft.evidence.iter().map(|e| e.id.clone()).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use refund_api::{ComplaintCategory, Demand, EvidenceCategory, EvidenceView, MediaType, Relation};

    #[test]
    fn pasted_phone_numbers_are_accepted_and_sent_as_eleven_digits() {
        for (typed, sent) in [
            ("13800138000", "13800138000"),
            ("138 0013 8000", "13800138000"),
            ("+86 138 0013 8000", "13800138000"),
            ("138-0013-8000", "13800138000"),
        ] {
            let mut d = complete_refund();
            d.guardian.phone = typed.into();
            let case = build_new_case(&d, 2026).expect(typed);
            assert_eq!(case.guardian.map(|g| g.phone).as_deref(), Some(sent), "{typed}");
        }
        for bad in ["1380013800", "12800138000", "1380013800a", "１３８００１３８０００"] {
            let mut d = complete_refund();
            d.guardian.phone = bad.into();
            let errors = validate_step(&d, Step::Guardian, 2026);
            assert_eq!(errors["guardian.phone"].key, "invalid.phone", "{bad}");
        }
    }

    fn complete_refund() -> Draft {
        let mut d = Draft::new(CaseKind::MinorRefund, "k".into());
        d.order_nos = vec!["A1".into()];
        d.guardian.relation = Some(Relation::Father);
        d.guardian.name = " 张三 ".into();
        d.guardian.phone = "13800138000".into();
        d.guardian.birth_year = Some(2014);
        d.guardian.birth_month = Some(5);
        d.narrative = "孩子在周末用我的手机玩游戏，自己点了充值，我当时没有注意到。".into();
        for (i, c) in EvidenceCategory::MINOR_REFUND.iter().take(3).enumerate() {
            d.evidence.push(EvidenceView {
                id: format!("e{i}"),
                sha256: String::new(),
                size: 1,
                media_type: MediaType::Jpeg,
                category: *c,
                file_name: "x.jpg".into(),
            });
        }
        d
    }

    #[test]
    fn a_complete_refund_draft_becomes_a_trimmed_new_case() {
        let case = build_new_case(&complete_refund(), 2025).expect("valid");
        let guardian = case.guardian.expect("guardian");
        assert_eq!(guardian.name, "张三");
        assert_eq!(guardian.minor_birth, YearMonth { year: 2014, month: 5 });
        assert_eq!(case.evidence_ids, ["e0", "e1", "e2"]);
        assert!(case.complaint.is_none());
    }

    #[test]
    fn each_step_reports_its_own_fields() {
        let mut d = complete_refund();
        d.guardian.phone = "12345".into();
        d.guardian.birth_year = Some(2030);
        d.order_nos.clear();
        d.evidence.remove(0);
        let guardian = validate_step(&d, Step::Guardian, 2025);
        assert_eq!(guardian["guardian.phone"].key, "invalid.phone");
        assert_eq!(guardian["guardian.minor_birth"].key, "invalid.birth");
        assert_eq!(guardian.len(), 2);
        assert!(validate_step(&d, Step::Orders, 2025).contains_key("order_nos"));
        assert!(validate_step(&d, Step::Evidence, 2025).contains_key("evidence.minor_proof"));
        let all = build_new_case(&d, 2025).expect_err("invalid");
        assert_eq!(all.len(), 4);
    }

    #[test]
    fn the_narrative_needs_twenty_characters_not_bytes() {
        let mut d = complete_refund();
        d.narrative = "一".repeat(19);
        assert!(validate_step(&d, Step::Narrative, 2025).contains_key("narrative"));
        d.narrative = format!("  {}  ", "一".repeat(20));
        assert!(validate_step(&d, Step::Narrative, 2025).is_empty());
    }

    #[test]
    fn a_complaint_needs_category_demand_and_title_but_no_orders_or_files() {
        let mut d = Draft::new(CaseKind::Complaint, "k".into());
        d.narrative = "游戏里的活动奖励一直没有发放，客服也不回复我的消息。".into();
        let errors = build_new_case(&d, 2025).expect_err("incomplete");
        let fields: Vec<_> = errors.keys().map(String::as_str).collect();
        assert_eq!(
            fields,
            [
                "complaint.category",
                "complaint.contact",
                "complaint.demands",
                "complaint.title"
            ]
        );
        d.complaint.category = Some(ComplaintCategory::BrokenFeature);
        d.complaint.demands = vec![Demand::Refund, Demand::Fix];
        d.complaint.title = "活动奖励未发放".into();
        d.complaint.contact = "mum@example".into();
        let fields: Vec<_> = validate_step(&d, Step::About, 2026).into_keys().collect();
        assert_eq!(fields, ["complaint.contact"], "an address without a domain is refused");
        d.complaint.contact = "+86 139 0000 1111".into();
        let case = build_new_case(&d, 2025).expect("valid");
        assert!(case.guardian.is_none());
        let complaint = case.complaint.expect("complaint");
        assert_eq!(complaint.demands, [Demand::Refund, Demand::Fix]);
        assert_eq!(complaint.contact, "13900001111", "sent normalised");
    }
}
