//! The NINO adapter against a mock tax administration built from `schemas/nino/` examples.

use async_trait::async_trait;
use gateway_domain::{SinkError, SourceError, StatusSink, System};
use serde_json::Value;
use wiremock::matchers::{body_json, header, header_exists, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{NinoClient, NinoConfig};
use crate::compliance::{Contract, ctx, half, json_reply, mount_token, test_oauth, test_transport};
use crate::sink_compliance::{self, Sink, SinkFixture, decision, key};
use crate::transport::TransportConfig;

const CONTRACT: Contract = Contract::new("nino");

const PATH: &str = "/nino/v1/relief-statuses";
const TOKEN: &str = "Bearer c2ltdWxhdGVkLW5pbm8tdG9rZW4tMDE";

fn config(server: &MockServer, transport: TransportConfig) -> NinoConfig {
    NinoConfig { base_url: server.uri(), token_url: None, oauth: test_oauth(), transport }
}

struct NinoFixture {
    client: NinoClient,
}

#[async_trait]
impl SinkFixture for NinoFixture {
    async fn start(server: &MockServer, transport: TransportConfig) -> Self {
        mount_token(server, "/oauth2/token", CONTRACT).await;
        Self { client: NinoClient::new(&config(server, transport)).unwrap() }
    }

    fn sink(&self) -> Sink<'_> {
        Sink::Status(&self.client)
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
        json_reply(201, CONTRACT.example_json("relief-status-created"))
    }

    fn duplicate(&self) -> ResponseTemplate {
        json_reply(200, CONTRACT.example_json("relief-status-already-received"))
    }

    fn partner_ref(&self) -> &'static str {
        "NINO-000000042"
    }

    fn rejected(&self) -> (ResponseTemplate, &'static str) {
        (json_reply(422, CONTRACT.example_json("error-unknown-taxpayer")), "unknown_taxpayer")
    }

    fn truncated(&self) -> ResponseTemplate {
        json_reply(201, half(&CONTRACT.example_json("relief-status-created")))
    }

    fn malformed(&self) -> ResponseTemplate {
        json_reply(201, CONTRACT.example_json("relief-status-created").replace("\"created\"", "\"pending\""))
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
        let instance: Value = serde_json::from_str(&CONTRACT.example_json(example_name)).unwrap();
        assert!(CONTRACT.json_valid(schema, &instance), "{example_name}");
    }
    let broken: Value = serde_json::from_str(&CONTRACT.example_json("relief-status").replace("needy", "poor")).unwrap();
    assert!(!CONTRACT.json_valid("relief-status", &broken));
}

#[tokio::test]
async fn the_status_is_the_schema_example_and_carries_the_key() {
    let server = MockServer::start().await;
    mount_token(&server, "/oauth2/token", CONTRACT).await;
    let expected: Value = serde_json::from_str(&CONTRACT.example_json("relief-status")).unwrap();
    Mock::given(method("POST"))
        .and(path(PATH))
        .and(header("Idempotency-Key", "e9e2f4c5139a6f1b367c46f8f4410ec9"))
        .and(body_json(&expected))
        .respond_with(json_reply(201, CONTRACT.example_json("relief-status-created")))
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
        .respond_with(json_reply(200, CONTRACT.example_json("token")))
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
        .respond_with(json_reply(200, CONTRACT.example_json("relief-status-already-received")))
        .mount(&server)
        .await;
    let client = NinoClient::new(&config(&server, test_transport())).unwrap();
    let receipt = client.deliver(&decision(), &key(System::Nino), &ctx()).await.unwrap();
    assert!(receipt.duplicate);
}

#[tokio::test]
async fn a_token_refused_twice_or_a_refused_client_is_for_now_not_for_good() {
    let server = MockServer::start().await;
    mount_token(&server, "/oauth2/token", CONTRACT).await;
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
