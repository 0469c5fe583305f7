//! The NINO adapter against a mock tax administration built from `schemas/nino/` examples.

use async_trait::async_trait;
use gateway_domain::{SinkError, SourceError, StatusSink, System};
use secrecy::SecretString;
use serde_json::Value;
use wiremock::matchers::{body_json, header, header_exists, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{NinoClient, NinoConfig};
use crate::compliance::{ctx, half, test_transport};
use crate::sink_compliance::{self, SinkFixture, decision, key};
use crate::transport::{OAuthConfig, TransportConfig};

const PATH: &str = "/nino/v1/relief-statuses";
const TOKEN: &str = "Bearer c2ltdWxhdGVkLW5pbm8tdG9rZW4tMDE";
const CLIENT_KEY: &str = include_str!("../../../mocks/keys/simulated-client.key.pem");

fn example(name: &str) -> String {
    let path = format!("{}/../schemas/nino/examples/{name}.json", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn schema_validates(name: &str, instance: &Value) -> bool {
    let path = format!("{}/../schemas/nino/{name}.schema.json", env!("CARGO_MANIFEST_DIR"));
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap().is_valid(instance)
}

fn json(status: u16, body: String) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body, "application/json")
}

fn config(server: &MockServer, transport: TransportConfig) -> NinoConfig {
    NinoConfig {
        base_url: server.uri(),
        token_url: None,
        oauth: OAuthConfig {
            client_id: "tukums-social-service".into(),
            client_key_file: None,
            client_key_pem: Some(SecretString::from(CLIENT_KEY)),
            key_id: None,
            scope: None,
        },
        transport,
    }
}

async fn mount_token(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .respond_with(json(200, example("token")))
        .mount(server)
        .await;
}

struct NinoFixture {
    client: NinoClient,
}

#[async_trait]
impl SinkFixture for NinoFixture {
    async fn start(server: &MockServer, transport: TransportConfig) -> Self {
        mount_token(server).await;
        Self { client: NinoClient::new(&config(server, transport)).unwrap() }
    }

    fn sink(&self) -> &dyn StatusSink {
        &self.client
    }

    fn delivery_path(&self) -> &'static str {
        PATH
    }

    async fn mount(&self, server: &MockServer, template: ResponseTemplate) {
        Mock::given(method("POST"))
            .and(path(PATH))
            .and(header("Authorization", TOKEN))
            .and(header("Idempotency-Key", key(System::Nino).as_str()))
            .and(header_exists("X-Request-Id"))
            .respond_with(template)
            .mount(server)
            .await;
    }

    fn accepted(&self) -> ResponseTemplate {
        json(201, example("relief-status-created"))
    }

    fn duplicate(&self) -> ResponseTemplate {
        json(200, example("relief-status-already-received"))
    }

    fn partner_ref(&self) -> &'static str {
        "NINO-000000042"
    }

    fn rejected(&self) -> (ResponseTemplate, &'static str) {
        (json(422, example("error-unknown-taxpayer")), "unknown_taxpayer")
    }

    fn truncated(&self) -> ResponseTemplate {
        json(201, half(&example("relief-status-created")))
    }

    fn malformed(&self) -> ResponseTemplate {
        json(201, example("relief-status-created").replace("\"created\"", "\"pending\""))
    }
}

#[tokio::test]
async fn deliver_passes_the_sink_compliance_suite() {
    sink_compliance::run::<NinoFixture>().await;
}

#[test]
fn every_example_validates_against_its_schema() {
    for (example_name, schema) in [
        ("relief-status", "relief-status"),
        ("relief-status-created", "relief-status-receipt"),
        ("relief-status-already-received", "relief-status-receipt"),
        ("error-unknown-taxpayer", "error"),
        ("token", "token"),
    ] {
        let instance: Value = serde_json::from_str(&example(example_name)).unwrap();
        assert!(schema_validates(schema, &instance), "{example_name}");
    }
    let broken: Value = serde_json::from_str(&example("relief-status").replace("needy", "poor")).unwrap();
    assert!(!schema_validates("relief-status", &broken));
}

#[tokio::test]
async fn the_status_is_the_schema_example_and_carries_the_key() {
    let server = MockServer::start().await;
    mount_token(&server).await;
    let expected: Value = serde_json::from_str(&example("relief-status")).unwrap();
    Mock::given(method("POST"))
        .and(path(PATH))
        .and(header("Idempotency-Key", "e9e2f4c5139a6f1b367c46f8f4410ec9"))
        .and(body_json(&expected))
        .respond_with(json(201, example("relief-status-created")))
        .expect(1)
        .mount(&server)
        .await;
    let client = NinoClient::new(&config(&server, test_transport())).unwrap();
    let receipt = client.deliver(&decision(), &key(System::Nino), &ctx()).await.unwrap();
    assert_eq!((receipt.partner_ref.as_str(), receipt.duplicate), ("NINO-000000042", false));
}

#[tokio::test]
async fn a_refused_token_is_renewed_once_and_the_status_posted_again() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .respond_with(json(200, example("token")))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(PATH))
        .respond_with(ResponseTemplate::new(401))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(PATH))
        .respond_with(json(200, example("relief-status-already-received")))
        .mount(&server)
        .await;
    let client = NinoClient::new(&config(&server, test_transport())).unwrap();
    let receipt = client.deliver(&decision(), &key(System::Nino), &ctx()).await.unwrap();
    assert!(receipt.duplicate);
}

#[tokio::test]
async fn a_token_refused_twice_or_a_refused_client_is_for_now_not_for_good() {
    let server = MockServer::start().await;
    mount_token(&server).await;
    Mock::given(method("POST")).and(path(PATH)).respond_with(ResponseTemplate::new(401)).expect(2).mount(&server).await;
    let client = NinoClient::new(&config(&server, test_transport())).unwrap();
    let error = client.deliver(&decision(), &key(System::Nino), &ctx()).await.unwrap_err();
    assert!(!error.is_permanent(), "{error:?}");

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let client = NinoClient::new(&config(&server, test_transport())).unwrap();
    let error = client.deliver(&decision(), &key(System::Nino), &ctx()).await.unwrap_err();
    assert!(matches!(error, SinkError::Transient(SourceError::Rejected { .. })), "{error:?}");
}
