//! Hand-worked households: each figure below is computed by hand from the levels in
//! `config/assessment-rules.toml` (`../shared/DOMAIN.md`), not copied from the output.

use gateway_domain::{
    Gap, GapReason, GapTopic, HouseholdFacts, HouseholdRecord, IncomeRecord, Member, Membership, PersonCode,
    Provenance, RequestId, System,
};
use time::macros::date;

use super::*;

fn month(raw: &str) -> Month {
    Month::parse(raw).unwrap()
}

fn period(from: &str, to: &str) -> Period {
    Period::new(month(from), month(to)).unwrap()
}

fn cents(c: i64) -> Money {
    Money::from_cents(c)
}

/// A member with the same incomes every month of `period`.
fn member(label: &str, birth: Date, period: Period, incomes: &[(IncomeKind, i64)]) -> AssessedMember {
    AssessedMember {
        label: label.to_owned(),
        birth_date: Some(birth),
        incomes: period.months().flat_map(|m| incomes.iter().map(move |(k, c)| (m, *k, cents(*c)))).collect(),
    }
}

fn input(period: Period, members: Vec<AssessedMember>) -> AssessmentInput {
    AssessmentInput { period, members, unknown: Vec::new(), assets: Vec::new() }
}

fn pensioner(period: Period, monthly: i64) -> AssessmentInput {
    input(period, vec![member("member 1", date!(1950 - 03 - 01), period, &[(IncomeKind::OldAgePension, monthly)])])
}

fn status(input: &AssessmentInput) -> IndicativeStatus {
    assess(input, &Rules::shipped()).unwrap().status
}

use IndicativeStatus::{Inconclusive, LowIncome, Needy, NotNeedy};

#[test]
fn a_single_pensioner_around_each_level_of_2024() {
    let p = period("2024-01", "2024-03"); // assessed in 2024-04: needy 343, low income 411
    for (monthly, expected) in [
        (34_299, Needy),
        (34_300, Needy),
        (34_301, LowIncome),
        (41_099, LowIncome),
        (41_100, LowIncome),
        (41_101, NotNeedy),
    ] {
        assert_eq!(status(&pensioner(p, monthly)), expected, "{monthly}");
    }
    // GMI 137.00 for one person.
    for (monthly, benefit) in [(13_699, 1), (13_700, 0), (13_701, 0), (0, 13_700)] {
        let a = assess(&pensioner(p, monthly), &Rules::shipped()).unwrap();
        assert_eq!(a.gmi_benefit, Some(cents(benefit)), "{monthly}");
    }
}

#[test]
fn a_single_pensioner_around_each_level_of_2025_where_no_low_income_level_is_set() {
    let p = period("2025-06", "2025-08"); // needy 377, GMI 166, low income set by the municipality
    assert_eq!(status(&pensioner(p, 37_699)), Needy);
    assert_eq!(status(&pensioner(p, 37_700)), Needy);
    let above = assess(&pensioner(p, 37_701), &Rules::shipped()).unwrap();
    assert_eq!(above.status, NotNeedy);
    assert_eq!(above.levels.low_income, None);
    assert!(above.reasons.iter().any(|r| r.contains("no low-income level")), "{:?}", above.reasons);
    for (monthly, benefit) in [(16_599, 1), (16_600, 0), (16_601, 0)] {
        assert_eq!(assess(&pensioner(p, monthly), &Rules::shipped()).unwrap().gmi_benefit, Some(cents(benefit)));
    }
}

#[test]
fn a_single_pensioner_around_each_level_of_2026() {
    let p = period("2026-08", "2026-10"); // assessed in 2026-11: needy 425, low income 510, GMI 187
    for (monthly, expected) in [
        (42_499, Needy),
        (42_500, Needy),
        (42_501, LowIncome),
        (50_999, LowIncome),
        (51_000, LowIncome),
        (51_001, NotNeedy),
    ] {
        assert_eq!(status(&pensioner(p, monthly)), expected, "{monthly}");
    }
    for (monthly, benefit) in [(18_699, 1), (18_700, 0), (18_701, 0)] {
        assert_eq!(assess(&pensioner(p, monthly), &Rules::shipped()).unwrap().gmi_benefit, Some(cents(benefit)));
    }
}

/// Two working parents, a child with the family state benefit and a 16-year-old who earns.
fn family_of_four(p: Period, teen_earnings: i64) -> AssessmentInput {
    input(
        p,
        vec![
            member("member 1 (applicant)", date!(1985 - 05 - 10), p, &[(IncomeKind::EmploymentIncome, 60_000)]),
            member("member 2", date!(1987 - 02 - 01), p, &[(IncomeKind::EmploymentIncome, 40_000)]),
            member("member 3", date!(2016 - 09 - 01), p, &[(IncomeKind::FamilyStateBenefit, 2_500)]),
            member("member 4", date!(2010 - 01 - 15), p, &[(IncomeKind::EmploymentIncome, teen_earnings)]),
        ],
    )
}

