//! Unit tests of the model: personal-code vectors, money, months and totals.

use time::macros::date;

use super::*;

#[test]
fn old_format_codes_with_a_valid_checksum_parse_with_or_without_hyphen() {
    let hyphen = PersonCode::parse("121282-11210").unwrap();
    let plain = PersonCode::parse("12128211210").unwrap();
    assert_eq!(hyphen, plain);
    assert_eq!(plain.format(), PersonCodeFormat::Old);
    assert_eq!(plain.birth_date(), Some(date!(1982 - 12 - 12)));
    assert_eq!(plain.as_str(), "12128211210");
    assert_eq!(plain.hyphenated(), "121282-11210");
}

#[test]
fn old_format_codes_with_a_wrong_checksum_are_rejected() {
    assert_eq!(PersonCode::parse("121282-11211"), Err(PersonCodeError::Checksum));
}

#[test]
fn every_wrong_check_digit_is_rejected_and_only_the_right_one_accepted() {
    let accepted: Vec<u8> = (0..10u8).filter(|z| PersonCode::parse(&format!("010190-1234{z}")).is_ok()).collect();
    assert_eq!(accepted.len(), 1);
    assert_eq!(accepted[0], old_format_check_digit(&[0, 1, 0, 1, 9, 0, 1, 2, 3, 4]));
}

#[test]
fn old_format_codes_must_carry_a_real_birth_date_and_century() {
    assert_eq!(PersonCode::parse("310290-11234"), Err(PersonCodeError::BirthDate));
    assert_eq!(PersonCode::parse("011390-11234"), Err(PersonCodeError::BirthDate));
    assert_eq!(PersonCode::parse("010190-31234"), Err(PersonCodeError::Century));
    // 29 February exists in 2000 and not in 1900.
    let z = old_format_check_digit(&[2, 9, 0, 2, 0, 0, 2, 1, 2, 3]);
    assert!(PersonCode::parse(&format!("290200-2123{z}")).is_ok());
    let z = old_format_check_digit(&[2, 9, 0, 2, 0, 0, 1, 1, 2, 3]);
    assert_eq!(PersonCode::parse(&format!("290200-1123{z}")), Err(PersonCodeError::BirthDate));
}

#[test]
fn new_format_codes_are_accepted_on_structure_without_a_check_digit() {
    for raw in ["32123456789", "321234-56780", "39999999999", "320000-00001"] {
        let code = PersonCode::parse(raw).unwrap();
        assert_eq!(code.format(), PersonCodeFormat::New);
        assert_eq!(code.birth_date(), None);
    }
}

#[test]
fn malformed_codes_are_rejected_by_shape() {
    for raw in ["", "1212821121", "121282111210", "12128a-11210", "121282_11210", "1212-8211210"] {
        assert_eq!(PersonCode::parse(raw), Err(PersonCodeError::Shape), "{raw:?}");
    }
}

#[test]
fn debug_and_display_never_show_the_digits() {
    let code = PersonCode::parse("121282-11210").unwrap();
    let shown = format!("{code} {code:?} {:?}", Some(&code));
    assert!(!shown.chars().any(|c| c.is_ascii_digit()), "{shown}");
}

#[test]
fn fingerprints_are_stable_per_salt_and_differ_between_salts() {
    let code = PersonCode::parse("121282-11210").unwrap();
    assert_eq!(code.fingerprint(b"a"), code.fingerprint(b"a"));
    assert_ne!(code.fingerprint(b"a"), code.fingerprint(b"b"));
    assert!(!code.fingerprint(b"a").contains(code.as_str()));
}

#[test]
fn person_codes_round_trip_through_json_and_reject_bad_input() {
    let code = PersonCode::parse("121282-11210").unwrap();
    let json = serde_json::to_string(&code).unwrap();
    assert_eq!(json, "\"12128211210\"");
    assert_eq!(serde_json::from_str::<PersonCode>(&json).unwrap(), code);
    let err = serde_json::from_str::<PersonCode>("\"121282-11211\"").unwrap_err().to_string();
    assert!(!err.contains("121282"), "{err}");
}

#[test]
fn decimal_amounts_parse_exactly_to_cents() {
    assert_eq!(Money::parse_decimal("123.45"), Ok(Money::from_cents(12345)));
    assert_eq!(Money::parse_decimal("0.1"), Ok(Money::from_cents(10)));
    assert_eq!(Money::parse_decimal("7"), Ok(Money::from_cents(700)));
    assert_eq!(Money::parse_decimal("-2.05"), Ok(Money::from_cents(-205)));
    assert_eq!(Money::parse_decimal("1.005"), Err(MoneyError::Shape));
    assert_eq!(Money::parse_decimal("1."), Err(MoneyError::Shape));
    assert_eq!(Money::parse_decimal("1,50"), Err(MoneyError::Shape));
    assert_eq!(Money::parse_decimal(""), Err(MoneyError::Shape));
    assert_eq!(Money::parse_decimal("99999999999999999999"), Err(MoneyError::Overflow));
}

