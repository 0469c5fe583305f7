//! The HTTP client of one system: TLS settings, the resilience stack, timeouts and error
//! classification. Adapters describe a call as an [`HttpCall`] and get an [`HttpReply`] back;
//! failures that say the registry is struggling (transport errors, 5xx, 429, SOAP server
//! faults) are `SourceError`s by then, so that retry and breaker decide on them.

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use gateway_domain::{RequestContext, SourceError, System};
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde::{Deserialize, Serialize};
use tower::retry::Retry;
use tower::{Layer, Service, ServiceExt};

use super::resilience::{
    AdmissionLayer, AdmissionService, Breaker, BreakerConfig, BreakerLayer, BreakerService, QuotaConfig, RetryConfig,
    RetryPolicy, Retryable,
};

const DEFAULT_TIMEOUT_MS: u64 = 5_000;
const DEFAULT_CONNECT_TIMEOUT_MS: u64 = 2_000;
const DEFAULT_MIN_ATTEMPT_MS: u64 = 500;

/// How to reach one system over HTTP, and how hard to push it. Every field has a default.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransportConfig {
    /// Longest time one attempt may take, in milliseconds (default 5000). A request's deadline
    /// shortens it further.
    #[serde(default = "default_timeout_ms")]
    pub timeout_ms: u64,
    /// Longest time to open a connection, in milliseconds (default 2000).
    #[serde(default = "default_connect_timeout_ms")]
    pub connect_timeout_ms: u64,
    /// Extra CA certificates (PEM) to trust, for registries behind a private CA.
    #[serde(default)]
    pub ca_bundle: Option<PathBuf>,
    /// Client certificate chain and private key (PEM, one file) for mutual TLS.
    #[serde(default)]
    pub client_identity: Option<PathBuf>,
    /// Calls in flight at once at most. Default: as many as the quota lets start within one
    /// timeout (`quota.per_second × timeout_ms / 1000`, Little's law), so that the default never
    /// queues a call the registry's quota would admit.
    #[serde(default)]
    pub concurrency_limit: Option<usize>,
    /// Least time an attempt must have left before the request's deadline when it had to wait
    /// in the gateway's queue (concurrency limit, quota, a token) or is a retry, in milliseconds
    /// (default 500); one that would start later is shed as `rate_limited` (or not retried).
    #[serde(default = "default_min_attempt_ms")]
    pub min_attempt_ms: u64,
    #[serde(default)]
    pub retry: RetryConfig,
    #[serde(default)]
    pub breaker: BreakerConfig,
    #[serde(default)]
    pub quota: QuotaConfig,
}

fn default_timeout_ms() -> u64 {
    DEFAULT_TIMEOUT_MS
}

fn default_connect_timeout_ms() -> u64 {
    DEFAULT_CONNECT_TIMEOUT_MS
}

fn default_min_attempt_ms() -> u64 {
    DEFAULT_MIN_ATTEMPT_MS
}

impl TransportConfig {
    /// The calls in flight at once at most: `concurrency_limit`, or by default the calls the
    /// quota admits within one timeout. Calls arrive at most at the quota's rate λ and each
    /// lasts at most the timeout W, so no more than λ·W are ever in flight: a smaller default
    /// would queue calls in the gateway that the registry allows.
    pub fn calls_in_flight(&self) -> usize {
        self.concurrency_limit.unwrap_or_else(|| {
            let per_second = u64::from(self.quota.per_second.max(1));
            let admitted = (per_second * self.timeout_ms.max(1)).div_ceil(1000);
            usize::try_from(admitted).unwrap_or(usize::MAX).max(1)
        })
    }
}

impl Default for TransportConfig {
    fn default() -> Self {
        Self {
            timeout_ms: DEFAULT_TIMEOUT_MS,
            connect_timeout_ms: DEFAULT_CONNECT_TIMEOUT_MS,
            ca_bundle: None,
            client_identity: None,
            concurrency_limit: None,
            min_attempt_ms: DEFAULT_MIN_ATTEMPT_MS,
            retry: RetryConfig::default(),
            breaker: BreakerConfig::default(),
            quota: QuotaConfig::default(),
        }
    }
}

