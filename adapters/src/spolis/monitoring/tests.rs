//! The SPOLIS monitoring adapter against a mock monitoring service built from
//! `schemas/spolis/monitoring/` examples.

use std::process::Command;

use async_trait::async_trait;
use gateway_domain::{HouseholdStatus, SinkError, StatusDecision, StatusSink, System};
use secrecy::SecretString;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{SpolisMonitoringClient, SpolisMonitoringConfig};
use crate::compliance::{ctx, half, test_transport};
use crate::sink_compliance::{self, SinkFixture, decision, key};
use crate::transport::TransportConfig;

const PATH: &str = "/spolis/monitoring/v1";

fn schema_dir() -> String {
    format!("{}/../schemas/spolis/monitoring", env!("CARGO_MANIFEST_DIR"))
}

fn example(name: &str) -> String {
    let path = format!("{}/examples/{name}.xml", schema_dir());
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Validates a document against the envelope, WS-Security and monitoring schemas.
fn xsd_valid(xml: &str) -> bool {
    let file = std::env::temp_dir().join(format!("spolis-monitoring-{}.xml", uuid::Uuid::new_v4()));
    std::fs::write(&file, xml).unwrap();
    let output = Command::new("xmllint")
        .args(["--noout", "--schema", &format!("{}/validate.xsd", schema_dir())])
        .arg(&file)
        .output()
        .expect("xmllint (package libxml2-utils) is installed");
    let _ = std::fs::remove_file(&file);
    output.status.success()
}

fn xml(status: u16, body: String) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body, "text/xml; charset=utf-8")
}

fn config(server: &MockServer, transport: TransportConfig) -> SpolisMonitoringConfig {
    SpolisMonitoringConfig {
        base_url: server.uri(),
        institution: "90000000001".into(),
        municipality_code: "0901000".into(),
        username: "tukums-social-service".into(),
        password: SecretString::from("simulated-spolis-password"),
        transport,
    }
}

struct SpolisMonitoringFixture {
    client: SpolisMonitoringClient,
}

#[async_trait]
impl SinkFixture for SpolisMonitoringFixture {
    async fn start(server: &MockServer, transport: TransportConfig) -> Self {
        Self { client: SpolisMonitoringClient::new(&config(server, transport)).unwrap() }
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
            .and(header("SOAPAction", "\"urn:lv:lm:spolis:monitoring:v1:SubmitMonitoringRecord\""))
            .respond_with(template)
            .mount(server)
            .await;
    }

    fn accepted(&self) -> ResponseTemplate {
        xml(200, example("submit-monitoring-record-response-registered"))
    }

    fn duplicate(&self) -> ResponseTemplate {
        xml(200, example("submit-monitoring-record-response-already-registered"))
    }

    fn partner_ref(&self) -> &'static str {
        "SPO-000000042"
    }

    fn rejected(&self) -> (ResponseTemplate, &'static str) {
        (xml(500, example("fault-unknown-person")), "UNKNOWN_PERSON")
    }

    fn truncated(&self) -> ResponseTemplate {
        xml(200, half(&example("submit-monitoring-record-response-registered")))
    }

    fn malformed(&self) -> ResponseTemplate {
        xml(200, example("submit-monitoring-record-response-registered").replace(">REGISTERED<", ">MAYBE<"))
    }
}

#[tokio::test]
async fn submit_monitoring_record_passes_the_sink_compliance_suite() {
    sink_compliance::run::<SpolisMonitoringFixture>().await;
}

#[test]
fn every_example_validates_against_the_schemas() {
    for name in [
        "submit-monitoring-record-request",
        "submit-monitoring-record-response-registered",
        "submit-monitoring-record-response-already-registered",
        "fault-unknown-person",
    ] {
        assert!(xsd_valid(&example(name)), "{name}");
    }
    assert!(!xsd_valid(&example("submit-monitoring-record-request").replace(">NEEDY<", ">POOR<")));
}

#[tokio::test]
async fn the_request_envelope_validates_and_carries_the_key_and_who_sends_it() {
    let server = MockServer::start().await;
    let fixture = SpolisMonitoringFixture::start(&server, test_transport()).await;
    fixture.mount(&server, fixture.accepted()).await;
    let ctx = ctx();
    fixture.client.deliver(&decision(), &key(System::Spolis), &ctx).await.unwrap();
    let request = &server.received_requests().await.unwrap()[0];
    let body = String::from_utf8(request.body.clone()).unwrap();
    assert!(xsd_valid(&body), "the request envelope breaks the schema");
    // The example request, element by element, apart from what the context decides.
    let example = example("submit-monitoring-record-request");
    for element in [
        "IdempotencyKey",
        "MunicipalityCode",
        "RecordRef",
        "RecordVersion",
        "Status",
        "ValidFrom",
        "ValidTo",
        "ReportingMonth",
        "PersonCount",
        "PersonCode",
        "Applicant",
    ] {
        assert_eq!(texts(&body, element), texts(&example, element), "{element}");
    }
    assert_eq!(texts(&body, "RequestId"), [ctx.request_id.to_string()]);
    assert_eq!(texts(&body, "Officer"), ["caseworker-17"]);
    assert_eq!(texts(&body, "wsse:Username"), ["tukums-social-service"]);
}

#[tokio::test]
async fn an_open_ended_ending_leaves_valid_to_out_and_still_validates() {
    let server = MockServer::start().await;
    let fixture = SpolisMonitoringFixture::start(&server, test_transport()).await;
    fixture.mount(&server, fixture.accepted()).await;
    let ended = StatusDecision { status: HouseholdStatus::Ended, valid_to: None, ..decision() };
    fixture.client.deliver(&ended, &key(System::Spolis), &ctx()).await.unwrap();
    let body = String::from_utf8(server.received_requests().await.unwrap()[0].body.clone()).unwrap();
    assert!(xsd_valid(&body));
    assert!(texts(&body, "ValidTo").is_empty());
    assert_eq!(texts(&body, "Status"), ["ENDED"]);
}

#[tokio::test]
async fn a_refused_service_account_is_for_now_and_a_reused_key_for_good() {
    for (code, permanent) in [("NOT_AUTHORISED", false), ("SERVICE_UNAVAILABLE", false), ("KEY_REUSED", true)] {
        let server = MockServer::start().await;
        let fixture = SpolisMonitoringFixture::start(&server, test_transport()).await;
        fixture.mount(&server, xml(500, example("fault-unknown-person").replace("UNKNOWN_PERSON", code))).await;
        let error = fixture.client.deliver(&decision(), &key(System::Spolis), &ctx()).await.unwrap_err();
        assert_eq!(error.is_permanent(), permanent, "{code}");
        if permanent {
            assert_eq!(error, SinkError::Rejected { code: code.into() });
        }
    }
}

/// The texts of every element with this local name (or prefixed name), in document order.
fn texts(xml: &str, name: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let Some(end) = rest.find('>') else { break };
        let tag = &rest[..end];
        let tag_name = tag.split_whitespace().next().unwrap_or("");
        let local = tag_name.rsplit(':').next().unwrap_or("");
        let matches = if name.contains(':') { tag_name == name } else { local == name };
        if matches && !tag.starts_with('/') && !tag.ends_with('/') {
            let content = &rest[end + 1..];
            if let Some(close) = content.find("</") {
                found.push(content[..close].trim().to_owned());
            }
        }
        rest = &rest[end + 1..];
    }
    found
}
