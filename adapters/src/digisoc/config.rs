//! Settings of the DigiSoc adapter.

use serde::Deserialize;

use crate::transport::{OAuthConfig, TransportConfig};

/// How to reach DigiSoc.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DigisocConfig {
    /// Base URL of the API, without a trailing slash; referrals go to
    /// `/digisoc/v1/referrals`, execution reports are read from `/digisoc/v1/execution-reports`.
    pub base_url: String,
    /// The token endpoint, when it is not `{base_url}/oauth2/token`.
    #[serde(default)]
    pub token_url: Option<String>,
    pub oauth: OAuthConfig,
    #[serde(default)]
    pub transport: TransportConfig,
}
