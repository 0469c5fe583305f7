//! The suite every adapter passes: the happy path, and each way a registry call fails mapped
//! to its `SourceError` variant. An adapter joins by implementing [`Fixture`]; a REST or SOAP
//! person source joins by implementing [`RestSource`] or [`SoapSource`], which wire it to a mock
//! registry and run the checks every such source shares. Alongside it, what every adapter's
//! tests share: the registry's contract under `schemas/`, the answers a mock registry gives, and
//! the credentials and query the examples were written for.

use std::marker::PhantomData;
use std::process::Command;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use gateway_domain::{
    Fact, Month, Period, PersonCode, PersonQuery, PersonSource, Purpose, RequestContext, RequestId, SourceError,
};
use secrecy::SecretString;
use serde_json::Value;
use wiremock::matchers::{body_json, header, header_exists, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::adapter::Adapter;
use crate::transport::resilience::RetryConfig;
use crate::transport::{OAuthConfig, TransportConfig};

/// The private key the simulated registries know the gateway by.
const CLIENT_KEY: &str = include_str!("../../mocks/keys/simulated-client.key.pem");

/// A registry's published contract, kept under `schemas/<folder>/`: example messages in
/// `examples/`, and either JSON Schemas or a `validate.xsd` that pulls in every XSD. The tests
/// build their mocks from the examples, so the adapter is checked against what the registry
/// documents rather than against what the adapter itself writes.
#[derive(Clone, Copy)]
pub(crate) struct Contract {
    folder: &'static str,
}

impl Contract {
    /// `folder` is relative to `schemas/`, e.g. `"vsaa"` or `"spolis/monitoring"`.
    pub(crate) const fn new(folder: &'static str) -> Self {
        Self { folder }
    }

    fn dir(&self) -> String {
        format!("{}/../schemas/{}", env!("CARGO_MANIFEST_DIR"), self.folder)
    }

    fn read(&self, file: &str) -> String {
        let path = format!("{}/{file}", self.dir());
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// The example message `examples/<name>.xml`.
    pub(crate) fn example_xml(&self, name: &str) -> String {
        self.read(&format!("examples/{name}.xml"))
    }

    /// The example message `examples/<name>.json`.
    pub(crate) fn example_json(&self, name: &str) -> String {
        self.read(&format!("examples/{name}.json"))
    }

    /// Whether `instance` satisfies `<schema>.schema.json`.
    pub(crate) fn json_valid(&self, schema: &str, instance: &Value) -> bool {
        let schema: Value = serde_json::from_str(&self.read(&format!("{schema}.schema.json"))).unwrap();
        jsonschema::validator_for(&schema).unwrap().is_valid(instance)
    }

    /// Whether a document satisfies the envelope, WS-Security and registry schemas that
    /// `validate.xsd` pulls in, checked by xmllint on a temporary copy.
    pub(crate) fn xsd_valid(&self, xml: &str) -> bool {
        let file = std::env::temp_dir().join(format!("{}-{}.xml", self.folder.replace('/', "-"), uuid::Uuid::new_v4()));
        std::fs::write(&file, xml).unwrap();
        let output = Command::new("xmllint")
            .args(["--noout", "--schema", &format!("{}/validate.xsd", self.dir())])
            .arg(&file)
            .output()
            .expect("xmllint (package libxml2-utils) is installed");
        let _ = std::fs::remove_file(&file);
        output.status.success()
    }
}

impl Contract {
    /// The example fault `fault-person-not-found` with `code` as its service fault code, as a
    /// SOAP registry sends it.
    pub(crate) fn person_fault(&self, code: &str) -> ResponseTemplate {
        xml_reply(500, self.example_xml("fault-person-not-found").replace("PERSON_NOT_FOUND", code))
    }
}

/// A SOAP registry's answer.
pub(crate) fn xml_reply(status: u16, body: String) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body, "text/xml; charset=utf-8")
}

/// A REST registry's answer.
pub(crate) fn json_reply(status: u16, body: String) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body, "application/json")
}

