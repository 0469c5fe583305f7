//! The UGFA adapter against a mock fund built from `schemas/ugfa/` examples.

use gateway_domain::{Fact, IncomeKind, Money, PersonQuery, PersonSource, SourceError, System};

use super::{UgfaClient, UgfaConfig};
use crate::compliance::{self, Contract, RestFixture, RestSource, child_query, test_oauth, test_transport};

/// UGFA's maintenance-payment search, as the shared REST suite asks it.
struct Ugfa;

type UgfaFixture = RestFixture<Ugfa>;

impl RestSource for Ugfa {
    type Client = UgfaClient;

    const CONTRACT: Contract = Contract::new("ugfa");
    const PROBLEM: &'static str = "urn:lv:ugfa:problem";
    const PATH: &'static str = "/ugfa/v1/maintenance-payments/search";
    const QUERY: &'static str = "maintenance-query";
    const ANSWER: &'static str = "maintenance-payments";

    fn config(base_url: String) -> UgfaConfig {
        UgfaConfig { base_url, token_url: None, oauth: test_oauth(), transport: test_transport() }
    }

    fn query() -> PersonQuery {
        child_query()
    }

    fn malformed(example: &str) -> String {
        example.replace("\"195.00\"", "\"195,00\"")
    }

    fn check_happy(facts: &[Fact]) {
        let incomes: Vec<_> = facts
            .iter()
            .map(|fact| {
                let Fact::Income(income) = fact else { panic!("only incomes") };
                assert_eq!(income.person, Self::query().person, "the child's income");
                assert_eq!((income.kind, income.provenance.system), (IncomeKind::MaintenancePayment, System::Ugfa));
                (income.month.to_string(), income.amount, income.provenance.record_id.as_str())
            })
            .collect();
        assert_eq!(
            incomes,
            [
                ("2026-08".to_owned(), Money::from_cents(19_500), "ugfa-2026-08-000042"),
                ("2026-09".to_owned(), Money::from_cents(19_500), "ugfa-2026-09-000042"),
                ("2026-10".to_owned(), Money::from_cents(23_400), "ugfa-2026-10-000042"),
            ]
        );
    }
}

#[tokio::test]
async fn maintenance_payments_pass_the_compliance_suite() {
    compliance::run::<UgfaFixture>().await;
}

#[test]
fn every_example_validates_against_its_schema() {
    compliance::rest_examples_validate::<Ugfa>();
    let broken = Ugfa::example().replace("under_7", "infant");
    assert!(!Ugfa::CONTRACT.json_valid("maintenance-payments", &serde_json::from_str(&broken).unwrap()));
}

#[tokio::test]
async fn the_request_body_is_the_schema_example() {
    compliance::rest_request_is_the_example::<Ugfa>().await;
}

#[tokio::test]
async fn payments_outside_the_period_twice_in_a_month_or_off_the_contract_are_malformed() {
    let example = Ugfa::example();
    for broken in [
        example.replacen("\"2026-08\"", "\"2026-05\"", 1),
        example.replacen("\"month\": \"2026-09\"", "\"month\": \"2026-08\"", 1),
        example.replacen("under_7", "infant", 1),
        example.replacen("\"195.00\"", "\"0\"", 1),
        example.replacen("\"195.00\"", "\"-195.00\"", 1),
        example.replacen("32579318462", "12128211210", 1),
    ] {
        assert!(matches!(UgfaFixture::answer(broken.clone()).await, Err(SourceError::Malformed { .. })), "{broken}");
    }
}

#[tokio::test]
async fn a_person_the_fund_pays_nothing_for_has_no_incomes() {
    let answer = UgfaFixture::answer(r#"{"personCode":"32579318462","payments":[]}"#.into()).await;
    assert_eq!(answer.unwrap(), vec![]);
}

#[test]
fn a_failure_leaves_incomes_unknown_and_nothing_else() {
    let client = UgfaClient::new(&Ugfa::config("http://127.0.0.1:9".into())).unwrap();
    assert_eq!(client.topics(), [gateway_domain::GapTopic::Incomes]);
}
