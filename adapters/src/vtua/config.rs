//! Settings of the VTUA adapter.

use secrecy::SecretString;
use serde::Deserialize;

use crate::transport::TransportConfig;

/// How to reach VTUA's machinery-register service.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VtuaConfig {
    /// Base URL of the service, without a trailing slash; the operation is at `/vtua/machinery/v1`.
    pub base_url: String,
    /// The requesting institution's registration number, sent in every request header.
    pub institution: String,
    /// The service account (WS-Security UsernameToken).
    pub username: String,
    pub password: SecretString,
    #[serde(default)]
    pub transport: TransportConfig,
}
