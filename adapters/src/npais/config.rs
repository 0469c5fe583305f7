//! Settings of the NPAIS adapter.

use serde::Deserialize;

use crate::transport::{OAuthConfig, TransportConfig};

/// How to reach NPAIS's placement service.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NpaisConfig {
    /// Base URL of the API, without a trailing slash; the operation is at
    /// `/npais/v1/placements/search`.
    pub base_url: String,
    /// The token endpoint, when it is not `{base_url}/oauth2/token`.
    #[serde(default)]
    pub token_url: Option<String>,
    pub oauth: OAuthConfig,
    #[serde(default)]
    pub transport: TransportConfig,
}
