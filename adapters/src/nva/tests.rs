//! The NVA adapter against a mock NVA built from `schemas/nva/` examples.

use async_trait::async_trait;
use gateway_domain::{Fact, IncomeKind, Money, PersonSource, SourceError, StatusKind};
use serde_json::Value;
use time::macros::date;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{NvaClient, NvaConfig};
use crate::compliance::{
    self, Contract, Fixture, ctx, half, json_reply, mount_rest_source, mount_token, person_query, problem_reply,
    test_oauth, test_transport,
};

const CONTRACT: Contract = Contract::new("nva");
const PROBLEM: &str = "urn:lv:nva:problem";

fn config(server: &MockServer) -> NvaConfig {
    NvaConfig { base_url: server.uri(), token_url: None, oauth: test_oauth(), transport: test_transport() }
}

struct NvaFixture {
    client: NvaClient,
}

#[async_trait]
impl Fixture for NvaFixture {
    type Output = Vec<Fact>;

    async fn start(server: &MockServer) -> Self {
        // The contract has no token example of its own; PMLP's serves.
        mount_token(server, "/oauth2/token", Contract::new("pmlp")).await;
        Self { client: NvaClient::new(&config(server)).unwrap() }
    }

    async fn mount(&self, server: &MockServer, template: ResponseTemplate) {
        mount_rest_source(server, "POST", "/nva/v1/person-status/search", template).await;
    }

    async fn call(&self) -> Result<Vec<Fact>, SourceError> {
        self.client.fetch(&person_query(), &ctx()).await
    }

    fn happy(&self) -> ResponseTemplate {
        json_reply(200, CONTRACT.example_json("person-status"))
    }

    fn check_happy(&self, facts: &Vec<Fact>) {
        assert_eq!(facts.len(), 4);
        let Fact::Status(unemployed) = &facts[0] else { panic!("a status first") };
        assert_eq!(
            (unemployed.kind, unemployed.valid_from, unemployed.valid_to, unemployed.provenance.record_id.as_str()),
            (StatusKind::Unemployed, date!(2026 - 07 - 01), None, "nva-000042-01")
        );
        let Fact::Status(seeker) = &facts[1] else { panic!("a status second") };
        assert_eq!((seeker.kind, seeker.valid_to), (StatusKind::JobSeeker, Some(date!(2026 - 08 - 31))));
        let Fact::Income(stipend) = &facts[2] else { panic!("an income third") };
        assert_eq!(
            (stipend.month.to_string(), stipend.kind, stipend.amount),
            ("2026-09".to_owned(), IncomeKind::TrainingStipend, Money::from_cents(10_550))
        );
        let Fact::Income(works) = &facts[3] else { panic!("an income fourth") };
        assert_eq!((works.kind, works.amount), (IncomeKind::PublicWorksAllowance, Money::from_cents(18_000)));
    }

    fn not_found(&self) -> ResponseTemplate {
        problem_reply(PROBLEM, 404, "not-found")
    }

    fn rejected(&self) -> ResponseTemplate {
        problem_reply(PROBLEM, 403, "forbidden")
    }

    fn truncated(&self) -> ResponseTemplate {
        json_reply(200, half(&CONTRACT.example_json("person-status")))
    }

    fn malformed(&self) -> ResponseTemplate {
        json_reply(200, CONTRACT.example_json("person-status").replace("\"105.50\"", "\"105,50\""))
    }
}

#[tokio::test]
async fn person_status_passes_the_compliance_suite() {
    compliance::run::<NvaFixture>().await;
}

#[test]
fn every_example_validates_against_its_schema() {
    for name in ["person-status-query", "person-status", "problem"] {
        let instance: Value = serde_json::from_str(&CONTRACT.example_json(name)).unwrap();
        assert!(CONTRACT.json_valid(name, &instance), "{name}");
    }
    let broken = CONTRACT.example_json("person-status").replace("job_seeker", "retired");
    assert!(!CONTRACT.json_valid("person-status", &serde_json::from_str(&broken).unwrap()));
}

#[tokio::test]
async fn the_request_body_is_the_schema_example() {
    let server = MockServer::start().await;
    let fixture = NvaFixture::start(&server).await;
    let expected: Value = serde_json::from_str(&CONTRACT.example_json("person-status-query")).unwrap();
    Mock::given(method("POST"))
        .and(path("/nva/v1/person-status/search"))
        .and(body_json(&expected))
        .respond_with(fixture.happy())
        .expect(1)
        .mount(&server)
        .await;
    fixture.call().await.unwrap();
}

#[tokio::test]
async fn payments_outside_the_period_and_unknown_statuses_are_malformed() {
    for (from, to) in
        [("\"2026-09\"", "\"2026-05\""), ("\"job_seeker\"", "\"retired\""), ("\"2026-07-01\"", "\"2027-07-01\"")]
    {
        let server = MockServer::start().await;
        let fixture = NvaFixture::start(&server).await;
        fixture.mount(&server, json_reply(200, CONTRACT.example_json("person-status").replacen(from, to, 1))).await;
        assert!(matches!(fixture.call().await, Err(SourceError::Malformed { .. })), "{to}");
    }
}

#[tokio::test]
async fn a_person_never_registered_has_no_facts() {
    let server = MockServer::start().await;
    let fixture = NvaFixture::start(&server).await;
    fixture
        .mount(&server, json_reply(200, r#"{"personCode":"12128211210","registrations":[],"payments":[]}"#.into()))
        .await;
    assert_eq!(fixture.call().await.unwrap(), vec![]);
}
