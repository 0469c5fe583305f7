//! The HTTP client of one system: TLS settings, timeouts and error classification.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use gateway_domain::{RequestContext, SourceError, System};
use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{RequestBuilder, Response, StatusCode};
use serde::Deserialize;

const DEFAULT_TIMEOUT_MS: u64 = 5_000;
const DEFAULT_CONNECT_TIMEOUT_MS: u64 = 2_000;

/// How to reach one system over HTTP. Every field has a default.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransportConfig {
    /// Longest time one call may take, in milliseconds (default 5000). A request's deadline
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
}

fn default_timeout_ms() -> u64 {
    DEFAULT_TIMEOUT_MS
}

fn default_connect_timeout_ms() -> u64 {
    DEFAULT_CONNECT_TIMEOUT_MS
}

impl Default for TransportConfig {
    fn default() -> Self {
        Self {
            timeout_ms: DEFAULT_TIMEOUT_MS,
            connect_timeout_ms: DEFAULT_CONNECT_TIMEOUT_MS,
            ca_bundle: None,
            client_identity: None,
        }
    }
}

/// Why a client could not be built from its configuration.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{what} is not valid PEM: {source}")]
    Pem {
        what: &'static str,
        source: reqwest::Error,
    },
    #[error("the HTTP client cannot be built: {0}")]
    Build(reqwest::Error),
    #[error("neither client_key_file nor client_key_pem is set")]
    MissingKey,
    #[error("the client assertion key is not an RSA private key in PEM: {0}")]
    Key(jsonwebtoken::errors::Error),
}

/// One system's HTTP client.
#[derive(Debug, Clone)]
pub struct HttpTransport {
    system: System,
    client: reqwest::Client,
    timeout: Duration,
}

impl HttpTransport {
    pub fn new(system: System, config: &TransportConfig) -> Result<Self, TransportError> {
        let mut builder = reqwest::Client::builder()
            .use_rustls_tls()
            .connect_timeout(Duration::from_millis(config.connect_timeout_ms))
            .user_agent(concat!("registry-gateway/", env!("CARGO_PKG_VERSION")));
        if let Some(path) = &config.ca_bundle {
            let pem = read(path)?;
            for cert in reqwest::Certificate::from_pem_bundle(&pem).map_err(|source| {
                TransportError::Pem {
                    what: "the CA bundle",
                    source,
                }
            })? {
                builder = builder.add_root_certificate(cert);
            }
        }
        if let Some(path) = &config.client_identity {
            let pem = read(path)?;
            let identity =
                reqwest::Identity::from_pem(&pem).map_err(|source| TransportError::Pem {
                    what: "the client identity",
                    source,
                })?;
            builder = builder.identity(identity);
        }
        Ok(Self {
            system,
            client: builder.build().map_err(TransportError::Build)?,
            timeout: Duration::from_millis(config.timeout_ms),
        })
    }

    pub fn system(&self) -> System {
        self.system
    }

    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// The time one call may take: the configured timeout, cut short by the deadline.
    pub fn call_timeout(&self, ctx: &RequestContext) -> Result<Duration, SourceError> {
        let left = ctx.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(SourceError::Timeout);
        }
        Ok(left.min(self.timeout))
    }

    /// Sends a request under the call timeout and returns the response whatever its status.
    pub async fn send(
        &self,
        request: RequestBuilder,
        ctx: &RequestContext,
    ) -> Result<Response, SourceError> {
        let timeout = self.call_timeout(ctx)?;
        let request = request
            .timeout(timeout)
            .header("X-Request-Id", ctx.request_id.to_string());
        request.send().await.map_err(|error| self.classify(&error))
    }

    /// Reads a response body under the same rules as `send`.
    pub async fn body(&self, response: Response) -> Result<String, SourceError> {
        response.text().await.map_err(|error| self.classify(&error))
    }

    /// Maps a transport failure to a `SourceError`, keeping URLs (and anything else that might
    /// carry personal data) out of the message.
    fn classify(&self, error: &reqwest::Error) -> SourceError {
        let kind = if error.is_timeout() {
            return SourceError::Timeout;
        } else if error.is_connect() {
            "connection failed"
        } else if error.is_body() || error.is_decode() {
            return SourceError::Malformed {
                detail: "the response body could not be read".into(),
            };
        } else {
            "request failed"
        };
        tracing::debug!(system = %self.system, kind, "Registry call failed in transport.");
        SourceError::Unavailable {
            detail: kind.into(),
        }
    }
}

fn read(path: &PathBuf) -> Result<Vec<u8>, TransportError> {
    std::fs::read(path).map_err(|source| TransportError::Read {
        path: path.clone(),
        source,
    })
}

/// Maps an unsuccessful HTTP status to a `SourceError`. 404 is `NotFound`; 408 and 504 are
/// `Timeout`; 429 is `RateLimited` with the `Retry-After` seconds when given; other 5xx are
/// `Unavailable`; other 4xx are `Rejected` with the status as the code.
pub fn status_error(status: StatusCode, headers: &HeaderMap) -> SourceError {
    match status {
        StatusCode::NOT_FOUND => SourceError::NotFound,
        StatusCode::REQUEST_TIMEOUT | StatusCode::GATEWAY_TIMEOUT => SourceError::Timeout,
        StatusCode::TOO_MANY_REQUESTS => SourceError::RateLimited {
            retry_after: retry_after(headers),
        },
        s if s.is_server_error() => SourceError::Unavailable {
            detail: format!("HTTP status {}", s.as_u16()),
        },
        s => SourceError::Rejected {
            code: format!("http-{}", s.as_u16()),
        },
    }
}

/// `Retry-After` in delta-seconds form; the HTTP-date form is rare from registries and ignored.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}
