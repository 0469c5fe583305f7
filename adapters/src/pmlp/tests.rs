//! The PMLP adapter against a mock DAGR built from `schemas/pmlp/` examples.

use async_trait::async_trait;
use gateway_domain::{DeclaredAddress, PersonCode, PersonRecord, PopulationRegister, SourceError, System};
use serde_json::Value;
use time::macros::date;
use wiremock::matchers::{body_json, header, header_exists, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{PmlpClient, PmlpConfig};
use crate::compliance::{
    self, Contract, EXAMPLE_BEARER, Fixture, ctx, half, json_reply, mount_token, problem_reply, test_oauth,
    test_transport,
};
use crate::transport::OAuthConfig;

const CONTRACT: Contract = Contract::new("pmlp");
const PROBLEM: &str = "urn:lv:pmlp:dagr:problem";

const PERMISSION: &str = "DAGR-2026-0042";
const CLIENT_PUBLIC_KEY: &str = include_str!("../../../mocks/keys/simulated-client.pub.pem");

/// The example `name`, as a 200 answer.
fn json(name: &str) -> ResponseTemplate {
    json_reply(200, CONTRACT.example_json(name))
}

fn config(server: &MockServer) -> PmlpConfig {
    PmlpConfig {
        base_url: server.uri(),
        permission: PERMISSION.into(),
        token_url: None,
        oauth: OAuthConfig { key_id: Some("sim-1".into()), scope: Some("fpr".into()), ..test_oauth() },
        transport: test_transport(),
    }
}

fn applicant() -> PersonCode {
    PersonCode::parse("121282-11210").unwrap()
}

/// The three operations share everything but their path, request and example.
#[derive(Clone, Copy)]
enum Operation {
    Person,
    DeclaredAddress,
    Residents,
}

enum Output {
    Person(PersonRecord),
    Address(DeclaredAddress),
    Residents(Vec<PersonRecord>),
}

struct PmlpFixture<const OP: u8> {
    client: PmlpClient,
}

impl<const OP: u8> PmlpFixture<OP> {
    fn operation() -> Operation {
        [Operation::Person, Operation::DeclaredAddress, Operation::Residents][OP as usize]
    }

    fn example_name() -> &'static str {
        match Self::operation() {
            Operation::Person => "person",
            Operation::DeclaredAddress => "declared-address",
            Operation::Residents => "declared-persons",
        }
    }
}

#[async_trait]
impl<const OP: u8> Fixture for PmlpFixture<OP> {
    type Output = Output;

    async fn start(server: &MockServer) -> Self {
        mount_token(server, "/oauth2/token", CONTRACT).await;
        Self { client: PmlpClient::new(&config(server)).unwrap() }
    }

    async fn mount(&self, server: &MockServer, template: ResponseTemplate) {
        let (verb, route) = match Self::operation() {
            Operation::Person => ("POST", "/fpr/v1/persons/search".to_owned()),
            Operation::DeclaredAddress => ("POST", "/fpr/v1/declared-addresses/search".to_owned()),
            Operation::Residents => ("GET", "/fpr/v1/addresses/105000123/declared-persons".to_owned()),
        };
        Mock::given(method(verb))
            .and(path(route))
            .and(header("Authorization", EXAMPLE_BEARER))
            .and(header("X-DAGR-Permission", PERMISSION))
            .and(header_exists("X-Request-Id"))
            .respond_with(template)
            .mount(server)
            .await;
    }

    async fn call(&self) -> Result<Output, SourceError> {
        let ctx = ctx();
        Ok(match Self::operation() {
            Operation::Person => Output::Person(self.client.person(&applicant(), &ctx).await?),
            Operation::DeclaredAddress => Output::Address(self.client.declared_address(&applicant(), &ctx).await?),
            Operation::Residents => Output::Residents(self.client.residents("105000123", &ctx).await?),
        })
    }

    fn happy(&self) -> ResponseTemplate {
        json(Self::example_name())
    }

