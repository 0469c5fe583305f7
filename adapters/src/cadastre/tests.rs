//! The cadastre adapter against a mock VZD built from `schemas/cadastre/` examples.

use async_trait::async_trait;
use gateway_domain::{AssetKind, CadastralProperty, Cadastre, Money, SourceError, System};
use serde_json::Value;
use wiremock::{MockServer, ResponseTemplate};

use super::{CadastreClient, CadastreConfig};
use crate::compliance::{
    self, Contract, Fixture, ctx, half, json_reply, mount_rest_source, mount_token, problem_reply, test_oauth,
    test_transport,
};

const CONTRACT: Contract = Contract::new("cadastre");
const PROBLEM: &str = "urn:lv:vzd:problem";

const NUMBER: &str = "90000000042";

fn config(server: &MockServer) -> CadastreConfig {
    CadastreConfig { base_url: server.uri(), token_url: None, oauth: test_oauth(), transport: test_transport() }
}

struct CadastreFixture {
    client: CadastreClient,
}

#[async_trait]
impl Fixture for CadastreFixture {
    type Output = CadastralProperty;

    async fn start(server: &MockServer) -> Self {
        // The contract has no token example of its own; PMLP's serves.
        mount_token(server, "/oauth2/token", Contract::new("pmlp")).await;
        Self { client: CadastreClient::new(&config(server)).unwrap() }
    }

    async fn mount(&self, server: &MockServer, template: ResponseTemplate) {
        mount_rest_source(server, "GET", &format!("/vzd/cadastre/v1/properties/{NUMBER}"), template).await;
    }

    async fn call(&self) -> Result<CadastralProperty, SourceError> {
        self.client.property(NUMBER, &ctx()).await
    }

    fn happy(&self) -> ResponseTemplate {
        json_reply(200, CONTRACT.example_json("property"))
    }

    fn check_happy(&self, property: &CadastralProperty) {
        assert_eq!(
            (property.cadastral_number.as_str(), property.kind, property.area_m2, property.value),
            (NUMBER, AssetKind::Apartment, 54, Money::from_cents(1_873_125))
        );
        assert_eq!((property.provenance.system, property.provenance.record_id.as_str()), (System::Cadastre, NUMBER));
    }

    fn not_found(&self) -> ResponseTemplate {
        problem_reply(PROBLEM, 404, "not-found")
    }

    fn rejected(&self) -> ResponseTemplate {
        problem_reply(PROBLEM, 403, "forbidden")
    }

    fn truncated(&self) -> ResponseTemplate {
        json_reply(200, half(&CONTRACT.example_json("property")))
    }

    fn malformed(&self) -> ResponseTemplate {
        json_reply(200, CONTRACT.example_json("property").replace("\"18731.25\"", "\"18731,25\""))
    }
}

#[tokio::test]
async fn property_passes_the_compliance_suite() {
    compliance::run::<CadastreFixture>().await;
}

#[test]
fn every_example_validates_against_its_schema() {
    for name in ["property", "problem"] {
        let instance: Value = serde_json::from_str(&CONTRACT.example_json(name)).unwrap();
        assert!(CONTRACT.json_valid(name, &instance), "{name}");
    }
    for broken in [
        CONTRACT.example_json("property").replace("apartment", "castle"),
        CONTRACT.example_json("property").replace("\"18731.25\"", "18731.25"),
        CONTRACT.example_json("property").replace("\"18731.25\"", "\"18731.255\""),
    ] {
        assert!(!CONTRACT.json_valid("property", &serde_json::from_str(&broken).unwrap()), "{broken}");
    }
}

#[tokio::test]
async fn values_that_are_not_exact_euro_and_answers_about_other_properties_are_malformed() {
    for (from, to) in [
        ("\"18731.25\"", "18731.25"),
        ("\"18731.25\"", "\"18731.255\""),
        ("\"18731.25\"", "\"-18731.25\""),
        ("\"18731.25\"", "\"1.8e4\""),
        ("\"apartment\"", "\"castle\""),
        ("\"90000000042\"", "\"90000000043\""),
    ] {
        let server = MockServer::start().await;
        let fixture = CadastreFixture::start(&server).await;
        fixture.mount(&server, json_reply(200, CONTRACT.example_json("property").replacen(from, to, 1))).await;
        assert!(matches!(fixture.call().await, Err(SourceError::Malformed { .. })), "{to}");
    }
}

#[tokio::test]
async fn a_value_with_one_fraction_digit_is_read_as_tens_of_cents() {
    let server = MockServer::start().await;
    let fixture = CadastreFixture::start(&server).await;
    fixture
        .mount(&server, json_reply(200, CONTRACT.example_json("property").replace("\"18731.25\"", "\"18731.2\"")))
        .await;
    assert_eq!(fixture.call().await.unwrap().value, Money::from_cents(1_873_120));
}

#[tokio::test]
async fn a_number_that_is_not_a_cadastral_number_is_never_sent() {
    let server = MockServer::start().await;
    let fixture = CadastreFixture::start(&server).await;
    fixture.mount(&server, fixture.happy()).await;
    for bad in ["9000000004", "900000000421", "../../admin", "9000000004x"] {
        let result = fixture.client.property(bad, &ctx()).await;
        assert!(matches!(result, Err(SourceError::Rejected { .. })), "{bad}");
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}
