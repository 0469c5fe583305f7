//! The UGFA adapter against a mock fund built from `schemas/ugfa/` examples.

use async_trait::async_trait;
use gateway_domain::{Fact, IncomeKind, Money, PersonCode, PersonQuery, PersonSource, SourceError, System};
use serde_json::Value;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{UgfaClient, UgfaConfig};
use crate::compliance::{
    self, Contract, Fixture, ctx, half, json_reply, mount_rest_source, mount_token, person_query, problem_reply,
    test_oauth, test_transport,
};

const CONTRACT: Contract = Contract::new("ugfa");
const PROBLEM: &str = "urn:lv:ugfa:problem";
const SEARCH: &str = "/ugfa/v1/maintenance-payments/search";

fn config(server: &MockServer) -> UgfaConfig {
    UgfaConfig { base_url: server.uri(), token_url: None, oauth: test_oauth(), transport: test_transport() }
}

/// The child and months the examples answer for.
fn child_query() -> PersonQuery {
    PersonQuery { person: PersonCode::parse("32579318462").unwrap(), period: person_query().period }
}

struct UgfaFixture {
    client: UgfaClient,
}

#[async_trait]
impl Fixture for UgfaFixture {
    type Output = Vec<Fact>;

    async fn start(server: &MockServer) -> Self {
        // The contract has no token example of its own; PMLP's serves.
        mount_token(server, "/oauth2/token", Contract::new("pmlp")).await;
        Self { client: UgfaClient::new(&config(server)).unwrap() }
    }

    async fn mount(&self, server: &MockServer, template: ResponseTemplate) {
        mount_rest_source(server, "POST", SEARCH, template).await;
    }

    async fn call(&self) -> Result<Vec<Fact>, SourceError> {
        self.client.fetch(&child_query(), &ctx()).await
    }

    fn happy(&self) -> ResponseTemplate {
        json_reply(200, CONTRACT.example_json("maintenance-payments"))
    }

    fn check_happy(&self, facts: &Vec<Fact>) {
        let incomes: Vec<_> = facts
            .iter()
            .map(|fact| {
                let Fact::Income(income) = fact else { panic!("only incomes") };
                assert_eq!(income.person, child_query().person, "the child's income");
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

    fn not_found(&self) -> ResponseTemplate {
        problem_reply(PROBLEM, 404, "not-found")
    }

    fn rejected(&self) -> ResponseTemplate {
        problem_reply(PROBLEM, 403, "forbidden")
    }

    fn truncated(&self) -> ResponseTemplate {
        json_reply(200, half(&CONTRACT.example_json("maintenance-payments")))
    }

    fn malformed(&self) -> ResponseTemplate {
        json_reply(200, CONTRACT.example_json("maintenance-payments").replace("\"195.00\"", "\"195,00\""))
    }
}

#[tokio::test]
async fn maintenance_payments_pass_the_compliance_suite() {
    compliance::run::<UgfaFixture>().await;
}

#[test]
fn every_example_validates_against_its_schema() {
    for name in ["maintenance-query", "maintenance-payments", "problem"] {
        let instance: Value = serde_json::from_str(&CONTRACT.example_json(name)).unwrap();
        assert!(CONTRACT.json_valid(name, &instance), "{name}");
    }
    let broken = CONTRACT.example_json("maintenance-payments").replace("under_7", "infant");
    assert!(!CONTRACT.json_valid("maintenance-payments", &serde_json::from_str(&broken).unwrap()));
}

#[tokio::test]
async fn the_request_body_is_the_schema_example() {
    let server = MockServer::start().await;
    let fixture = UgfaFixture::start(&server).await;
    let expected: Value = serde_json::from_str(&CONTRACT.example_json("maintenance-query")).unwrap();
    Mock::given(method("POST"))
        .and(path(SEARCH))
        .and(body_json(&expected))
        .respond_with(fixture.happy())
        .expect(1)
        .mount(&server)
        .await;
    fixture.call().await.unwrap();
}

#[tokio::test]
async fn payments_outside_the_period_twice_in_a_month_or_off_the_contract_are_malformed() {
    let example = CONTRACT.example_json("maintenance-payments");
    for broken in [
        example.replacen("\"2026-08\"", "\"2026-05\"", 1),
        example.replacen("\"month\": \"2026-09\"", "\"month\": \"2026-08\"", 1),
        example.replacen("under_7", "infant", 1),
        example.replacen("\"195.00\"", "\"0\"", 1),
        example.replacen("\"195.00\"", "\"-195.00\"", 1),
        example.replacen("32579318462", "12128211210", 1),
    ] {
        let server = MockServer::start().await;
        let fixture = UgfaFixture::start(&server).await;
        fixture.mount(&server, json_reply(200, broken.clone())).await;
        assert!(matches!(fixture.call().await, Err(SourceError::Malformed { .. })), "{broken}");
    }
}

#[tokio::test]
async fn a_person_the_fund_pays_nothing_for_has_no_incomes() {
    let server = MockServer::start().await;
    let fixture = UgfaFixture::start(&server).await;
    fixture.mount(&server, json_reply(200, r#"{"personCode":"32579318462","payments":[]}"#.into())).await;
    assert_eq!(fixture.call().await.unwrap(), vec![]);
}

#[test]
fn a_failure_leaves_incomes_unknown_and_nothing_else() {
    let config = UgfaConfig {
        base_url: "http://127.0.0.1:9".into(),
        token_url: None,
        oauth: test_oauth(),
        transport: test_transport(),
    };
    assert_eq!(UgfaClient::new(&config).unwrap().topics(), [gateway_domain::GapTopic::Incomes]);
}