    fn check_happy(&self, output: &Output) {
        match output {
            Output::Person(p) => {
                assert_eq!(p.person_code, applicant());
                assert_eq!((p.given_name.as_str(), p.family_name.as_str()), ("Anna", "Ozola"));
                assert_eq!(p.birth_date, Some(date!(1982 - 12 - 12)));
                assert_eq!(p.provenance.system, System::Pmlp);
                assert_eq!(p.provenance.record_id, "fpr-000000042");
            }
            Output::Address(a) => {
                assert_eq!(a.address_code, "105000123");
                assert_eq!(a.declared_from, date!(2015 - 03 - 01));
                assert_eq!(a.provenance.record_id, "dz-000000042");
            }
            Output::Residents(r) => {
                assert_eq!(r.len(), 2);
                assert_eq!(r[1].person_code, PersonCode::parse("32579318462").unwrap());
                assert_eq!(r[1].birth_date, None);
            }
        }
    }

    fn not_found(&self) -> ResponseTemplate {
        problem_reply(PROBLEM, 404, "not-found")
    }

    fn rejected(&self) -> ResponseTemplate {
        problem_reply(PROBLEM, 403, "forbidden")
    }

    fn truncated(&self) -> ResponseTemplate {
        ResponseTemplate::new(200).set_body_raw(half(&CONTRACT.example_json(Self::example_name())), "application/json")
    }

    fn malformed(&self) -> ResponseTemplate {
        // Valid JSON with the personal code in the wrong shape.
        let body = CONTRACT
            .example_json(Self::example_name())
            .replace("12128211210", "1212821121X")
            .replace("105000123", "10500012X");
        ResponseTemplate::new(200).set_body_raw(body, "application/json")
    }
}

#[tokio::test]
async fn person_passes_the_compliance_suite() {
    compliance::run::<PmlpFixture<0>>().await;
}

#[tokio::test]
async fn declared_address_passes_the_compliance_suite() {
    compliance::run::<PmlpFixture<1>>().await;
}

#[tokio::test]
async fn residents_pass_the_compliance_suite() {
    compliance::run::<PmlpFixture<2>>().await;
}

#[test]
fn every_example_validates_against_its_schema() {
    for name in ["token", "person-query", "person", "declared-address", "declared-persons", "problem"] {
        let instance: Value = serde_json::from_str(&CONTRACT.example_json(name)).unwrap();
        assert!(CONTRACT.json_valid(name, &instance), "{name}");
    }
    let broken = serde_json::json!({ "person": { "recordId": "x", "personCode": "123" } });
    assert!(!CONTRACT.json_valid("person", &broken));
}

#[tokio::test]
async fn the_request_body_is_the_schema_example_and_validates() {
    let server = MockServer::start().await;
    mount_token(&server, "/oauth2/token", CONTRACT).await;
    let expected: Value = serde_json::from_str(&CONTRACT.example_json("person-query")).unwrap();
    assert!(CONTRACT.json_valid("person-query", &expected));
    Mock::given(method("POST"))
        .and(path("/fpr/v1/persons/search"))
        .and(body_json(&expected))
        .respond_with(json("person"))
        .expect(1)
        .mount(&server)
        .await;
    let client = PmlpClient::new(&config(&server)).unwrap();
    client.person(&applicant(), &ctx()).await.unwrap();
}

#[tokio::test]
async fn a_token_is_renewed_before_it_expires() {
    let server = MockServer::start().await;
    // A one-second token is renewed from half its lifetime on, so that none expires in flight.
    let short = CONTRACT.example_json("token").replace("\"expires_in\": 300", "\"expires_in\": 1");
    assert!(short.contains("\"expires_in\": 1,"), "the example changed shape");
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .respond_with(json_reply(200, short))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("POST")).and(path("/fpr/v1/persons/search")).respond_with(json("person")).mount(&server).await;
    let client = PmlpClient::new(&config(&server)).unwrap();
    client.person(&applicant(), &ctx()).await.unwrap();
    client.person(&applicant(), &ctx()).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    client.person(&applicant(), &ctx()).await.unwrap();
}

#[tokio::test]
async fn the_token_is_fetched_once_and_reused_while_valid() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/oauth2/token")).respond_with(json("token")).expect(1).mount(&server).await;
    Mock::given(method("POST"))
        .and(path("/fpr/v1/persons/search"))
        .respond_with(json("person"))
        .expect(3)
        .mount(&server)
        .await;
    let client = PmlpClient::new(&config(&server)).unwrap();
    for _ in 0..3 {
        client.person(&applicant(), &ctx()).await.unwrap();
    }
}

