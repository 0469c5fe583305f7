//! Fault injection and request counting, the same for every simulator. Each simulator's
//! responder is wrapped in [`Faulty`], which counts the request per wall-clock second and then,
//! by the simulator's current [`FaultConfig`], answers normally, late, or with a fault.
//! The configuration is set at start and can be changed while running, in-process through
//! [`Faults`] or over HTTP on the simulator's admin route (`PUT /__admin/faults` with a JSON
//! `FaultConfig`; `GET` returns it with the counters). A refused connection is
//! `Simulators::stop`; wiremock offers no way to reset a connection mid-answer.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rand::Rng;
use serde::{Deserialize, Serialize};
use wiremock::{Request, Respond, ResponseTemplate};

/// The path of the admin route on every simulator.
pub const ADMIN_PATH: &str = "/__admin/faults";

/// What a simulator does wrong. Shares are whole percents of requests, drawn independently in
/// the order listed; the default is a healthy registry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FaultConfig {
    /// Every request is answered 503 (maintenance), with `Retry-After` when `retry_after_secs` is set.
    pub outage: bool,
    /// Added latency for every answer, in milliseconds.
    pub latency_ms: u64,
    /// Further latency drawn uniformly from 0 to this, in milliseconds.
    pub latency_jitter_ms: u64,
    /// Percent of requests answered 500 (plain, not a SOAP fault).
    pub server_error_percent: u8,
    /// Percent of requests answered 429 with `Retry-After: retry_after_secs`.
    pub throttle_percent: u8,
    /// Seconds in `Retry-After` of throttled and outage answers (0: no header).
    pub retry_after_secs: u64,
    /// Percent of requests answered with a SOAP 1.1 `Server` fault (status 500).
    pub soap_fault_percent: u8,
    /// Percent of requests whose body is cut in half (a complete, shorter HTTP message).
    pub truncate_percent: u8,
    /// Percent of requests answered 200 with a body that is not the contract's format.
    pub malformed_percent: u8,
}

/// Requests counted per wall-clock second.
#[derive(Debug, Default)]
struct Counter {
    total: u64,
    per_second: BTreeMap<u64, u32>,
}

/// The request ids a simulator last received, so that a test can follow one request from the
/// gateway's answer to the registry: the `X-Request-Id` header, and for SOAP the `RequestId`
/// of the envelope's request header. Each keeps its last value; requests without one leave it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LastRequestIds {
    pub header: Option<String>,
    pub soap_header: Option<String>,
}

/// A simulator's fault configuration and counters; clones share them.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    config: Arc<Mutex<FaultConfig>>,
    counter: Arc<Mutex<Counter>>,
    last_ids: Arc<Mutex<LastRequestIds>>,
}

/// What the admin route's `GET` answers.
#[derive(Debug, Serialize, Deserialize)]
pub struct FaultStatus {
    pub config: FaultConfig,
    pub total_requests: u64,
    pub max_requests_in_one_second: u32,
}

impl Faults {
    pub fn new(config: FaultConfig) -> Self {
        Self { config: Arc::new(Mutex::new(config)), ..Self::default() }
    }