/// An RFC 9457 problem whose `type` is `<namespace>:<kind>`, as the REST registries refuse.
pub(crate) fn problem_reply(namespace: &str, status: u16, kind: &str) -> ResponseTemplate {
    let body = serde_json::json!({ "type": format!("{namespace}:{kind}"), "title": kind, "status": status });
    ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/problem+json")
}

/// The client credentials the simulated OAuth registries accept.
pub(crate) fn test_oauth() -> OAuthConfig {
    OAuthConfig {
        client_id: "tukums-social-service".into(),
        client_key_file: None,
        client_key_pem: Some(SecretString::from(CLIENT_KEY)),
        key_id: None,
        scope: None,
    }
}

/// The bearer token PMLP's example token grants.
pub(crate) const EXAMPLE_BEARER: &str = "Bearer c2ltdWxhdGVkLXRva2VuLTAwMDAwMDAx";

/// Mounts a SOAP operation at `at` answering `template` to calls that name `action`.
pub(crate) async fn mount_soap(server: &MockServer, at: &str, action: &str, template: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path(at))
        .and(header("SOAPAction", format!("\"{action}\"").as_str()))
        .respond_with(template)
        .mount(server)
        .await;
}

/// Mounts a REST source operation answering `template` only to calls with the example token
/// that say who asks and why, as every REST registry demands.
pub(crate) async fn mount_rest_source(server: &MockServer, verb: &str, at: &str, template: ResponseTemplate) {
    Mock::given(method(verb))
        .and(path(at))
        .and(header("Authorization", EXAMPLE_BEARER))
        .and(header_exists("X-Request-Id"))
        .and(header("X-Purpose", "means_test"))
        .respond_with(template)
        .mount(server)
        .await;
}

/// Mounts the token endpoint at `token_path`, answering with `contract`'s example token.
pub(crate) async fn mount_token(server: &MockServer, token_path: &str, contract: Contract) {
    Mock::given(method("POST"))
        .and(path(token_path))
        .respond_with(json_reply(200, contract.example_json("token")))
        .mount(server)
        .await;
}

/// The person and months the per-person examples answer for.
pub(crate) fn person_query() -> PersonQuery {
    PersonQuery {
        person: PersonCode::parse("121282-11210").unwrap(),
        period: Period::new(Month::parse("2026-08").unwrap(), Month::parse("2026-10").unwrap()).unwrap(),
    }
}

/// The child the per-child examples answer for (UGFA, VIIS, NPAIS), in the same months.
pub(crate) fn child_query() -> PersonQuery {
    PersonQuery { person: PersonCode::parse("32579318462").unwrap(), period: person_query().period }
}

/// The record ids of `facts`, which must all be statuses.
pub(crate) fn status_ids(facts: &[Fact]) -> Vec<&str> {
    facts
        .iter()
        .map(|fact| match fact {
            Fact::Status(status) => status.provenance.record_id.as_str(),
            _ => panic!("only statuses"),
        })
        .collect()
}

/// A status of `person` as a happy answer's check compares it: record id, from, to, detail.
pub(crate) type StatusRow<'a> = (&'a str, time::Date, Option<time::Date>, Option<gateway_domain::StatusDetail>);

/// The rows of `facts`, which must all be statuses of `kind` about `person` from `system`,
/// none needing special care.
pub(crate) fn status_rows<'a>(
    facts: &'a [Fact],
    person: &PersonCode,
    kind: gateway_domain::StatusKind,
    system: gateway_domain::System,
) -> Vec<StatusRow<'a>> {
    facts
        .iter()
        .map(|fact| {
            let Fact::Status(status) = fact else { panic!("only statuses") };
            assert_eq!(&status.person, person);
            assert_eq!((status.kind, status.provenance.system), (kind, system));
            assert!(!status.special_care);
            (status.provenance.record_id.as_str(), status.valid_from, status.valid_to, status.detail.clone())
        })
        .collect()
}

