//! The suite every adapter passes: the happy path, and each way a registry call fails mapped
//! to its `SourceError` variant. An adapter joins by implementing [`Fixture`].

use std::time::{Duration, Instant};

use async_trait::async_trait;
use gateway_domain::{Purpose, RequestContext, RequestId, SourceError};
use wiremock::{MockServer, ResponseTemplate};

use crate::transport::TransportConfig;
use crate::transport::resilience::RetryConfig;

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