#[test]
fn amounts_format_with_two_fraction_digits_and_round_trip() {
    for cents in [0, 5, 10, 12345, -205, -5, i64::from(i32::MAX)] {
        let m = Money::from_cents(cents);
        assert_eq!(Money::parse_decimal(&m.to_decimal_string()), Ok(m));
    }
    assert_eq!(Money::from_cents(-5).to_decimal_string(), "-0.05");
}

#[test]
fn averages_round_half_away_from_zero() {
    assert_eq!(Money::from_cents(10).div_round(3), Money::from_cents(3));
    assert_eq!(Money::from_cents(11).div_round(2), Money::from_cents(6));
    assert_eq!(Money::from_cents(-11).div_round(2), Money::from_cents(-6));
    assert_eq!(Money::from_cents(200).div_round(3), Money::from_cents(67));
}

#[test]
fn months_parse_order_and_step_across_years() {
    let m = Month::parse("2026-01").unwrap();
    assert_eq!(m.previous(), Month::new(2025, 12).unwrap());
    assert_eq!(m.plus(-13), Month::new(2024, 12).unwrap());
    assert_eq!(m.plus(12).to_string(), "2027-01");
    assert_eq!(m.last_day(), date!(2026 - 01 - 31));
    assert_eq!(Month::parse("2024-02").unwrap().last_day(), date!(2024 - 02 - 29));
    assert!(Month::parse("2026-13").is_err());
    assert!(Month::parse("2026-1").is_err());
    assert!(Month::parse("26-01").is_err());
}

#[test]
fn the_default_period_is_the_last_three_full_months() {
    let p = Period::last_full_months(date!(2026 - 02 - 10), 3);
    assert_eq!(p.from().to_string(), "2025-11");
    assert_eq!(p.to().to_string(), "2026-01");
    assert_eq!(p.months().count(), 3);
}

