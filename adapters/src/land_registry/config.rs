//! Settings of the Land Registry adapter.

use secrecy::SecretString;
use serde::Deserialize;

use crate::transport::TransportConfig;

/// How to reach the Land Registry's ownership service.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LandRegistryConfig {
    /// Base URL of the service, without a trailing slash; the operation is at
    /// `/zemesgramata/ownership/v1`.
    pub base_url: String,
    /// The requesting institution's registration number, sent in every request header.
    pub institution: String,
    /// The service account (WS-Security UsernameToken).
    pub username: String,
    /// The service account's password; in production it comes from the environment.
    pub password: SecretString,
    /// Timeouts, retries, breaker, concurrency and quota of Land Registry calls.
    #[serde(default)]
    pub transport: TransportConfig,
}
