//! Settings of the BARIS adapter.

use secrecy::SecretString;
use serde::Deserialize;

use crate::transport::TransportConfig;

/// How to reach the orphans' court information system.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BarisConfig {
    /// Base URL of the service, without a trailing slash; the operation is at
    /// `/baris/household-status/v1`.
    pub base_url: String,
    /// The sending institution's registration number, sent in every request header.
    pub institution: String,
    /// The service account (WS-Security UsernameToken).
    pub username: String,
    pub password: SecretString,
    #[serde(default)]
    pub transport: TransportConfig,
}
