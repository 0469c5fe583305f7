//! The SPOLIS monitoring adapter against a mock monitoring service built from
//! `schemas/spolis/monitoring/` examples.

use async_trait::async_trait;
use gateway_domain::{HouseholdStatus, SinkError, StatusDecision, StatusSink, System};
use secrecy::SecretString;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{SpolisMonitoringClient, SpolisMonitoringConfig};
use crate::compliance::{Contract, ctx, half, test_transport, texts, xml_reply};
use crate::sink_compliance::{self, SinkFixture, decision, key};
use crate::transport::TransportConfig;

const CONTRACT: Contract = Contract::new("spolis/monitoring");

const PATH: &str = "/spolis/monitoring/v1";

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
        xml_reply(200, CONTRACT.example_xml("submit-monitoring-record-response-registered"))
    }

    fn duplicate(&self) -> ResponseTemplate {
        xml_reply(200, CONTRACT.example_xml("submit-monitoring-record-response-already-registered"))
    }

    fn partner_ref(&self) -> &'static str {
        "SPO-000000042"
    }

    fn rejected(&self) -> (ResponseTemplate, &'static str) {
        (xml_reply(500, CONTRACT.example_xml("fault-unknown-person")), "UNKNOWN_PERSON")
    }

    fn truncated(&self) -> ResponseTemplate {
        xml_reply(200, half(&CONTRACT.example_xml("submit-monitoring-record-response-registered")))
    }

    fn malformed(&self) -> ResponseTemplate {
        xml_reply(
            200,
            CONTRACT.example_xml("submit-monitoring-record-response-registered").replace(">REGISTERED<", ">MAYBE<"),
        )
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
        assert!(CONTRACT.xsd_valid(&CONTRACT.example_xml(name)), "{name}");
    }
    assert!(
        !CONTRACT.xsd_valid(&CONTRACT.example_xml("submit-monitoring-record-request").replace(">NEEDY<", ">POOR<"))
    );
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
    assert!(CONTRACT.xsd_valid(&body), "the request envelope breaks the schema");
    // The example request, element by element, apart from what the context decides.
    let example = CONTRACT.example_xml("submit-monitoring-record-request");
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
    assert!(CONTRACT.xsd_valid(&body));
    assert!(texts(&body, "ValidTo").is_empty());
    assert_eq!(texts(&body, "Status"), ["ENDED"]);
}

#[tokio::test]
async fn a_refused_service_account_is_for_now_and_a_reused_key_for_good() {
    for (code, permanent) in [("NOT_AUTHORISED", false), ("SERVICE_UNAVAILABLE", false), ("KEY_REUSED", true)] {
        let server = MockServer::start().await;
        let fixture = SpolisMonitoringFixture::start(&server, test_transport()).await;
        fixture
            .mount(
                &server,
                xml_reply(500, CONTRACT.example_xml("fault-unknown-person").replace("UNKNOWN_PERSON", code)),
            )
            .await;
        let error = fixture.client.deliver(&decision(), &key(System::Spolis), &ctx()).await.unwrap_err();
        assert_eq!(error.is_permanent(), permanent, "{code}");
        if permanent {
            assert_eq!(error, SinkError::Rejected { code: code.into() });
        }
    }
}