/// Checks that `result` is malformed with a detail that names none of `personal`: the detail
/// is logged, and the log carries no personal data.
pub(crate) fn assert_malformed_naming_none<T>(result: Result<T, SourceError>, personal: &[&str]) {
    let Err(SourceError::Malformed { detail }) = result else { panic!("malformed") };
    for personal in personal {
        assert!(!detail.contains(personal), "{detail}");
    }
}

/// The texts of every element with this local name (or prefixed name), in document order.
pub(crate) fn texts(xml: &str, name: &str) -> Vec<String> {
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

/// The timeout adapters under test are built with; the slow case waits well past it.
pub(crate) const TEST_TIMEOUT: Duration = Duration::from_millis(300);

/// One attempt per call: the suite checks how answers map, the resilience tests check retries.
pub(crate) fn test_transport() -> TransportConfig {
    TransportConfig {
        timeout_ms: TEST_TIMEOUT.as_millis() as u64,
        retry: RetryConfig { max_attempts: 1, ..RetryConfig::default() },
        ..TransportConfig::default()
    }
}

pub(crate) fn ctx() -> RequestContext {
    RequestContext {
        request_id: RequestId::new(),
        purpose: Purpose::MeansTest,
        legal_basis: "Social Services and Social Assistance Law, art. 33".into(),
        officer: "caseworker-17".into(),
        deadline: Instant::now() + Duration::from_secs(10),
    }
}

/// One adapter operation wired to a fresh mock registry.
#[async_trait]
pub(crate) trait Fixture: Sized + Send + Sync {
    type Output: Send;

    /// Starts the adapter against `server`, with whatever authentication mocks it needs.
    async fn start(server: &MockServer) -> Self;
    /// Mounts the operation under test answering with `template`.
    async fn mount(&self, server: &MockServer, template: ResponseTemplate);
    async fn call(&self) -> Result<Self::Output, SourceError>;
    /// The answer taken from the schema's example message.
    fn happy(&self) -> ResponseTemplate;
    /// Checks the parsed example, field by field.
    fn check_happy(&self, output: &Self::Output);
    fn not_found(&self) -> ResponseTemplate;
    /// A refusal: a 4xx for REST, a SOAP fault for SOAP.
    fn rejected(&self) -> ResponseTemplate;
    /// The happy body cut in half, as a dropped connection leaves it.
    fn truncated(&self) -> ResponseTemplate;
    /// A well-formed answer that breaks the contract.
    fn malformed(&self) -> ResponseTemplate;
}

async fn outcome<F: Fixture>(template: ResponseTemplate) -> Result<F::Output, SourceError> {
    let server = MockServer::start().await;
    let fixture = F::start(&server).await;
    fixture.mount(&server, template).await;
    fixture.call().await
}

fn variant<T>(result: &Result<T, SourceError>) -> &'static str {
    match result {
        Ok(_) => "ok",
        Err(SourceError::NotFound) => "not_found",
        Err(SourceError::Unavailable { .. }) => "unavailable",
        Err(SourceError::Timeout) => "timeout",
        Err(SourceError::RateLimited { .. }) => "rate_limited",
        Err(SourceError::Rejected { .. }) => "rejected",
        Err(SourceError::Malformed { .. }) => "malformed",
    }
}

