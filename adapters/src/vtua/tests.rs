//! The VTUA adapter against a mock machinery register built from `schemas/vtua/` examples.

use async_trait::async_trait;
use gateway_domain::{Fact, GapTopic, PersonSource, SourceError, System, VehicleKind, VehicleRole};
use secrecy::SecretString;
use wiremock::{MockServer, ResponseTemplate};

use super::{VtuaClient, VtuaConfig};
use crate::compliance::{self, Contract, Fixture, ctx, half, mount_soap, person_query, test_transport, xml_reply};

const CONTRACT: Contract = Contract::new("vtua");
const RESPONSE: &str = "get-person-machinery-response";

fn config(base_url: String) -> VtuaConfig {
    VtuaConfig {
        base_url,
        institution: "90000000001".into(),
        username: "tukums-social-service".into(),
        password: SecretString::from("simulated-password"),
        transport: test_transport(),
    }
}

struct VtuaFixture {
    client: VtuaClient,
}

#[async_trait]
impl Fixture for VtuaFixture {
    type Output = Vec<Fact>;

    async fn start(server: &MockServer) -> Self {
        Self { client: VtuaClient::new(&config(server.uri())).unwrap() }
    }

    async fn mount(&self, server: &MockServer, template: ResponseTemplate) {
        mount_soap(server, "/vtua/machinery/v1", "urn:lv:vtua:machinery:v1:GetPersonMachinery", template).await;
    }

    async fn call(&self) -> Result<Vec<Fact>, SourceError> {
        self.client.fetch(&person_query(), &ctx()).await
    }

    fn happy(&self) -> ResponseTemplate {
        xml_reply(200, CONTRACT.example_xml(RESPONSE))
    }

    fn check_happy(&self, facts: &Vec<Fact>) {
        let machines: Vec<_> = facts
            .iter()
            .map(|fact| {
                let Fact::Vehicle(machine) = fact else { panic!("VTUA reports machinery only") };
                assert_eq!(machine.person, person_query().person, "the asked person's machine");
                assert_eq!(machine.provenance.system, System::Vtua);
                (
                    machine.registration_number.as_str(),
                    machine.kind,
                    machine.make.as_str(),
                    machine.year,
                    machine.role,
                    machine.provenance.record_id.as_str(),
                )
            })
            .collect();
        assert_eq!(
            machines,
            [
                ("T0517LB", VehicleKind::Tractor, "MTZ", 1988, VehicleRole::Owner, "vtua-00000042"),
                ("T2291KA", VehicleKind::TractorTrailer, "2PTS", 1991, VehicleRole::Owner, "vtua-00000043"),
                (
                    "T8804LC",
                    VehicleKind::SelfPropelledMachine,
                    "John Deere",
                    2016,
                    VehicleRole::Holder,
                    "vtua-00000044"
                ),
            ]
        );
    }

    fn not_found(&self) -> ResponseTemplate {
        CONTRACT.person_fault("PERSON_NOT_FOUND")
    }

    fn rejected(&self) -> ResponseTemplate {
        CONTRACT.person_fault("NOT_AUTHORISED")
    }

    fn truncated(&self) -> ResponseTemplate {
        xml_reply(200, half(&CONTRACT.example_xml(RESPONSE)))
    }

    fn malformed(&self) -> ResponseTemplate {
        xml_reply(200, CONTRACT.example_xml(RESPONSE).replace(">TRAILER<", ">BARROW<"))
    }
}

async fn answer_to(body: String) -> Result<Vec<Fact>, SourceError> {
    let server = MockServer::start().await;
    let fixture = VtuaFixture::start(&server).await;
    fixture.mount(&server, xml_reply(200, body)).await;
    fixture.call().await
}

#[tokio::test]
async fn get_person_machinery_passes_the_compliance_suite() {
    compliance::run::<VtuaFixture>().await;
}