/// Why a client could not be built from its configuration.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{what} is not valid PEM: {source}")]
    Pem { what: &'static str, source: reqwest::Error },
    #[error("the HTTP client cannot be built: {0}")]
    Build(reqwest::Error),
    #[error("neither client_key_file nor client_key_pem is set")]
    MissingKey,
    #[error("the client assertion key is not an RSA private key in PEM: {0}")]
    Key(jsonwebtoken::errors::Error),
    #[error("the list of adapters has no {0}")]
    Unlisted(&'static str),
    #[error("{system}'s adapter is a {role} and cannot be listed here")]
    Misplaced { system: gateway_domain::System, role: &'static str },
}

/// How a system speaks, which decides what a failing answer looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// REST/JSON: the status says it all.
    Rest,
    /// SOAP 1.1: faults come with status 500; a `Server` fault is the service failing, a
    /// `Client` fault is an answer about the request.
    Soap,
}

/// One call to a registry, cheap to clone so that it can be retried.
#[derive(Debug, Clone)]
pub struct HttpCall {
    pub method: Method,
    pub url: String,
    pub headers: HeaderMap,
    pub body: Option<Bytes>,
    /// Reads are idempotent; only idempotent calls are retried.
    pub idempotent: bool,
    pub deadline: Instant,
}

impl HttpCall {
    /// A read: safe to repeat.
    pub fn read(method: Method, url: impl Into<String>, ctx: &RequestContext) -> Self {
        let mut headers = HeaderMap::new();
        if let Ok(id) = HeaderValue::from_str(&ctx.request_id.to_string()) {
            headers.insert(HeaderName::from_static("x-request-id"), id);
        }
        Self { method, url: url.into(), headers, body: None, idempotent: true, deadline: ctx.deadline }
    }

    /// A write: never repeated by the transport (delivery keeps its own retries).
    pub fn write(method: Method, url: impl Into<String>, ctx: &RequestContext) -> Self {
        Self { idempotent: false, ..Self::read(method, url, ctx) }
    }

    /// Adds a header; a value that is not a valid header value is a rejected request.
    pub fn header(mut self, name: &'static str, value: &str) -> Result<Self, SourceError> {
        let value =
            HeaderValue::from_str(value).map_err(|_| SourceError::Rejected { code: "invalid-header".into() })?;
        self.headers.insert(HeaderName::from_static(name), value);
        Ok(self)
    }

    pub fn body(mut self, content_type: &'static str, body: impl Into<Bytes>) -> Self {
        self.headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        self.body = Some(body.into());
        self
    }

    pub fn json<T: Serialize>(self, value: &T) -> Result<Self, SourceError> {
        let body =
            serde_json::to_vec(value).map_err(|_| SourceError::Rejected { code: "request-serialisation".into() })?;
        Ok(self.body("application/json", body))
    }
}

impl Retryable for HttpCall {
    fn is_idempotent(&self) -> bool {
        self.idempotent
    }

    fn deadline(&self) -> Instant {
        self.deadline
    }
}

/// What the registry answered, when it answered at all.
#[derive(Debug, Clone)]
pub struct HttpReply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

/// The innermost service: one attempt over the wire.
#[derive(Debug, Clone)]
pub struct HttpSend {
    system: System,
    protocol: Protocol,
    client: reqwest::Client,
    timeout: Duration,
}

impl HttpSend {
    async fn attempt(self, call: HttpCall) -> Result<HttpReply, SourceError> {
        let left = call.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            // Admitted too late to start: the gateway's queue, not the registry, used the time.
            return Err(SourceError::RateLimited { retry_after: None });
        }
        let mut request =
            self.client.request(call.method, &call.url).headers(call.headers).timeout(left.min(self.timeout));
        let sent = call.body.as_ref().map_or(0, Bytes::len);
        if let Some(body) = call.body {
            request = request.body(body);
        }
        let started = Instant::now();
        let answer = async {
            let response = request.send().await?;
            let status = response.status();
            let headers = response.headers().clone();
            Ok::<_, reqwest::Error>((status, headers, response.text().await?))
        }
        .await;
        let received = answer.as_ref().map_or(0, |(_, _, body)| body.len());
        super::call_times::note(self.system, started, sent, received);
        let (status, headers, body) = answer.map_err(|e| self.classify(&e))?;
        let reply = HttpReply { status, headers, body };
        match failure(self.protocol, &reply) {
            Some(error) => Err(error),
            None => Ok(reply),
        }
    }

    /// Maps a transport failure to a `SourceError`, keeping URLs (and anything else that might
    /// carry personal data) out of the message.
    fn classify(&self, error: &reqwest::Error) -> SourceError {
        let kind = if error.is_timeout() {
            return SourceError::Timeout;
        } else if error.is_body() || error.is_decode() {
            return SourceError::Malformed { detail: "the response body could not be read".into() };
        } else if error.is_connect() {
            "connection failed"
        } else {
            "request failed"
        };
        tracing::debug!(system = %self.system, kind, "Registry call failed in transport.");
        SourceError::Unavailable { detail: kind.into(), retry_after: None }
    }
}

/// The statuses that mean the registry is failing or throttling, whatever the operation.
fn failure(protocol: Protocol, reply: &HttpReply) -> Option<SourceError> {
    let status = reply.status;
    if protocol == Protocol::Soap
        && status == StatusCode::INTERNAL_SERVER_ERROR
        && let Ok(Err(fault)) = super::parse_envelope::<serde::de::IgnoredAny>(&reply.body)
    {
        let server_side = fault.fault_code.rsplit(':').next() == Some("Server");
        return server_side.then(|| SourceError::Unavailable {
            detail: format!("SOAP server fault {}", fault.code),
            retry_after: retry_after(&reply.headers),
        });
    }
    match status {
        StatusCode::TOO_MANY_REQUESTS | StatusCode::REQUEST_TIMEOUT | StatusCode::GATEWAY_TIMEOUT => {
            Some(status_error(status, &reply.headers))
        }
        s if s.is_server_error() => Some(status_error(status, &reply.headers)),
        _ => None,
    }
}

