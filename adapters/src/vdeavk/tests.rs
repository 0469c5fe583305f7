//! The VDEĀVK adapter against a mock disability service built from `schemas/vdeavk/` examples.

use async_trait::async_trait;
use gateway_domain::{Fact, PersonSource, SourceError, StatusKind, System};
use secrecy::SecretString;
use time::macros::date;
use wiremock::{MockServer, ResponseTemplate};

use super::{VdeavkClient, VdeavkConfig};
use crate::compliance::{self, Contract, Fixture, ctx, half, mount_soap, person_query, test_transport, xml_reply};

const CONTRACT: Contract = Contract::new("vdeavk");

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
        mount_soap(
            server,
            "/vdeavk/disability/v1",
            "urn:lv:vdeavk:disability:v1:GetDisabilityDeterminations",
            template,
        )
        .await;
    }

    async fn call(&self) -> Result<Vec<Fact>, SourceError> {
        self.client.fetch(&person_query(), &ctx()).await
    }

    fn happy(&self) -> ResponseTemplate {
        xml_reply(200, CONTRACT.example_xml("get-disability-determinations-response"))
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
        CONTRACT.person_fault("PERSON_NOT_FOUND")
    }

    fn rejected(&self) -> ResponseTemplate {
        CONTRACT.person_fault("NOT_AUTHORISED")
    }

    fn truncated(&self) -> ResponseTemplate {
        xml_reply(200, half(&CONTRACT.example_xml("get-disability-determinations-response")))
    }

    fn malformed(&self) -> ResponseTemplate {
        xml_reply(
            200,
            CONTRACT.example_xml("get-disability-determinations-response").replace("<dis:Group>II<", "<dis:Group>IV<"),
        )
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
        assert!(CONTRACT.xsd_valid(&CONTRACT.example_xml(name)), "{name}");
    }
    assert!(
        !CONTRACT.xsd_valid(&CONTRACT.example_xml("get-disability-determinations-response").replace(">II<", ">IV<"))
    );
}

#[tokio::test]
async fn the_request_envelope_validates_and_asks_for_the_days_of_the_period() {
    let server = MockServer::start().await;
    let fixture = VdeavkFixture::start(&server).await;
    fixture.mount(&server, fixture.happy()).await;
    fixture.call().await.unwrap();
    let request = &server.received_requests().await.unwrap()[0];
    let body = String::from_utf8(request.body.clone()).unwrap();
    assert!(CONTRACT.xsd_valid(&body), "the request follows the schema");
    for expected in ["<FromDate>2026-08-01</FromDate>", "<ToDate>2026-10-31</ToDate>", "<Purpose>means_test</Purpose>"]
    {
        assert!(body.contains(expected), "{expected}");
    }
}

#[tokio::test]
async fn an_indefinite_determination_has_no_end_and_a_past_one_is_malformed() {
    let server = MockServer::start().await;
    let fixture = VdeavkFixture::start(&server).await;
    let open = CONTRACT
        .example_xml("get-disability-determinations-response")
        .replace("<dis:ValidTo>2029-02-28</dis:ValidTo>", "");
    assert!(CONTRACT.xsd_valid(&open));
    fixture.mount(&server, xml_reply(200, open)).await;
    let facts = fixture.call().await.unwrap();
    assert!(matches!(&facts[0], Fact::Status(s) if s.valid_to.is_none()));

    let server = MockServer::start().await;
    let fixture = VdeavkFixture::start(&server).await;
    let past = CONTRACT.example_xml("get-disability-determinations-response").replace("2029-02-28", "2025-02-28");
    fixture.mount(&server, xml_reply(200, past)).await;
    assert!(matches!(fixture.call().await, Err(SourceError::Malformed { .. })));
}