    /// The request ids the simulator last received.
    pub fn last_request_ids(&self) -> LastRequestIds {
        self.last_ids.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn note_request_ids(&self, request: &Request) {
        let header = request.headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
        let soap_header = soap_request_id(&request.body);
        let mut last = self.last_ids.lock().unwrap_or_else(|e| e.into_inner());
        if header.is_some() {
            last.header = header;
        }
        if soap_header.is_some() {
            last.soap_header = soap_header;
        }
    }

    pub fn set(&self, config: FaultConfig) {
        *self.config.lock().unwrap_or_else(|e| e.into_inner()) = config;
    }

    pub fn config(&self) -> FaultConfig {
        self.config.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Requests received (the admin route aside), whatever their outcome.
    pub fn total_requests(&self) -> u64 {
        self.counter.lock().unwrap_or_else(|e| e.into_inner()).total
    }

    /// The most requests received within one wall-clock second.
    pub fn max_requests_in_one_second(&self) -> u32 {
        self.counter.lock().unwrap_or_else(|e| e.into_inner()).per_second.values().copied().max().unwrap_or(0)
    }

    /// Requests per wall-clock second (unix seconds), oldest first.
    pub fn requests_per_second(&self) -> Vec<(u64, u32)> {
        self.counter.lock().unwrap_or_else(|e| e.into_inner()).per_second.iter().map(|(s, n)| (*s, *n)).collect()
    }

    pub fn status(&self) -> FaultStatus {
        FaultStatus {
            config: self.config(),
            total_requests: self.total_requests(),
            max_requests_in_one_second: self.max_requests_in_one_second(),
        }
    }

    fn count(&self) {
        let second = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        let mut counter = self.counter.lock().unwrap_or_else(|e| e.into_inner());
        counter.total += 1;
        *counter.per_second.entry(second).or_default() += 1;
    }
}

/// The text of the first `RequestId` element of a SOAP envelope, whatever its prefix.
fn soap_request_id(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    let header = &text[..text.find("Body>").unwrap_or(text.len())];
    let start = header.find("RequestId>")? + "RequestId>".len();
    let end = header[start..].find('<')? + start;
    Some(header[start..end].trim().to_owned())
}

fn draw(percent: u8) -> bool {
    percent > 0 && rand::rng().random_range(0..100u8) < percent
}

fn with_retry_after(template: ResponseTemplate, secs: u64) -> ResponseTemplate {
    if secs == 0 { template } else { template.insert_header("Retry-After", secs.to_string().as_str()) }
}

/// A simulator's responder with faults injected in front of it.
pub struct Faulty<R> {
    inner: R,
    faults: Faults,
    /// A valid answer of the contract (its schema example), which truncated and dropped
    /// answers are cut from.
    sample: &'static [u8],
}

impl<R> Faulty<R> {
    pub fn new(inner: R, faults: Faults, sample: &'static [u8]) -> Self {
        Self { inner, faults, sample }
    }
}

impl<R: Respond> Respond for Faulty<R> {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.faults.count();
        self.faults.note_request_ids(request);
        let config = self.faults.config();
        let mut delay = config.latency_ms;
        if config.latency_jitter_ms > 0 {
            delay += rand::rng().random_range(0..=config.latency_jitter_ms);
        }
        let template = if config.outage {
            with_retry_after(ResponseTemplate::new(503).set_body_string("maintenance"), config.retry_after_secs)
        } else if draw(config.server_error_percent) {
            ResponseTemplate::new(500).set_body_string("internal error")
        } else if draw(config.throttle_percent) {
            with_retry_after(ResponseTemplate::new(429), config.retry_after_secs)
        } else if draw(config.soap_fault_percent) {
            ResponseTemplate::new(500).set_body_raw(crate::soap::server_fault(), crate::soap::TEXT_XML)
        } else if draw(config.truncate_percent) {
            ResponseTemplate::new(200).set_body_bytes(&self.sample[..self.sample.len() / 2])
        } else if draw(config.malformed_percent) {
            ResponseTemplate::new(200).set_body_string("<html><body>Proxy error</body></html>")
        } else {
            self.inner.respond(request)
        };
        template.set_delay(Duration::from_millis(delay))
    }
}

/// The admin route: `PUT` sets the configuration, `GET` reads it with the counters.
pub struct AdminRoute {
    faults: Faults,
}

impl AdminRoute {
    pub fn new(faults: Faults) -> Self {
        Self { faults }
    }
}

impl Respond for AdminRoute {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        match request.method.as_str() {
            "PUT" => match serde_json::from_slice::<FaultConfig>(&request.body) {
                Ok(config) => {
                    self.faults.set(config);
                    ResponseTemplate::new(204)
                }
                Err(error) => ResponseTemplate::new(400).set_body_string(error.to_string()),
            },
            _ => ResponseTemplate::new(200).set_body_json(self.faults.status()),
        }
    }
}

#[cfg(test)]
mod tests;
