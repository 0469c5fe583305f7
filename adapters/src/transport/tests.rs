//! Transport rules that hold for every system.

use std::time::{Duration, Instant};

use gateway_domain::{SourceError, System};
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};

use reqwest::Method;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;
use crate::compliance::ctx;

#[test]
fn statuses_map_to_source_errors() {
    let none = HeaderMap::new();
    assert_eq!(status_error(StatusCode::NOT_FOUND, &none), SourceError::NotFound);
    assert_eq!(status_error(StatusCode::GATEWAY_TIMEOUT, &none), SourceError::Timeout);
    assert!(matches!(status_error(StatusCode::SERVICE_UNAVAILABLE, &none), SourceError::Unavailable { .. }));
    let mut busy = HeaderMap::new();
    busy.insert("Retry-After", HeaderValue::from_static("3"));
    assert_eq!(
        status_error(StatusCode::SERVICE_UNAVAILABLE, &busy),
        SourceError::Unavailable { detail: "HTTP status 503".into(), retry_after: Some(Duration::from_secs(3)) }
    );
    assert_eq!(status_error(StatusCode::FORBIDDEN, &none), SourceError::Rejected { code: "http-403".into() });
    let mut headers = HeaderMap::new();
    headers.insert("Retry-After", HeaderValue::from_static("7"));
    assert_eq!(
        status_error(StatusCode::TOO_MANY_REQUESTS, &headers),
        SourceError::RateLimited { retry_after: Some(Duration::from_secs(7)) }
    );
}

#[test]
fn not_implemented_is_a_rejection_never_retried() {
    let error = status_error(StatusCode::NOT_IMPLEMENTED, &HeaderMap::new());
    assert_eq!(error, SourceError::Rejected { code: "http-501".into() });
    assert!(!error.is_retryable());
    assert!(status_error(StatusCode::BAD_GATEWAY, &HeaderMap::new()).is_retryable());
}

fn transport(protocol: Protocol, attempts: u32) -> HttpTransport {
    let config = TransportConfig {
        retry: resilience::RetryConfig { max_attempts: attempts, base_backoff_ms: 10, max_backoff_ms: 20 },
        ..TransportConfig::default()
    };
    HttpTransport::new(System::Vsaa, protocol, &config).unwrap()
}

#[tokio::test]
async fn a_call_never_outlasts_the_deadline() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let mut ctx = ctx();
    ctx.deadline = Instant::now() + Duration::from_millis(200);
    let started = Instant::now();
    let result = transport(Protocol::Rest, 3).execute(HttpCall::read(Method::GET, server.uri(), &ctx)).await;
    assert_eq!(result.err(), Some(SourceError::Timeout));
    assert!(started.elapsed() < Duration::from_millis(400), "{:?}", started.elapsed());
}

#[tokio::test]
async fn server_errors_are_retried_until_an_answer() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).up_to_n_times(2).expect(2).mount(&server).await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .expect(1)
        .mount(&server)
        .await;
    let reply = transport(Protocol::Rest, 3).execute(HttpCall::read(Method::GET, server.uri(), &ctx())).await.unwrap();
    assert_eq!(reply.body, "ok");
}

#[tokio::test]
async fn writes_are_sent_once_even_when_they_fail() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).expect(1).mount(&server).await;
    let result = transport(Protocol::Rest, 3).execute(HttpCall::write(Method::POST, server.uri(), &ctx())).await;
    assert!(matches!(result, Err(SourceError::Unavailable { .. })));
}

fn fault(code: &str) -> String {
    format!(
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:{code}</faultcode><faultstring>x</faultstring></s:Fault></s:Body></s:Envelope>"#
    )
}

#[tokio::test]
async fn soap_server_faults_are_failures_and_client_faults_are_answers() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_string(fault("Server")))
        .expect(3)
        .mount(&server)
        .await;
    let result = transport(Protocol::Soap, 3).execute(HttpCall::read(Method::POST, server.uri(), &ctx())).await;
    assert!(matches!(result, Err(SourceError::Unavailable { .. })), "{result:?}");

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_string(fault("Client")))
        .expect(1)
        .mount(&server)
        .await;
    let reply = transport(Protocol::Soap, 3).execute(HttpCall::read(Method::POST, server.uri(), &ctx())).await.unwrap();
    assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
}

#[tokio::test]
async fn an_open_breaker_keeps_calls_off_the_wire() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).expect(2).mount(&server).await;
    let config = TransportConfig {
        retry: resilience::RetryConfig { max_attempts: 1, ..Default::default() },
        breaker: resilience::BreakerConfig { failure_threshold: 2, open_for_ms: 60_000, max_open_for_ms: 60_000 },
        ..TransportConfig::default()
    };
    let http = HttpTransport::new(System::Pmlp, Protocol::Rest, &config).unwrap();
    for _ in 0..5 {
        assert!(http.execute(HttpCall::read(Method::GET, server.uri(), &ctx())).await.is_err());
    }
    assert_eq!(http.breaker().state(), BreakerState::Open);
}

#[test]
fn a_fault_without_a_service_code_keeps_the_soap_faultcode() {
    let xml = r#"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><e:Fault><faultcode>e:Server</faultcode><faultstring>down</faultstring></e:Fault></e:Body></e:Envelope>"#;
    #[derive(serde::Deserialize)]
    struct Nothing {}
    let parsed = parse_envelope::<Nothing>(xml).unwrap();
    assert_eq!(parsed.err(), Some(SoapFault { fault_code: "e:Server".into(), code: "e:Server".into() }));
}

#[test]
fn a_missing_ca_bundle_is_a_clear_configuration_error() {
    let config = TransportConfig { ca_bundle: Some("/nonexistent/ca.pem".into()), ..TransportConfig::default() };
    let error = HttpTransport::new(System::Pmlp, Protocol::Rest, &config).unwrap_err().to_string();
    assert!(error.contains("/nonexistent/ca.pem"), "{error}");
}

#[test]
fn the_default_concurrency_limit_is_what_the_quota_admits_within_one_timeout() {
    let default = TransportConfig::default();
    assert_eq!(default.calls_in_flight(), 50 * 5, "50 a second for 5 s");
    let mut slow_registry = TransportConfig { timeout_ms: 8_000, ..TransportConfig::default() };
    slow_registry.quota.per_second = 20;
    assert_eq!(slow_registry.calls_in_flight(), 160);
    slow_registry.timeout_ms = 1;
    slow_registry.quota.per_second = 1;
    assert_eq!(slow_registry.calls_in_flight(), 1, "never none");
    let set = TransportConfig { concurrency_limit: Some(7), ..TransportConfig::default() };
    assert_eq!(set.calls_in_flight(), 7, "a configured limit wins");
}
