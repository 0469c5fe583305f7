//! Settings of the SPOLIS co-financing adapter.

use serde::Deserialize;

use crate::transport::{OAuthConfig, TransportConfig};

/// How to reach SPOLIS's co-financing service.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpolisCoFinancingConfig {
    /// Base URL of SPOLIS, without a trailing slash; the operation is at
    /// `/spolis/cofinancing/v1/confirmations/{municipality}/{month}`.
    pub base_url: String,
    /// The token endpoint, when it is not `{base_url}/spolis/cofinancing/oauth2/token`.
    #[serde(default)]
    pub token_url: Option<String>,
    /// The institution's OAuth2 client, whose signed assertion buys the bearer token.
    pub oauth: OAuthConfig,
    /// Timeouts, retries, breaker, concurrency and quota of SPOLIS co-financing calls.
    #[serde(default)]
    pub transport: TransportConfig,
}
