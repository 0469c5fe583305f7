//! Micro-benchmarks of the model: validating a personal code, assembling a six-person household
//! from its facts, and writing the record as JSON.
//!
//! `cargo bench -p gateway-domain --bench model`

use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use gateway_domain::{
    HouseholdFacts, HouseholdRecord, IncomeKind, IncomeRecord, Member, Membership, Money, Month, Period, PersonCode,
    Provenance, RequestId, System,
};

/// Six synthetic new-format codes (no check digit), the applicant first.
fn codes() -> Vec<PersonCode> {
    (1..=6).map(|i| PersonCode::parse(&format!("32{i:04}-{:05}", 10 * i)).expect("a valid code")).collect()
}

fn facts() -> (PersonCode, Period, HouseholdFacts) {
    let codes = codes();
    let from = Month::parse("2026-08").expect("a month");
    let period = Period::new(from, from.plus(2)).expect("a period");
    let provenance = |system| Provenance {
        system,
        record_id: "bench-record".into(),
        fetched_at: time::OffsetDateTime::UNIX_EPOCH,
        request_id: RequestId::new(),
    };
    let members = codes
        .iter()
        .enumerate()
        .map(|(i, code)| Member {
            person_code: code.clone(),
            given_name: Some("Synthetic".into()),
            family_name: Some("Person".into()),
            birth_date: None,
            membership: if i == 0 { Membership::Applicant } else { Membership::DeclaredResident },
            provenance: Some(provenance(System::Pmlp)),
        })
        .collect();
    let kinds = [
        (IncomeKind::EmploymentIncome, System::Vid),
        (IncomeKind::OldAgePension, System::Vsaa),
        (IncomeKind::FamilyStateBenefit, System::Vsaa),
    ];
    let incomes = codes
        .iter()
        .flat_map(|code| period.months().map(move |month| (code, month)))
        .flat_map(|(code, month)| {
            kinds.iter().map(move |&(kind, system)| IncomeRecord {
                person: code.clone(),
                month,
                kind,
                amount: Money::from_cents(45_678),
                employer: None,
                scheme: None,
                provenance: provenance(system),
            })
        })
        .collect();
    (codes[0].clone(), period, HouseholdFacts { members, incomes, ..HouseholdFacts::default() })
}

fn benches(c: &mut Criterion) {
    c.bench_function("validate a personal code (old format, check digit)", |b| {
        b.iter(|| PersonCode::parse(black_box("121282-11210")))
    });
    let (applicant, period, household) = facts();
    c.bench_function("assemble a 6-person household (54 incomes)", |b| {
        b.iter_batched(
            || household.clone(),
            |facts| HouseholdRecord::assemble(RequestId::new(), applicant.clone(), period, facts),
            BatchSize::SmallInput,
        )
    });
    let record = HouseholdRecord::assemble(RequestId::new(), applicant.clone(), period, household.clone());
    c.bench_function("write a 6-person household record as JSON", |b| {
        b.iter(|| serde_json::to_vec(black_box(&record)))
    });
}

criterion_group!(model, benches);
criterion_main!(model);
