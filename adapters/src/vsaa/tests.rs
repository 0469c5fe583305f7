//! The VSAA adapter against a mock income service built from `schemas/vsaa/` examples.

use async_trait::async_trait;
use gateway_domain::{Fact, IncomeKind, Money, PersonSource, SourceError};
use secrecy::SecretString;
use wiremock::{MockServer, ResponseTemplate};

use super::{VsaaClient, VsaaConfig};
use crate::compliance::{self, Contract, Fixture, ctx, half, mount_soap, person_query, test_transport, xml_reply};

const CONTRACT: Contract = Contract::new("vsaa");

fn config(server: &MockServer) -> VsaaConfig {
    VsaaConfig {
        base_url: server.uri(),
        institution: "90000000001".into(),
        username: "tukums-social-service".into(),
        password: SecretString::from("simulated-password"),
        transport: test_transport(),
    }
}

struct VsaaFixture {
    client: VsaaClient,
}

#[async_trait]
impl Fixture for VsaaFixture {
    type Output = Vec<Fact>;

    async fn start(server: &MockServer) -> Self {
        Self { client: VsaaClient::new(&config(server)).unwrap() }
    }

    async fn mount(&self, server: &MockServer, template: ResponseTemplate) {
        mount_soap(server, "/vsaa/income/v1", "urn:lv:vsaa:income:v1:GetPersonIncomes", template).await;
    }

    async fn call(&self) -> Result<Vec<Fact>, SourceError> {
        self.client.fetch(&person_query(), &ctx()).await
    }

    fn happy(&self) -> ResponseTemplate {
        xml_reply(200, CONTRACT.example_xml("get-person-incomes-response"))
    }

    fn check_happy(&self, facts: &Vec<Fact>) {
        let incomes: Vec<_> = facts
            .iter()
            .map(|fact| match fact {
                Fact::Income(i) => (i.month.to_string(), i.kind, i.amount, i.provenance.record_id.as_str()),
                _ => panic!("VSAA reports incomes only"),
            })
            .collect();
        assert_eq!(
            incomes,
            vec![
                ("2026-08".to_owned(), IncomeKind::InsuredIncome, Money::from_cents(103_456), "vsaa-2026-08-000042-01"),
                ("2026-09".to_owned(), IncomeKind::InsuredIncome, Money::from_cents(98_750), "vsaa-2026-09-000042-01"),
                (
                    "2026-09".to_owned(),
                    IncomeKind::FamilyStateBenefit,
                    Money::from_cents(2_500),
                    "vsaa-2026-09-000042-02"
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
        xml_reply(200, half(&CONTRACT.example_xml("get-person-incomes-response")))
    }

    fn malformed(&self) -> ResponseTemplate {
        xml_reply(200, CONTRACT.example_xml("get-person-incomes-response").replace("987.5", "987,50"))
    }
}

#[tokio::test]
async fn get_person_incomes_passes_the_compliance_suite() {
    compliance::run::<VsaaFixture>().await;
}

#[test]
fn every_example_validates_against_the_schemas() {
    for name in ["get-person-incomes-request", "get-person-incomes-response", "fault-person-not-found"] {
        assert!(CONTRACT.xsd_valid(&CONTRACT.example_xml(name)), "{name}");
    }
    assert!(
        !CONTRACT.xsd_valid(&CONTRACT.example_xml("get-person-incomes-response").replace("INSURED_INCOME", "LOTTERY"))
    );
}

#[tokio::test]
async fn the_request_envelope_validates_and_carries_who_asks_and_why() {
    let server = MockServer::start().await;
    let fixture = VsaaFixture::start(&server).await;
    fixture.mount(&server, fixture.happy()).await;
    let ctx = ctx();
    fixture.client.fetch(&person_query(), &ctx).await.unwrap();
    let request = &server.received_requests().await.unwrap()[0];
    let body = String::from_utf8(request.body.clone()).unwrap();
    assert!(CONTRACT.xsd_valid(&body), "{body}");
    for expected in [
        "<PersonCode>12128211210</PersonCode>",
        "<FromMonth>2026-08</FromMonth>",
        "<ToMonth>2026-10</ToMonth>",
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
    let server = MockServer::start().await;
    let fixture = VsaaFixture::start(&server).await;
    let body = CONTRACT
        .example_xml("get-person-incomes-response")
        .replace("inc:", "v1:")
        .replace("xmlns:inc", "xmlns:v1")
        .replace("soap:", "S:")
        .replace("xmlns:soap", "xmlns:S");
    fixture.mount(&server, xml_reply(200, body)).await;
    let facts = fixture.call().await.unwrap();
    fixture.check_happy(&facts);
}

#[tokio::test]
async fn an_empty_answer_is_no_income_not_an_error() {
    let server = MockServer::start().await;
    let fixture = VsaaFixture::start(&server).await;
    let body = CONTRACT.example_xml("get-person-incomes-response");
    let start = body.find("<inc:Income>").unwrap();
    let end = body.rfind("</inc:Income>").unwrap() + "</inc:Income>".len();
    let empty = format!("{}{}", &body[..start], &body[end..]);
    assert!(CONTRACT.xsd_valid(&empty));
    fixture.mount(&server, xml_reply(200, empty)).await;
    assert_eq!(fixture.call().await.unwrap(), vec![]);
}

#[tokio::test]
async fn incomes_outside_the_period_or_of_unknown_kinds_are_malformed() {
    for (from, to) in [("<inc:Month>2026-08", "<inc:Month>2026-05"), ("INSURED_INCOME", "LOTTERY_WIN")] {
        let server = MockServer::start().await;
        let fixture = VsaaFixture::start(&server).await;
        fixture
            .mount(&server, xml_reply(200, CONTRACT.example_xml("get-person-incomes-response").replacen(from, to, 1)))
            .await;
        assert!(matches!(fixture.call().await, Err(SourceError::Malformed { .. })), "{to}");
    }
}

#[tokio::test]
async fn a_service_unavailable_fault_is_unavailable() {
    let server = MockServer::start().await;
    let fixture = VsaaFixture::start(&server).await;
    fixture.mount(&server, CONTRACT.person_fault("SERVICE_UNAVAILABLE")).await;
    assert!(matches!(fixture.call().await, Err(SourceError::Unavailable { .. })));
}
