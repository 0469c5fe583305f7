//! Settings of the BRIDZIS adapter.

use secrecy::SecretString;
use serde::Deserialize;

use crate::transport::TransportConfig;

/// How to reach the housing register.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BridzisConfig {
    /// Base URL of the register, without a trailing slash; notices go to
    /// `/bridzis/v1/status-notices`.
    pub base_url: String,
    /// The API key the register issued to the social service (`X-Api-Key`).
    pub api_key: SecretString,
    #[serde(default)]
    pub transport: TransportConfig,
}
