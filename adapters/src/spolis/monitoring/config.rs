//! Settings of the SPOLIS monitoring adapter.

use secrecy::SecretString;
use serde::Deserialize;

use crate::transport::TransportConfig;

/// How to reach the SPOLIS monitoring service.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpolisMonitoringConfig {
    /// Base URL of the service, without a trailing slash; the operation is at
    /// `/spolis/monitoring/v1`.
    pub base_url: String,
    /// The sending institution's registration number, sent in every request header.
    pub institution: String,
    /// The municipality's seven-digit territorial code, which every record names.
    pub municipality_code: String,
    /// The service account (WS-Security UsernameToken).
    pub username: String,
    pub password: SecretString,
    #[serde(default)]
    pub transport: TransportConfig,
}
