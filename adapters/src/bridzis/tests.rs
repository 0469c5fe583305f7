//! The BRIDZIS adapter against a mock housing register built from `schemas/bridzis/` examples.

use async_trait::async_trait;
use gateway_domain::{HouseholdStatus, SinkError, StatusSink, System};
use secrecy::SecretString;
use serde_json::Value;
use wiremock::matchers::{body_json, header, header_exists, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{BridzisClient, BridzisConfig};
use crate::compliance::{Contract, ctx, half, json_reply, test_transport};
use crate::sink_compliance::{self, Sink, SinkFixture, decision, key};
use crate::transport::TransportConfig;

const CONTRACT: Contract = Contract::new("bridzis");

const API_KEY: &str = "simulated-bridzis-key";
const PATH: &str = "/bridzis/v1/status-notices";

fn config(server: &MockServer, transport: TransportConfig) -> BridzisConfig {
    BridzisConfig { base_url: server.uri(), api_key: SecretString::from(API_KEY), transport }
}

struct BridzisFixture {
    client: BridzisClient,
}

#[async_trait]
impl SinkFixture for BridzisFixture {
    async fn start(server: &MockServer, transport: TransportConfig) -> Self {
        Self { client: BridzisClient::new(&config(server, transport)).unwrap() }
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
            .and(header("X-Api-Key", API_KEY))
            .and(header("Idempotency-Key", key(System::Bridzis).as_str()))
            .and(header_exists("X-Request-Id"))
            .respond_with(template)
            .mount(server)
            .await;
    }

    fn accepted(&self) -> ResponseTemplate {
        json_reply(201, CONTRACT.example_json("receipt-accepted"))
    }

    fn duplicate(&self) -> ResponseTemplate {
        json_reply(200, CONTRACT.example_json("receipt-duplicate"))
    }

    fn partner_ref(&self) -> &'static str {
        "BRZ-000000042"
    }

    fn rejected(&self) -> (ResponseTemplate, &'static str) {
        let body = CONTRACT.example_json("problem-unknown-person");
        (ResponseTemplate::new(422).set_body_raw(body, "application/problem+json"), "UNKNOWN_PERSON")
    }

    fn truncated(&self) -> ResponseTemplate {
        json_reply(201, half(&CONTRACT.example_json("receipt-accepted")))
    }

    fn malformed(&self) -> ResponseTemplate {
        json_reply(201, CONTRACT.example_json("receipt-accepted").replace("ACCEPTED", "MAYBE"))
    }
}

#[tokio::test]
async fn deliver_passes_the_sink_compliance_suite() {
    sink_compliance::run::<BridzisFixture>().await;
}

#[test]
fn every_example_validates_against_its_schema() {
    for (example_name, schema) in [
        ("status-notice", "status-notice"),
        ("receipt-accepted", "receipt"),
        ("receipt-duplicate", "receipt"),
        ("problem-unknown-person", "problem"),
    ] {
        let instance: Value = serde_json::from_str(&CONTRACT.example_json(example_name)).unwrap();
        assert!(CONTRACT.json_valid(schema, &instance), "{example_name}");
    }
    let broken: Value = serde_json::from_str(&CONTRACT.example_json("status-notice").replace("NEEDY", "POOR")).unwrap();
    assert!(!CONTRACT.json_valid("status-notice", &broken));
}

#[tokio::test]
async fn the_notice_is_the_schema_example_and_carries_the_key() {
    let server = MockServer::start().await;
    let expected: Value = serde_json::from_str(&CONTRACT.example_json("status-notice")).unwrap();
    Mock::given(method("POST"))
        .and(path(PATH))
        .and(header("Content-Type", "application/json"))
        .and(header("Idempotency-Key", "2b9f758fa8fa9122845822d13aca7fad"))
        .and(body_json(&expected))
        .respond_with(json_reply(201, CONTRACT.example_json("receipt-accepted")))
        .expect(1)
        .mount(&server)
        .await;
    let client = BridzisClient::new(&config(&server, test_transport())).unwrap();
    let receipt = client.deliver(&decision(), &key(System::Bridzis), &ctx()).await.unwrap();
    assert!(!receipt.duplicate);
    let body: Value = serde_json::from_slice(&server.received_requests().await.unwrap()[0].body).unwrap();
    assert!(CONTRACT.json_valid("status-notice", &body));
}

#[tokio::test]
async fn an_open_ended_ending_leaves_valid_to_out() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(PATH))
        .respond_with(json_reply(201, CONTRACT.example_json("receipt-accepted")))
        .mount(&server)
        .await;
    let client = BridzisClient::new(&config(&server, test_transport())).unwrap();
    let ended = gateway_domain::StatusDecision { status: HouseholdStatus::Ended, valid_to: None, ..decision() };
    client.deliver(&ended, &key(System::Bridzis), &ctx()).await.unwrap();
    let body: Value = serde_json::from_slice(&server.received_requests().await.unwrap()[0].body).unwrap();
    assert_eq!(body["socialStatus"], "ENDED");
    assert!(body.get("validTo").is_none());
    assert!(CONTRACT.json_valid("status-notice", &body));
}

#[tokio::test]
async fn a_receipt_for_another_key_is_malformed() {
    let server = MockServer::start().await;
    let fixture = BridzisFixture::start(&server, test_transport()).await;
    Mock::given(method("POST"))
        .and(path(PATH))
        .respond_with(json_reply(201, CONTRACT.example_json("receipt-accepted")))
        .mount(&server)
        .await;
    let other = gateway_domain::IdempotencyKey::derive("TUK-2026-000124", 1, System::Bridzis);
    let result = fixture.client.deliver(&decision(), &other, &ctx()).await;
    assert!(matches!(result, Err(SinkError::Transient(gateway_domain::SourceError::Malformed { .. }))), "{result:?}");
}

#[tokio::test]
async fn refused_credentials_are_for_now_and_an_invalid_notice_is_for_good() {
    let cases = [(401, false), (403, false), (404, false), (400, true), (409, true)];
    for (status, permanent) in cases {
        let server = MockServer::start().await;
        let fixture = BridzisFixture::start(&server, test_transport()).await;
        fixture.mount(&server, ResponseTemplate::new(status)).await;
        let error = fixture.client.deliver(&decision(), &key(System::Bridzis), &ctx()).await.unwrap_err();
        assert_eq!(error.is_permanent(), permanent, "{status}");
        if permanent {
            assert_eq!(error, SinkError::Rejected { code: format!("http-{status}") });
        }
    }
}
