//! The cadastre adapter against a mock VZD built from `schemas/cadastre/` examples.

use async_trait::async_trait;
use gateway_domain::{AssetKind, CadastralProperty, Cadastre, Money, SourceError, System};
use secrecy::SecretString;
use serde_json::Value;
use wiremock::matchers::{header, header_exists, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{CadastreClient, CadastreConfig};
use crate::compliance::{self, Fixture, ctx, half, test_transport};
use crate::transport::OAuthConfig;

const CLIENT_KEY: &str = include_str!("../../../mocks/keys/simulated-client.key.pem");
const NUMBER: &str = "90000000042";

fn example(name: &str) -> String {
    let path = format!("{}/../schemas/cadastre/examples/{name}.json", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn schema_validates(name: &str, instance: &Value) -> bool {
    let path = format!("{}/../schemas/cadastre/{name}.schema.json", env!("CARGO_MANIFEST_DIR"));
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap().is_valid(instance)
}

fn json(body: String) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body, "application/json")
}

fn problem(status: u16, kind: &str) -> ResponseTemplate {
    let body = serde_json::json!({ "type": format!("urn:lv:vzd:problem:{kind}"), "title": kind, "status": status });
    ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/problem+json")
}

fn config(server: &MockServer) -> CadastreConfig {
    CadastreConfig {
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
    }
}

struct CadastreFixture {
    client: CadastreClient,
}

#[async_trait]
impl Fixture for CadastreFixture {
    type Output = CadastralProperty;

    async fn start(server: &MockServer) -> Self {
        let token =
            std::fs::read_to_string(format!("{}/../schemas/pmlp/examples/token.json", env!("CARGO_MANIFEST_DIR")))
                .unwrap();
        Mock::given(method("POST")).and(path("/oauth2/token")).respond_with(json(token)).mount(server).await;
        Self { client: CadastreClient::new(&config(server)).unwrap() }
    }

    async fn mount(&self, server: &MockServer, template: ResponseTemplate) {
        Mock::given(method("GET"))
            .and(path(format!("/vzd/cadastre/v1/properties/{NUMBER}")))
            .and(header("Authorization", "Bearer c2ltdWxhdGVkLXRva2VuLTAwMDAwMDAx"))
            .and(header_exists("X-Request-Id"))
            .and(header("X-Purpose", "means_test"))
            .respond_with(template)
            .mount(server)
            .await;
    }

    async fn call(&self) -> Result<CadastralProperty, SourceError> {
        self.client.property(NUMBER, &ctx()).await
    }

    fn happy(&self) -> ResponseTemplate {
        json(example("property"))
    }

    fn check_happy(&self, property: &CadastralProperty) {
        assert_eq!(
            (property.cadastral_number.as_str(), property.kind, property.area_m2, property.value),
            (NUMBER, AssetKind::Apartment, 54, Money::from_cents(1_873_125))
        );
        assert_eq!((property.provenance.system, property.provenance.record_id.as_str()), (System::Cadastre, NUMBER));
    }

    fn not_found(&self) -> ResponseTemplate {
        problem(404, "not-found")
    }

    fn rejected(&self) -> ResponseTemplate {
        problem(403, "forbidden")
    }

    fn truncated(&self) -> ResponseTemplate {
        json(half(&example("property")))
    }

    fn malformed(&self) -> ResponseTemplate {
        json(example("property").replace("\"18731.25\"", "\"18731,25\""))
    }
}

#[tokio::test]
async fn property_passes_the_compliance_suite() {
    compliance::run::<CadastreFixture>().await;
}

#[test]
fn every_example_validates_against_its_schema() {
    for name in ["property", "problem"] {
        let instance: Value = serde_json::from_str(&example(name)).unwrap();
        assert!(schema_validates(name, &instance), "{name}");
    }
    for broken in [
        example("property").replace("apartment", "castle"),
        example("property").replace("\"18731.25\"", "18731.25"),
        example("property").replace("\"18731.25\"", "\"18731.255\""),
    ] {
        assert!(!schema_validates("property", &serde_json::from_str(&broken).unwrap()), "{broken}");
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
        fixture.mount(&server, json(example("property").replacen(from, to, 1))).await;
        assert!(matches!(fixture.call().await, Err(SourceError::Malformed { .. })), "{to}");
    }
}

#[tokio::test]
async fn a_value_with_one_fraction_digit_is_read_as_tens_of_cents() {
    let server = MockServer::start().await;
    let fixture = CadastreFixture::start(&server).await;
    fixture.mount(&server, json(example("property").replace("\"18731.25\"", "\"18731.2\""))).await;
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
