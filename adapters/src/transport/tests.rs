//! Transport rules that hold for every system.

use std::time::{Duration, Instant};

use gateway_domain::{SourceError, System};
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};

use super::*;
use crate::compliance::ctx;

#[test]
fn statuses_map_to_source_errors() {
    let none = HeaderMap::new();
    assert_eq!(
        status_error(StatusCode::NOT_FOUND, &none),
        SourceError::NotFound
    );
    assert_eq!(
        status_error(StatusCode::GATEWAY_TIMEOUT, &none),
        SourceError::Timeout
    );
    assert!(matches!(
        status_error(StatusCode::SERVICE_UNAVAILABLE, &none),
        SourceError::Unavailable { .. }
    ));
    assert_eq!(
        status_error(StatusCode::FORBIDDEN, &none),
        SourceError::Rejected {
            code: "http-403".into()
        }
    );
    let mut headers = HeaderMap::new();
    headers.insert("Retry-After", HeaderValue::from_static("7"));
    assert_eq!(
        status_error(StatusCode::TOO_MANY_REQUESTS, &headers),
        SourceError::RateLimited {
            retry_after: Some(Duration::from_secs(7))
        }
    );
}

#[test]
fn the_call_timeout_never_outlasts_the_deadline() {
    let http = HttpTransport::new(System::Vsaa, &TransportConfig::default()).unwrap();
    let mut ctx = ctx();
    ctx.deadline = Instant::now() + Duration::from_millis(200);
    assert!(http.call_timeout(&ctx).unwrap() <= Duration::from_millis(200));
    ctx.deadline = Instant::now() + Duration::from_secs(60);
    assert_eq!(
        http.call_timeout(&ctx).unwrap(),
        Duration::from_millis(5_000)
    );
    ctx.deadline = Instant::now();
    assert_eq!(http.call_timeout(&ctx), Err(SourceError::Timeout));
}

#[test]
fn a_fault_without_a_service_code_keeps_the_soap_faultcode() {
    let xml = r#"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><e:Fault><faultcode>e:Server</faultcode><faultstring>down</faultstring></e:Fault></e:Body></e:Envelope>"#;
    #[derive(serde::Deserialize)]
    struct Nothing {}
    let parsed = parse_envelope::<Nothing>(xml).unwrap();
    assert_eq!(
        parsed.err(),
        Some(SoapFault {
            fault_code: "e:Server".into(),
            code: "e:Server".into()
        })
    );
}

#[test]
fn a_missing_ca_bundle_is_a_clear_configuration_error() {
    let config = TransportConfig {
        ca_bundle: Some("/nonexistent/ca.pem".into()),
        ..TransportConfig::default()
    };
    let error = HttpTransport::new(System::Pmlp, &config)
        .unwrap_err()
        .to_string();
    assert!(error.contains("/nonexistent/ca.pem"), "{error}");
}
