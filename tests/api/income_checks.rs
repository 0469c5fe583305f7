//! Income checks compared with the synthetic population, to the cent.

use std::collections::{BTreeMap, BTreeSet};

use futures::StreamExt;
use gateway_domain::{
    GapReason, GapTopic, HouseholdRecord, IncomeKind, Membership, Money, Month, Period, PersonCode, System,
};
use gateway_mocks::Population;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use time::OffsetDateTime;

use crate::helpers::{captured_logs, spawn_app};

fn last_full_month() -> Month {
    Month::of(OffsetDateTime::now_utc().date()).previous()
}

/// One income as the tests compare them: person, month, kind, amount, record id, and the
/// employer's registration number or the scheme's code when the registry names one.
pub(crate) type IncomeRow = (String, Month, IncomeKind, Money, String, Option<String>);

/// What the record must say about incomes (every registry's that reports them), straight from
/// the population.
pub(crate) fn true_incomes(population: &Population, members: &[PersonCode], period: Period) -> BTreeSet<IncomeRow> {
    true_incomes_but(population, members, period, None)
}

/// The same without the incomes of `missing`, a registry that did not answer.
pub(crate) fn true_incomes_but(
    population: &Population,
    members: &[PersonCode],
    period: Period,
    missing: Option<System>,
) -> BTreeSet<IncomeRow> {
    members
        .iter()
        .flat_map(|m| {
            population.registry_incomes(m, period).into_iter().filter(move |(system, _)| Some(*system) != missing).map(
                move |(_, i)| {
                    let origin = i.employer.map(|e| e.registration_number).or(i.scheme.map(|s| s.code));
                    (m.as_str().to_owned(), i.month, i.kind, i.amount, i.record_id, origin)
                },
            )
        })
        .collect()
}

/// The registry each true income comes from, by record id.
fn income_sources(population: &Population, members: &[PersonCode], period: Period) -> BTreeMap<String, System> {
    members
        .iter()
        .flat_map(|m| population.registry_incomes(m, period))
        .map(|(system, income)| (income.record_id, system))
        .collect()
}

pub(crate) fn reported_incomes(record: &HouseholdRecord) -> BTreeSet<IncomeRow> {
    record
        .incomes
        .iter()
        .map(|i| {
            let origin = i
                .employer
                .as_ref()
                .map(|e| e.registration_number.clone())
                .or(i.scheme.as_ref().map(|s| s.code.clone()));
            (i.person.as_str().to_owned(), i.month, i.kind, i.amount, i.provenance.record_id.clone(), origin)
        })
        .collect()
}

#[tokio::test]
async fn every_income_of_200_random_households_matches_the_population_to_the_cent() {
    let app = spawn_app().await;
    let population = app.population.clone();
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let households: Vec<_> = population.households().choose_multiple(&mut rng, 200).cloned().collect();
    assert_eq!(households.len(), 200);
    let cases: Vec<_> = households
        .into_iter()
        .map(|h| {
            // Periods of 1 to 12 months ending somewhere in the last two years.
            let to = last_full_month().plus(-rng.random_range(0..12));
            let period = Period::new(to.plus(-rng.random_range(0..12)), to).unwrap();
            let applicant = h.members.choose(&mut rng).unwrap().clone();
            (h, applicant, period)
        })
        .collect();

    let results: Vec<_> = futures::stream::iter(cases)
        .map(|(household, applicant, period)| {
            let app = &app;
            async move {
                let record = app.check(applicant.as_str(), Some(period)).await;
                (household, applicant, period, record)
            }
        })
        .buffer_unordered(8)
        .collect()
        .await;

    let (mut incomes_seen, mut maintained) = (0, 0);
    for (household, applicant, period, record) in results {
        assert!(record.complete, "gaps: {:?}", record.gaps);
        assert_eq!(record.applicant, applicant);
        assert_eq!(record.period, period);
        let members: BTreeSet<_> = record.members.iter().map(|m| m.person_code.clone()).collect();
        let truth: BTreeSet<_> = household.members.iter().cloned().collect();
        assert_eq!(members, truth, "members are those declared at the address");
        assert_eq!(record.members[0].person_code, applicant);
        assert_eq!(record.members[0].membership, Membership::Applicant);
        for member in &record.members {
            let person = population.person(&member.person_code).unwrap();
            assert_eq!(member.given_name.as_deref(), Some(person.given_name.as_str()));
            assert_eq!(member.family_name.as_deref(), Some(person.family_name.as_str()));
            assert_eq!(member.provenance.as_ref().map(|p| p.system), Some(System::Pmlp));
        }

        let expected = true_incomes(&population, &household.members, period);
        assert_eq!(reported_incomes(&record), expected);
        let sources = income_sources(&population, &household.members, period);
        assert!(record.incomes.iter().all(|i| sources.get(&i.provenance.record_id) == Some(&i.provenance.system)
            && i.provenance.request_id == record.request_id));
        incomes_seen += expected.len();
        maintained += expected.iter().filter(|i| i.2 == IncomeKind::MaintenancePayment).count();

        let totals = record.monthly_totals.as_ref().expect("totals of a complete record");
        assert_eq!(totals.len() as u32, period.len());
        for total in totals {
            let sum: i64 = expected
                .iter()
                .filter(|(_, month, kind, ..)| *month == total.month && kind.counts_in_means_test())
                .map(|(_, _, _, amount, ..)| amount.cents())
                .sum();
            assert_eq!(total.amount.cents(), sum, "total of {}", total.month);
        }
        let all: i64 = totals.iter().map(|t| t.amount.cents()).sum();
        let n = i64::from(period.len());
        let average = record.average_monthly.unwrap().cents();
        assert!((average * n - all).abs() * 2 <= n, "the average is the rounded mean");
    }
    assert!(incomes_seen > 500, "the sample exercised real incomes ({incomes_seen})");
    assert!(maintained > 5, "the sample exercised UGFA's maintenance ({maintained})");
}