#[test]
fn every_example_validates_against_the_schemas() {
    for name in ["get-person-machinery-request", RESPONSE, "fault-person-not-found"] {
        assert!(CONTRACT.xsd_valid(&CONTRACT.example_xml(name)), "{name}");
    }
    for (from, to) in [(">TRAILER<", ">BARROW<"), ("T0517LB", "AB-1234"), (">OWNER<", ">LESSEE<"), (">1988<", ">88<")] {
        assert!(!CONTRACT.xsd_valid(&CONTRACT.example_xml(RESPONSE).replacen(from, to, 1)), "{to}");
    }
}

#[tokio::test]
async fn the_request_envelope_validates_and_carries_who_asks_and_why() {
    let server = MockServer::start().await;
    let fixture = VtuaFixture::start(&server).await;
    fixture.mount(&server, fixture.happy()).await;
    let ctx = ctx();
    fixture.client.fetch(&person_query(), &ctx).await.unwrap();
    let request = &server.received_requests().await.unwrap()[0];
    let body = String::from_utf8(request.body.clone()).unwrap();
    assert!(CONTRACT.xsd_valid(&body), "{body}");
    for expected in [
        "<PersonCode>12128211210</PersonCode>",
        "<Purpose>means_test</Purpose>",
        "<Officer>caseworker-17</Officer>",
        "<wsse:Username>tukums-social-service</wsse:Username>",
    ] {
        assert!(body.contains(expected), "{expected}");
    }
    assert!(body.contains(&format!("<RequestId>{}</RequestId>", ctx.request_id)));
}

#[tokio::test]
async fn other_namespace_prefixes_parse_the_same() {
    let body = CONTRACT
        .example_xml(RESPONSE)
        .replace("mach:", "v1:")
        .replace("xmlns:mach", "xmlns:v1")
        .replace("soap:", "S:")
        .replace("xmlns:soap", "xmlns:S");
    let server = MockServer::start().await;
    let fixture = VtuaFixture::start(&server).await;
    fixture.mount(&server, xml_reply(200, body)).await;
    let facts = fixture.call().await.unwrap();
    fixture.check_happy(&facts);
}

#[tokio::test]
async fn a_person_without_machinery_has_none() {
    let body = CONTRACT.example_xml(RESPONSE);
    let start = body.find("<mach:Machine>").unwrap();
    let end = body.rfind("</mach:Machine>").unwrap() + "</mach:Machine>".len();
    let empty = format!("{}{}", &body[..start], &body[end..]);
    assert!(CONTRACT.xsd_valid(&empty));
    assert_eq!(answer_to(empty).await.unwrap(), vec![]);
}

#[tokio::test]
async fn machines_off_the_contract_twice_listed_or_of_another_person_are_malformed() {
    let example = CONTRACT.example_xml(RESPONSE);
    for (from, to) in [
        (">TRACTOR<", ">tractor<"),
        (">OWNER<", ">LESSEE<"),
        ("T0517LB", "T517LB"),
        ("T0517LB", "AB-1234"),
        ("T2291KA", "T0517LB"),
        (">MTZ<", "> <"),
        (">1988<", ">1899<"),
        (">1988<", ">2999<"),
        (">1988<", ">nineteen<"),
        (">vtua-00000042<", "><"),
        ("<mach:PersonCode>12128211210", "<mach:PersonCode>32579318462"),
        ("<mach:PersonCode>12128211210", "<mach:PersonCode>12128211211"),
    ] {
        let broken = example.replacen(from, to, 1);
        assert!(matches!(answer_to(broken).await, Err(SourceError::Malformed { .. })), "{from} -> {to}");
    }
}

#[tokio::test]
async fn a_service_unavailable_fault_is_unavailable() {
    let server = MockServer::start().await;
    let fixture = VtuaFixture::start(&server).await;
    fixture.mount(&server, CONTRACT.person_fault("SERVICE_UNAVAILABLE")).await;
    assert!(matches!(fixture.call().await, Err(SourceError::Unavailable { .. })));
}

#[test]
fn a_failure_leaves_assets_unknown_and_nothing_else() {
    let client = VtuaClient::new(&config("http://127.0.0.1:9".into())).unwrap();
    assert_eq!((client.system(), client.topics()), (System::Vtua, [GapTopic::Assets].as_slice()));
}
