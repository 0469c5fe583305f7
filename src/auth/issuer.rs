//! A stand-in identity provider for the demo, `gateway simulate` and the tests: a fresh Ed25519
//! key per process, its JWKS for `[auth]`, and short-lived tokens for any role.

use std::time::Duration;

use jsonwebtoken::{Algorithm, Header};
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::{AuthConfig, Role};
use crate::signing::Ed25519Key;

/// The issuer the demo's tokens name.
pub const DEMO_ISSUER: &str = "urn:registry-gateway:demo-idp";
/// The audience the demo's tokens name.
pub const DEMO_AUDIENCE: &str = "registry-gateway";

/// Mints tokens the gateway configured with [`DemoIssuer::auth_config`] accepts.
pub struct DemoIssuer {
    key: Ed25519Key,
}

impl Default for DemoIssuer {
    fn default() -> Self {
        Self::generate()
    }
}

impl DemoIssuer {
    pub fn generate() -> Self {
        // The system's random source failing leaves nothing to sign with at all.
        Self { key: Ed25519Key::generate("demo").expect("the system random source works") }
    }

    /// The public key as a JWKS document.
    pub fn jwks_json(&self) -> String {
        self.key.jwks().to_string()
    }

    /// The `[auth]` section that accepts this issuer's tokens.
    pub fn auth_config(&self) -> AuthConfig {
        AuthConfig {
            issuer: DEMO_ISSUER.into(),
            audience: DEMO_AUDIENCE.into(),
            jwks_file: None,
            jwks_url: None,
            jwks: Some(self.jwks_json()),
            refresh_secs: 300,
            leeway_secs: 30,
            roles_claim: "roles".into(),
        }
    }

    /// The `[auth]` section of [`DemoIssuer::auth_config`] as TOML, for a configuration file.
    pub fn auth_toml(&self) -> String {
        format!(
            "[auth]\nissuer = \"{DEMO_ISSUER}\"\naudience = \"{DEMO_AUDIENCE}\"\njwks = '''{}'''\n",
            self.jwks_json()
        )
    }

    /// One shell line per role, `export GATEWAY_TOKEN_<ROLE>=<token>`, each token valid for
    /// `ttl` and naming the subject `demo-<role>`.
    pub fn token_exports(&self, ttl: Duration) -> String {
        Role::ALL
            .iter()
            .map(|role| {
                let name = role.as_str().replace('-', "_").to_uppercase();
                format!("export GATEWAY_TOKEN_{name}={}\n", self.token(&format!("demo-{role}"), &[*role], ttl))
            })
            .collect()
    }

    /// A token for `subject` with `roles`, valid for `ttl`.
    pub fn token(&self, subject: &str, roles: &[Role], ttl: Duration) -> String {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        self.sign(&json!({
            "iss": DEMO_ISSUER, "aud": DEMO_AUDIENCE, "sub": subject,
            "roles": roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
            "institution": "tukums-social-service",
            "iat": now, "nbf": now, "exp": now + ttl.as_secs() as i64,
        }))
    }

    /// Any claims, signed: for tests of tokens the gateway must refuse.
    pub fn sign(&self, claims: &Value) -> String {
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(self.key.key_id().to_owned());
        jsonwebtoken::encode(&header, claims, self.key.encoding_key())
            // Signing with a valid Ed25519 key and serialisable claims cannot fail.
            .expect("an Ed25519 signature")
    }
}
