//! The application rules, checked without HTTP or storage.

use chrono::{DateTime, FixedOffset, NaiveDate};
use refund_api::{ComplaintCategory, Demand, Relation, YearMonth};

use super::*;

const TODAY: (i32, u32, u32) = (2026, 5, 20);
const LIMITS: EvidenceLimits = EvidenceLimits {
    max_file_bytes: 1024,
    max_files_per_case: 5,
};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(TODAY.0, TODAY.1, TODAY.2).expect("valid date")
}

fn at(rfc3339: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(rfc3339).expect("valid RFC 3339")
}

fn order(order_no: &str, fen: i64, paid_at: &str) -> OrderFacts {
    OrderFacts {
        order_no: order_no.to_owned(),
        refundable: Fen(fen),
        paid_at: at(paid_at),
        open_case: None,
    }
}

fn orders() -> Vec<OrderFacts> {
    vec![
        order("O-1", 600, "2026-05-01T20:41:00+08:00"),
        order("O-2", 64_800, "2026-05-10T02:05:00+08:00"),
    ]
}

fn upload(id: &str, category: EvidenceCategory) -> UploadFacts {
    UploadFacts {
        id: id.to_owned(),
        category,
    }
}

fn required_uploads() -> Vec<UploadFacts> {
    vec![
        upload("e-minor", EvidenceCategory::MinorProof),
        upload("e-guardianship", EvidenceCategory::GuardianshipProof),
        upload("e-identity", EvidenceCategory::GuardianIdentity),
    ]
}

fn ids(uploads: &[UploadFacts]) -> Vec<String> {
    uploads.iter().map(|u| u.id.clone()).collect()
}

fn guardian() -> GuardianInfo {
    GuardianInfo {
        relation: Relation::Father,
        name: "  李强  ".to_owned(),
        phone: "+86 139-0000-1111".to_owned(),
        minor_birth: YearMonth { year: 2014, month: 7 },
    }
}

fn minor_refund(order_nos: &[&str]) -> NewCase {
    NewCase {
        kind: CaseKind::MinorRefund,
        order_nos: order_nos.iter().map(|&no| no.to_owned()).collect(),
        guardian: Some(guardian()),
        complaint: None,
        narrative: "  孩子趁我午睡时用我的手机玩游戏并充值了两次，我看到扣款短信才知道。  ".to_owned(),
        evidence_ids: ids(&required_uploads()),
    }
}

fn complaint() -> NewCase {
    NewCase {
        kind: CaseKind::Complaint,
        order_nos: Vec::new(),
        guardian: None,
        complaint: Some(ComplaintInfo {
            category: ComplaintCategory::FalseAdvertising,
            demands: vec![Demand::Explanation, Demand::Refund, Demand::Explanation],
            title: "  广告说首充送皮肤，实际没有  ".to_owned(),
            contact: " +86 139 0000 1111 ".to_owned(),
        }),
        narrative: "广告里写着首次充值赠送限定皮肤，我充值后没有收到任何皮肤。".to_owned(),
        evidence_ids: Vec::new(),
    }
}

fn check_minor(new: NewCase) -> Result<ValidApplication, ApplicationError> {
    check(new, &orders(), &required_uploads(), LIMITS, today())
}

/// The `(code, field)` of an `Invalid` refusal.
fn invalid_parts(result: Result<ValidApplication, ApplicationError>) -> (&'static str, String) {
    match result {
        Err(ApplicationError::Invalid { code, field, .. }) => (code.key(), field),
        other => panic!("expected an Invalid refusal, got {other:?}"),
    }
}

#[test]
fn a_complete_minor_refund_claims_the_remaining_amount_of_each_order() {
    let valid = check_minor(minor_refund(&["O-1", "O-2"])).expect("valid");

    assert_eq!(valid.kind, CaseKind::MinorRefund);
    assert_eq!(
        valid.claims,
        vec![("O-1".to_owned(), Fen(600)), ("O-2".to_owned(), Fen(64_800))]
    );
    assert_eq!(valid.claimed, Fen(65_400));
    let mut evidence = valid.evidence_ids.clone();
    evidence.sort();
    assert_eq!(evidence, ["e-guardianship", "e-identity", "e-minor"]);
    assert!(valid.details.complaint.is_none());
}

