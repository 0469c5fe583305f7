//! The VSAA adapter against a mock income service built from `schemas/vsaa/` examples.

use gateway_domain::{Fact, IncomeKind, Money, SourceError};

use super::{VsaaClient, VsaaConfig};
use crate::compliance::{self, Contract, SoapFixture, SoapSource, soap_source_config};

/// VSAA's income operation, as the shared SOAP suite calls it.
struct Vsaa;

type VsaaFixture = SoapFixture<Vsaa>;

impl SoapSource for Vsaa {
    type Client = VsaaClient;

    const CONTRACT: Contract = Contract::new("vsaa");
    const PATH: &'static str = "/vsaa/income/v1";
    const ACTION: &'static str = "urn:lv:vsaa:income:v1:GetPersonIncomes";
    const REQUEST: &'static str = "get-person-incomes-request";
    const RESPONSE: &'static str = "get-person-incomes-response";
    const PREFIX: &'static str = "inc";

    fn config(base_url: String) -> VsaaConfig {
        soap_source_config!(VsaaConfig, base_url)
    }

    fn malformed(example: &str) -> String {
        example.replace("987.5", "987,50")
    }

    fn check_happy(facts: &[Fact]) {
        let incomes: Vec<_> = facts
            .iter()
            .map(|fact| match fact {
                Fact::Income(i) => (i.month.to_string(), i.kind, i.amount, i.provenance.record_id.as_str()),
                _ => panic!("VSAA reports incomes only"),
            })
            .collect();
        assert_eq!(
            incomes,
            vec![
                ("2026-08".to_owned(), IncomeKind::InsuredIncome, Money::from_cents(103_456), "vsaa-2026-08-000042-01"),
                ("2026-09".to_owned(), IncomeKind::InsuredIncome, Money::from_cents(98_750), "vsaa-2026-09-000042-01"),
                (
                    "2026-09".to_owned(),
                    IncomeKind::FamilyStateBenefit,
                    Money::from_cents(2_500),
                    "vsaa-2026-09-000042-02"
                ),
            ]
        );
    }
}

#[tokio::test]
async fn get_person_incomes_passes_the_compliance_suite() {
    compliance::run::<VsaaFixture>().await;
}

#[test]
fn every_example_validates_against_the_schemas() {
    compliance::soap_examples_validate::<Vsaa>();
    assert!(!Vsaa::CONTRACT.xsd_valid(&Vsaa::example().replace("INSURED_INCOME", "LOTTERY")));
}

#[tokio::test]
async fn the_request_envelope_validates_and_carries_who_asks_and_why() {
    let body = compliance::soap_request_envelope::<Vsaa>().await;
    for expected in [
        "<PersonCode>12128211210</PersonCode>",
        "<FromMonth>2026-08</FromMonth>",
        "<ToMonth>2026-10</ToMonth>",
        "<Purpose>means_test</Purpose>",
        "<Officer>caseworker-17</Officer>",
        "<wsse:Username>tukums-social-service</wsse:Username>",
    ] {
        assert!(body.contains(expected), "{expected}");
    }
}

#[tokio::test]
async fn other_namespace_prefixes_parse_the_same() {
    compliance::soap_other_prefixes_parse_the_same::<Vsaa>().await;
}

#[tokio::test]
async fn an_empty_answer_is_no_income_not_an_error() {
    compliance::soap_empty_answer_has_no_facts::<Vsaa>("Income", "Income").await;
}

#[tokio::test]
async fn incomes_outside_the_period_or_of_unknown_kinds_are_malformed() {
    for (from, to) in [("<inc:Month>2026-08", "<inc:Month>2026-05"), ("INSURED_INCOME", "LOTTERY_WIN")] {
        let answer = VsaaFixture::answer(Vsaa::example().replacen(from, to, 1)).await;
        assert!(matches!(answer, Err(SourceError::Malformed { .. })), "{to}");
    }
}

#[tokio::test]
async fn a_service_unavailable_fault_is_unavailable() {
    compliance::soap_unavailable_fault_is_unavailable::<Vsaa>().await;
}