#[tokio::test]
async fn a_stopped_vsaa_gives_income_gaps_for_every_member_and_no_zeros() {
    let mut app = spawn_app().await;
    let household = app.population.households().iter().find(|h| h.members.len() >= 2).unwrap().clone();
    app.simulators.stop(System::Vsaa);

    let record = app.check(household.members[0].as_str(), None).await;
    assert!(!record.complete);
    assert!(record.incomes.iter().all(|i| i.provenance.system != System::Vsaa));
    assert_eq!(record.monthly_totals, None, "no totals when incomes are unknown");
    assert_eq!(record.average_monthly, None);
    assert_eq!(record.members.len(), household.members.len(), "PMLP still answered");
    let gapped: BTreeSet<_> = record.gaps.iter().map(|g| g.person.clone().unwrap()).collect();
    assert_eq!(gapped, household.members.iter().cloned().collect());
    for gap in &record.gaps {
        assert_eq!((gap.system, gap.topic, gap.reason), (System::Vsaa, GapTopic::Incomes, GapReason::Unavailable));
    }
}

#[tokio::test]
async fn a_stopped_population_register_gives_gaps_and_still_asks_vsaa_for_the_applicant() {
    let mut app = spawn_app().await;
    let population = app.population.clone();
    let applicant = population
        .persons()
        .iter()
        .find(|p| {
            !population.incomes(&p.code, Period::last_full_months(OffsetDateTime::now_utc().date(), 3)).is_empty()
        })
        .unwrap()
        .code
        .clone();
    app.simulators.stop(System::Pmlp);

    let record = app.check(applicant.as_str(), None).await;
    assert!(!record.complete);
    let topics: BTreeSet<_> = record.gaps.iter().map(|g| (g.system, g.topic, g.reason)).collect();
    assert!(topics.contains(&(System::Pmlp, GapTopic::Person, GapReason::Unavailable)));
    assert!(topics.contains(&(System::Pmlp, GapTopic::HouseholdMembers, GapReason::Unavailable)));
    assert_eq!(record.members.len(), 1);
    assert_eq!(record.members[0].given_name, None);
    assert_eq!(reported_incomes(&record), true_incomes(&population, &[applicant], record.period));
    assert_eq!(record.monthly_totals, None);
}

#[tokio::test]
async fn named_members_replace_the_declared_household() {
    let app = spawn_app().await;
    let households: Vec<_> = app.population.households().iter().filter(|h| h.members.len() >= 2).take(2).collect();
    let applicant = households[0].members[0].clone();
    let stranger = households[1].members[0].clone();
    let body = serde_json::json!({
        "applicant": applicant.hyphenated(),
        "members": [stranger.as_str(), applicant.as_str()],
        "purpose": "social_assistance",
        "officer": "test-officer",
    });
    let response = app.post_check(&body).await;
    assert_eq!(response.status(), 200);
    let record: HouseholdRecord = response.json().await.unwrap();
    let members: Vec<_> = record.members.iter().map(|m| (m.person_code.clone(), m.membership)).collect();
    assert_eq!(members, vec![(applicant.clone(), Membership::Applicant), (stranger.clone(), Membership::Named)]);
    assert_eq!(reported_incomes(&record), true_incomes(&app.population, &[applicant, stranger], record.period));
}

#[tokio::test]
async fn the_oauth_token_is_reused_across_checks() {
    let app = spawn_app().await;
    for household in app.population.households().iter().take(5) {
        app.check(household.members[0].as_str(), None).await;
    }
    assert_eq!(app.simulators.tokens_issued(), 1);
}

#[tokio::test]
async fn logs_never_carry_personal_codes_or_names() {
    let app = spawn_app().await;
    let households: Vec<_> = app.population.households().iter().skip(40).take(10).cloned().collect();
    for household in &households {
        app.check(household.members[0].as_str(), None).await;
    }
    let response = app
        .post_check(&serde_json::json!({"applicant": "121282-11211", "purpose": "means_test", "officer": "x"}))
        .await;
    assert_eq!(response.status(), 400);
    let logs = String::from_utf8_lossy(&captured_logs().lock().unwrap()).to_string();
    assert!(logs.contains("Income check answered."), "the capture works");
    for code in households.iter().flat_map(|h| h.members.iter()) {
        assert!(!logs.contains(code.as_str()), "a personal code was logged");
        assert!(!logs.contains(&code.hyphenated()), "a personal code was logged");
        let person = app.population.person(code).unwrap();
        assert!(!logs.contains(&format!("{} {}", person.given_name, person.family_name)), "a name was logged");
    }
    // The refused code, in either spelling: a bare "121282" can occur inside a request id or a
    // record id, and more registries log more of those.
    assert!(!logs.contains("121282-11211") && !logs.contains("12128211211"), "a rejected code was logged");
}