#[test]
fn the_guardian_and_narrative_are_stored_trimmed_and_normalised() {
    let valid = check_minor(minor_refund(&["O-1"])).expect("valid");

    let guardian = valid.details.guardian.expect("a guardian");
    assert_eq!(guardian.name, "李强");
    assert_eq!(guardian.phone, "13900001111");
    assert_eq!(guardian.relation, Relation::Father);
    assert!(!valid.details.narrative.starts_with(' ') && !valid.details.narrative.ends_with(' '));
}

#[test]
fn a_partly_refunded_order_is_claimed_for_what_remains() {
    let mut orders = orders();
    orders[1].refundable = Fen(10_000);

    let valid = check(minor_refund(&["O-2"]), &orders, &required_uploads(), LIMITS, today()).expect("valid");

    assert_eq!(valid.claimed, Fen(10_000));
}

#[test]
fn a_short_or_overlong_narrative_is_refused() {
    let mut short = minor_refund(&["O-1"]);
    short.narrative = "   太短了   ".to_owned();
    assert_eq!(
        invalid_parts(check_minor(short)),
        ("narrative_too_short", "narrative".to_owned())
    );

    let mut long = minor_refund(&["O-1"]);
    long.narrative = "字".repeat(NARRATIVE_MAX_CHARS + 1);
    assert_eq!(
        invalid_parts(check_minor(long)),
        ("narrative_too_long", "narrative".to_owned())
    );

    let mut exact = minor_refund(&["O-1"]);
    exact.narrative = "字".repeat(NARRATIVE_MIN_CHARS);
    assert!(check_minor(exact).is_ok(), "characters are counted, not bytes");
}

#[test]
fn a_minor_refund_needs_a_guardian_and_at_least_one_order() {
    let mut no_guardian = minor_refund(&["O-1"]);
    no_guardian.guardian = None;
    assert_eq!(
        invalid_parts(check_minor(no_guardian)),
        ("missing_guardian", "guardian".to_owned())
    );

    assert_eq!(
        invalid_parts(check_minor(minor_refund(&[]))),
        ("no_orders", "order_nos".to_owned())
    );
}

#[test]
fn a_blank_or_overlong_guardian_name_is_refused() {
    for name in ["   ", &"名".repeat(NAME_MAX_CHARS + 1)] {
        let mut case = minor_refund(&["O-1"]);
        case.guardian = Some(GuardianInfo {
            name: name.to_owned(),
            ..guardian()
        });
        assert_eq!(
            invalid_parts(check_minor(case)),
            ("invalid_name", "guardian.name".to_owned()),
            "{name:?}"
        );
    }
}

#[test]
fn a_phone_that_is_not_a_mainland_mobile_is_refused() {
    for phone in ["010-12345678", "12800138000", "1380013800", ""] {
        let mut case = minor_refund(&["O-1"]);
        case.guardian = Some(GuardianInfo {
            phone: phone.to_owned(),
            ..guardian()
        });
        assert_eq!(
            invalid_parts(check_minor(case)),
            ("invalid_phone", "guardian.phone".to_owned()),
            "{phone:?}"
        );
    }
}

#[test]
fn a_birth_month_in_the_future_too_long_ago_or_impossible_is_refused() {
    let impossible = [
        YearMonth { year: 2014, month: 0 },
        YearMonth { year: 2014, month: 13 },
        YearMonth { year: 2026, month: 6 },
        YearMonth { year: 2027, month: 1 },
        YearMonth { year: 1996, month: 5 },
    ];
    for minor_birth in impossible {
        let mut case = minor_refund(&["O-1"]);
        case.guardian = Some(GuardianInfo {
            minor_birth,
            ..guardian()
        });
        assert_eq!(
            invalid_parts(check_minor(case)),
            ("invalid_birth_month", "guardian.minor_birth".to_owned()),
            "{minor_birth:?}"
        );
    }
}

