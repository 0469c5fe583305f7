//! The rules at, just below and just above each limit; every kind of finding; invoice files.

use gateway_domain::{ExecutionReport, Month, PersonCode, Referral, ReferralState, ServiceType, Volume};
use time::macros::date;

use super::invoices::{self, InvoiceImportError};
use super::reconcile::{FindingKind, reconcile};
use super::rules::ProviderRules;
use crate::store::{Invoice, StoredReport};

const PROVIDER: &str = "40003000001";
const OTHER_PROVIDER: &str = "40003000002";

fn person(n: u32) -> PersonCode {
    PersonCode::parse(&format!("32{n:09}")).unwrap()
}

fn october() -> Month {
    Month::new(2026, 10).unwrap()
}

fn referral(reference: &str, n: u32, service: ServiceType, volume: Volume) -> Referral {
    Referral {
        referral_ref: reference.into(),
        version: 1,
        decision_ref: format!("D-{reference}"),
        case_ref: format!("CASE-{n}"),
        person: person(n),
        service,
        provider: PROVIDER.into(),
        carer: None,
        for_parents_employment: true,
        volume,
        valid_from: date!(2026 - 01 - 01),
        valid_to: date!(2026 - 12 - 31),
        state: ReferralState::Active,
    }
}

fn report(id: &str, referral: &Referral, month: Month) -> ExecutionReport {
    ExecutionReport {
        report_id: id.into(),
        revision: 1,
        referral_ref: referral.referral_ref.clone(),
        provider: referral.provider.clone(),
        person: referral.person.clone(),
        service: referral.service,
        month,
        visits: None,
        hours: None,
        days: None,
        amount_cents: 1000,
        carer: referral.carer.clone(),
    }
}

fn stored(reports: &[ExecutionReport]) -> Vec<StoredReport> {
    reports
        .iter()
        .map(|r| StoredReport {
            superseded: reports.iter().any(|o| o.report_id == r.report_id && o.revision > r.revision),
            report: r.clone(),
        })
        .collect()
}

/// The rules broken, as `(rule, limit, actual)`.
fn breaches(referrals: &[Referral], reports: &[ExecutionReport]) -> Vec<(&'static str, i64, i64)> {
    let report = reconcile(october(), referrals, &stored(reports), &[], &ProviderRules::shipped());
    report
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::RuleBreach)
        .map(|f| (f.rule.unwrap(), f.limit.unwrap(), f.actual.unwrap()))
        .collect()
}

#[test]
fn home_care_visits_are_held_to_the_level_over_the_days_covered() {
    // Level 2: at most 5 visits a week; October has 31 days, so 5 x 31 / 7 = 22.1 visits.
    let r = referral("R1", 1, ServiceType::HomeCare, Volume::HomeCareLevel { level: 2 });
    let with = |visits| {
        breaches(std::slice::from_ref(&r), &[ExecutionReport { visits: Some(visits), ..report("P1", &r, october()) }])
    };
    assert_eq!(with(21), []);
    assert_eq!(with(22), [], "22 x 7 = 154 <= 155");
    assert_eq!(with(23), [("home_care_visits", 22, 23)]);
    // Covered from 17 October: 15 days, 5 x 15 / 7 = 10.7.
    let late = Referral { valid_from: date!(2026 - 10 - 17), ..r.clone() };
    let with = |visits| {
        breaches(
            std::slice::from_ref(&late),
            &[ExecutionReport { visits: Some(visits), ..report("P1", &late, october()) }],
        )
    };
    assert_eq!(with(10), []);
    assert_eq!(with(11), [("home_care_visits", 10, 11)]);
    // Level 1: at most 2 a week: 8 visits in 31 days pass (56 <= 62), 9 do not (63 > 62).
    let one = referral("R1", 1, ServiceType::HomeCare, Volume::HomeCareLevel { level: 1 });
    let with = |visits| {
        breaches(
            std::slice::from_ref(&one),
            &[ExecutionReport { visits: Some(visits), ..report("P1", &one, october()) }],
        )
    };
    assert_eq!((with(7), with(8)), (vec![], vec![]));
    assert_eq!(with(9), [("home_care_visits", 8, 9)]);
}

