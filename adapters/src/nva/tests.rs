//! The NVA adapter against a mock NVA built from `schemas/nva/` examples.

use gateway_domain::{Fact, IncomeKind, Money, SourceError, StatusKind};
use time::macros::date;

use super::{NvaClient, NvaConfig};
use crate::compliance::{self, Contract, RestFixture, RestSource, test_oauth, test_transport};

/// NVA's person-status search, as the shared REST suite asks it.
struct Nva;

type NvaFixture = RestFixture<Nva>;

impl RestSource for Nva {
    type Client = NvaClient;

    const CONTRACT: Contract = Contract::new("nva");
    const PROBLEM: &'static str = "urn:lv:nva:problem";
    const PATH: &'static str = "/nva/v1/person-status/search";
    const QUERY: &'static str = "person-status-query";
    const ANSWER: &'static str = "person-status";

    fn config(base_url: String) -> NvaConfig {
        NvaConfig { base_url, token_url: None, oauth: test_oauth(), transport: test_transport() }
    }

    fn malformed(example: &str) -> String {
        example.replace("\"105.50\"", "\"105,50\"")
    }

    fn check_happy(facts: &[Fact]) {
        assert_eq!(facts.len(), 4);
        let Fact::Status(unemployed) = &facts[0] else { panic!("a status first") };
        assert_eq!(
            (unemployed.kind, unemployed.valid_from, unemployed.valid_to, unemployed.provenance.record_id.as_str()),
            (StatusKind::Unemployed, date!(2026 - 07 - 01), None, "nva-000042-01")
        );
        let Fact::Status(seeker) = &facts[1] else { panic!("a status second") };
        assert_eq!((seeker.kind, seeker.valid_to), (StatusKind::JobSeeker, Some(date!(2026 - 08 - 31))));
        let Fact::Income(stipend) = &facts[2] else { panic!("an income third") };
        assert_eq!(
            (stipend.month.to_string(), stipend.kind, stipend.amount),
            ("2026-09".to_owned(), IncomeKind::TrainingStipend, Money::from_cents(10_550))
        );
        let Fact::Income(works) = &facts[3] else { panic!("an income fourth") };
        assert_eq!((works.kind, works.amount), (IncomeKind::PublicWorksAllowance, Money::from_cents(18_000)));
    }
}

#[tokio::test]
async fn person_status_passes_the_compliance_suite() {
    compliance::run::<NvaFixture>().await;
}

#[test]
fn every_example_validates_against_its_schema() {
    compliance::rest_examples_validate::<Nva>();
    let broken = Nva::example().replace("job_seeker", "retired");
    assert!(!Nva::CONTRACT.json_valid("person-status", &serde_json::from_str(&broken).unwrap()));
}

#[tokio::test]
async fn the_request_body_is_the_schema_example() {
    compliance::rest_request_is_the_example::<Nva>().await;
}

#[tokio::test]
async fn payments_outside_the_period_and_unknown_statuses_are_malformed() {
    for (from, to) in
        [("\"2026-09\"", "\"2026-05\""), ("\"job_seeker\"", "\"retired\""), ("\"2026-07-01\"", "\"2027-07-01\"")]
    {
        let answer = NvaFixture::answer(Nva::example().replacen(from, to, 1)).await;
        assert!(matches!(answer, Err(SourceError::Malformed { .. })), "{to}");
    }
}

#[tokio::test]
async fn a_person_never_registered_has_no_facts() {
    let answer = NvaFixture::answer(r#"{"personCode":"12128211210","registrations":[],"payments":[]}"#.into()).await;
    assert_eq!(answer.unwrap(), vec![]);
}