impl Service<HttpCall> for HttpSend {
    type Response = HttpReply;
    type Error = SourceError;
    type Future = Pin<Box<dyn Future<Output = Result<HttpReply, SourceError>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), SourceError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, call: HttpCall) -> Self::Future {
        Box::pin(self.clone().attempt(call))
    }
}

type Stack = Retry<RetryPolicy, BreakerService<AdmissionService<HttpSend>>>;

/// One system's HTTP client with its resilience stack.
#[derive(Clone)]
pub struct HttpTransport {
    system: System,
    stack: Stack,
    breaker: Breaker,
    min_attempt: Duration,
}

impl std::fmt::Debug for HttpTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpTransport").field("system", &self.system).finish_non_exhaustive()
    }
}

impl HttpTransport {
    pub fn new(system: System, protocol: Protocol, config: &TransportConfig) -> Result<Self, TransportError> {
        let mut builder = reqwest::Client::builder()
            .use_rustls_tls()
            .connect_timeout(Duration::from_millis(config.connect_timeout_ms))
            .user_agent(concat!("registry-gateway/", env!("CARGO_PKG_VERSION")));
        if let Some(path) = &config.ca_bundle {
            let pem = read(path)?;
            for cert in reqwest::Certificate::from_pem_bundle(&pem)
                .map_err(|source| TransportError::Pem { what: "the CA bundle", source })?
            {
                builder = builder.add_root_certificate(cert);
            }
        }
        if let Some(path) = &config.client_identity {
            let pem = read(path)?;
            let identity = reqwest::Identity::from_pem(&pem)
                .map_err(|source| TransportError::Pem { what: "the client identity", source })?;
            builder = builder.identity(identity);
        }
        let send = HttpSend {
            system,
            protocol,
            client: builder.build().map_err(TransportError::Build)?,
            timeout: Duration::from_millis(config.timeout_ms),
        };
        let breaker = Breaker::new(config.breaker).named(system);
        let min_attempt = Duration::from_millis(config.min_attempt_ms);
        let admitted = AdmissionLayer::new(config.calls_in_flight(), config.quota.limiter(), min_attempt)
            .counting(breaker.counters())
            .layer(send);
        let retry =
            RetryPolicy::new(config.retry).with_min_attempt(min_attempt).named(system).counting(breaker.counters());
        let stack = Retry::new(retry, BreakerLayer::new(breaker.clone()).layer(admitted));
        Ok(Self { system, stack, breaker, min_attempt })
    }

    pub fn system(&self) -> System {
        self.system
    }

    /// The latest moment a call with `deadline` may still start (see `min_attempt_ms`): a
    /// caller that queues for something of its own first (a token) gives up waiting by then.
    pub fn start_by(&self, deadline: Instant) -> Instant {
        deadline.checked_sub(self.min_attempt).unwrap_or(deadline)
    }

    /// A handle on this system's circuit breaker.
    pub fn breaker(&self) -> Breaker {
        self.breaker.clone()
    }

    /// Sends a call through the stack. An `Ok` reply may still be unsuccessful (404, 4xx, a
    /// SOAP client fault): those are answers for the adapter to map.
    pub async fn execute(&self, call: HttpCall) -> Result<HttpReply, SourceError> {
        self.stack.clone().oneshot(call).await
    }
}

fn read(path: &PathBuf) -> Result<Vec<u8>, TransportError> {
    std::fs::read(path).map_err(|source| TransportError::Read { path: path.clone(), source })
}

/// Maps an unsuccessful HTTP status to a `SourceError`. 404 is `NotFound`; 408 and 504 are
/// `Timeout`; 429 is `RateLimited`; other 5xx are `Unavailable` (both with the `Retry-After`
/// seconds when given); other 4xx, and 501 (the operation does not exist there: asking again
/// cannot help), are `Rejected` with the status as the code.
pub fn status_error(status: StatusCode, headers: &HeaderMap) -> SourceError {
    match status {
        StatusCode::NOT_FOUND => SourceError::NotFound,
        StatusCode::REQUEST_TIMEOUT | StatusCode::GATEWAY_TIMEOUT => SourceError::Timeout,
        StatusCode::TOO_MANY_REQUESTS => SourceError::RateLimited { retry_after: retry_after(headers) },
        StatusCode::NOT_IMPLEMENTED => SourceError::Rejected { code: "http-501".into() },
        s if s.is_server_error() => SourceError::Unavailable {
            detail: format!("HTTP status {}", s.as_u16()),
            retry_after: retry_after(headers),
        },
        s => SourceError::Rejected { code: format!("http-{}", s.as_u16()) },
    }
}

/// `Retry-After` in delta-seconds form; the HTTP-date form is rare from registries and ignored.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}