#[test]
fn an_order_paid_before_the_minor_was_born_is_refused() {
    let mut case = minor_refund(&["O-1"]);
    case.guardian = Some(GuardianInfo {
        minor_birth: YearMonth { year: 2026, month: 6 },
        ..guardian()
    });

    let (code, field) = invalid_parts(check_minor(case));

    assert_eq!((code, field.as_str()), ("invalid_birth_month", "guardian.minor_birth"));
}

#[test]
fn an_order_paid_after_the_player_turned_eighteen_is_refused() {
    let mut case = minor_refund(&["O-1"]);
    case.guardian = Some(GuardianInfo {
        minor_birth: YearMonth { year: 2008, month: 4 },
        ..guardian()
    });

    let (code, field) = invalid_parts(check_minor(case));

    assert_eq!((code, field.as_str()), ("not_a_minor", "order_nos"));
}

#[test]
fn an_order_paid_in_the_month_of_the_eighteenth_birthday_still_counts_as_a_minors_order() {
    let mut case = minor_refund(&["O-1"]);
    case.guardian = Some(GuardianInfo {
        minor_birth: YearMonth { year: 2008, month: 5 },
        ..guardian()
    });

    assert!(
        check_minor(case).is_ok(),
        "the doubt within the birth month goes the guardian's way"
    );
}

#[test]
fn an_order_that_is_not_the_players_is_not_found() {
    assert_eq!(
        check_minor(minor_refund(&["O-1", "O-999"])).err(),
        Some(ApplicationError::OrderNotFound("O-999".to_owned()))
    );
}

#[test]
fn an_order_listed_twice_is_refused() {
    assert_eq!(
        invalid_parts(check_minor(minor_refund(&["O-1", "O-2", "O-1"]))),
        ("duplicate_order", "order_nos".to_owned())
    );
}

#[test]
fn an_order_in_an_open_case_names_that_case() {
    let mut orders = orders();
    orders[0].open_case = Some("MR-2026-000007".to_owned());

    let result = check(
        minor_refund(&["O-2", "O-1"]),
        &orders,
        &required_uploads(),
        LIMITS,
        today(),
    );

    assert_eq!(
        result.err(),
        Some(ApplicationError::OrderInOpenCase {
            order_no: "O-1".to_owned(),
            case_no: "MR-2026-000007".to_owned(),
        })
    );
}

#[test]
fn a_fully_refunded_order_is_refused() {
    let mut orders = orders();
    orders[0].refundable = Fen(0);

    let result = check(minor_refund(&["O-1"]), &orders, &required_uploads(), LIMITS, today());

    assert_eq!(invalid_parts(result), ("order_fully_refunded", "order_nos".to_owned()));
}

#[test]
fn each_missing_required_category_is_named_in_the_field() {
    for missing in [
        EvidenceCategory::MinorProof,
        EvidenceCategory::GuardianshipProof,
        EvidenceCategory::GuardianIdentity,
    ] {
        let uploads: Vec<UploadFacts> = required_uploads()
            .into_iter()
            .filter(|u| u.category != missing)
            .chain([upload("e-bill", EvidenceCategory::PaymentRecords)])
            .collect();
        let mut case = minor_refund(&["O-1"]);
        case.evidence_ids = ids(&uploads);

        let result = check(case, &orders(), &uploads, LIMITS, today());

        assert_eq!(
            invalid_parts(result),
            ("missing_evidence", format!("evidence.{}", missing.key())),
            "{missing:?}"
        );
    }
}

#[test]
fn evidence_that_is_not_an_unattached_upload_of_the_player_is_refused() {
    let mut case = minor_refund(&["O-1"]);
    case.evidence_ids.push("someone-elses".to_owned());

    assert_eq!(
        invalid_parts(check_minor(case)),
        ("evidence_not_found", "evidence_ids".to_owned())
    );
}