#[tokio::test]
async fn the_client_assertion_is_an_rs256_jwt_for_the_token_endpoint() {
    let server = MockServer::start().await;
    mount_token(&server, "/oauth2/token", CONTRACT).await;
    Mock::given(method("POST")).and(path("/fpr/v1/persons/search")).respond_with(json("person")).mount(&server).await;
    let client = PmlpClient::new(&config(&server)).unwrap();
    client.person(&applicant(), &ctx()).await.unwrap();

    let requests = server.received_requests().await.unwrap();
    let form = String::from_utf8(requests[0].body.clone()).unwrap();
    let fields: std::collections::HashMap<String, String> = form
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.replace("%3A", ":").replace("%2F", "/")))
        .collect();
    assert_eq!(fields["grant_type"], "client_credentials");
    assert_eq!(fields["client_assertion_type"], "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    let key = jsonwebtoken::DecodingKey::from_rsa_pem(CLIENT_PUBLIC_KEY.as_bytes()).unwrap();
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    let audience = format!("{}/oauth2/token", server.uri());
    validation.set_audience(&[audience.as_str()]);
    validation.set_issuer(&["tukums-social-service"]);
    let token = jsonwebtoken::decode::<Value>(&fields["client_assertion"], &key, &validation).unwrap();
    assert_eq!(token.claims["sub"], "tukums-social-service");
    assert_eq!(token.header.kid.as_deref(), Some("sim-1"));
}

#[tokio::test]
async fn a_refused_token_is_renewed_once_and_the_call_repeated() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/oauth2/token")).respond_with(json("token")).expect(2).mount(&server).await;
    Mock::given(method("POST"))
        .and(path("/fpr/v1/persons/search"))
        .respond_with(problem_reply(PROBLEM, 401, "unauthorized"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).and(path("/fpr/v1/persons/search")).respond_with(json("person")).mount(&server).await;
    let client = PmlpClient::new(&config(&server)).unwrap();
    assert!(client.person(&applicant(), &ctx()).await.is_ok());
}

#[tokio::test]
async fn a_refused_client_assertion_is_a_rejection_not_a_missing_person() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .respond_with(ResponseTemplate::new(401).set_body_string(r#"{"error":"invalid_client"}"#))
        .mount(&server)
        .await;
    let client = PmlpClient::new(&config(&server)).unwrap();
    let result = client.person(&applicant(), &ctx()).await;
    assert!(matches!(result, Err(SourceError::Rejected { .. })), "{result:?}");
}

#[tokio::test]
async fn an_answer_about_another_person_is_malformed() {
    let server = MockServer::start().await;
    mount_token(&server, "/oauth2/token", CONTRACT).await;
    Mock::given(method("POST")).and(path("/fpr/v1/persons/search")).respond_with(json("person")).mount(&server).await;
    let client = PmlpClient::new(&config(&server)).unwrap();
    let other = PersonCode::parse("32579318462").unwrap();
    assert!(matches!(client.person(&other, &ctx()).await, Err(SourceError::Malformed { .. })));
}

#[tokio::test]
async fn residents_leave_out_deceased_persons() {
    let server = MockServer::start().await;
    mount_token(&server, "/oauth2/token", CONTRACT).await;
    let body = CONTRACT.example_json("declared-persons").replacen("\"active\"", "\"deceased\"", 1);
    Mock::given(method("GET"))
        .and(path("/fpr/v1/addresses/105000123/declared-persons"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    let client = PmlpClient::new(&config(&server)).unwrap();
    let residents = client.residents("105000123", &ctx()).await.unwrap();
    assert_eq!(residents.len(), 1);
    assert_eq!(residents[0].person_code, PersonCode::parse("32579318462").unwrap());
}

#[tokio::test]
async fn an_address_code_that_is_not_digits_never_reaches_the_wire() {
    let server = MockServer::start().await;
    let client = PmlpClient::new(&config(&server)).unwrap();
    let result = client.residents("../persons", &ctx()).await;
    assert!(matches!(result, Err(SourceError::Rejected { .. })));
    assert!(server.received_requests().await.unwrap().is_empty());
}
