//! The NVA adapter against a mock NVA built from `schemas/nva/` examples.

use async_trait::async_trait;
use gateway_domain::{
    Fact, IncomeKind, Money, Month, Period, PersonCode, PersonQuery, PersonSource, SourceError, StatusKind,
};
use secrecy::SecretString;
use serde_json::Value;
use time::macros::date;
use wiremock::matchers::{body_json, header, header_exists, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{NvaClient, NvaConfig};
use crate::compliance::{self, Fixture, ctx, half, test_transport};
use crate::transport::OAuthConfig;

const CLIENT_KEY: &str = include_str!("../../../mocks/keys/simulated-client.key.pem");

fn example(name: &str) -> String {
    let path = format!("{}/../schemas/nva/examples/{name}.json", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn schema_validates(name: &str, instance: &Value) -> bool {
    let path = format!("{}/../schemas/nva/{name}.schema.json", env!("CARGO_MANIFEST_DIR"));
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap().is_valid(instance)
}

fn json(body: String) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body, "application/json")
}

fn problem(status: u16, kind: &str) -> ResponseTemplate {
    let body = serde_json::json!({ "type": format!("urn:lv:nva:problem:{kind}"), "title": kind, "status": status });
    ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/problem+json")
}

fn config(server: &MockServer) -> NvaConfig {
    NvaConfig {
        base_url: server.uri(),
        token_url: None,
        oauth: OAuthConfig {
            client_id: "tukums-social-service".into(),
            client_key_file: None,
            client_key_pem: Some(SecretString::from(CLIENT_KEY)),
            key_id: None,
            scope: None,
        },
        transport: test_transport(),
    }
}

fn query() -> PersonQuery {
    PersonQuery {
        person: PersonCode::parse("121282-11210").unwrap(),
        period: Period::new(Month::parse("2026-08").unwrap(), Month::parse("2026-10").unwrap()).unwrap(),
    }
}

struct NvaFixture {
    client: NvaClient,
}

#[async_trait]
impl Fixture for NvaFixture {
    type Output = Vec<Fact>;

    async fn start(server: &MockServer) -> Self {
        let token =
            std::fs::read_to_string(format!("{}/../schemas/pmlp/examples/token.json", env!("CARGO_MANIFEST_DIR")))
                .unwrap();
        Mock::given(method("POST")).and(path("/oauth2/token")).respond_with(json(token)).mount(server).await;
        Self { client: NvaClient::new(&config(server)).unwrap() }
    }

    async fn mount(&self, server: &MockServer, template: ResponseTemplate) {
        Mock::given(method("POST"))
            .and(path("/nva/v1/person-status/search"))
            .and(header("Authorization", "Bearer c2ltdWxhdGVkLXRva2VuLTAwMDAwMDAx"))
            .and(header_exists("X-Request-Id"))
            .and(header("X-Purpose", "means_test"))
            .respond_with(template)
            .mount(server)
            .await;
    }

    async fn call(&self) -> Result<Vec<Fact>, SourceError> {
        self.client.fetch(&query(), &ctx()).await
    }

    fn happy(&self) -> ResponseTemplate {
        json(example("person-status"))
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
        problem(404, "not-found")
    }

    fn rejected(&self) -> ResponseTemplate {
        problem(403, "forbidden")
    }

    fn truncated(&self) -> ResponseTemplate {
        json(half(&example("person-status")))
    }

    fn malformed(&self) -> ResponseTemplate {
        json(example("person-status").replace("\"105.50\"", "\"105,50\""))
    }
}

#[tokio::test]
async fn person_status_passes_the_compliance_suite() {
    compliance::run::<NvaFixture>().await;
}

#[test]
fn every_example_validates_against_its_schema() {
    for name in ["person-status-query", "person-status", "problem"] {
        let instance: Value = serde_json::from_str(&example(name)).unwrap();
        assert!(schema_validates(name, &instance), "{name}");
    }
    let broken = example("person-status").replace("job_seeker", "retired");
    assert!(!schema_validates("person-status", &serde_json::from_str(&broken).unwrap()));
}

#[tokio::test]
async fn the_request_body_is_the_schema_example() {
    let server = MockServer::start().await;
    let fixture = NvaFixture::start(&server).await;
    let expected: Value = serde_json::from_str(&example("person-status-query")).unwrap();
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
        fixture.mount(&server, json(example("person-status").replacen(from, to, 1))).await;
        assert!(matches!(fixture.call().await, Err(SourceError::Malformed { .. })), "{to}");
    }
}

#[tokio::test]
async fn a_person_never_registered_has_no_facts() {
    let server = MockServer::start().await;
    let fixture = NvaFixture::start(&server).await;
    fixture.mount(&server, json(r#"{"personCode":"12128211210","registrations":[],"payments":[]}"#.into())).await;
    assert_eq!(fixture.call().await.unwrap(), vec![]);
}
