//! The JPA adapter against a mock Legal Aid Administration built from `schemas/jpa/` examples.

use async_trait::async_trait;
use gateway_domain::{HouseholdStatus, SinkError, SourceError, StatusDecision, StatusSink, System};
use serde_json::Value;
use wiremock::matchers::{body_json, header, header_exists, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{JpaClient, JpaConfig};
use crate::compliance::{Contract, ctx, half, json_reply, mount_token, test_oauth, test_transport};
use crate::sink_compliance::{self, Sink, SinkFixture, decision, key};
use crate::transport::TransportConfig;

const CONTRACT: Contract = Contract::new("jpa");

const PATH: &str = "/jpa/v1/status-notifications";
const TOKEN: &str = "Bearer c2ltdWxhdGVkLWpwYS10b2tlbi0wMDAx";

fn config(server: &MockServer, transport: TransportConfig) -> JpaConfig {
    JpaConfig { base_url: server.uri(), token_url: None, oauth: test_oauth(), transport }
}

fn problem_reply(status: u16, example: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(CONTRACT.example_json(example), "application/problem+json")
}

struct JpaFixture {
    client: JpaClient,
}

#[async_trait]
impl SinkFixture for JpaFixture {
    async fn start(server: &MockServer, transport: TransportConfig) -> Self {
        mount_token(server, "/oauth2/token", CONTRACT).await;
        Self { client: JpaClient::new(&config(server, transport)).unwrap() }
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
            .and(header("Idempotency-Key", key(System::Jpa).as_str()))
            .and(header_exists("X-Request-Id"))
            .respond_with(template)
            .mount(server)
            .await;
    }

    fn accepted(&self) -> ResponseTemplate {
        json_reply(201, CONTRACT.example_json("notification-registered"))
    }

    fn duplicate(&self) -> ResponseTemplate {
        json_reply(200, CONTRACT.example_json("notification-already-registered"))
    }

    fn partner_ref(&self) -> &'static str {
        "JPA-000000042"
    }

    fn rejected(&self) -> (ResponseTemplate, &'static str) {
        (problem_reply(422, "problem-unknown-person"), "unknown-person")
    }

    fn truncated(&self) -> ResponseTemplate {
        json_reply(201, half(&CONTRACT.example_json("notification-registered")))
    }

    fn malformed(&self) -> ResponseTemplate {
        json_reply(201, CONTRACT.example_json("notification-registered").replace("\"REGISTERED\"", "\"QUEUED\""))
    }
}

#[tokio::test]
async fn deliver_passes_the_sink_compliance_suite() {
    sink_compliance::run::<JpaFixture>().await;
}

#[test]
fn every_example_validates_against_its_schema() {
    for (example_name, schema) in [
        ("status-notification", "status-notification"),
        ("notification-registered", "notification-receipt"),
        ("notification-already-registered", "notification-receipt"),
        ("problem-unknown-person", "problem"),
        ("token", "token"),
    ] {
        let instance: Value = serde_json::from_str(&CONTRACT.example_json(example_name)).unwrap();
        assert!(CONTRACT.json_valid(schema, &instance), "{example_name}");
    }
    let broken: Value =
        serde_json::from_str(&CONTRACT.example_json("status-notification").replace("NEEDY", "POOR")).unwrap();
    assert!(!CONTRACT.json_valid("status-notification", &broken));
}

#[tokio::test]
async fn the_notification_is_the_schema_example_and_carries_the_key() {
    let server = MockServer::start().await;
    mount_token(&server, "/oauth2/token", CONTRACT).await;
    let expected: Value = serde_json::from_str(&CONTRACT.example_json("status-notification")).unwrap();
    Mock::given(method("POST"))
        .and(path(PATH))
        .and(header("Content-Type", "application/json"))
        .and(header("Idempotency-Key", "455d3282afd11b485dccececcf852333"))
        .and(body_json(&expected))
        .respond_with(json_reply(201, CONTRACT.example_json("notification-registered")))
        .expect(1)
        .mount(&server)
        .await;
    let client = JpaClient::new(&config(&server, test_transport())).unwrap();
    let receipt = client.deliver(&decision(), &key(System::Jpa), &ctx()).await.unwrap();
    assert_eq!(
        (receipt.partner, receipt.partner_ref.as_str(), receipt.duplicate),
        (System::Jpa, "JPA-000000042", false)
    );
}

#[tokio::test]
async fn an_open_ended_status_leaves_the_end_out() {
    let server = MockServer::start().await;
    mount_token(&server, "/oauth2/token", CONTRACT).await;
    Mock::given(method("POST"))
        .and(path(PATH))
        .respond_with(json_reply(201, CONTRACT.example_json("notification-registered")))
        .mount(&server)
        .await;
    let client = JpaClient::new(&config(&server, test_transport())).unwrap();
    let open = StatusDecision { status: HouseholdStatus::LowIncome, valid_to: None, ..decision() };
    client.deliver(&open, &key(System::Jpa), &ctx()).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let posted = requests.iter().find(|r| r.url.path() == PATH).expect("the notification was posted");
    let body: Value = serde_json::from_slice(&posted.body).unwrap();
    assert_eq!(body["status"], "LOW_INCOME");
    assert!(body["period"].get("end").is_none());
    assert!(CONTRACT.json_valid("status-notification", &body));
}

#[tokio::test]
async fn a_refused_token_is_renewed_once_and_the_notification_posted_again() {
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
        .respond_with(json_reply(200, CONTRACT.example_json("notification-already-registered")))
        .mount(&server)
        .await;
    let client = JpaClient::new(&config(&server, test_transport())).unwrap();
    let receipt = client.deliver(&decision(), &key(System::Jpa), &ctx()).await.unwrap();
    assert!(receipt.duplicate);
}

#[tokio::test]
async fn refused_credentials_are_for_now_and_an_invalid_notification_is_for_good() {
    let cases = [(401, false), (403, false), (404, false), (400, true), (409, true)];
    for (status, permanent) in cases {
        let server = MockServer::start().await;
        let fixture = JpaFixture::start(&server, test_transport()).await;
        fixture.mount(&server, ResponseTemplate::new(status)).await;
        let error = fixture.client.deliver(&decision(), &key(System::Jpa), &ctx()).await.unwrap_err();
        assert_eq!(error.is_permanent(), permanent, "{status}");
        if permanent {
            assert_eq!(error, SinkError::Rejected { code: format!("http-{status}") });
        } else {
            assert!(matches!(error, SinkError::Transient(SourceError::Unavailable { .. })), "{status}: {error:?}");
        }
    }
}

#[tokio::test]
async fn a_receipt_for_another_key_is_malformed() {
    let server = MockServer::start().await;
    let fixture = JpaFixture::start(&server, test_transport()).await;
    Mock::given(method("POST"))
        .and(path(PATH))
        .respond_with(json_reply(201, CONTRACT.example_json("notification-registered")))
        .mount(&server)
        .await;
    let other = gateway_domain::IdempotencyKey::derive("TUK-2026-000124", 1, System::Jpa);
    let result = fixture.client.deliver(&decision(), &other, &ctx()).await;
    assert!(matches!(result, Err(SinkError::Transient(SourceError::Malformed { .. }))), "{result:?}");
}