#[test]
fn complaint_evidence_in_a_minor_refund_is_refused_by_category() {
    let mut uploads = required_uploads();
    uploads.push(upload("e-shot", EvidenceCategory::Screenshots));
    let mut case = minor_refund(&["O-1"]);
    case.evidence_ids = ids(&uploads);

    let result = check(case, &orders(), &uploads, LIMITS, today());

    assert_eq!(
        invalid_parts(result),
        ("wrong_evidence_category", "evidence.screenshots".to_owned())
    );
}

#[test]
fn more_files_than_the_limit_are_refused_but_repeated_ids_count_once() {
    let mut uploads = required_uploads();
    for n in 0..3 {
        uploads.push(upload(&format!("e-extra-{n}"), EvidenceCategory::GameAccount));
    }
    let mut too_many = minor_refund(&["O-1"]);
    too_many.evidence_ids = ids(&uploads);
    let result = check(too_many, &orders(), &uploads, LIMITS, today());
    assert_eq!(invalid_parts(result), ("too_many_files", "evidence_ids".to_owned()));

    let mut repeated = minor_refund(&["O-1"]);
    repeated.evidence_ids.extend(ids(&required_uploads()));
    let valid = check_minor(repeated).expect("duplicates collapse");
    assert_eq!(valid.evidence_ids.len(), 3);
}

#[test]
fn a_complaint_needs_no_orders_or_evidence_and_keeps_its_details() {
    let valid = check(complaint(), &orders(), &[], LIMITS, today()).expect("valid");

    assert_eq!(valid.kind, CaseKind::Complaint);
    assert!(valid.claims.is_empty());
    assert_eq!(valid.claimed, Fen(0));
    assert!(valid.evidence_ids.is_empty());
    assert!(valid.details.guardian.is_none());
    let info = valid.details.complaint.expect("complaint details");
    assert_eq!(info.title, "广告说首充送皮肤，实际没有");
    assert_eq!(info.category, ComplaintCategory::FalseAdvertising);
}

#[test]
fn a_complaint_may_claim_orders_without_a_minors_birth_month() {
    let mut case = complaint();
    case.order_nos = vec!["O-2".to_owned()];

    let valid = check(case, &orders(), &[], LIMITS, today()).expect("valid");

    assert_eq!(valid.claimed, Fen(64_800));
}

#[test]
fn a_complaint_needs_its_complaint_details_and_a_title() {
    let mut missing = complaint();
    missing.complaint = None;
    assert_eq!(
        invalid_parts(check(missing, &orders(), &[], LIMITS, today())),
        ("missing_complaint", "complaint".to_owned())
    );

    for title in ["   ", &"题".repeat(TITLE_MAX_CHARS + 1)] {
        let mut case = complaint();
        if let Some(info) = case.complaint.as_mut() {
            info.title = title.to_owned();
        }
        assert_eq!(
            invalid_parts(check(case, &orders(), &[], LIMITS, today())),
            ("invalid_title", "complaint.title".to_owned()),
            "{title:?}"
        );
    }
}

#[test]
fn a_complaint_accepts_complaint_evidence_and_refuses_minor_refund_evidence() {
    let uploads = vec![
        upload("e-rec", EvidenceCategory::ScreenRecordings),
        upload("e-minor", EvidenceCategory::MinorProof),
    ];
    let mut good = complaint();
    good.evidence_ids = vec!["e-rec".to_owned()];
    assert_eq!(
        check(good, &orders(), &uploads, LIMITS, today())
            .expect("valid")
            .evidence_ids,
        ["e-rec"]
    );

    let mut bad = complaint();
    bad.evidence_ids = vec!["e-minor".to_owned()];
    assert_eq!(
        invalid_parts(check(bad, &orders(), &uploads, LIMITS, today())),
        ("wrong_evidence_category", "evidence.minor_proof".to_owned())
    );
}

#[test]
fn case_details_round_trip_through_their_stored_json() {
    let details = check_minor(minor_refund(&["O-1"])).expect("valid").details;

    let json = serde_json::to_string(&details).expect("serialises");
    assert!(!json.contains("complaint"), "absent parts are not stored: {json}");
    let back: CaseDetails = serde_json::from_str(&json).expect("deserialises");
    assert_eq!(back, details);
}
