//! Settings of the cadastre adapter.

use serde::Deserialize;

use crate::transport::{OAuthConfig, TransportConfig};

/// How to reach the VZD cadastre's property service.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CadastreConfig {
    /// Base URL of the API, without a trailing slash; the operation is at
    /// `/vzd/cadastre/v1/properties/{cadastralNumber}`.
    pub base_url: String,
    /// The token endpoint, when it is not `{base_url}/oauth2/token`.
    #[serde(default)]
    pub token_url: Option<String>,
    /// The institution's OAuth2 client, whose signed assertion buys the bearer token.
    pub oauth: OAuthConfig,
    /// Timeouts, retries, breaker, concurrency and quota of cadastre calls.
    #[serde(default)]
    pub transport: TransportConfig,
}