#[test]
fn periods_reject_reversed_and_overlong_ranges() {
    let a = Month::parse("2026-05").unwrap();
    let b = Month::parse("2026-03").unwrap();
    assert_eq!(Period::new(a, b), Err(MonthError::Reversed));
    assert_eq!(Period::new(b, b.plus(24)), Err(MonthError::TooLong(MAX_PERIOD_MONTHS)));
    assert!(serde_json::from_str::<Period>(r#"{"from":"2026-05","to":"2026-03"}"#).is_err());
}

#[test]
fn household_totals_count_only_means_tested_kinds_and_average_over_the_period() {
    let person = PersonCode::parse("121282-11210").unwrap();
    let period = Period::new(Month::parse("2026-01").unwrap(), Month::parse("2026-03").unwrap()).unwrap();
    let provenance = Provenance {
        system: System::Vsaa,
        record_id: "r".into(),
        fetched_at: time::OffsetDateTime::UNIX_EPOCH,
        request_id: RequestId::new(),
    };
    let income = |month: &str, kind, cents| IncomeRecord {
        person: person.clone(),
        month: Month::parse(month).unwrap(),
        kind,
        amount: Money::from_cents(cents),
        employer: None,
        scheme: None,
        provenance: provenance.clone(),
    };
    let incomes = vec![
        income("2026-01", IncomeKind::OldAgePension, 50_000),
        income("2026-01", IncomeKind::FamilyStateBenefit, 2_500),
        income("2026-02", IncomeKind::OldAgePension, 50_001),
        income("2025-12", IncomeKind::OldAgePension, 1),
    ];
    let record = HouseholdRecord::assemble(
        RequestId::new(),
        person.clone(),
        period,
        HouseholdFacts { incomes, ..Default::default() },
    );
    let totals: Vec<i64> = record.monthly_totals.as_ref().unwrap().iter().map(|t| t.amount.cents()).collect();
    assert_eq!(totals, vec![50_000, 50_001, 0]);
    assert_eq!(record.average_monthly, Some(Money::from_cents(33_334)));
    assert!(record.complete);

    let gap = Gap {
        system: System::Vsaa,
        person: Some(person.clone()),
        topic: GapTopic::Incomes,
        reason: GapReason::Timeout,
    };
    let record = HouseholdRecord::assemble(
        RequestId::new(),
        person,
        period,
        HouseholdFacts { incomes: record.incomes, gaps: vec![gap], ..Default::default() },
    );
    assert_eq!((record.monthly_totals, record.average_monthly, record.complete), (None, None, false));
}

fn decision() -> StatusDecision {
    StatusDecision {
        decision_ref: "TUK-2026-000123".into(),
        version: 1,
        status: HouseholdStatus::Needy,
        members: vec![PersonCode::parse("121282-11210").unwrap(), PersonCode::parse("32579318462").unwrap()],
        valid_from: date!(2026 - 12 - 01),
        valid_to: Some(date!(2027 - 05 - 31)),
    }
}

#[test]
fn decisions_are_validated_field_by_field() {
    assert_eq!(decision().validate(), Ok(()));
    let field = |d: StatusDecision| d.validate().unwrap_err().field;
    assert_eq!(field(StatusDecision { decision_ref: "a b".into(), ..decision() }), "/decision_ref");
    assert_eq!(field(StatusDecision { version: 0, ..decision() }), "/version");
    assert_eq!(field(StatusDecision { members: vec![], ..decision() }), "/members");
    let twice = vec![decision().members[0].clone(), decision().members[0].clone()];
    assert_eq!(field(StatusDecision { members: twice, ..decision() }), "/members/1");
    assert_eq!(field(StatusDecision { valid_to: Some(date!(2026 - 11 - 30)), ..decision() }), "/valid_to");
}

#[test]
fn decisions_round_trip_through_json_with_iso_dates() {
    let json = serde_json::to_value(decision()).unwrap();
    assert_eq!(json["valid_from"], "2026-12-01");
    assert_eq!(json["status"], "needy");
    assert_eq!(serde_json::from_value::<StatusDecision>(json).unwrap(), decision());
}

#[test]
fn idempotency_keys_differ_by_reference_version_and_partner_only() {
    let key = IdempotencyKey::derive("TUK-1", 1, System::Pmlp);
    assert_eq!(key, IdempotencyKey::derive("TUK-1", 1, System::Pmlp));
    assert_ne!(key, IdempotencyKey::derive("TUK-1", 2, System::Pmlp));
    assert_ne!(key, IdempotencyKey::derive("TUK-2", 1, System::Pmlp));
    assert_ne!(key, IdempotencyKey::derive("TUK-1", 1, System::Vsaa));
    assert_eq!(key.as_str().len(), 32);
}

#[test]
fn only_rejections_are_permanent_delivery_failures() {
    assert!(SinkError::from(SourceError::Rejected { code: "x".into() }).is_permanent());
    assert!(!SinkError::from(SourceError::Timeout).is_permanent());
    assert!(!SinkError::from(SourceError::RateLimited { retry_after: None }).is_permanent());
}

#[test]
fn share_values_are_exact_fractions_rounded_once_half_away_from_zero() {
    let share = |n, d| Share::new(n, d).unwrap();
    assert_eq!(share(1, 2).of(Money::from_cents(1_001)), Money::from_cents(501));
    assert_eq!(share(1, 3).of(Money::from_cents(1_000)), Money::from_cents(333));
    assert_eq!(share(2, 3).of(Money::from_cents(1_000)), Money::from_cents(667));
    assert_eq!(share(1, 1).of(Money::from_cents(123_456)), Money::from_cents(123_456));
    assert_eq!(share(3, 8).of(Money::from_cents(-100)), Money::from_cents(-38));
    assert_eq!(share(1, 7).of(Money::from_cents(i64::MAX / 2)).cents(), (i64::MAX / 2) / 7);
    assert_eq!(Share::new(0, 2), Err(ShareError));
    assert_eq!(Share::new(3, 2), Err(ShareError));
    assert!(serde_json::from_str::<Share>(r#"{"numerator":2,"denominator":0}"#).is_err());
    assert_eq!(share(2, 4).to_string(), "2/4");
}

#[test]
fn co_financing_is_thirty_percent_rounded_once_half_away_from_zero() {
    assert_eq!(co_financed_share(Money::from_cents(12_345)), Money::from_cents(3_704));
    assert_eq!(co_financed_share(Money::from_cents(100)), Money::from_cents(30));
    assert_eq!(co_financed_share(Money::from_cents(5)), Money::from_cents(2));
    assert_eq!(co_financed_share(Money::from_cents(-5)), Money::from_cents(-2));
}

#[test]
fn stipends_do_not_count_and_public_works_do() {
    assert!(!IncomeKind::TrainingStipend.counts_in_means_test());
    assert!(IncomeKind::PublicWorksAllowance.counts_in_means_test());
    assert!(IncomeKind::MaintenancePayment.counts_in_means_test(), "maintenance received is income");
    assert!(GapTopic::Incomes.leaves_incomes_unknown());
    for topic in [GapTopic::Statuses, GapTopic::Assets, GapTopic::AssetValues, GapTopic::CoFinancing] {
        assert!(!topic.leaves_incomes_unknown());
    }
}

#[test]
fn status_kinds_have_readable_wire_names() {
    let names: Vec<String> =
        [StatusKind::DisabilityGroupI, StatusKind::DisabilityGroupII, StatusKind::DisabilityGroupIII]
            .iter()
            .map(|k| serde_json::to_value(k).unwrap().as_str().unwrap().to_owned())
            .collect();
    assert_eq!(names, ["disability_group_i", "disability_group_ii", "disability_group_iii"]);
    assert_eq!(serde_json::to_value(StatusKind::JobSeeker).unwrap(), "job_seeker");
}