#[test]
fn a_family_of_four_in_2026() {
    let p = period("2026-08", "2026-10");
    // Levels: needy 425 + 3 × 298 = 1319.00; low income 510 + 3 × 357 = 1581.00; GMI 187 + 3 × 131 = 580.00.
    // Counted: 600 + 400, the family state benefit not, the minor's 800 above 780: 20. Total 1020.00 a month.
    let a = assess(&family_of_four(p, 80_000), &Rules::shipped()).unwrap();
    assert_eq!(
        (a.levels.needy, a.levels.low_income, a.levels.gmi),
        (cents(131_900), Some(cents(158_100)), cents(58_000))
    );
    assert_eq!(a.average_monthly, Some(cents(102_000)));
    assert_eq!(a.counted_total, Some(cents(306_000)));
    assert_eq!(a.status, Needy);
    assert_eq!(a.gmi_benefit, Some(cents(0)));
    assert!(a.explanation.iter().any(|l| l.contains("minimum wage 780.00") && l.contains("20.00 counted")));
    assert!(a.explanation.iter().any(|l| l.contains("family state benefit 25.00 does not count")));
}

#[test]
fn the_levels_are_compared_with_the_unrounded_average() {
    // 2026, one person: needy 425.00; 3 × 425.00 = 1275.00. Totals of 1275.01 average 425.0033,
    // shown as 425.00, and are above the level.
    let p = period("2026-08", "2026-10");
    let mut household = pensioner(p, 42_500);
    household.members[0].incomes[0].2 = cents(42_501);
    let a = assess(&household, &Rules::shipped()).unwrap();
    assert_eq!(a.average_monthly, Some(cents(42_500)));
    assert_eq!(a.status, LowIncome);
    // The GMI benefit uses the shown average: 187.00 - 425.00 is below zero.
    assert_eq!(a.gmi_benefit, Some(cents(0)));
}

#[test]
fn kinds_that_do_not_count_leave_the_household_needy_with_the_full_gmi_benefit() {
    let p = period("2024-04", "2024-06");
    let household = input(
        p,
        vec![
            member("member 1", date!(1980 - 01 - 01), p, &[(IncomeKind::DisabilityCareAllowance, 21_300)]),
            member("member 2", date!(2012 - 01 - 01), p, &[(IncomeKind::FamilyStateBenefit, 2_500)]),
        ],
    );
    let a = assess(&household, &Rules::shipped()).unwrap();
    assert_eq!(a.average_monthly, Some(cents(0)));
    assert_eq!(a.status, Needy);
    // GMI 2024: 137 + 96.
    assert_eq!(a.gmi_benefit, Some(cents(23_300)));
}

#[test]
fn a_minors_earnings_count_only_above_that_months_minimum_wage() {
    let p = period("2025-01", "2025-03"); // minimum wage 740.00
    let teen = |earnings| {
        input(p, vec![member("member 1", date!(2008 - 06 - 01), p, &[(IncomeKind::EmploymentIncome, earnings)])])
    };
    let below = assess(&teen(70_000), &Rules::shipped()).unwrap();
    assert_eq!(below.average_monthly, Some(cents(0)));
    let above = assess(&teen(80_000), &Rules::shipped()).unwrap();
    assert_eq!(above.average_monthly, Some(cents(6_000)));
    // The same earnings of an adult count in full.
    let adult = input(p, vec![member("member 1", date!(2000 - 06 - 01), p, &[(IncomeKind::EmploymentIncome, 80_000)])]);
    assert_eq!(assess(&adult, &Rules::shipped()).unwrap().average_monthly, Some(cents(80_000)));
    // Eighteen during the period: counted in full from the month the birthday ends in.
    let turning =
        input(p, vec![member("member 1", date!(2007 - 02 - 10), p, &[(IncomeKind::EmploymentIncome, 80_000)])]);
    let a = assess(&turning, &Rules::shipped()).unwrap();
    let months: Vec<i64> = a.counted_monthly.unwrap().iter().map(|m| m.amount.cents()).collect();
    assert_eq!(months, [6_000, 80_000, 80_000]);
}

#[test]
fn an_unknown_income_makes_the_status_inconclusive_with_its_reason() {
    let p = period("2026-08", "2026-10");
    let mut household = pensioner(p, 30_000);
    household.unknown.push("vsaa did not answer about member 1's incomes (timeout)".into());
    let a = assess(&household, &Rules::shipped()).unwrap();
    assert_eq!(a.status, Inconclusive);
    assert_eq!((a.average_monthly, a.gmi_benefit), (None, None));
    assert!(a.reasons[0].contains("vsaa"));
    // Unknown birth date of a member who earns: a minor's exclusion cannot be decided.
    let mut household = pensioner(p, 30_000);
    household.members[0].incomes.push((month("2026-08"), IncomeKind::EmploymentIncome, cents(10_000)));
    household.members[0].birth_date = None;
    assert_eq!(status(&household), Inconclusive);
}

#[test]
fn a_period_with_no_levels_is_a_clear_error() {
    let p = period("2023-01", "2023-03");
    assert_eq!(
        assess(&pensioner(p, 1), &Rules::shipped()),
        Err(AssessmentError::NoRule(NoRule::Levels(month("2023-04"))))
    );
}

