//! The incoming registries beyond PMLP and VSAA (NVA, VDEĀVK) end to end: statuses compared
//! with the synthetic population, and each registry stopped in turn.

use std::collections::BTreeSet;

use futures::StreamExt;
use gateway_domain::{GapTopic, HouseholdRecord, Month, Period, PersonCode, StatusKind, System};
use gateway_mocks::Population;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use time::{Date, OffsetDateTime};

use crate::helpers::{TestApp, spawn_app};
use crate::income_checks::{reported_incomes, true_incomes};

type StatusRow = (String, StatusKind, bool, Date, Option<Date>, String, System);

fn true_statuses(population: &Population, members: &[PersonCode], period: Period) -> BTreeSet<StatusRow> {
    let (first, last) = (period.from().first_day(), period.to().last_day());
    members
        .iter()
        .flat_map(|m| {
            let nva = population.nva_statuses(m, first, last).into_iter().map(|s| (s, System::Nva));
            let vdeavk = population.disabilities(m, first, last).into_iter().map(|s| (s, System::Vdeavk));
            nva.chain(vdeavk).map(move |(s, system)| {
                (m.as_str().to_owned(), s.kind, s.special_care, s.valid_from, s.valid_to, s.record_id, system)
            })
        })
        .collect()
}

fn reported_statuses(record: &HouseholdRecord) -> BTreeSet<StatusRow> {
    record
        .statuses
        .iter()
        .map(|s| {
            (
                s.person.as_str().to_owned(),
                s.kind,
                s.special_care,
                s.valid_from,
                s.valid_to,
                s.provenance.record_id.clone(),
                s.provenance.system,
            )
        })
        .collect()
}

fn last_full_month() -> Month {
    Month::of(OffsetDateTime::now_utc().date()).previous()
}

#[tokio::test]
async fn every_status_of_200_random_households_matches_the_population() {
    let app = spawn_app().await;
    let population = app.population.clone();
    let mut rng = ChaCha8Rng::seed_from_u64(2027);
    let cases: Vec<_> = population
        .households()
        .choose_multiple(&mut rng, 200)
        .cloned()
        .collect::<Vec<_>>()
        .into_iter()
        .map(|h| {
            let to = last_full_month().plus(-rng.random_range(0..12));
            let period = Period::new(to.plus(-rng.random_range(0..12)), to).unwrap();
            let applicant = h.members.choose(&mut rng).unwrap().clone();
            (h, applicant, period)
        })
        .collect();
    assert_eq!(cases.len(), 200);
    let results: Vec<_> = futures::stream::iter(cases)
        .map(|(household, applicant, period)| {
            let app = &app;
            async move { (household, app.check(applicant.as_str(), Some(period)).await, period) }
        })
        .buffer_unordered(8)
        .collect()
        .await;
    let (mut unemployed, mut disabled) = (0, 0);
    for (household, record, period) in results {
        assert!(record.complete, "gaps: {:?}", record.gaps);
        let expected = true_statuses(&population, &household.members, period);
        assert_eq!(reported_statuses(&record), expected);
        assert_eq!(reported_incomes(&record), true_incomes(&population, &household.members, period));
        assert!(record.statuses.iter().all(|s| s.provenance.request_id == record.request_id));
        unemployed += expected.iter().filter(|s| s.1 == StatusKind::Unemployed).count();
        disabled += expected.iter().filter(|s| s.1.is_disability()).count();
    }
    assert!(unemployed > 5 && disabled > 5, "the sample exercised statuses ({unemployed}, {disabled})");
}

/// A household where every new registry has something to say, so that a stopped one shows.
fn rich_household(app: &TestApp, period: Period) -> Vec<PersonCode> {
    let population = &app.population;
    let (first, last) = (period.from().first_day(), period.to().last_day());
    population
        .households()
        .iter()
        .find(|h| {
            h.members.iter().any(|m| !population.nva_statuses(m, first, last).is_empty())
                && h.members.iter().any(|m| !population.disabilities(m, first, last).is_empty())
        })
        .expect("a household with an unemployed and a disabled member")
        .members
        .clone()
}

#[tokio::test]
async fn with_any_one_incoming_registry_stopped_the_record_names_exactly_that_gap() {
    let period = Period::last_full_months(OffsetDateTime::now_utc().date(), 3);
    for (stopped, topics) in
        [(System::Nva, vec![GapTopic::Incomes, GapTopic::Statuses]), (System::Vdeavk, vec![GapTopic::Statuses])]
    {
        let mut app = spawn_app().await;
        let members = rich_household(&app, period);
        app.simulators.stop(stopped);
        let record = app.check(members[0].as_str(), Some(period)).await;
        assert!(!record.complete, "{stopped}");
        let gaps: BTreeSet<_> = record.gaps.iter().map(|g| (g.system, g.person.clone().unwrap(), g.topic)).collect();
        let expected: BTreeSet<_> =
            members.iter().flat_map(|m| topics.iter().map(move |t| (stopped, m.clone(), *t))).collect();
        assert_eq!(gaps, expected, "{stopped}");
        // Everything the other registries know is still there.
        let statuses: BTreeSet<_> =
            true_statuses(&app.population, &members, period).into_iter().filter(|s| s.6 != stopped).collect();
        assert_eq!(reported_statuses(&record), statuses, "{stopped}");
        let incomes: BTreeSet<_> = true_incomes(&app.population, &members, period)
            .into_iter()
            .filter(|i| stopped != System::Nva || !i.4.starts_with("nva-"))
            .collect();
        assert_eq!(reported_incomes(&record), incomes, "{stopped}");
        assert_eq!(record.members.len(), members.len());
        assert_eq!(record.monthly_totals.is_some(), stopped != System::Nva, "NVA's gap leaves totals unknown");
    }
}
