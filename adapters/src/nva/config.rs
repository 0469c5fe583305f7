//! Settings of the NVA adapter.

use serde::Deserialize;

use crate::transport::{OAuthConfig, TransportConfig};

/// How to reach NVA's person-status service.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NvaConfig {
    /// Base URL of the API, without a trailing slash; the operation is at
    /// `/nva/v1/person-status/search`.
    pub base_url: String,
    /// The token endpoint, when it is not `{base_url}/oauth2/token`.
    #[serde(default)]
    pub token_url: Option<String>,
    pub oauth: OAuthConfig,
    #[serde(default)]
    pub transport: TransportConfig,
}