#[test]
fn a_disabled_childs_care_is_at_most_80_hours_or_40_when_not_for_employment() {
    let employment = referral("R1", 1, ServiceType::DisabledChildCare, Volume::HoursPerMonth { hours: 200 });
    let with = |r: &Referral, hours| {
        breaches(std::slice::from_ref(r), &[ExecutionReport { hours: Some(hours), ..report("P1", r, october()) }])
    };
    assert_eq!(with(&employment, 79), []);
    assert_eq!(with(&employment, 80), []);
    assert_eq!(with(&employment, 81), [("disabled_child_care_hours", 80, 81)]);
    let other = Referral { for_parents_employment: false, ..employment };
    assert_eq!(with(&other, 39), []);
    assert_eq!(with(&other, 40), []);
    assert_eq!(with(&other, 41), [("disabled_child_care_hours", 40, 41)]);
}

#[test]
fn a_carer_serves_at_most_four_children_in_a_month() {
    let children = |n: u32| -> (Vec<Referral>, Vec<ExecutionReport>) {
        let referrals: Vec<Referral> = (0..n)
            .map(|i| Referral {
                carer: Some("CARER-1".into()),
                ..referral(&format!("R{i}"), i, ServiceType::DisabledChildCare, Volume::HoursPerMonth { hours: 20 })
            })
            .collect();
        let reports = referrals
            .iter()
            .enumerate()
            .map(|(i, r)| ExecutionReport { hours: Some(10), ..report(&format!("P{i}"), r, october()) })
            .collect();
        (referrals, reports)
    };
    for (n, expected) in [(3, vec![]), (4, vec![]), (5, vec![("children_per_carer", 4, 5)])] {
        let (referrals, reports) = children(n);
        assert_eq!(breaches(&referrals, &reports), expected, "{n} children");
    }
    let (referrals, reports) = children(5);
    let report = reconcile(october(), &referrals, &stored(&reports), &[], &ProviderRules::shipped());
    let finding = report.findings.iter().find(|f| f.kind == FindingKind::RuleBreach).unwrap();
    assert_eq!(finding.carer.as_deref(), Some("CARER-1"));
    assert_eq!(finding.reports.len(), 5, "it names every report it rests on");
}

#[test]
fn respite_care_is_at_most_30_days_in_a_calendar_year() {
    let r = referral("R1", 1, ServiceType::RespiteCare, Volume::Days { days: 60 });
    let with = |october_days| {
        let september = ExecutionReport { days: Some(20), ..report("P-SEP", &r, Month::new(2026, 9).unwrap()) };
        let last_year = ExecutionReport { days: Some(25), ..report("P-2025", &r, Month::new(2025, 12).unwrap()) };
        let now = ExecutionReport { days: Some(october_days), ..report("P-OCT", &r, october()) };
        breaches(std::slice::from_ref(&r), &[last_year, september, now])
    };
    assert_eq!(with(9), []);
    assert_eq!(with(10), [], "20 + 10 = 30; December 2025 is another year");
    assert_eq!(with(11), [("respite_care_days", 30, 31)]);
}

#[test]
fn social_rehabilitation_is_at_most_500_euro_per_child_and_per_household_in_12_months() {
    let child = referral("R1", 1, ServiceType::SocialRehabilitation, Volume::AmountCents { cents: 100_000 });
    let with = |cents| {
        let earlier = ExecutionReport { amount_cents: 30_000, ..report("P-MAR", &child, Month::new(2026, 3).unwrap()) };
        let outside =
            ExecutionReport { amount_cents: 40_000, ..report("P-OLD", &child, Month::new(2025, 10).unwrap()) };
        let now = ExecutionReport { amount_cents: cents, ..report("P-OCT", &child, october()) };
        breaches(std::slice::from_ref(&child), &[outside, earlier, now])
    };
    assert_eq!(with(19_999), []);
    assert_eq!(with(20_000), [], "300 + 200 = 500; October 2025 is 12 months back");
    // A household of one child passes both limits at once.
    assert_eq!(
        with(20_001),
        [("social_rehabilitation_child", 50_000, 50_001), ("social_rehabilitation_household", 50_000, 50_001)]
    );

    // Two children of one household, each under the child's limit.
    let sibling = Referral {
        case_ref: child.case_ref.clone(),
        ..referral("R2", 2, ServiceType::SocialRehabilitation, Volume::AmountCents { cents: 100_000 })
    };
    let with = |cents| {
        let first = ExecutionReport { amount_cents: 25_000, ..report("P1", &child, october()) };
        let second = ExecutionReport { amount_cents: cents, ..report("P2", &sibling, october()) };
        breaches(&[child.clone(), sibling.clone()], &[first, second])
    };
    assert_eq!(with(24_999), []);
    assert_eq!(with(25_000), []);
    assert_eq!(with(25_001), [("social_rehabilitation_household", 50_000, 50_001)]);
}

