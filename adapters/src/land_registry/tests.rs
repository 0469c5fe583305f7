//! The Land Registry adapter against a mock ownership service built from
//! `schemas/land_registry/` examples.

use async_trait::async_trait;
use gateway_domain::{AssetKind, Fact, PersonSource, SourceError, System};
use secrecy::SecretString;
use wiremock::{MockServer, ResponseTemplate};

use super::{LandRegistryClient, LandRegistryConfig};
use crate::compliance::{self, Contract, Fixture, ctx, half, mount_soap, person_query, test_transport, xml_reply};

const CONTRACT: Contract = Contract::new("land_registry");

fn response() -> String {
    CONTRACT.example_xml("get-person-ownerships-response")
}

struct LandRegistryFixture {
    client: LandRegistryClient,
}

#[async_trait]
impl Fixture for LandRegistryFixture {
    type Output = Vec<Fact>;

    async fn start(server: &MockServer) -> Self {
        let config = LandRegistryConfig {
            base_url: server.uri(),
            institution: "90000000001".into(),
            username: "tukums-social-service".into(),
            password: SecretString::from("simulated-password"),
            transport: test_transport(),
        };
        Self { client: LandRegistryClient::new(&config).unwrap() }
    }

    async fn mount(&self, server: &MockServer, template: ResponseTemplate) {
        mount_soap(
            server,
            "/zemesgramata/ownership/v1",
            "urn:lv:zemesgramata:ownership:v1:GetPersonOwnerships",
            template,
        )
        .await;
    }

    async fn call(&self) -> Result<Vec<Fact>, SourceError> {
        self.client.fetch(&person_query(), &ctx()).await
    }

    fn happy(&self) -> ResponseTemplate {
        xml_reply(200, response())
    }

    fn check_happy(&self, facts: &Vec<Fact>) {
        let [Fact::Ownership(flat), Fact::Ownership(land)] = facts.as_slice() else { panic!("two ownerships") };
        assert_eq!(flat.person, person_query().person);
        assert_eq!(
            (flat.kind, flat.cadastral_number.as_str(), flat.folio_number.as_str(), flat.share.to_string()),
            (AssetKind::Apartment, "90000000042", "100000000042", "1/2".to_owned())
        );
        assert_eq!(
            (flat.provenance.system, flat.provenance.record_id.as_str()),
            (System::LandRegistry, "zg-100000000042-01")
        );
        assert_eq!((land.kind, land.cadastral_number.as_str()), (AssetKind::Land, "88000000317"));
        assert_eq!((land.share.numerator(), land.share.denominator()), (3, 8));
    }

    fn not_found(&self) -> ResponseTemplate {
        CONTRACT.person_fault("PERSON_NOT_FOUND")
    }

    fn rejected(&self) -> ResponseTemplate {
        CONTRACT.person_fault("NOT_AUTHORISED")
    }

    fn truncated(&self) -> ResponseTemplate {
        xml_reply(200, half(&response()))
    }

    fn malformed(&self) -> ResponseTemplate {
        xml_reply(200, response().replace("<zg:PropertyKind>LAND<", "<zg:PropertyKind>FOREST<"))
    }
}

#[tokio::test]
async fn get_person_ownerships_passes_the_compliance_suite() {
    compliance::run::<LandRegistryFixture>().await;
}

#[test]
fn every_example_validates_against_the_schemas() {
    for name in ["get-person-ownerships-request", "get-person-ownerships-response", "fault-person-not-found"] {
        assert!(CONTRACT.xsd_valid(&CONTRACT.example_xml(name)), "{name}");
    }
    assert!(!CONTRACT.xsd_valid(&response().replace(">LAND<", ">FOREST<")));
    assert!(!CONTRACT.xsd_valid(&response().replace("<zg:Numerator>3<", "<zg:Numerator>0<")));
}

#[tokio::test]
async fn the_request_envelope_validates_and_names_the_person_and_purpose() {
    let server = MockServer::start().await;
    let fixture = LandRegistryFixture::start(&server).await;
    fixture.mount(&server, fixture.happy()).await;
    fixture.call().await.unwrap();
    let request = &server.received_requests().await.unwrap()[0];
    let body = String::from_utf8(request.body.clone()).unwrap();
    assert!(CONTRACT.xsd_valid(&body), "the request follows the schema");
    for expected in ["<PersonCode>12128211210</PersonCode>", "<Purpose>means_test</Purpose>"] {
        assert!(body.contains(expected), "{expected}");
    }
}

#[tokio::test]
async fn shares_that_are_not_proper_fractions_and_repeated_properties_are_malformed() {
    let cases = [
        ("<zg:Numerator>3<", "<zg:Numerator>9<"),
        ("<zg:Numerator>3<", "<zg:Numerator>0<"),
        ("<zg:Denominator>8<", "<zg:Denominator>99999999999<"),
        ("<zg:Numerator>3<", "<zg:Numerator>1.5<"),
        ("88000000317", "90000000042"),
        ("<zg:CadastralNumber>88000000317<", "<zg:CadastralNumber>8800<"),
    ];
    for (from, to) in cases {
        let server = MockServer::start().await;
        let fixture = LandRegistryFixture::start(&server).await;
        fixture.mount(&server, xml_reply(200, response().replacen(from, to, 1))).await;
        assert!(matches!(fixture.call().await, Err(SourceError::Malformed { .. })), "{to}");
    }
}

#[tokio::test]
async fn a_share_is_kept_as_the_folio_writes_it() {
    let server = MockServer::start().await;
    let fixture = LandRegistryFixture::start(&server).await;
    let unreduced = response().replace("<zg:Numerator>3<", "<zg:Numerator>4<");
    fixture.mount(&server, xml_reply(200, unreduced)).await;
    let facts = fixture.call().await.unwrap();
    assert!(matches!(&facts[1], Fact::Ownership(o) if o.share.to_string() == "4/8"));
}

#[tokio::test]
async fn a_person_who_owns_nothing_has_no_facts() {
    let server = MockServer::start().await;
    let fixture = LandRegistryFixture::start(&server).await;
    let body = response();
    let start = body.find("<zg:Ownership>").unwrap();
    let end = body.rfind("</zg:Ownership>").unwrap() + "</zg:Ownership>".len();
    let empty = format!("{}{}", &body[..start], &body[end..]);
    assert!(CONTRACT.xsd_valid(&empty));
    fixture.mount(&server, xml_reply(200, empty)).await;
    assert_eq!(fixture.call().await.unwrap(), vec![]);
}