fn provenance() -> Provenance {
    Provenance {
        system: System::Vsaa,
        record_id: "r".into(),
        fetched_at: time::OffsetDateTime::UNIX_EPOCH,
        request_id: RequestId::new(),
    }
}

fn record(p: Period, incomes: &[(&PersonCode, IncomeKind, i64)], gaps: Vec<Gap>) -> HouseholdRecord {
    let applicant = incomes[0].0.clone();
    let members = vec![Member {
        person_code: applicant.clone(),
        given_name: None,
        family_name: None,
        birth_date: Some(date!(1960 - 01 - 01)),
        membership: Membership::Applicant,
        provenance: None,
    }];
    let incomes = p
        .months()
        .flat_map(|month| {
            incomes.iter().map(move |(person, kind, c)| IncomeRecord {
                person: (*person).clone(),
                month,
                kind: *kind,
                amount: cents(*c),
                employer: None,
                scheme: None,
                provenance: provenance(),
            })
        })
        .collect();
    HouseholdRecord::assemble(
        RequestId::new(),
        applicant,
        p,
        HouseholdFacts { members, incomes, gaps, ..Default::default() },
    )
}

#[test]
fn declarations_match_within_the_tolerance_and_differ_beyond_it() {
    let anna = PersonCode::parse("121282-11210").unwrap();
    let p = period("2026-08", "2026-10");
    let verified = record(
        p,
        &[
            (&anna, IncomeKind::OldAgePension, 50_000),
            (&anna, IncomeKind::EmploymentIncome, 100_000),
            (&anna, IncomeKind::SicknessBenefit, 10_000),
            (&anna, IncomeKind::FamilyStateBenefit, 2_500),
        ],
        Vec::new(),
    );
    let declared = |kind, c| DeclaredIncome { person: anna.clone(), kind, monthly: cents(c) };
    let outcomes = check_declared(
        &verified,
        &[
            declared(IncomeKind::OldAgePension, 50_000),    // the same
            declared(IncomeKind::EmploymentIncome, 90_000), // 10 % below: within
            declared(IncomeKind::SicknessBenefit, 12_001),  // 20.01 above, more than 10 %: beyond
            declared(IncomeKind::SurvivorPension, 5_000),   // no registry knows it
        ],
        Rules::shipped().tolerance,
    );
    let verdict = |kind| outcomes.iter().find(|o| o.kind == kind).map(|o| o.outcome);
    assert_eq!(verdict(IncomeKind::OldAgePension), Some(DeclaredVerdict::Matches));
    assert_eq!(verdict(IncomeKind::EmploymentIncome), Some(DeclaredVerdict::Matches));
    assert_eq!(verdict(IncomeKind::SicknessBenefit), Some(DeclaredVerdict::Differs));
    assert_eq!(verdict(IncomeKind::SurvivorPension), Some(DeclaredVerdict::DeclaredNotFound));
    assert_eq!(verdict(IncomeKind::FamilyStateBenefit), Some(DeclaredVerdict::FoundNotDeclared));
    let sickness = outcomes.iter().find(|o| o.kind == IncomeKind::SicknessBenefit).unwrap();
    assert_eq!((sickness.declared, sickness.verified), (Some(cents(12_001)), Some(cents(10_000))));

    // A registry that did not answer leaves a declaration unverified, not "not found".
    let gap =
        Gap::from_error(System::Vsaa, Some(anna.clone()), GapTopic::Incomes, &gateway_domain::SourceError::Timeout);
    assert_eq!(gap.reason, GapReason::Timeout);
    let unverified = record(p, &[(&anna, IncomeKind::OldAgePension, 50_000)], vec![gap]);
    let outcomes =
        check_declared(&unverified, &[declared(IncomeKind::SurvivorPension, 5_000)], Rules::shipped().tolerance);
    assert_eq!(
        outcomes.iter().find(|o| o.kind == IncomeKind::SurvivorPension).unwrap().outcome,
        DeclaredVerdict::Unverified
    );
}

fn asset(register: System, identifier: &str, kind: &str) -> AssetNote {
    AssetNote {
        member: "member 1".into(),
        register,
        identifier: identifier.into(),
        kind: kind.into(),
        share_value: None,
    }
}

#[test]
fn a_lone_dwelling_is_not_listed_but_vehicles_machines_and_holdings_always_are() {
    let dwelling = asset(System::LandRegistry, "90000000001", "apartment");
    let car = asset(System::Csdd, "GR-4512", "passenger_car (2015, owner)");
    let tractor = asset(System::Vtua, "T1234LB", "tractor (1988, owner)");
    let company = asset(System::Ur, "40003000001", "shareholder, 1/2");
    let listed = assets_to_assess(&[dwelling.clone(), car.clone(), tractor.clone(), company.clone()]);
    assert_eq!(listed, [car.clone(), tractor, company]);
    let land = asset(System::LandRegistry, "90000000002", "land");
    assert_eq!(assets_to_assess(&[dwelling.clone(), land.clone()]), [dwelling.clone(), land.clone()]);
    assert_eq!(assets_to_assess(&[land.clone(), car.clone()]), [land, car]);
    assert!(assets_to_assess(&[dwelling]).is_empty());
}
