//! Settings of the PMLP adapter.

use serde::Deserialize;

use crate::transport::{OAuthConfig, TransportConfig};

/// How to reach the Population Register.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PmlpConfig {
    /// Base URL of the DAGR API, without a trailing slash.
    pub base_url: String,
    /// The permission number the institution holds for the person dataset (`X-DAGR-Permission`).
    pub permission: String,
    /// The token endpoint, when it is not `{base_url}/oauth2/token`.
    #[serde(default)]
    pub token_url: Option<String>,
    pub oauth: OAuthConfig,
    #[serde(default)]
    pub transport: TransportConfig,
}