/// Runs every case against fresh mocks and reports all mismatches at once.
pub(crate) async fn run<F: Fixture>() {
    let server = MockServer::start().await;
    let fixture = F::start(&server).await;
    fixture.mount(&server, fixture.happy()).await;
    let output = fixture.call().await.expect("the example answer parses");
    fixture.check_happy(&output);

    let cases: Vec<(&str, ResponseTemplate, &str)> = vec![
        ("not found", fixture.not_found(), "not_found"),
        ("refused", fixture.rejected(), "rejected"),
        ("server error", ResponseTemplate::new(503), "unavailable"),
        ("bad gateway", ResponseTemplate::new(502).set_body_string("<html>proxy</html>"), "unavailable"),
        ("throttled", ResponseTemplate::new(429).insert_header("Retry-After", "1"), "rate_limited"),
        ("slow", fixture.happy().set_delay(TEST_TIMEOUT * 4), "timeout"),
        ("truncated", fixture.truncated(), "malformed"),
        ("malformed", fixture.malformed(), "malformed"),
        ("not the format", ResponseTemplate::new(200).set_body_string("\u{0}garbage"), "malformed"),
    ];
    let mut failures = Vec::new();
    for (name, template, expected) in cases {
        let result = outcome::<F>(template).await;
        if variant(&result) != expected {
            failures.push(format!("{name}: expected {expected}, got {}", variant(&result)));
        }
        if let Err(SourceError::RateLimited { retry_after }) = &result {
            assert_eq!(*retry_after, Some(Duration::from_secs(1)), "Retry-After is carried");
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Half of a body, cut on a character boundary.
pub(crate) fn half(body: &str) -> String {
    let mut cut = body.len() / 2;
    while !body.is_char_boundary(cut) {
        cut -= 1;
    }
    body[..cut].to_owned()
}

/// A REST person source under test, by what is its own: the contract, the one operation it
/// asks (with `POST`), its settings, who the examples answer for and what the example answer
/// holds. [`RestFixture`] wires it to a mock registry for the suite and the shared checks below.
pub(crate) trait RestSource: 'static {
    type Client: Adapter + PersonSource;

    const CONTRACT: Contract;
    /// The namespace of the registry's problem types, e.g. `"urn:lv:ugfa:problem"`.
    const PROBLEM: &'static str;
    /// The operation's path.
    const PATH: &'static str;
    /// The example request, `examples/<QUERY>.json`.
    const QUERY: &'static str;
    /// The example answer, `examples/<ANSWER>.json`.
    const ANSWER: &'static str;

    /// The adapter's settings for a registry at `base_url`.
    fn config(base_url: String) -> <Self::Client as Adapter>::Config;
    /// The example answer edited to break the contract.
    fn malformed(example: &str) -> String;
    /// Checks the parsed example answer, field by field.
    fn check_happy(facts: &[Fact]);

    /// The person and months the examples answer for.
    fn query() -> PersonQuery {
        person_query()
    }

    /// The example answer.
    fn example() -> String {
        Self::CONTRACT.example_json(Self::ANSWER)
    }
}

/// A [`RestSource`] against a fresh mock registry that grants PMLP's example token.
pub(crate) struct RestFixture<S: RestSource> {
    pub(crate) client: S::Client,
    source: PhantomData<fn() -> S>,
}

impl<S: RestSource> RestFixture<S> {
    /// What the adapter makes of `body` answered with 200.
    pub(crate) async fn answer(body: String) -> Result<Vec<Fact>, SourceError> {
        let server = MockServer::start().await;
        let fixture = Self::start(&server).await;
        fixture.mount(&server, json_reply(200, body)).await;
        fixture.call().await
    }
}

#[async_trait]
impl<S: RestSource> Fixture for RestFixture<S> {
    type Output = Vec<Fact>;

    async fn start(server: &MockServer) -> Self {
        // The contracts have no token example of their own; PMLP's serves.
        mount_token(server, "/oauth2/token", Contract::new("pmlp")).await;
        Self { client: S::Client::build(&S::config(server.uri())).unwrap(), source: PhantomData }
    }

    async fn mount(&self, server: &MockServer, template: ResponseTemplate) {
        mount_rest_source(server, "POST", S::PATH, template).await;
    }

    async fn call(&self) -> Result<Vec<Fact>, SourceError> {
        self.client.fetch(&S::query(), &ctx()).await
    }

    fn happy(&self) -> ResponseTemplate {
        json_reply(200, S::example())
    }

    fn check_happy(&self, facts: &Vec<Fact>) {
        S::check_happy(facts);
    }

    fn not_found(&self) -> ResponseTemplate {
        problem_reply(S::PROBLEM, 404, "not-found")
    }

    fn rejected(&self) -> ResponseTemplate {
        problem_reply(S::PROBLEM, 403, "forbidden")
    }

    fn truncated(&self) -> ResponseTemplate {
        json_reply(200, half(&S::example()))
    }

    fn malformed(&self) -> ResponseTemplate {
        json_reply(200, S::malformed(&S::example()))
    }
}

/// Checks that the example request, the example answer and the example problem satisfy their
/// schemas.
pub(crate) fn rest_examples_validate<S: RestSource>() {
    for name in [S::QUERY, S::ANSWER, "problem"] {
        let instance: Value = serde_json::from_str(&S::CONTRACT.example_json(name)).unwrap();
        assert!(S::CONTRACT.json_valid(name, &instance), "{name}");
    }
}

/// Checks that the source asks once, with the contract's example request as the body.
pub(crate) async fn rest_request_is_the_example<S: RestSource>() {
    let server = MockServer::start().await;
    let fixture = RestFixture::<S>::start(&server).await;
    let expected: Value = serde_json::from_str(&S::CONTRACT.example_json(S::QUERY)).unwrap();
    Mock::given(method("POST"))
        .and(path(S::PATH))
        .and(body_json(&expected))
        .respond_with(fixture.happy())
        .expect(1)
        .mount(&server)
        .await;
    fixture.call().await.unwrap();
}

/// A SOAP person source under test, by what is its own: the contract, the operation it calls,
/// its settings and what the example answer holds. [`SoapFixture`] wires it to a mock registry
/// for the suite and the shared checks below.
pub(crate) trait SoapSource: 'static {
    type Client: Adapter + PersonSource;

    const CONTRACT: Contract;
    /// The operation's path.
    const PATH: &'static str;
    /// The operation's `SOAPAction`.
    const ACTION: &'static str;
    /// The example request, `examples/<REQUEST>.xml`.
    const REQUEST: &'static str;
    /// The example answer, `examples/<RESPONSE>.xml`.
    const RESPONSE: &'static str;
    /// The prefix the example answer binds the registry's namespace to, e.g. `"inc"`.
    const PREFIX: &'static str;

    /// The adapter's settings for a registry at `base_url`.
    fn config(base_url: String) -> <Self::Client as Adapter>::Config;
    /// The example answer edited to break the contract.
    fn malformed(example: &str) -> String;
    /// Checks the parsed example answer, field by field.
    fn check_happy(facts: &[Fact]);

    /// The example answer.
    fn example() -> String {
        Self::CONTRACT.example_xml(Self::RESPONSE)
    }
}

/// The settings of a SOAP person source at `base_url`, with the account the simulated
/// registries accept: `soap_source_config!(VsaaConfig, base_url)`.
macro_rules! soap_source_config {
    ($config:ident, $base_url:expr) => {
        $config {
            base_url: $base_url,
            institution: "90000000001".into(),
            username: "tukums-social-service".into(),
            password: secrecy::SecretString::from("simulated-password"),
            transport: $crate::compliance::test_transport(),
        }
    };
}
pub(crate) use soap_source_config;

/// A [`SoapSource`] against a fresh mock registry; the examples answer for [`person_query`].
pub(crate) struct SoapFixture<S: SoapSource> {
    pub(crate) client: S::Client,
    source: PhantomData<fn() -> S>,
}

impl<S: SoapSource> SoapFixture<S> {
    /// What the adapter makes of `body` answered with 200.
    pub(crate) async fn answer(body: String) -> Result<Vec<Fact>, SourceError> {
        Self::answer_with(xml_reply(200, body)).await
    }

    /// What the adapter makes of `template`.
    pub(crate) async fn answer_with(template: ResponseTemplate) -> Result<Vec<Fact>, SourceError> {
        let server = MockServer::start().await;
        let fixture = Self::start(&server).await;
        fixture.mount(&server, template).await;
        fixture.call().await
    }
}

#[async_trait]
impl<S: SoapSource> Fixture for SoapFixture<S> {
    type Output = Vec<Fact>;

    async fn start(server: &MockServer) -> Self {
        Self { client: S::Client::build(&S::config(server.uri())).unwrap(), source: PhantomData }
    }

    async fn mount(&self, server: &MockServer, template: ResponseTemplate) {
        mount_soap(server, S::PATH, S::ACTION, template).await;
    }

    async fn call(&self) -> Result<Vec<Fact>, SourceError> {
        self.client.fetch(&person_query(), &ctx()).await
    }

    fn happy(&self) -> ResponseTemplate {
        xml_reply(200, S::example())
    }

    fn check_happy(&self, facts: &Vec<Fact>) {
        S::check_happy(facts);
    }

    fn not_found(&self) -> ResponseTemplate {
        S::CONTRACT.person_fault("PERSON_NOT_FOUND")
    }

    fn rejected(&self) -> ResponseTemplate {
        S::CONTRACT.person_fault("NOT_AUTHORISED")
    }

    fn truncated(&self) -> ResponseTemplate {
        xml_reply(200, half(&S::example()))
    }

    fn malformed(&self) -> ResponseTemplate {
        xml_reply(200, S::malformed(&S::example()))
    }
}

/// Checks that the example request, the example answer and the example fault satisfy the
/// schemas.
pub(crate) fn soap_examples_validate<S: SoapSource>() {
    for name in [S::REQUEST, S::RESPONSE, "fault-person-not-found"] {
        assert!(S::CONTRACT.xsd_valid(&S::CONTRACT.example_xml(name)), "{name}");
    }
}

/// The one envelope the source sends for [`person_query`], checked against the schemas and for
/// the request's id; the caller checks what else it must carry.
pub(crate) async fn soap_request_envelope<S: SoapSource>() -> String {
    let server = MockServer::start().await;
    let fixture = SoapFixture::<S>::start(&server).await;
    fixture.mount(&server, fixture.happy()).await;
    let ctx = ctx();
    fixture.client.fetch(&person_query(), &ctx).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    let body = String::from_utf8(requests[0].body.clone()).unwrap();
    assert!(S::CONTRACT.xsd_valid(&body), "{body}");
    assert!(body.contains(&format!("<RequestId>{}</RequestId>", ctx.request_id)));
    body
}

/// Checks that the example answer with other namespace prefixes parses to the same facts.
pub(crate) async fn soap_other_prefixes_parse_the_same<S: SoapSource>() {
    let body = S::example()
        .replace(&format!("{}:", S::PREFIX), "v1:")
        .replace(&format!("xmlns:{}", S::PREFIX), "xmlns:v1")
        .replace("soap:", "S:")
        .replace("xmlns:soap", "xmlns:S");
    S::check_happy(&SoapFixture::<S>::answer(body).await.unwrap());
}

/// Checks that the example answer without what stands from the first `<first>` to the last
/// `</last>` (the registry's elements, unprefixed names) still follows the schemas and carries
/// no facts, and no error.
pub(crate) async fn soap_empty_answer_has_no_facts<S: SoapSource>(first: &str, last: &str) {
    let body = S::example();
    let start = body.find(&format!("<{}:{first}>", S::PREFIX)).unwrap();
    let close = format!("</{}:{last}>", S::PREFIX);
    let end = body.rfind(&close).unwrap() + close.len();
    let empty = format!("{}{}", &body[..start], &body[end..]);
    assert!(S::CONTRACT.xsd_valid(&empty));
    assert_eq!(SoapFixture::<S>::answer(empty).await.unwrap(), vec![]);
}

/// Checks that the registry's `SERVICE_UNAVAILABLE` fault leaves it unavailable.
pub(crate) async fn soap_unavailable_fault_is_unavailable<S: SoapSource>() {
    let result = SoapFixture::<S>::answer_with(S::CONTRACT.person_fault("SERVICE_UNAVAILABLE")).await;
    assert!(matches!(result, Err(SourceError::Unavailable { .. })), "{result:?}");
}
