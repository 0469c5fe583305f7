//! The credentials the simulators accept, and that the gateway must be configured with to
//! talk to them.
//!
//! All values are synthetic and exist only for the simulators: the key pair in `mocks/keys/`
//! must never be configured for a real registry.

use std::fmt;

/// The gateway's OAuth2 client key, with which it signs its client assertions.
const CLIENT_KEY_PEM: &str = include_str!("../keys/simulated-client.key.pem");
/// The public half, with which the simulated token endpoint verifies the assertions.
const CLIENT_PUBLIC_KEY_PEM: &str = include_str!("../keys/simulated-client.pub.pem");

/// What the simulators check on every call: the PMLP OAuth2 client and DAGR permission, the
/// state registries' SOAP service account and the requesting institution.
#[derive(Clone, PartialEq, Eq)]
pub struct SimulatorCredentials {
    /// The OAuth2 client id; the client assertion's `iss` and `sub`.
    pub client_id: String,
    /// The RSA private key (PKCS#8 PEM) the gateway signs its client assertions with.
    pub client_key_pem: String,
    /// The RSA public key (SPKI PEM) the PMLP token endpoint verifies assertions with.
    pub client_public_key_pem: String,
    /// The permission number the PMLP simulator expects in `X-DAGR-Permission`.
    pub dagr_permission: String,
    /// The WS-Security UsernameToken user name of the service account the institution holds
    /// for the state's SOAP registries (VSAA, VID, VTUA, VDEĀVK, the Land Registry); see
    /// [`SimulatorCredentials::registry_account`].
    pub vsaa_username: String,
    /// That service account's password.
    pub vsaa_password: String,
    /// The registration number of the requesting institution, for SOAP request headers.
    pub institution: String,
    /// The API key the BRIDZIS housing register expects in `X-Api-Key`.
    pub bridzis_api_key: String,
    /// The BARIS WS-Security UsernameToken user name.
    pub baris_username: String,
    /// The BARIS WS-Security UsernameToken password.
    pub baris_password: String,
    /// The SPOLIS monitoring WS-Security UsernameToken user name.
    pub spolis_monitoring_username: String,
    /// The SPOLIS monitoring WS-Security UsernameToken password.
    pub spolis_monitoring_password: String,
    /// The municipality's seven-digit territorial code, which SPOLIS monitoring records must name.
    pub municipality_code: String,
}

impl Default for SimulatorCredentials {
    fn default() -> Self {
        Self {
            client_id: "tukums-social-service".to_owned(),
            client_key_pem: CLIENT_KEY_PEM.to_owned(),
            client_public_key_pem: CLIENT_PUBLIC_KEY_PEM.to_owned(),
            dagr_permission: "20260042".to_owned(),
            vsaa_username: "tukums-social-service".to_owned(),
            vsaa_password: "simulated-password".to_owned(),
            institution: "90000000001".to_owned(),
            bridzis_api_key: "simulated-bridzis-key".to_owned(),
            baris_username: "tukums-social-service".to_owned(),
            baris_password: "simulated-baris-password".to_owned(),
            spolis_monitoring_username: "tukums-social-service".to_owned(),
            spolis_monitoring_password: "simulated-spolis-password".to_owned(),
            municipality_code: "0901000".to_owned(),
        }
    }
}

impl SimulatorCredentials {
    /// The user name and password of the one service account the institution holds for the
    /// state's SOAP registries: VSAA issued it, and VID, VTUA, VDEĀVK and the Land Registry
    /// accept it too. The partners (BARIS, SPOLIS monitoring) have accounts of their own.
    pub(crate) fn registry_account(&self) -> (&str, &str) {
        (&self.vsaa_username, &self.vsaa_password)
    }
}

/// Keys and passwords stay out of debug output even though they are synthetic, so that the
/// habit holds.
impl fmt::Debug for SimulatorCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SimulatorCredentials")
            .field("client_id", &self.client_id)
            .field("client_key_pem", &"<redacted>")
            .field("dagr_permission", &self.dagr_permission)
            .field("vsaa_username", &self.vsaa_username)
            .field("vsaa_password", &"<redacted>")
            .field("institution", &self.institution)
            .field("bridzis_api_key", &"<redacted>")
            .field("baris_username", &self.baris_username)
            .field("baris_password", &"<redacted>")
            .field("spolis_monitoring_username", &self.spolis_monitoring_username)
            .field("spolis_monitoring_password", &"<redacted>")
            .field("municipality_code", &self.municipality_code)
            .finish_non_exhaustive()
    }
}