#[test]
fn every_kind_of_finding_names_what_it_rests_on() {
    let day_care = referral("R-DAY", 1, ServiceType::DayCare, Volume::DaysPerMonth { days: 10 });
    let ended = Referral {
        valid_to: date!(2026 - 09 - 30),
        ..referral("R-END", 2, ServiceType::DayCare, Volume::DaysPerMonth { days: 10 })
    };
    let cancelled = Referral {
        version: 2,
        state: ReferralState::Cancelled,
        valid_to: date!(2026 - 09 - 15),
        ..referral("R-CAN", 3, ServiceType::DayCare, Volume::DaysPerMonth { days: 10 })
    };
    let silent = referral("R-SILENT", 4, ServiceType::DayCare, Volume::DaysPerMonth { days: 10 });
    let unknown = Referral { referral_ref: "R-NONE".into(), person: person(9), ..day_care.clone() };
    let over = ExecutionReport { days: Some(11), amount_cents: 11_000, ..report("P-OVER", &day_care, october()) };
    // A correction: revision 2 replaces revision 1, which would be over the volume.
    let first = ExecutionReport { days: Some(15), ..report("P-FIX", &ended, october()) };
    let corrected = ExecutionReport { revision: 2, days: Some(5), ..first.clone() };
    let reports = vec![
        over.clone(),
        first,
        corrected,
        report("P-CAN", &cancelled, october()),
        report("P-NONE", &unknown, october()),
    ];
    let person_of = |r: &Referral| r.person.clone();
    let invoice = |line, who: &Referral, cents| Invoice {
        provider: PROVIDER.into(),
        month: october(),
        person: person_of(who),
        service: ServiceType::DayCare,
        amount_cents: cents,
        source: "october.csv".into(),
        line,
    };
    let invoices = vec![invoice(2, &day_care, 12_000), invoice(3, &silent, 5_000)];
    let referrals = vec![day_care, ended, cancelled, silent];
    let report = reconcile(october(), &referrals, &stored(&reports), &invoices, &ProviderRules::shipped());
    type Summary<'a> = (FindingKind, Option<&'a str>, Vec<&'a str>, Vec<(&'a str, u32)>, Vec<u64>);
    let summary: Vec<Summary> = report
        .findings
        .iter()
        .map(|f| {
            (
                f.kind,
                f.rule,
                f.referrals.iter().map(String::as_str).collect(),
                f.reports.iter().map(|r| (r.report_id.as_str(), r.revision)).collect(),
                f.invoices.iter().map(|i| i.line).collect(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (FindingKind::ReportedWithoutReferral, None, vec![], vec![("P-NONE", 1)], vec![]),
            (FindingKind::ReportedOutsideReferral, Some("cancelled"), vec!["R-CAN"], vec![("P-CAN", 1)], vec![]),
            (FindingKind::ReportedOutsideReferral, Some("ended"), vec!["R-END"], vec![("P-FIX", 2)], vec![]),
            (FindingKind::OverReferredVolume, None, vec!["R-DAY"], vec![("P-OVER", 1)], vec![]),
            (FindingKind::InvoicedAboveReported, None, vec![], vec![("P-OVER", 1)], vec![2]),
            (FindingKind::InvoicedWithoutReport, None, vec![], vec![], vec![3]),
            (FindingKind::ReferralWithoutReport, None, vec!["R-SILENT"], vec![], vec![]),
        ]
    );
    let row = report.rows.iter().find(|r| r.service == Some(ServiceType::DayCare)).unwrap();
    assert_eq!(
        (row.referred, row.reported, row.days),
        (2, 4, 11 + 5),
        "latest revisions only (the other two report no days)"
    );
    assert_eq!((row.reported_cents, row.invoiced_cents), (11_000 + 3 * 1000, 17_000));
    let over_finding = report.findings.iter().find(|f| f.kind == FindingKind::OverReferredVolume).unwrap();
    assert_eq!((over_finding.limit, over_finding.actual), (Some(10), Some(11)));
}

#[test]
fn a_report_naming_another_providers_referral_has_no_referral() {
    let r = referral("R1", 1, ServiceType::DayCare, Volume::DaysPerMonth { days: 10 });
    let foreign = ExecutionReport { provider: OTHER_PROVIDER.into(), days: Some(1), ..report("P1", &r, october()) };
    let report = reconcile(october(), &[r], &stored(&[foreign]), &[], &ProviderRules::shipped());
    let kinds: Vec<FindingKind> = report.findings.iter().map(|f| f.kind).collect();
    assert_eq!(kinds, [FindingKind::ReportedWithoutReferral, FindingKind::ReferralWithoutReport]);
}

#[test]
fn the_shipped_rules_load_and_a_file_replaces_them() {
    let shipped = ProviderRules::shipped();
    let limits = shipped.for_month(october()).unwrap();
    assert_eq!(limits.home_care(3).map(|l| (l.min_visits_per_week, l.max_visits_per_week)), Some((6, 7)));
    assert!(shipped.for_month(Month::new(2023, 12).unwrap()).is_none());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rules.toml");
    std::fs::write(&path, super::rules::SHIPPED_RULES.replace("children_per_carer = 4", "children_per_carer = 3"))
        .unwrap();
    assert_eq!(ProviderRules::load(Some(&path)).unwrap().for_month(october()).unwrap().children_per_carer, 3);
    std::fs::write(
        &path,
        super::rules::SHIPPED_RULES
            .replace("{ level = 3, min_visits_per_week = 6", "{ level = 4, min_visits_per_week = 6"),
    )
    .unwrap();
    assert!(ProviderRules::load(Some(&path)).is_err(), "a level missing is refused");
}

#[test]
fn an_invoice_file_is_read_whole_and_its_errors_name_line_and_column() {
    let good = "provider,month,person,service,amount\n40003000001,2026-10,32000000001,home_care,123.45\n";
    let lines = invoices::parse(good.as_bytes(), "good.csv").unwrap();
    assert_eq!(lines.len(), 1);
    assert_eq!((lines[0].amount_cents, lines[0].line, lines[0].source.as_str()), (12_345, 2, "good.csv"));

    let bad = "provider,month,person,service,amount\n\
               4000300000,2026-10,32000000001,home_care,1\n\
               40003000001,2026-13,32000000001,home_care,1\n\
               40003000001,2026-10,12345,home_care,1\n\
               40003000001,2026-10,32000000001,laundry,1\n\
               40003000001,2026-10,32000000001,home_care,1.005\n\
               40003000001,2026-10,32000000001,home_care,2\n\
               40003000001,2026-10,32000000001,home_care,3\n\
               40003000001,2026-10\n";
    let Err(InvoiceImportError::Invalid { count, errors }) = invoices::parse(bad.as_bytes(), "bad.csv") else {
        panic!("the file is refused");
    };
    let at: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.column.as_str())).collect();
    assert_eq!(at, [(2, "provider"), (3, "month"), (4, "person"), (5, "service"), (6, "amount"), (8, ""), (9, "")]);
    assert_eq!(count, 7);
    assert!(errors[5].detail.contains("line 7"), "a repeat names the first line");
    for error in &errors {
        assert!(!error.to_string().contains("32000000001"), "no personal code in {error}");
    }
    let header = invoices::parse(b"who,when\n", "x.csv");
    assert!(matches!(header, Err(InvoiceImportError::Invalid { count: 1, .. })));
}
