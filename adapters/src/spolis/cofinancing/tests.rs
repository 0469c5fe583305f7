//! The SPOLIS co-financing adapter against a mock SPOLIS built from
//! `schemas/spolis/cofinancing/` examples.

use async_trait::async_trait;
use gateway_domain::{CoFinancedBenefit, CoFinancingSource, CoFinancingStatement, Money, Month, SourceError, System};
use serde_json::Value;
use wiremock::{MockServer, ResponseTemplate};

use super::{SpolisCoFinancingClient, SpolisCoFinancingConfig};
use crate::compliance::{
    self, Contract, Fixture, ctx, half, json_reply, mount_rest_source, mount_token, problem_reply, test_oauth,
    test_transport,
};

const CONTRACT: Contract = Contract::new("spolis/cofinancing");
const PROBLEM: &str = "urn:lv:spolis:problem";

fn month() -> Month {
    Month::parse("2025-10").unwrap()
}

struct SpolisFixture {
    client: SpolisCoFinancingClient,
}

#[async_trait]
impl Fixture for SpolisFixture {
    type Output = CoFinancingStatement;

    async fn start(server: &MockServer) -> Self {
        // The co-financing API's own token endpoint, under its path prefix.
        mount_token(server, "/spolis/cofinancing/oauth2/token", Contract::new("pmlp")).await;
        let config = SpolisCoFinancingConfig {
            base_url: server.uri(),
            token_url: None,
            oauth: test_oauth(),
            transport: test_transport(),
        };
        Self { client: SpolisCoFinancingClient::new(&config).unwrap() }
    }

    async fn mount(&self, server: &MockServer, template: ResponseTemplate) {
        mount_rest_source(server, "GET", "/spolis/cofinancing/v1/confirmations/tukums/2025-10", template).await;
    }

    async fn call(&self) -> Result<CoFinancingStatement, SourceError> {
        self.client.confirmations("tukums", month(), &ctx()).await
    }

    fn happy(&self) -> ResponseTemplate {
        json_reply(200, CONTRACT.example_json("confirmations"))
    }

    fn check_happy(&self, statement: &CoFinancingStatement) {
        assert_eq!((statement.municipality.as_str(), statement.month), ("tukums", month()));
        let [gmi, housing] = statement.confirmations.as_slice() else { panic!("two confirmations") };
        assert_eq!(
            (gmi.benefit, gmi.households, gmi.paid, gmi.co_financed),
            (CoFinancedBenefit::GuaranteedMinimumIncome, 251, Money::from_cents(3_301_142), Money::from_cents(990_343))
        );
        assert_eq!(
            (housing.benefit, housing.households, housing.paid, housing.co_financed),
            (CoFinancedBenefit::HousingBenefit, 212, Money::from_cents(1_958_007), Money::from_cents(587_402))
        );
        assert_eq!((gmi.provenance.system, gmi.provenance.record_id.as_str()), (System::Spolis, "spolis-2025-10-gmi"));
    }

    fn not_found(&self) -> ResponseTemplate {
        problem_reply(PROBLEM, 404, "not-found")
    }

    fn rejected(&self) -> ResponseTemplate {
        problem_reply(PROBLEM, 403, "forbidden")
    }

    fn truncated(&self) -> ResponseTemplate {
        json_reply(200, half(&CONTRACT.example_json("confirmations")))
    }

    fn malformed(&self) -> ResponseTemplate {
        json_reply(200, CONTRACT.example_json("confirmations").replace("\"33011.42\"", "\"33011,42\""))
    }
}

#[tokio::test]
async fn confirmations_pass_the_compliance_suite() {
    compliance::run::<SpolisFixture>().await;
}

#[test]
fn every_example_validates_against_its_schema() {
    for name in ["confirmations", "problem"] {
        let instance: Value = serde_json::from_str(&CONTRACT.example_json(name)).unwrap();
        assert!(CONTRACT.json_valid(name, &instance), "{name}");
    }
    for broken in [
        CONTRACT.example_json("confirmations").replace("\"gmi\"", "\"pension\""),
        CONTRACT.example_json("confirmations").replace("\"33011.42\"", "33011.42"),
        CONTRACT.example_json("confirmations").replace("\"2025-10\"", "\"2025-13\""),
    ] {
        assert!(!CONTRACT.json_valid("confirmations", &serde_json::from_str(&broken).unwrap()), "{broken}");
    }
}

#[tokio::test]
async fn answers_off_the_contract_or_about_something_else_are_malformed() {
    for (from, to) in [
        // 30 % of 33 011.42 is 9 903.426, so 9 903.43: anything else breaks the rule.
        ("\"9903.43\"", "\"9903.42\""),
        ("\"housing_benefit\"", "\"gmi\""),
        ("\"gmi\"", "\"pension\""),
        ("\"33011.42\"", "\"-33011.42\""),
        ("\"tukums\"", "\"talsi\""),
        ("\"2025-10\"", "\"2025-11\""),
    ] {
        let server = MockServer::start().await;
        let fixture = SpolisFixture::start(&server).await;
        fixture.mount(&server, json_reply(200, CONTRACT.example_json("confirmations").replacen(from, to, 1))).await;
        assert!(matches!(fixture.call().await, Err(SourceError::Malformed { .. })), "{to}");
    }
}

#[tokio::test]
async fn a_month_without_payments_has_no_confirmations() {
    let server = MockServer::start().await;
    let fixture = SpolisFixture::start(&server).await;
    let body = r#"{"municipality":"tukums","month":"2025-10","confirmations":[]}"#;
    assert!(CONTRACT.json_valid("confirmations", &serde_json::from_str(body).unwrap()));
    fixture.mount(&server, json_reply(200, body.into())).await;
    assert!(fixture.call().await.unwrap().confirmations.is_empty());
}

#[tokio::test]
async fn a_key_that_is_not_a_municipality_is_never_sent() {
    let server = MockServer::start().await;
    let fixture = SpolisFixture::start(&server).await;
    fixture.mount(&server, fixture.happy()).await;
    for bad in ["", "Tukums", "../monitoring", "tukums/2025-09", "tukums-", "a".repeat(41).as_str()] {
        let result = fixture.client.confirmations(bad, month(), &ctx()).await;
        assert!(matches!(result, Err(SourceError::Rejected { .. })), "{bad}");
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}
