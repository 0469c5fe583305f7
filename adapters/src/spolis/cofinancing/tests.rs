//! The SPOLIS co-financing adapter against a mock SPOLIS built from
//! `schemas/spolis/cofinancing/` examples.

use async_trait::async_trait;
use gateway_domain::{CoFinancedBenefit, CoFinancingSource, CoFinancingStatement, Money, Month, SourceError, System};
use secrecy::SecretString;
use serde_json::Value;
use wiremock::matchers::{header, header_exists, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{SpolisCoFinancingClient, SpolisCoFinancingConfig};
use crate::compliance::{self, Fixture, ctx, half, test_transport};
use crate::transport::OAuthConfig;

const CLIENT_KEY: &str = include_str!("../../../../mocks/keys/simulated-client.key.pem");

fn schemas() -> String {
    format!("{}/../schemas", env!("CARGO_MANIFEST_DIR"))
}

fn example(name: &str) -> String {
    let path = format!("{}/spolis/cofinancing/examples/{name}.json", schemas());
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn schema_validates(name: &str, instance: &Value) -> bool {
    let path = format!("{}/spolis/cofinancing/{name}.schema.json", schemas());
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap().is_valid(instance)
}

fn json(body: String) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body, "application/json")
}

fn problem(status: u16, kind: &str) -> ResponseTemplate {
    let body = serde_json::json!({ "type": format!("urn:lv:spolis:problem:{kind}"), "title": kind, "status": status });
    ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/problem+json")
}

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
        let token = std::fs::read_to_string(format!("{}/pmlp/examples/token.json", schemas())).unwrap();
        // The co-financing API's own token endpoint, under its path prefix.
        Mock::given(method("POST"))
            .and(path("/spolis/cofinancing/oauth2/token"))
            .respond_with(json(token))
            .mount(server)
            .await;
        let config = SpolisCoFinancingConfig {
            base_url: server.uri(),
            token_url: None,
            oauth: OAuthConfig {
                client_id: "tukums-social-service".into(),
                client_key_file: None,
                client_key_pem: Some(SecretString::from(CLIENT_KEY)),
                key_id: None,
                scope: None,
            },
            transport: test_transport(),
        };
        Self { client: SpolisCoFinancingClient::new(&config).unwrap() }
    }

    async fn mount(&self, server: &MockServer, template: ResponseTemplate) {
        Mock::given(method("GET"))
            .and(path("/spolis/cofinancing/v1/confirmations/tukums/2025-10"))
            .and(header("Authorization", "Bearer c2ltdWxhdGVkLXRva2VuLTAwMDAwMDAx"))
            .and(header_exists("X-Request-Id"))
            .and(header("X-Purpose", "means_test"))
            .respond_with(template)
            .mount(server)
            .await;
    }

    async fn call(&self) -> Result<CoFinancingStatement, SourceError> {
        self.client.confirmations("tukums", month(), &ctx()).await
    }

    fn happy(&self) -> ResponseTemplate {
        json(example("confirmations"))
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
        problem(404, "not-found")
    }

    fn rejected(&self) -> ResponseTemplate {
        problem(403, "forbidden")
    }

    fn truncated(&self) -> ResponseTemplate {
        json(half(&example("confirmations")))
    }

    fn malformed(&self) -> ResponseTemplate {
        json(example("confirmations").replace("\"33011.42\"", "\"33011,42\""))
    }
}

#[tokio::test]
async fn confirmations_pass_the_compliance_suite() {
    compliance::run::<SpolisFixture>().await;
}

#[test]
fn every_example_validates_against_its_schema() {
    for name in ["confirmations", "problem"] {
        let instance: Value = serde_json::from_str(&example(name)).unwrap();
        assert!(schema_validates(name, &instance), "{name}");
    }
    for broken in [
        example("confirmations").replace("\"gmi\"", "\"pension\""),
        example("confirmations").replace("\"33011.42\"", "33011.42"),
        example("confirmations").replace("\"2025-10\"", "\"2025-13\""),
    ] {
        assert!(!schema_validates("confirmations", &serde_json::from_str(&broken).unwrap()), "{broken}");
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
        fixture.mount(&server, json(example("confirmations").replacen(from, to, 1))).await;
        assert!(matches!(fixture.call().await, Err(SourceError::Malformed { .. })), "{to}");
    }
}

#[tokio::test]
async fn a_month_without_payments_has_no_confirmations() {
    let server = MockServer::start().await;
    let fixture = SpolisFixture::start(&server).await;
    let body = r#"{"municipality":"tukums","month":"2025-10","confirmations":[]}"#;
    assert!(schema_validates("confirmations", &serde_json::from_str(body).unwrap()));
    fixture.mount(&server, json(body.into())).await;
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
