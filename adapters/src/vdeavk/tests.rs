//! The VDEĀVK adapter against a mock disability service built from `schemas/vdeavk/` examples.

use std::process::Command;

use async_trait::async_trait;
use gateway_domain::{Fact, Month, Period, PersonCode, PersonQuery, PersonSource, SourceError, StatusKind, System};
use secrecy::SecretString;
use time::macros::date;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{VdeavkClient, VdeavkConfig};
use crate::compliance::{self, Fixture, ctx, half, test_transport};

fn schema_dir() -> String {
    format!("{}/../schemas/vdeavk", env!("CARGO_MANIFEST_DIR"))
}

fn example(name: &str) -> String {
    let path = format!("{}/examples/{name}.xml", schema_dir());
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Validates a document against the envelope, WS-Security and disability schemas with xmllint.
fn xsd_valid(xml: &str) -> bool {
    let file = std::env::temp_dir().join(format!("vdeavk-{}.xml", uuid::Uuid::new_v4()));
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

fn fault(code: &str) -> ResponseTemplate {
    xml(500, example("fault-person-not-found").replace("PERSON_NOT_FOUND", code))
}

fn query() -> PersonQuery {
    PersonQuery {
        person: PersonCode::parse("121282-11210").unwrap(),
        period: Period::new(Month::parse("2026-08").unwrap(), Month::parse("2026-10").unwrap()).unwrap(),
    }
}

struct VdeavkFixture {
    client: VdeavkClient,
}

#[async_trait]
impl Fixture for VdeavkFixture {
    type Output = Vec<Fact>;

    async fn start(server: &MockServer) -> Self {
        let config = VdeavkConfig {
            base_url: server.uri(),
            institution: "90000000001".into(),
            username: "tukums-social-service".into(),
            password: SecretString::from("simulated-password"),
            transport: test_transport(),
        };
        Self { client: VdeavkClient::new(&config).unwrap() }
    }

    async fn mount(&self, server: &MockServer, template: ResponseTemplate) {
        Mock::given(method("POST"))
            .and(path("/vdeavk/disability/v1"))
            .and(header("SOAPAction", "\"urn:lv:vdeavk:disability:v1:GetDisabilityDeterminations\""))
            .respond_with(template)
            .mount(server)
            .await;
    }

    async fn call(&self) -> Result<Vec<Fact>, SourceError> {
        self.client.fetch(&query(), &ctx()).await
    }

    fn happy(&self) -> ResponseTemplate {
        xml(200, example("get-disability-determinations-response"))
    }

    fn check_happy(&self, facts: &Vec<Fact>) {
        let [Fact::Status(status)] = facts.as_slice() else { panic!("one status") };
        assert_eq!(status.kind, StatusKind::DisabilityGroupII);
        assert!(status.special_care);
        assert_eq!((status.valid_from, status.valid_to), (date!(2024 - 03 - 01), Some(date!(2029 - 02 - 28))));
        assert_eq!(
            (status.provenance.system, status.provenance.record_id.as_str()),
            (System::Vdeavk, "vdeavk-000042-01")
        );
    }

    fn not_found(&self) -> ResponseTemplate {
        fault("PERSON_NOT_FOUND")
    }

    fn rejected(&self) -> ResponseTemplate {
        fault("NOT_AUTHORISED")
    }

    fn truncated(&self) -> ResponseTemplate {
        xml(200, half(&example("get-disability-determinations-response")))
    }

    fn malformed(&self) -> ResponseTemplate {
        xml(200, example("get-disability-determinations-response").replace("<dis:Group>II<", "<dis:Group>IV<"))
    }
}

#[tokio::test]
async fn get_disability_determinations_passes_the_compliance_suite() {
    compliance::run::<VdeavkFixture>().await;
}

#[test]
fn every_example_validates_against_the_schemas() {
    for name in
        ["get-disability-determinations-request", "get-disability-determinations-response", "fault-person-not-found"]
    {
        assert!(xsd_valid(&example(name)), "{name}");
    }
    assert!(!xsd_valid(&example("get-disability-determinations-response").replace(">II<", ">IV<")));
}

#[tokio::test]
async fn the_request_envelope_validates_and_asks_for_the_days_of_the_period() {
    let server = MockServer::start().await;
    let fixture = VdeavkFixture::start(&server).await;
    fixture.mount(&server, fixture.happy()).await;
    fixture.call().await.unwrap();
    let request = &server.received_requests().await.unwrap()[0];
    let body = String::from_utf8(request.body.clone()).unwrap();
    assert!(xsd_valid(&body), "the request follows the schema");
    for expected in ["<FromDate>2026-08-01</FromDate>", "<ToDate>2026-10-31</ToDate>", "<Purpose>means_test</Purpose>"]
    {
        assert!(body.contains(expected), "{expected}");
    }
}

#[tokio::test]
async fn an_indefinite_determination_has_no_end_and_a_past_one_is_malformed() {
    let server = MockServer::start().await;
    let fixture = VdeavkFixture::start(&server).await;
    let open = example("get-disability-determinations-response").replace("<dis:ValidTo>2029-02-28</dis:ValidTo>", "");
    assert!(xsd_valid(&open));
    fixture.mount(&server, xml(200, open)).await;
    let facts = fixture.call().await.unwrap();
    assert!(matches!(&facts[0], Fact::Status(s) if s.valid_to.is_none()));

    let server = MockServer::start().await;
    let fixture = VdeavkFixture::start(&server).await;
    let past = example("get-disability-determinations-response").replace("2029-02-28", "2025-02-28");
    fixture.mount(&server, xml(200, past)).await;
    assert!(matches!(fixture.call().await, Err(SourceError::Malformed { .. })));
}
